using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SpeechEmotion.Audio;
using SpeechEmotion.Features;

namespace SpeechEmotion.Inference;

/// <summary>Options of <see cref="Timeline.Analyze(EmotionRecognizer, string, TimelineOptions?)"/>. Immutable; validated when used.</summary>
public sealed record TimelineOptions
{
    /// <summary>Window length (s) each prediction sees; default 3 (RAVDESS-like utterance length).</summary>
    public double WindowSeconds { get; init; } = 3;

    /// <summary>Step between window starts (s); default 1.</summary>
    public double HopSeconds { get; init; } = 1;

    /// <summary>Centered moving average over this many neighbouring windows of a segment (1 = none); default 3.</summary>
    public int Smoothing { get; init; } = 3;

    /// <summary>Run voice-activity detection and only analyse speech (default); false slides over the whole file.</summary>
    public bool VoiceActivity { get; init; } = true;

    /// <summary>Voice-activity settings.</summary>
    public VoiceActivityOptions Vad { get; init; } = new();

    /// <summary>Longest recording (s) analysed; longer files are refused before decoding. Default 3,600 s
    /// (1 hour ≈ 230 MB of float samples at 16 kHz). Range 1..86,400.</summary>
    public double MaxSeconds { get; init; } = 3600;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(WindowSeconds is >= 0.2 and <= 600, $"WindowSeconds {WindowSeconds} must be in 0.2..600")
        .Require(HopSeconds > 0 && HopSeconds <= WindowSeconds, $"HopSeconds {HopSeconds} must be in (0, WindowSeconds]")
        .Require(Smoothing is >= 1 and <= 101, $"Smoothing {Smoothing} must be in 1..101")
        .Require(MaxSeconds is >= 1 and <= 86_400, $"MaxSeconds {MaxSeconds} must be in 1..86400")
        .ThrowIfAny(nameof(TimelineOptions));
}

/// <summary>One analysed window.</summary>
/// <param name="Start">Start (s from the beginning of the recording).</param>
/// <param name="End">End (s).</param>
/// <param name="Segment">Index of the speech segment it belongs to.</param>
/// <param name="Raw">The window's own probabilities (model label order).</param>
/// <param name="Smoothed">Probabilities averaged over neighbouring windows of the same segment.</param>
/// <param name="Label">Most probable label after smoothing.</param>
/// <param name="Arousal">Arousal output where the model has it.</param>
/// <param name="Valence">Valence output where the model has it.</param>
public sealed record TimelineWindow(double Start, double End, int Segment, float[] Raw, float[] Smoothed, string Label, float? Arousal, float? Valence);

/// <summary>One speech segment with its overall emotion (mean of its windows' smoothed probabilities).</summary>
/// <param name="Start">Start (s).</param>
/// <param name="End">End (s).</param>
/// <param name="Label">Most probable label.</param>
/// <param name="Confidence">Its probability.</param>
/// <param name="Probabilities">Mean probabilities (model label order); all zero when the segment had no usable window.</param>
public sealed record TimelineSegment(double Start, double End, string Label, float Confidence, float[] Probabilities);

/// <summary>The emotions of a recording over time.</summary>
/// <param name="Source">The file analysed.</param>
/// <param name="Duration">Its length (s).</param>
/// <param name="Labels">Label order of every probability array.</param>
/// <param name="Segments">Speech segments, in time order.</param>
/// <param name="Windows">Analysed windows, in time order.</param>
public sealed record TimelineResult(string Source, double Duration, IReadOnlyList<string> Labels, IReadOnlyList<TimelineSegment> Segments, IReadOnlyList<TimelineWindow> Windows)
{
    /// <summary>JSON: source, duration, labels, segments and windows (probabilities as label → value objects).</summary>
    public JsonObject ToJson()
    {
        JsonObject Probs(float[] p)
        {
            var o = new JsonObject();
            for (int i = 0; i < Labels.Count; i++) o[Labels[i]] = Math.Round(p[i], 5);
            return o;
        }
        var segs = new JsonArray(Segments.Select(s => (JsonNode?)new JsonObject
        {
            ["start"] = Math.Round(s.Start, 3), ["end"] = Math.Round(s.End, 3), ["label"] = s.Label,
            ["confidence"] = Math.Round(s.Confidence, 5), ["probabilities"] = Probs(s.Probabilities),
        }).ToArray());
        var wins = new JsonArray(Windows.Select(w =>
        {
            var o = new JsonObject
            {
                ["start"] = Math.Round(w.Start, 3), ["end"] = Math.Round(w.End, 3), ["segment"] = w.Segment, ["label"] = w.Label,
                ["probabilities"] = Probs(w.Smoothed), ["raw"] = Probs(w.Raw),
            };
            if (w.Arousal is float a) o["arousal"] = Math.Round(a, 5);
            if (w.Valence is float v) o["valence"] = Math.Round(v, 5);
            return (JsonNode?)o;
        }).ToArray());
        return new JsonObject
        {
            ["file"] = Source, ["duration"] = Math.Round(Duration, 3),
            ["labels"] = new JsonArray(Labels.Select(l => (JsonNode?)l).ToArray()),
            ["segments"] = segs, ["windows"] = wins,
        };
    }

    /// <summary>CSV with one row per window: start,end,segment,label,p_&lt;label&gt;... (smoothed).</summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("start,end,segment,label,").Append(string.Join(',', Labels.Select(l => "p_" + l))).Append('\n');
        foreach (var w in Windows)
        {
            sb.Append(w.Start.ToString("0.###", inv)).Append(',').Append(w.End.ToString("0.###", inv)).Append(',')
              .Append(w.Segment.ToString(inv)).Append(',').Append(PredictionJson.Csv(w.Label));
            foreach (var p in w.Smoothed) sb.Append(',').Append(p.ToString("0.#####", inv));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>
/// Emotion over time for long recordings: voice-activity segmentation, sliding windows inside each segment,
/// one prediction per window (batched), smoothing across neighbouring windows, and a summary per segment.
/// </summary>
public static class Timeline
{
    /// <summary>Decodes <paramref name="path"/> at the model's rate (refusing files over <see cref="TimelineOptions.MaxSeconds"/>
    /// before decoding when the header tells) and analyses it.</summary>
    public static TimelineResult Analyze(EmotionRecognizer recognizer, string path, TimelineOptions? options = null)
    {
        options ??= new TimelineOptions();
        options.Validate();
        var seconds = AudioDurationProbe.TryWavSeconds(path);
        if (seconds > options.MaxSeconds)
            throw new InferenceInputException($"{path}: {seconds:F0} s is longer than the timeline limit of {options.MaxSeconds:F0} s; split the recording or raise the limit.");
        var audio = AudioReader.Read(path, new AudioReadOptions { TargetSampleRate = recognizer.SampleRate });
        if (audio.Duration > options.MaxSeconds)
            throw new InferenceInputException($"{path}: {audio.Duration:F0} s is longer than the timeline limit of {options.MaxSeconds:F0} s.");
        return Analyze(recognizer, audio.Samples, path, options);
    }

    /// <summary>Analyses mono <paramref name="samples"/> at the recognizer's <see cref="EmotionRecognizer.SampleRate"/>.</summary>
    public static TimelineResult Analyze(EmotionRecognizer recognizer, float[] samples, string source, TimelineOptions? options = null)
    {
        options ??= new TimelineOptions();
        options.Validate();
        int sr = recognizer.SampleRate;
        double duration = samples.Length / (double)sr;
        var segments = options.VoiceActivity
            ? VoiceActivity.Detect(samples, sr, options.Vad)
            : duration > 0 ? [new TimeSpanSeconds(0, duration)] : [];
        var spans = new List<(TimeSpanSeconds Span, int Segment)>();
        for (int s = 0; s < segments.Count; s++)
        {
            var seg = segments[s];
            if (seg.Length <= options.WindowSeconds) { spans.Add((seg, s)); continue; }
            int count = (int)Math.Ceiling((seg.Length - options.WindowSeconds) / options.HopSeconds - 1e-9) + 1;
            for (int k = 0; k < count; k++)
            {
                double start = Math.Min(seg.Start + k * options.HopSeconds, seg.End - options.WindowSeconds);
                spans.Add((new TimeSpanSeconds(start, start + options.WindowSeconds), s));
            }
        }
        var features = new FeatureMatrix?[spans.Count];
        Parallel.For(0, spans.Count, new ParallelOptions { MaxDegreeOfParallelism = recognizer.Options.MaxConcurrency }, i =>
        {
            int a = (int)(spans[i].Span.Start * sr), b = Math.Min(samples.Length, (int)(spans[i].Span.End * sr));
            try { features[i] = recognizer.Extract(samples.AsSpan(a, b - a), $"{source} @ {spans[i].Span.Start:F2} s"); }
            catch (InferenceInputException) { features[i] = null; }
        });
        var kept = Enumerable.Range(0, spans.Count).Where(i => features[i] is not null).ToArray();
        var predictions = new List<EmotionPrediction>(kept.Length);
        int batch = recognizer.Options.BatchSize;
        for (int s = 0; s < kept.Length; s += batch)
        {
            var part = kept.Skip(s).Take(batch).ToArray();
            predictions.AddRange(recognizer.Classify(part.Select(i => features[i]!).ToArray(), part.Select(i => spans[i].Span.Length).ToArray()));
        }
        var labels = recognizer.Labels;
        int c = labels.Count;
        var windows = new List<TimelineWindow>(kept.Length);
        for (int j = 0; j < kept.Length; j++)
        {
            var (span, seg) = spans[kept[j]];
            var smooth = new float[c];
            int half = options.Smoothing / 2, n = 0;
            for (int q = Math.Max(0, j - half); q <= Math.Min(kept.Length - 1, j + half); q++)
            {
                if (spans[kept[q]].Segment != seg) continue;
                for (int k = 0; k < c; k++) smooth[k] += predictions[q].Probabilities[k];
                n++;
            }
            for (int k = 0; k < c; k++) smooth[k] /= n;
            int best = ArgMax(smooth);
            var p = predictions[j];
            windows.Add(new TimelineWindow(span.Start, span.End, seg, p.Probabilities, smooth, labels[best], p.Arousal, p.Valence));
        }
        var summary = new List<TimelineSegment>(segments.Count);
        for (int s = 0; s < segments.Count; s++)
        {
            var mean = new float[c];
            int n = 0;
            foreach (var w in windows.Where(w => w.Segment == s)) { for (int k = 0; k < c; k++) mean[k] += w.Smoothed[k]; n++; }
            if (n == 0) continue;
            for (int k = 0; k < c; k++) mean[k] /= n;
            int best = ArgMax(mean);
            summary.Add(new TimelineSegment(segments[s].Start, segments[s].End, labels[best], mean[best], mean));
        }
        return new TimelineResult(source, duration, labels, summary, windows);
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int k = 1; k < v.Length; k++) if (v[k] > v[best]) best = k;
        return best;
    }
}
