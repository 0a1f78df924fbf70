namespace SpeechEmotion.Audio;

/// <summary>Parameters of <see cref="Trimmer"/>; defaults are librosa.effects.trim's.</summary>
public sealed record TrimOptions
{
    /// <summary>Frames quieter than the loudest frame by more than this many dB are silence; default 60, must be &gt; 0.</summary>
    public double TopDb { get; init; } = 60;

    /// <summary>RMS frame length in samples; default 2048, must be ≥ 1.</summary>
    public int FrameLength { get; init; } = 2048;

    /// <summary>Hop between frames in samples; default 512, must be ≥ 1.</summary>
    public int HopLength { get; init; } = 512;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(TopDb > 0 && double.IsFinite(TopDb), $"TopDb {TopDb} must be a positive number of dB.")
        .Require(FrameLength >= 1, $"FrameLength {FrameLength} must be ≥ 1.")
        .Require(HopLength >= 1, $"HopLength {HopLength} must be ≥ 1.")
        .ThrowIfAny(nameof(TrimOptions));
}

/// <summary>A half-open sample interval [Start, End).</summary>
/// <param name="Start">First sample kept.</param>
/// <param name="End">One past the last sample kept (Start == End when everything is silence).</param>
public readonly record struct TrimInterval(int Start, int End)
{
    /// <summary>Samples in the interval.</summary>
    public int Length => End - Start;
}

/// <summary>
/// Leading/trailing silence trimming with librosa.effects.trim semantics: centred frames (zero padding of
/// FrameLength/2 each side), frame RMS, dB relative to the loudest frame (amin 1e-5), a frame is sound when
/// its level is above −TopDb; the interval runs from the first sound frame's start (frame·hop) to the last
/// sound frame's end ((frame+1)·hop, at most the signal length). As in librosa, an all-zero signal is its own
/// 0 dB reference and is kept whole.
/// </summary>
public static class Trimmer
{
    /// <summary>Finds the non-silent interval of <paramref name="samples"/> (mono).</summary>
    public static TrimInterval FindInterval(ReadOnlySpan<float> samples, TrimOptions? options = null)
    {
        options ??= new TrimOptions();
        options.Validate();
        int n = samples.Length;
        int fl = options.FrameLength, hop = options.HopLength, pad = fl / 2;
        long paddedLength = n + 2L * pad;
        if (paddedLength < fl) return new TrimInterval(0, 0);
        int frames = (int)(1 + (paddedLength - fl) / hop);

        // Prefix sums of squares over the padded signal make each frame's mean power O(1).
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (double)samples[i] * samples[i];
        double SumSquares(long paddedFrom, long paddedTo)
        {
            long a = Math.Clamp(paddedFrom - pad, 0, n), b = Math.Clamp(paddedTo - pad, 0, n);
            return prefix[b] - prefix[a];
        }

        var power = new double[frames];
        double maxPower = 0;
        for (int f = 0; f < frames; f++)
        {
            long start = (long)f * hop;
            power[f] = Math.Max(0, SumSquares(start, start + fl)) / fl;
            maxPower = Math.Max(maxPower, power[f]);
        }
        // librosa: amplitude_to_db(rms, ref=max) = 10·log10(max(1e-10, rms²)) − 10·log10(max(1e-10, max rms²)).
        const double amin = 1e-10;
        double refDb = 10 * Math.Log10(Math.Max(amin, maxPower));
        int first = -1, last = -1;
        for (int f = 0; f < frames; f++)
        {
            double db = 10 * Math.Log10(Math.Max(amin, power[f])) - refDb;
            if (db > -options.TopDb)
            {
                if (first < 0) first = f;
                last = f;
            }
        }
        if (first < 0) return new TrimInterval(0, 0);
        return new TrimInterval((int)Math.Min(n, (long)first * hop), (int)Math.Min(n, (long)(last + 1) * hop));
    }

    /// <summary>Returns a copy of <paramref name="samples"/> without leading and trailing silence.</summary>
    public static float[] Trim(ReadOnlySpan<float> samples, TrimOptions? options = null)
    {
        var interval = FindInterval(samples, options);
        return samples[interval.Start..interval.End].ToArray();
    }
}
