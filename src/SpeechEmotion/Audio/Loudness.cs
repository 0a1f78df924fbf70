using System.Numerics.Tensors;

namespace SpeechEmotion.Audio;

/// <summary>Level measurement and peak/RMS normalisation of float samples (full scale = 1.0).</summary>
public static class Loudness
{
    /// <summary>Largest absolute sample value (0 for an empty signal).</summary>
    public static float Peak(ReadOnlySpan<float> samples) => samples.IsEmpty ? 0f : Math.Abs(TensorPrimitives.MaxMagnitude(samples));

    /// <summary>Root mean square of the samples (0 for an empty signal).</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) return 0;
        // Accumulate in double over blocks: float sums lose precision over minutes of audio.
        double sum = 0;
        for (int i = 0; i < samples.Length; i += 4096)
            sum += TensorPrimitives.SumOfSquares(samples.Slice(i, Math.Min(4096, samples.Length - i)));
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Converts a linear level to dB full scale (−∞ for 0).</summary>
    public static double ToDbfs(double level) => level > 0 ? 20 * Math.Log10(level) : double.NegativeInfinity;

    /// <summary>
    /// Scales <paramref name="input"/> into <paramref name="destination"/> (may be the same span) so that its peak
    /// is <paramref name="targetPeak"/> (linear, 0 &lt; target ≤ 1; default 1.0). Silence is copied unchanged.
    /// </summary>
    /// <returns>The gain applied (linear).</returns>
    public static float NormalizePeak(ReadOnlySpan<float> input, Span<float> destination, float targetPeak = 1f)
    {
        if (!(targetPeak > 0 && targetPeak <= 1)) throw new ArgumentOutOfRangeException(nameof(targetPeak), targetPeak, "Target peak must be in (0, 1].");
        float peak = Peak(input);
        float gain = peak > 0 ? targetPeak / peak : 1f;
        TensorPrimitives.Multiply(input, gain, destination[..input.Length]);
        return gain;
    }

    /// <summary>
    /// Scales <paramref name="input"/> into <paramref name="destination"/> (may be the same span) so that its RMS is
    /// <paramref name="targetDbfs"/> dB full scale (default −20, must be ≤ 0). When <paramref name="preventClipping"/>
    /// (default) the gain is lowered so the peak stays ≤ 1. Silence is copied unchanged.
    /// </summary>
    /// <returns>The gain applied (linear).</returns>
    public static float NormalizeRms(ReadOnlySpan<float> input, Span<float> destination, double targetDbfs = -20, bool preventClipping = true)
    {
        if (!(targetDbfs <= 0)) throw new ArgumentOutOfRangeException(nameof(targetDbfs), targetDbfs, "Target RMS must be ≤ 0 dBFS.");
        double rms = Rms(input);
        double gain = rms > 0 ? Math.Pow(10, targetDbfs / 20) / rms : 1;
        float peak = Peak(input);
        if (preventClipping && peak > 0) gain = Math.Min(gain, 1.0 / peak);
        TensorPrimitives.Multiply(input, (float)gain, destination[..input.Length]);
        return (float)gain;
    }
}
