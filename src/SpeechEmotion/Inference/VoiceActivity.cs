namespace SpeechEmotion.Inference;

/// <summary>Options of <see cref="VoiceActivity.Detect"/>. Immutable; validated when used.</summary>
public sealed record VoiceActivityOptions
{
    /// <summary>Analysis frame length (s); default 0.025.</summary>
    public double FrameSeconds { get; init; } = 0.025;

    /// <summary>Frame hop (s); default 0.010.</summary>
    public double HopSeconds { get; init; } = 0.010;

    /// <summary>A frame is speech when its RMS level is this many dB above the noise floor (the 10th percentile
    /// of frame levels); default 12 dB.</summary>
    public double MarginDb { get; init; } = 12;

    /// <summary>…and no more than this many dB below the loudest frame; default 45 dB.</summary>
    public double RangeDb { get; init; } = 45;

    /// <summary>Absolute floor (dBFS) under which nothing is speech; default −60.</summary>
    public double FloorDbfs { get; init; } = -60;

    /// <summary>Pauses shorter than this (s) join neighbouring segments; default 0.3.</summary>
    public double MinPauseSeconds { get; init; } = 0.3;

    /// <summary>Segments shorter than this (s) are dropped; default 0.25.</summary>
    public double MinSpeechSeconds { get; init; } = 0.25;

    /// <summary>Padding (s) added before and after each segment; default 0.1.</summary>
    public double PadSeconds { get; init; } = 0.1;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(FrameSeconds is > 0.001 and <= 1, $"FrameSeconds {FrameSeconds} must be in (0.001, 1]")
        .Require(HopSeconds > 0 && HopSeconds <= FrameSeconds, $"HopSeconds {HopSeconds} must be in (0, FrameSeconds]")
        .Require(MarginDb >= 0 && RangeDb > 0, "MarginDb must be ≥ 0 and RangeDb > 0")
        .Require(FloorDbfs <= 0, $"FloorDbfs {FloorDbfs} must be ≤ 0")
        .Require(MinPauseSeconds >= 0 && MinSpeechSeconds >= 0 && PadSeconds >= 0, "pause, speech and pad durations must be ≥ 0")
        .ThrowIfAny(nameof(VoiceActivityOptions));
}

/// <summary>A stretch of audio in seconds from the start.</summary>
/// <param name="Start">Start (s).</param>
/// <param name="End">End (s), &gt; Start.</param>
public readonly record struct TimeSpanSeconds(double Start, double End)
{
    /// <summary>Length (s).</summary>
    public double Length => End - Start;
}

/// <summary>Energy-based voice-activity detection: frame RMS levels against an adaptive threshold, with
/// hangover (pause bridging), minimum speech length and padding.</summary>
public static class VoiceActivity
{
    /// <summary>Speech segments of <paramref name="samples"/> at <paramref name="sampleRate"/> Hz, in time order.</summary>
    public static IReadOnlyList<TimeSpanSeconds> Detect(ReadOnlySpan<float> samples, int sampleRate, VoiceActivityOptions? options = null)
    {
        options ??= new VoiceActivityOptions();
        options.Validate();
        int frame = Math.Max(1, (int)Math.Round(options.FrameSeconds * sampleRate));
        int hop = Math.Max(1, (int)Math.Round(options.HopSeconds * sampleRate));
        if (samples.Length < frame) return [];
        int n = 1 + (samples.Length - frame) / hop;
        var db = new float[n];
        for (int i = 0; i < n; i++)
        {
            var s = samples.Slice(i * hop, frame);
            float ss = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(s);
            db[i] = ss > 0 ? 10f * MathF.Log10(ss / frame) : -200f;
        }
        var sorted = (float[])db.Clone();
        Array.Sort(sorted);
        float floor = sorted[n / 10], peak = sorted[^1];
        double threshold = Math.Max(Math.Max(floor + options.MarginDb, peak - options.RangeDb), options.FloorDbfs);
        var raw = new List<TimeSpanSeconds>();
        int startFrame = -1;
        for (int i = 0; i <= n; i++)
        {
            bool speech = i < n && db[i] > threshold;
            if (speech && startFrame < 0) startFrame = i;
            else if (!speech && startFrame >= 0)
            {
                raw.Add(new TimeSpanSeconds((double)startFrame * hop / sampleRate, ((double)(i - 1) * hop + frame) / sampleRate));
                startFrame = -1;
            }
        }
        double total = (double)samples.Length / sampleRate;
        var merged = new List<TimeSpanSeconds>();
        foreach (var seg in raw)
        {
            if (merged.Count > 0 && seg.Start - merged[^1].End < options.MinPauseSeconds) merged[^1] = merged[^1] with { End = seg.End };
            else merged.Add(seg);
        }
        var result = new List<TimeSpanSeconds>();
        foreach (var seg in merged)
        {
            if (seg.Length < options.MinSpeechSeconds) continue;
            var padded = new TimeSpanSeconds(Math.Max(0, seg.Start - options.PadSeconds), Math.Min(total, seg.End + options.PadSeconds));
            if (result.Count > 0 && padded.Start <= result[^1].End) result[^1] = result[^1] with { End = padded.End };
            else result.Add(padded);
        }
        return result;
    }
}
