using SpeechEmotion.Audio;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// The deterministic signal operations behind the waveform transforms (the transforms only draw
/// their parameters). Every function returns a new array within [-1, 1] for input within [-1, 1],
/// except where noted.
/// </summary>
public static class WaveformEffects
{
    /// <summary>Telephone band edges in Hz (ITU-T narrow band).</summary>
    public const double TelephoneLowHz = 300, TelephoneHighHz = 3400;

    /// <summary>Telephone channel sample rate in Hz.</summary>
    public const int TelephoneRate = 8000;

    /// <summary>μ of G.711 μ-law companding.</summary>
    public const double MuLawMu = 255;

    /// <summary>
    /// Multiplies by 10^(<paramref name="gainDb"/>/20). Without <paramref name="allowClipping"/> a gain
    /// that would push the peak above 1 is reduced until the peak is 1 (the signal is never distorted);
    /// with it, samples beyond ±1 are hard-clipped (deliberate overload).
    /// </summary>
    public static float[] Gain(ReadOnlySpan<float> y, double gainDb, bool allowClipping = false)
    {
        var g = (float)Math.Pow(10, gainDb / 20);
        var o = new float[y.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(y, g, o);
        if (allowClipping) System.Numerics.Tensors.TensorPrimitives.Clamp(o, -1f, 1f, o);
        else NoiseMixer.PeakLimit(o);
        return o;
    }

    /// <summary>
    /// Moves the content by <paramref name="samples"/> (positive: later). Without
    /// <paramref name="circular"/> the vacated samples are zeros and what leaves is dropped; with it the
    /// signal is rotated. Length is unchanged.
    /// </summary>
    public static float[] Shift(ReadOnlySpan<float> y, int samples, bool circular = false)
    {
        var n = y.Length;
        var o = new float[n];
        if (n == 0) return o;
        if (circular)
        {
            var s = ((samples % n) + n) % n;
            y[..(n - s)].CopyTo(o.AsSpan(s));
            y[(n - s)..].CopyTo(o);
        }
        else if (Math.Abs((long)samples) < n)
        {
            if (samples >= 0) y[..(n - samples)].CopyTo(o.AsSpan(samples));
            else y[(-samples)..].CopyTo(o);
        }
        return o;
    }

    /// <summary>
    /// Speed perturbation (Kaldi/Ko et al. 2015): plays the signal <paramref name="factor"/> times faster,
    /// changing tempo and pitch together, by resampling from sr·factor to sr with <see cref="Resampler"/>.
    /// The output has ceil(n / factor) samples.
    /// </summary>
    /// <param name="y">Mono signal.</param>
    /// <param name="sampleRate">Its rate in Hz.</param>
    /// <param name="factor">Speed factor, 0.5–2 (1.1 = 10 % faster and higher), applied in steps of 0.01.</param>
    public static float[] Speed(ReadOnlySpan<float> y, int sampleRate, double factor)
    {
        if (!double.IsFinite(factor) || factor < 0.5 || factor > 2)
            throw new InvalidOptionsException("speed perturbation", [$"factor must lie within [0.5, 2] (got {factor})"]);
        // Factor in steps of 0.01: for the usual rates (multiples of 100 Hz) the rate ratio then reduces to at most
        // 100 polyphase rows, so the filter is built in microseconds instead of a millisecond-scale interpolated table.
        var from = (int)Math.Round(sampleRate * Math.Round(factor * 100) / 100);
        if (from == sampleRate) return y.ToArray();
        var o = Resampler.Resample(y, from, sampleRate);
        NoiseMixer.PeakLimit(o); // the band-limiting filter can overshoot a full-scale square edge
        return o;
    }

    /// <summary>
    /// Hard clipping as an overloaded input stage: the signal is clipped at <paramref name="level"/>
    /// times its peak and scaled back by 1/level, so loudness stays close to the original while the
    /// top (1 − level) of every excursion is flattened. Level 1 leaves the signal unchanged.
    /// </summary>
    /// <param name="y">Mono signal.</param>
    /// <param name="level">Clip threshold as a fraction of the peak, (0, 1].</param>
    public static float[] Clip(ReadOnlySpan<float> y, double level)
    {
        if (!(level > 0 && level <= 1))
            throw new InvalidOptionsException("clipping", [$"level must lie within (0, 1] (got {level})"]);
        var o = new float[y.Length];
        if (y.IsEmpty) return o;
        var peak = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(y));
        var t = (float)(level * peak);
        var inv = (float)(1 / level);
        for (var i = 0; i < o.Length; i++) o[i] = Math.Clamp(y[i], -t, t) * inv;
        NoiseMixer.PeakLimit(o, Math.Min(1f, peak)); // 1/level rounding must not exceed the old peak
        return o;
    }

    /// <summary>
    /// Telephone channel: resample to 8 kHz, band-pass 300–3400 Hz (4th-order Butterworth high-pass and
    /// low-pass, causal like a real line), optionally an 8-bit G.711 μ-law round trip, and resample back
    /// to <paramref name="sampleRate"/>; the output has the input's length.
    /// </summary>
    public static float[] Telephone(ReadOnlySpan<float> y, int sampleRate, bool muLaw)
    {
        var narrow = sampleRate == TelephoneRate ? y.ToArray() : Resampler.Resample(y, sampleRate, TelephoneRate);
        var bp = new ButterworthBandPass(TelephoneRate, TelephoneLowHz, TelephoneHighHz);
        bp.Process(narrow);
        NoiseMixer.PeakLimit(narrow);
        if (muLaw) MuLawRoundTrip(narrow);
        var back = sampleRate == TelephoneRate ? narrow : Resampler.Resample(narrow, TelephoneRate, sampleRate);
        var o = new float[y.Length];
        back.AsSpan(0, Math.Min(back.Length, o.Length)).CopyTo(o);
        NoiseMixer.PeakLimit(o);
        return o;
    }

    /// <summary>Encodes in place to 8-bit G.711-style μ-law (μ = 255, 256 levels) and decodes back.</summary>
    public static void MuLawRoundTrip(Span<float> y)
    {
        var ln = Math.Log(1 + MuLawMu);
        for (var i = 0; i < y.Length; i++)
        {
            var x = Math.Clamp((double)y[i], -1, 1);
            var f = Math.Sign(x) * Math.Log(1 + MuLawMu * Math.Abs(x)) / ln;   // [-1, 1]
            var q = Math.Round((f + 1) / 2 * 255);                               // 0..255
            var fq = q / 255 * 2 - 1;
            y[i] = (float)(Math.Sign(fq) * (Math.Pow(1 + MuLawMu, Math.Abs(fq)) - 1) / MuLawMu);
        }
    }
}

/// <summary>4th-order Butterworth high-pass followed by 4th-order Butterworth low-pass (RBJ biquads, double precision).</summary>
internal sealed class ButterworthBandPass
{
    // Q of the two second-order sections of a 4th-order Butterworth filter: 1/(2 cos(π/8)), 1/(2 cos(3π/8)).
    private static readonly double[] SectionQ = [0.54119610014619698, 1.3065629648763766];
    private readonly Biquad[] _sections;

    public ButterworthBandPass(int sampleRate, double lowHz, double highHz)
    {
        _sections =
        [
            Biquad.HighPass(sampleRate, lowHz, SectionQ[0]), Biquad.HighPass(sampleRate, lowHz, SectionQ[1]),
            Biquad.LowPass(sampleRate, highHz, SectionQ[0]), Biquad.LowPass(sampleRate, highHz, SectionQ[1]),
        ];
    }

    public void Process(Span<float> y)
    {
        foreach (var s in _sections) s.Process(y);
    }

    private sealed class Biquad(double b0, double b1, double b2, double a1, double a2)
    {
        public static Biquad LowPass(int fs, double f0, double q)
        {
            var (c, alpha) = Angles(fs, f0, q);
            var a0 = 1 + alpha;
            return new Biquad((1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, -2 * c / a0, (1 - alpha) / a0);
        }

        public static Biquad HighPass(int fs, double f0, double q)
        {
            var (c, alpha) = Angles(fs, f0, q);
            var a0 = 1 + alpha;
            return new Biquad((1 + c) / 2 / a0, -(1 + c) / a0, (1 + c) / 2 / a0, -2 * c / a0, (1 - alpha) / a0);
        }

        private static (double Cos, double Alpha) Angles(int fs, double f0, double q)
        {
            var w0 = 2 * Math.PI * f0 / fs;
            return (Math.Cos(w0), Math.Sin(w0) / (2 * q));
        }

        // Transposed direct form II; state starts at rest for every signal.
        public void Process(Span<float> y)
        {
            double z1 = 0, z2 = 0;
            for (var i = 0; i < y.Length; i++)
            {
                double x = y[i];
                var o = b0 * x + z1;
                z1 = b1 * x - a1 * o + z2;
                z2 = b2 * x - a2 * o;
                y[i] = (float)o;
            }
        }
    }
}
