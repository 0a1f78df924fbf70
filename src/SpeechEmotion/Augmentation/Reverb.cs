using System.Numerics;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// Synthetic reverberation: room impulse responses made of a direct path plus exponentially decaying
/// Gaussian noise (the statistical late-reverberation model of Polack), FFT convolution, and the
/// Schroeder backward-integration measurement of RT60 used to check them.
/// </summary>
public static class Reverb
{
    /// <summary>Delay of the onset of the diffuse tail after the direct path, in seconds.</summary>
    public const double PreDelaySeconds = 0.002;

    /// <summary>
    /// A room impulse response with reverberation time <paramref name="rt60"/> (energy falls 60 dB in
    /// that time): h[0] is the direct path, and from <see cref="PreDelaySeconds"/> on Gaussian noise
    /// whose amplitude decays as 10^(-3t/RT60). The tail's energy relative to the direct path's is
    /// set by <paramref name="directToReverberantDb"/>. Length 1.5·RT60 (the tail has fallen 90 dB).
    /// Normalised to unit energy.
    /// </summary>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="rt60">Reverberation time in seconds, 0.05–3.</param>
    /// <param name="directToReverberantDb">Direct-to-reverberant energy ratio in dB, -20..20.</param>
    /// <param name="rng">Random source of the tail.</param>
    public static float[] SyntheticImpulseResponse(int sampleRate, double rt60, double directToReverberantDb, AugmentationRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        new Problems()
            .Require(sampleRate >= 1000 && sampleRate <= 768_000, $"sample rate {sampleRate} Hz is outside 1000–768000 Hz")
            .Require(double.IsFinite(rt60) && rt60 >= 0.05 && rt60 <= 3, $"RT60 must lie within [0.05, 3] s (got {rt60})")
            .Require(double.IsFinite(directToReverberantDb) && Math.Abs(directToReverberantDb) <= 20, $"direct-to-reverberant ratio must lie within ±20 dB (got {directToReverberantDb})")
            .ThrowIfAny("room impulse response");
        var n = (int)Math.Ceiling(1.5 * rt60 * sampleRate);
        var start = Math.Max(1, (int)Math.Round(PreDelaySeconds * sampleRate));
        n = Math.Max(n, start + 2);
        var h = new double[n];
        var decay = -3.0 * Math.Log(10) / (rt60 * sampleRate); // amplitude: 10^(-3 t / RT60)
        double tail = 0;
        for (var i = start; i < n; i++)
        {
            h[i] = rng.NextGaussian() * Math.Exp(decay * (i - start));
            tail += h[i] * h[i];
        }
        h[0] = Math.Sqrt(tail * Math.Pow(10, directToReverberantDb / 10));
        double total = 0;
        foreach (var v in h) total += v * v;
        var scale = 1 / Math.Sqrt(total);
        var result = new float[n];
        for (var i = 0; i < n; i++) result[i] = (float)(h[i] * scale);
        return result;
    }

    /// <summary>
    /// Convolves <paramref name="y"/> with <paramref name="impulseResponse"/> (by FFT) and keeps the
    /// first y.Length samples, so the utterance keeps its length and alignment; the result is scaled to
    /// the input's RMS and then peak-limited to [-1, 1].
    /// </summary>
    public static float[] Apply(ReadOnlySpan<float> y, ReadOnlySpan<float> impulseResponse)
    {
        if (impulseResponse.IsEmpty) throw new ArgumentException("The impulse response is empty.", nameof(impulseResponse));
        var wet = Convolve(y, impulseResponse, y.Length);
        var rin = NoiseMixer.Rms(y);
        var rout = NoiseMixer.Rms(wet);
        if (rout > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(wet, (float)(rin / rout), wet);
        NoiseMixer.PeakLimit(wet);
        return wet;
    }

    /// <summary>Linear convolution a * b by one power-of-two FFT, truncated to <paramref name="outputLength"/> samples.</summary>
    public static float[] Convolve(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int outputLength)
    {
        var result = new float[outputLength];
        if (a.IsEmpty || b.IsEmpty || outputLength == 0) return result;
        var full = a.Length + b.Length - 1;
        var need = Math.Min(full, outputLength);
        // A circular convolution of n >= full samples has no wrap-around; RealFft is fast for any 5-smooth n.
        var n = FastFftSize(Math.Max(2, full));
        var fft = new RealFft(n);
        int bins = n / 2 + 1;
        var buf = new float[n];
        var ar = new float[bins]; var ai = new float[bins];
        var br = new float[bins]; var bi = new float[bins];
        a.CopyTo(buf);
        fft.Forward(buf, ar, ai);
        Array.Clear(buf);
        b.CopyTo(buf);
        fft.Forward(buf, br, bi);
        for (var k = 0; k < bins; k++)
        {
            var r = ar[k] * br[k] - ai[k] * bi[k];
            var i = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r; ai[k] = i;
        }
        fft.Inverse(ar, ai, buf);
        buf.AsSpan(0, need).CopyTo(result);
        return result;
    }

    /// <summary>The smallest even 2^a·3^b·5^c at least <paramref name="n"/> (a length the mixed-radix FFT handles fastest).</summary>
    internal static int FastFftSize(int n)
    {
        var best = (int)Math.Min(int.MaxValue, BitOperations.RoundUpToPowerOf2((uint)n));
        for (long p5 = 1; p5 < best; p5 *= 5)
            for (long p35 = p5; p35 < best; p35 *= 3)
            {
                var m = p35 * 2;
                while (m < n) m *= 2;
                if (m < best) best = (int)m;
            }
        return best;
    }

    /// <summary>
    /// Schroeder energy decay curve of <paramref name="impulseResponse"/> in dB relative to its start:
    /// EDC(t) = 10·log10(Σ_{τ≥t} h²(τ) / Σ h²).
    /// </summary>
    public static double[] EnergyDecayCurveDb(ReadOnlySpan<float> impulseResponse)
    {
        var n = impulseResponse.Length;
        var edc = new double[n];
        double acc = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            acc += (double)impulseResponse[i] * impulseResponse[i];
            edc[i] = acc;
        }
        var total = n > 0 ? edc[0] : 0;
        for (var i = 0; i < n; i++) edc[i] = total > 0 && edc[i] > 0 ? 10 * Math.Log10(edc[i] / total) : double.NegativeInfinity;
        return edc;
    }

    /// <summary>
    /// RT60 in seconds measured from an impulse response (ISO 3382): a least-squares line through the
    /// Schroeder decay curve between -5 dB and -5 - <paramref name="rangeDb"/> dB (20 for T20, 30 for
    /// T30), extrapolated to 60 dB of decay. Throws when the curve never falls that far.
    /// </summary>
    public static double MeasureRt60(ReadOnlySpan<float> impulseResponse, int sampleRate, double rangeDb = 20)
    {
        var edc = EnergyDecayCurveDb(impulseResponse);
        double lo = -5 - rangeDb;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        var count = 0;
        var reached = false;
        for (var i = 0; i < edc.Length; i++)
        {
            if (edc[i] > -5) continue;
            if (edc[i] < lo) { reached = true; break; }
            double x = (double)i / sampleRate, yv = edc[i];
            sx += x; sy += yv; sxx += x * x; sxy += x * yv;
            count++;
        }
        if (!reached || count < 2)
            throw new SpeechEmotionException($"The impulse response's decay curve does not fall to {lo} dB; it cannot give T{rangeDb}.");
        var slope = (count * sxy - sx * sy) / (count * sxx - sx * sx); // dB per second, negative
        return -60 / slope;
    }
}
