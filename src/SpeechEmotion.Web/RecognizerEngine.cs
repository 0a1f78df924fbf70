using System.Text.Json.Nodes;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Web;

/// <summary>
/// The real engine: adapts <see cref="EmotionRecognizer"/> to what the web layer needs. Live sessions and
/// timelines are windows of <see cref="WindowSeconds"/> every <see cref="HopSeconds"/> passed to the recognizer.
/// </summary>
public sealed class RecognizerEngine : IEmotionEngine
{
    /// <summary>Analysis window of live results and timelines, seconds.</summary>
    public const double WindowSeconds = 3.0;

    /// <summary>Step between windows, seconds.</summary>
    public const double HopSeconds = 1.0;

    private readonly EmotionRecognizer _recognizer;

    /// <summary>Wraps a loaded recognizer.</summary>
    public RecognizerEngine(EmotionRecognizer recognizer)
    {
        _recognizer = recognizer;
        ModelCard = recognizer.Manifest.ToJsonNode();
    }

    /// <summary>Loads the <c>.sermodel</c> at <paramref name="path"/>.</summary>
    /// <exception cref="Models.Packaging.ModelFormatException">Missing, corrupt or inconsistent model file.</exception>
    public static RecognizerEngine Load(string path) => new(EmotionRecognizer.Load(path));

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _recognizer.Labels;

    /// <inheritdoc/>
    public int SampleRate => _recognizer.SampleRate;

    /// <inheritdoc/>
    public JsonObject ModelCard { get; }

    /// <inheritdoc/>
    public WebPrediction Recognize(float[] samples, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        return Convert(_recognizer.Recognize(samples, SampleRate, "upload"));
    }

    /// <inheritdoc/>
    public IReadOnlyList<TimelineSegment> Timeline(float[] samples, CancellationToken cancellation)
    {
        var list = new List<TimelineSegment>();
        int window = (int)(WindowSeconds * SampleRate), hop = (int)(HopSeconds * SampleRate);
        for (int start = 0; start == 0 || start + window <= samples.Length + hop - 1; start += hop)
        {
            cancellation.ThrowIfCancellationRequested();
            int end = Math.Min(samples.Length, start + window);
            var p = TryRecognize(samples.AsSpan(start, end - start));
            if (p is not null) list.Add(new TimelineSegment(start / (double)SampleRate, end / (double)SampleRate, p));
            if (end == samples.Length) break;
        }
        return list;
    }

    /// <inheritdoc/>
    public IStreamSession OpenStream() => new Session(this);

    internal WebPrediction? TryRecognize(ReadOnlySpan<float> samples)
    {
        try { return Convert(_recognizer.Recognize(samples, SampleRate, "window")); }
        catch (InferenceInputException) { return null; } // silent or too short: no prediction for this window
    }

    private static WebPrediction Convert(EmotionPrediction p)
    {
        var probabilities = new Dictionary<string, float>(p.Labels.Count);
        for (int i = 0; i < p.Labels.Count; i++) probabilities[p.Labels[i]] = p.Probabilities[i];
        return new WebPrediction(p.Label, p.Confidence, probabilities, p.Arousal, p.Valence, p.Duration);
    }

    private sealed class Session(RecognizerEngine engine) : IStreamSession
    {
        private readonly List<float> _all = [];
        private int _next = (int)(WindowSeconds * engine.SampleRate);

        public IReadOnlyList<StreamResult> Push(ReadOnlySpan<float> samples)
        {
            foreach (var s in samples) _all.Add(s);
            var results = new List<StreamResult>();
            int window = (int)(WindowSeconds * engine.SampleRate), hop = (int)(HopSeconds * engine.SampleRate);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_all);
            while (_all.Count >= _next)
            {
                int start = _next - window;
                results.Add(new StreamResult(start / (double)engine.SampleRate, _next / (double)engine.SampleRate,
                    engine.TryRecognize(span.Slice(start, window))));
                _next += hop;
            }
            return results;
        }

        public (WebPrediction? Overall, IReadOnlyList<TimelineSegment> Timeline) Complete()
        {
            var all = _all.ToArray();
            return (engine.TryRecognize(all), all.Length == 0 ? [] : engine.Timeline(all, CancellationToken.None));
        }

        public void Dispose() => _all.Clear();
    }
}
