using SpeechEmotion.Audio;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// Time stretching and pitch shifting with librosa 0.10's phase vocoder
/// (<c>librosa.effects.time_stretch</c> / <c>pitch_shift</c>): STFT → <see cref="Stretch"/> → inverse STFT,
/// and for pitch, a time stretch by 2^(-n/12) followed by resampling back to the original rate and
/// cutting or zero-padding to the original length. The STFT defaults are librosa's (n_fft 2048,
/// hop 512, Hann, centred, zero padding).
/// </summary>
public static class PhaseVocoder
{
    /// <summary>librosa.effects' STFT parameters: n_fft 2048, hop 512, Hann, centred, constant padding.</summary>
    public static StftOptions DefaultStft { get; } = new() { NFft = 2048, HopLength = 512 };

    /// <summary>
    /// Stretches <paramref name="y"/> in time by 1/<paramref name="rate"/> without changing pitch
    /// (rate 2 is twice as fast). Output length round(n / rate) (round half to even, as Python).
    /// </summary>
    /// <param name="y">Mono signal, finite, at least one sample.</param>
    /// <param name="rate">Speed factor, 0.05–20.</param>
    /// <param name="stft">STFT parameters; null means <see cref="DefaultStft"/>.</param>
    public static float[] TimeStretch(ReadOnlySpan<float> y, double rate, StftOptions? stft = null)
    {
        CheckRate(rate);
        stft ??= DefaultStft;
        var spec = Stft.Forward(y, stft);
        var stretched = Stretch(spec, rate, stft.EffectiveHopLength);
        var length = (int)Math.Round(y.Length / rate, MidpointRounding.ToEven);
        return Stft.Inverse(stretched, stft, length);
    }

    /// <summary>
    /// Shifts the pitch of <paramref name="y"/> by <paramref name="semitones"/> (fractional allowed,
    /// -24..24) keeping its duration: a time stretch by r = 2^(-semitones/<paramref name="binsPerOctave"/>),
    /// then resampling from sr/r to sr with the project's <see cref="Resampler"/> (librosa uses resampy;
    /// the two low-pass filters differ slightly near Nyquist), then cutting or zero-padding to the input length.
    /// </summary>
    /// <param name="y">Mono signal, finite, at least one sample.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="semitones">Shift in steps of 1/<paramref name="binsPerOctave"/> octave.</param>
    /// <param name="binsPerOctave">Steps per octave (default 12).</param>
    /// <param name="stft">STFT parameters; null means <see cref="DefaultStft"/>.</param>
    /// <param name="quality">Resampler preset. Default <see cref="ResamplerQuality.Fast"/>: its −6 dB point at 0.95 of
    /// Nyquist is the closest to resampy's kaiser_best (rolloff 0.9476) that librosa uses, and it is the cheapest.</param>
    public static float[] PitchShift(ReadOnlySpan<float> y, int sampleRate, double semitones, int binsPerOctave = 12, StftOptions? stft = null,
        ResamplerQuality quality = ResamplerQuality.Fast)
    {
        new Problems()
            .Require(double.IsFinite(semitones) && Math.Abs(semitones) <= 2 * binsPerOctave, $"pitch shift of {semitones} steps is outside ±{2 * binsPerOctave} (two octaves)")
            .Require(binsPerOctave >= 1, $"binsPerOctave must be at least 1 (got {binsPerOctave})")
            .ThrowIfAny("pitch shift");
        var rate = Math.Pow(2.0, -semitones / binsPerOctave);
        var stretched = TimeStretch(y, rate, stft);
        // librosa resamples from the fractional rate sr/rate. Both integer rates are scaled by m so that the
        // rounded ratio is within ~1e-6 of the true one (a 1e-5 error would drift a sample per few seconds).
        var m = Math.Clamp(768_000 / (int)Math.Ceiling(Math.Max(sampleRate, sampleRate / rate)), 1, 16);
        var fromRate = (int)Math.Round(sampleRate / rate * m);
        var toRate = sampleRate * m;
        var shifted = fromRate == toRate ? stretched : Resampler.Resample(stretched, fromRate, toRate, quality);
        var result = new float[y.Length];
        shifted.AsSpan(0, Math.Min(shifted.Length, result.Length)).CopyTo(result);
        return result;
    }

    /// <summary>
    /// librosa's <c>phase_vocoder</c> on a one-sided STFT ([frames, bins], frames along rows): output
    /// frame t reads input position t·rate, interpolates the magnitudes of the two neighbouring frames
    /// linearly and advances the phase by the expected advance plus the wrapped measured deviation.
    /// The phase accumulator is float32, as in librosa (its rounding shapes the output at high bins).
    /// </summary>
    /// <param name="spec">Complex STFT, [frames, bins].</param>
    /// <param name="rate">Speed factor (> 0).</param>
    /// <param name="hopLength">Hop of <paramref name="spec"/> in samples.</param>
    public static ComplexSpectrogram Stretch(ComplexSpectrogram spec, double rate, int hopLength)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckRate(rate);
        int frames = spec.Frames, bins = spec.Bins;
        // np.arange(0, frames, rate): ceil(frames / rate) steps at i·rate.
        var steps = frames == 0 ? 0 : (int)Math.Ceiling(frames / rate);
        var re = new float[steps * bins];
        var im = new float[steps * bins];
        var phiAdvance = new double[bins];
        for (var k = 0; k < bins; k++) phiAdvance[k] = bins == 1 ? 0 : Math.PI * hopLength * k / (bins - 1);
        // Magnitude and angle of every input frame once (each is read by about 2/rate output frames).
        var mags = new float[frames * bins];
        var angles = new float[frames * bins];
        for (var i = 0; i < mags.Length; i++)
        {
            mags[i] = MathF.Sqrt(spec.Re[i] * spec.Re[i] + spec.Im[i] * spec.Im[i]);
            angles[i] = MathF.Atan2(spec.Im[i], spec.Re[i]);
        }
        var phase = new float[bins];
        if (frames > 0) angles.AsSpan(0, bins).CopyTo(phase);
        for (var t = 0; t < steps; t++)
        {
            var step = t * rate;
            var i0 = (int)step;
            var alpha = step - Math.Floor(step);
            // Frames past the end read as zeros (librosa pads two zero columns); angle(0) = 0.
            var has0 = i0 < frames;
            var has1 = i0 + 1 < frames;
            for (var k = 0; k < bins; k++)
            {
                float mag0 = has0 ? mags[i0 * bins + k] : 0f, ang0 = has0 ? angles[i0 * bins + k] : 0f;
                float mag1 = has1 ? mags[(i0 + 1) * bins + k] : 0f, ang1 = has1 ? angles[(i0 + 1) * bins + k] : 0f;
                var mag = (float)((1.0 - alpha) * mag0 + alpha * mag1);
                var p = phase[k];
                var (sin, cos) = MathF.SinCos(p);
                re[t * bins + k] = mag * cos;
                im[t * bins + k] = mag * sin;
                var dphase = (double)ang1 - ang0 - phiAdvance[k];
                dphase -= 2.0 * Math.PI * Math.Round(dphase / (2.0 * Math.PI), MidpointRounding.ToEven);
                phase[k] = (float)(p + (phiAdvance[k] + dphase));
            }
        }
        return new ComplexSpectrogram(steps, bins, re, im);
    }

    private static void CheckRate(double rate)
    {
        if (!double.IsFinite(rate) || rate < 0.05 || rate > 20)
            throw new InvalidOptionsException("time stretch", [$"rate must lie within [0.05, 20] (got {rate})"]);
    }
}
