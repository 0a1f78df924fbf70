using System.Numerics.Tensors;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Augmentation;

/// <summary>Kinds of additive noise.</summary>
public enum NoiseKind
{
    /// <summary>Gaussian white noise (flat spectrum).</summary>
    White,
    /// <summary>Pink noise: power falls 3 dB per octave (1/f).</summary>
    Pink,
    /// <summary>Brown (red) noise: power falls 6 dB per octave (1/f²).</summary>
    Brown,
    /// <summary>Babble: several other training utterances summed (see <see cref="BabbleSource"/>).</summary>
    Babble,
    /// <summary>A random excerpt of a noise recording from a folder (see <see cref="NoiseFolder"/>).</summary>
    File,
}

/// <summary>
/// Coloured noise generation and mixing at an exact signal-to-noise ratio. SNR is measured over the
/// whole utterance: 10·log10(Σ signal² / Σ scaled-noise²).
/// </summary>
public static class NoiseMixer
{
    /// <summary>
    /// Gaussian noise of <paramref name="length"/> samples with the spectral slope of
    /// <paramref name="kind"/> (White, Pink or Brown), zero mean and unit RMS. Pink and brown noise are
    /// shaped in the frequency domain (amplitude ∝ f^-1/2 or f^-1 above the lowest bin, DC removed),
    /// which gives the exact slope without the drift of an integrator.
    /// </summary>
    public static float[] Colored(NoiseKind kind, int length, AugmentationRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "Length must not be negative.");
        if (kind is not (NoiseKind.White or NoiseKind.Pink or NoiseKind.Brown))
            throw new ArgumentException($"Colored noise is White, Pink or Brown, not {kind}.", nameof(kind));
        var y = new float[length];
        if (length == 0) return y;
        if (kind == NoiseKind.White || length < 4)
        {
            rng.FillGaussian(y);
        }
        else
        {
            // A fast FFT length at least as long as the signal; the circular wrap is inaudible in noise.
            var n = Reverb.FastFftSize(length);
            var white = new float[n];
            rng.FillGaussian(white);
            var fft = new RealFft(n);
            int bins = n / 2 + 1;
            var re = new float[bins]; var im = new float[bins];
            fft.Forward(white, re, im);
            var exponent = kind == NoiseKind.Pink ? 0.5 : 1.0;
            re[0] = 0; im[0] = 0;
            for (var k = 1; k < bins; k++)
            {
                var g = (float)Math.Pow(k, -exponent);
                re[k] *= g; im[k] *= g;
            }
            var shaped = new float[n];
            fft.Inverse(re, im, shaped);
            shaped.AsSpan(0, length).CopyTo(y);
        }
        var mean = TensorPrimitives.Sum(y) / length;
        TensorPrimitives.Subtract(y, mean, y);
        var rms = Rms(y);
        if (rms > 0) TensorPrimitives.Multiply(y, (float)(1 / rms), y);
        return y;
    }

    /// <summary>Root mean square of <paramref name="x"/> (0 for an empty span), accumulated in double.</summary>
    public static double Rms(ReadOnlySpan<float> x) => x.IsEmpty ? 0 : Math.Sqrt(Energy(x) / x.Length);

    /// <summary>Σ x² in double precision (float accumulation loses ~0.01 dB on long signals).</summary>
    public static double Energy(ReadOnlySpan<float> x)
    {
        double s = 0;
        for (var i = 0; i < x.Length; i++) s += (double)x[i] * x[i];
        return s;
    }

    /// <summary>SNR in dB of <paramref name="signal"/> against <paramref name="noise"/> (same length); +∞ for silent noise.</summary>
    public static double SnrDb(ReadOnlySpan<float> signal, ReadOnlySpan<float> noise)
    {
        if (signal.Length != noise.Length) throw new ArgumentException("Signal and noise lengths differ.");
        var en = Energy(noise);
        return en == 0 ? double.PositiveInfinity : 10 * Math.Log10(Energy(signal) / en);
    }

    /// <summary>
    /// Returns signal + g·noise with g chosen so that the SNR is exactly <paramref name="snrDb"/>;
    /// <paramref name="noise"/> is looped when shorter than the signal. When the mix would leave
    /// [-1, 1] the whole mix (speech and noise alike) is scaled down, which keeps the SNR. A silent
    /// signal or silent noise leaves the signal unchanged (there is no level to refer to).
    /// </summary>
    /// <param name="signal">Clean signal.</param>
    /// <param name="noise">Noise, any level; at least one sample.</param>
    /// <param name="snrDb">Target SNR in dB (finite).</param>
    /// <param name="noiseGain">The gain applied to the noise before any peak protection.</param>
    public static float[] MixAtSnr(ReadOnlySpan<float> signal, ReadOnlySpan<float> noise, double snrDb, out double noiseGain)
    {
        if (!double.IsFinite(snrDb)) throw new ArgumentOutOfRangeException(nameof(snrDb), snrDb, "SNR must be finite.");
        if (noise.IsEmpty) throw new ArgumentException("Noise is empty.", nameof(noise));
        var output = signal.ToArray();
        noiseGain = 0;
        var looped = Loop(noise, signal.Length);
        var es = Energy(signal);
        var en = Energy(looped);
        if (es == 0 || en == 0) return output;
        noiseGain = Math.Sqrt(es / (en * Math.Pow(10, snrDb / 10)));
        // Mixed in double so that float rounding of the sum cannot shift the SNR.
        for (var i = 0; i < output.Length; i++) output[i] = (float)(output[i] + noiseGain * looped[i]);
        PeakLimit(output);
        return output;
    }

    /// <summary><paramref name="noise"/> repeated or cut to <paramref name="length"/> samples.</summary>
    public static float[] Loop(ReadOnlySpan<float> noise, int length, int offset = 0)
    {
        var y = new float[length];
        if (noise.IsEmpty || length == 0) return y;
        var pos = ((offset % noise.Length) + noise.Length) % noise.Length;
        for (var i = 0; i < length;)
        {
            var take = Math.Min(length - i, noise.Length - pos);
            noise.Slice(pos, take).CopyTo(y.AsSpan(i));
            i += take;
            pos = 0;
        }
        return y;
    }

    /// <summary>
    /// Scales <paramref name="y"/> down in place so its peak is at most <paramref name="limit"/>
    /// (a no-op when it already is). Scaling rather than clipping keeps ratios (SNR, wet/dry) intact.
    /// </summary>
    public static void PeakLimit(Span<float> y, float limit = 1f)
    {
        if (y.IsEmpty) return;
        var peak = MathF.Abs(TensorPrimitives.MaxMagnitude(y)); // MaxMagnitude returns the signed element
        if (peak > limit)
        {
            TensorPrimitives.Multiply(y, limit / peak, y);
            // Guard against the product rounding one ulp above the limit.
            for (var i = 0; i < y.Length; i++) y[i] = Math.Clamp(y[i], -limit, limit);
        }
    }
}
