using System.Text.Json.Nodes;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Web;

/// <summary>
/// The real engine: adapts <see cref="EmotionRecognizer"/>, <see cref="StreamingRecognizer"/> and
/// <see cref="Inference.Timeline"/> to what the web layer needs. Holds no recognition logic of its own.
/// </summary>
public sealed class RecognizerEngine : IEmotionEngine
{
    private readonly EmotionRecognizer _recognizer;
    private readonly TimelineOptions _timeline;
    private readonly StreamingOptions _streaming;

    /// <summary>Wraps a loaded recognizer; null options mean the library's defaults (3-s windows).</summary>
    public RecognizerEngine(EmotionRecognizer recognizer, TimelineOptions? timeline = null, StreamingOptions? streaming = null)
    {
        _recognizer = recognizer;
        _timeline = timeline ?? new TimelineOptions();
        _streaming = (streaming ?? new StreamingOptions()) with { InputSampleRate = recognizer.SampleRate };
        _timeline.Validate();
        _streaming.Validate();
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
        cancellation.ThrowIfCancellationRequested();
        var result = Inference.Timeline.Analyze(_recognizer, samples, "upload", _timeline);
        var labels = result.Labels;
        return result.Windows.Select(w =>
        {
            int best = Enumerable.Range(0, labels.Count).FirstOrDefault(i => labels[i] == w.Label, -1);
            return new TimelineSegment(w.Start, w.End, new WebPrediction(w.Label, best >= 0 ? w.Smoothed[best] : 0f,
                ToDictionary(labels, w.Smoothed), w.Arousal, w.Valence, w.End - w.Start));
        }).ToList();
    }

    /// <inheritdoc/>
    public IStreamSession OpenStream() => new Session(this);

    private static Dictionary<string, float> ToDictionary(IReadOnlyList<string> labels, float[] probabilities)
    {
        var d = new Dictionary<string, float>(labels.Count);
        for (int i = 0; i < labels.Count; i++) d[labels[i]] = probabilities[i];
        return d;
    }

    private static WebPrediction Convert(EmotionPrediction p) =>
        new(p.Label, p.Confidence, ToDictionary(p.Labels, p.Probabilities), p.Arousal, p.Valence, p.Duration);

    private sealed class Session(RecognizerEngine engine) : IStreamSession
    {
        private readonly StreamingRecognizer _stream = new(engine._recognizer, engine._streaming);
        private readonly List<float> _all = []; // the whole recording, for the final timeline (bounded by the server's duration limit)

        public IReadOnlyList<StreamResult> Push(ReadOnlySpan<float> samples)
        {
            _all.AddRange(samples);
            return _stream.Push(samples).Select(r => new StreamResult(r.Start, r.End, r.Prediction is null ? null : Convert(r.Prediction))).ToList();
        }

        public (WebPrediction? Overall, IReadOnlyList<TimelineSegment> Timeline) Complete()
        {
            var all = _all.ToArray();
            WebPrediction? overall;
            try { overall = Convert(engine._recognizer.Recognize(all, engine.SampleRate, "recording")); }
            catch (InferenceInputException) { overall = null; } // silent or too short
            return (overall, all.Length == 0 ? [] : engine.Timeline(all, CancellationToken.None));
        }

        public void Dispose() => _all.Clear();
    }
}
