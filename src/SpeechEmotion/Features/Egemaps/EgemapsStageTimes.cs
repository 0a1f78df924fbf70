using System.Diagnostics;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>Accumulated time per stage of <see cref="EgemapsExtractor"/> (profiling only; null on the normal path).</summary>
internal sealed class EgemapsStageTimes
{
    /// <summary>Stage names, in pipeline order.</summary>
    public static readonly string[] Names =
        ["long_fft", "shs_pitch", "viterbi", "short_frames", "formants", "jitter_shimmer", "harmonics", "functionals"];

    public const int LongFft = 0, Shs = 1, Viterbi = 2, ShortFrames = 3, Formants = 4, JitterShimmer = 5, Harmonics = 6, Functionals = 7;

    /// <summary>Stopwatch ticks per stage.</summary>
    public long[] Ticks { get; } = new long[Names.Length];

    private long _mark;

    /// <summary>Starts timing (call before a stage).</summary>
    public void Start() => _mark = Stopwatch.GetTimestamp();

    /// <summary>Adds the time since the last <see cref="Start"/> or <see cref="Lap"/> to <paramref name="stage"/> and restarts.</summary>
    public void Lap(int stage)
    {
        long now = Stopwatch.GetTimestamp();
        Ticks[stage] += now - _mark;
        _mark = now;
    }

    /// <summary>Seconds spent in <paramref name="stage"/>.</summary>
    public double Seconds(int stage) => (double)Ticks[stage] / Stopwatch.Frequency;
}
