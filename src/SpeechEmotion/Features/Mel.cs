namespace SpeechEmotion.Features;

/// <summary>Area normalisation of mel filters.</summary>
public enum MelNorm
{
    /// <summary>Each triangle divided by its width in Hz / 2 (librosa norm='slaney'): constant energy per band.</summary>
    Slaney,
    /// <summary>Peak 1, no normalisation.</summary>
    None,
}

/// <summary>Mel filterbank parameters (librosa.filters.mel). Defaults: 128 bands, 0 Hz to sr/2, Slaney scale and norm.</summary>
public sealed record MelOptions
{
    /// <summary>Sample rate in Hz (required, > 0).</summary>
    public int SampleRate { get; init; } = 22050;
    /// <summary>FFT length the filters apply to (bins = NFft/2+1).</summary>
    public int NFft { get; init; } = 2048;
    /// <summary>Number of mel bands (>= 1). Default 128.</summary>
    public int NMels { get; init; } = 128;
    /// <summary>Lowest band edge in Hz (>= 0). Default 0.</summary>
    public double FMin { get; init; }
    /// <summary>Highest band edge in Hz (at most sr/2); null means sr/2.</summary>
    public double? FMax { get; init; }
    /// <summary>HTK formula 2595·log10(1+f/700) instead of Slaney's linear-below-1 kHz/log-above scale.</summary>
    public bool Htk { get; init; }
    /// <summary>Filter normalisation. Default <see cref="MelNorm.Slaney"/>.</summary>
    public MelNorm Norm { get; init; } = MelNorm.Slaney;

    /// <summary>The effective upper edge in Hz.</summary>
    public double EffectiveFMax => FMax ?? SampleRate / 2.0;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value.</summary>
    public MelOptions Validate()
    {
        var p = new Problems();
        p.Require(SampleRate > 0, $"SampleRate must be positive (got {SampleRate})");
        p.Require(NFft >= 1, $"NFft must be at least 1 (got {NFft})");
        p.Require(NMels >= 1, $"NMels must be at least 1 (got {NMels})");
        p.Require(double.IsFinite(FMin) && FMin >= 0, $"FMin must be finite and >= 0 (got {FMin})");
        p.Require(FMax is null || (double.IsFinite(FMax.Value) && FMax.Value <= SampleRate / 2.0),
            $"FMax ({FMax}) must not exceed the Nyquist frequency sr/2 = {SampleRate / 2.0}");
        p.Require(FMin < EffectiveFMax, $"FMin ({FMin}) must be below FMax ({EffectiveFMax})");
        p.Require(Enum.IsDefined(Norm), $"Norm {Norm} is not a known normalisation");
        p.ThrowIfAny(nameof(MelOptions));
        return this;
    }
}

/// <summary>Hz ↔ mel conversions (librosa.hz_to_mel / mel_to_hz).</summary>
public static class MelScale
{
    private const double FSp = 200.0 / 3;
    private const double MinLogHz = 1000.0;
    private const double MinLogMel = MinLogHz / FSp;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    /// <summary>Mel value of <paramref name="hz"/>.</summary>
    public static double HzToMel(double hz, bool htk) =>
        htk ? 2595.0 * Math.Log10(1.0 + hz / 700.0)
            : hz >= MinLogHz ? MinLogMel + Math.Log(hz / MinLogHz) / LogStep : hz / FSp;

    /// <summary>Frequency in Hz of <paramref name="mel"/>.</summary>
    public static double MelToHz(double mel, bool htk) =>
        htk ? 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0)
            : mel >= MinLogMel ? MinLogHz * Math.Exp(LogStep * (mel - MinLogMel)) : FSp * mel;

    /// <summary><paramref name="count"/> frequencies (Hz) equally spaced on the mel scale from fmin to fmax (librosa.mel_frequencies).</summary>
    public static double[] MelFrequencies(int count, double fMin, double fMax, bool htk)
    {
        double lo = HzToMel(fMin, htk), hi = HzToMel(fMax, htk);
        var f = new double[count];
        for (var i = 0; i < count; i++)
        {
            // numpy.linspace: start + i·step, with the end point exact
            var m = count == 1 ? lo : i == count - 1 ? hi : lo + i * ((hi - lo) / (count - 1));
            f[i] = MelToHz(m, htk);
        }
        return f;
    }

    /// <summary>Centre frequencies of the NFft/2+1 one-sided FFT bins, k·sr/NFft (librosa.fft_frequencies).</summary>
    public static double[] FftFrequencies(int sampleRate, int nFft)
    {
        var bins = nFft / 2 + 1;
        var f = new double[bins];
        // numpy.fft.rfftfreq(n_fft, 1/sr): k · (1 / (n_fft · (1/sr)))
        var val = 1.0 / (nFft * (1.0 / sampleRate));
        for (var k = 0; k < bins; k++) f[k] = k * val;
        return f;
    }
}

/// <summary>
/// Triangular mel filterbank as librosa.filters.mel, stored sparsely (each filter's non-zero bin range)
/// so that applying it costs about two multiply-adds per FFT bin. Immutable and thread-safe.
/// </summary>
public sealed class MelFilterbank
{
    private readonly float[] _weights; // [nMels, bins]
    private readonly int[] _start, _end;

    /// <summary>Builds the filterbank for validated <paramref name="options"/>.</summary>
    public MelFilterbank(MelOptions options)
    {
        Options = options.Validate();
        int nMels = options.NMels, bins = options.NFft / 2 + 1;
        Bins = bins;
        var fft = MelScale.FftFrequencies(options.SampleRate, options.NFft);
        var melF = MelScale.MelFrequencies(nMels + 2, options.FMin, options.EffectiveFMax, options.Htk);
        _weights = new float[nMels * bins];
        _start = new int[nMels];
        _end = new int[nMels];
        for (var i = 0; i < nMels; i++)
        {
            double d0 = melF[i + 1] - melF[i], d1 = melF[i + 2] - melF[i + 1];
            var enorm = options.Norm == MelNorm.Slaney ? 2.0 / (melF[i + 2] - melF[i]) : 1.0;
            int s = -1, e = -1;
            for (var k = 0; k < bins; k++)
            {
                var lower = -(melF[i] - fft[k]) / d0;
                var upper = (melF[i + 2] - fft[k]) / d1;
                var w = Math.Max(0.0, Math.Min(lower, upper));
                // librosa stores float32 weights and scales them in float32
                // librosa stores float32 weights, then scales them by the float64 norm
                var wf = options.Norm == MelNorm.Slaney ? (float)((float)w * enorm) : (float)w;
                _weights[i * bins + k] = wf;
                if (wf != 0) { if (s < 0) s = k; e = k + 1; }
            }
            _start[i] = s < 0 ? 0 : s;
            _end[i] = s < 0 ? 0 : e;
        }
    }

    /// <summary>The validated options.</summary>
    public MelOptions Options { get; }

    /// <summary>Number of mel bands.</summary>
    public int Mels => Options.NMels;

    /// <summary>FFT bins each filter spans (NFft/2+1).</summary>
    public int Bins { get; }

    /// <summary>Dense weights, row-major [mels, bins] (a copy).</summary>
    public float[] Weights() => (float[])_weights.Clone();

    /// <summary>First and one-past-last non-zero bin of filter <paramref name="band"/>.</summary>
    public (int Start, int End) Support(int band) => (_start[band], _end[band]);

    /// <summary>mel[m] = Σ_k W[m,k]·spectrum[k] for one frame (spectrum: Bins values; mel: Mels values).</summary>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        if (spectrum.Length < Bins || mel.Length < Mels) throw new ArgumentException("Buffer sizes do not match the filterbank.");
        for (var m = 0; m < Mels; m++)
        {
            int s = _start[m], len = _end[m] - s;
            mel[m] = len <= 0 ? 0f : System.Numerics.Tensors.TensorPrimitives.Dot(_weights.AsSpan(m * Bins + s, len), spectrum.Slice(s, len));
        }
    }

    /// <summary>Mel bands of a batch of frames: one vector per bin in, one per band out (lane = frame).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal void ApplyBatch(ReadOnlySpan<System.Numerics.Vector<float>> spectrum, Span<System.Numerics.Vector<float>> mel)
    {
        for (var m = 0; m < Mels; m++)
        {
            var acc = System.Numerics.Vector<float>.Zero;
            var w = _weights.AsSpan(m * Bins, Bins);
            for (var k = _start[m]; k < _end[m]; k++) acc += w[k] * spectrum[k];
            mel[m] = acc;
        }
    }

    /// <summary>Scalar twin of <see cref="Apply"/> over the dense weights.</summary>
    public void ApplyScalar(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        for (var m = 0; m < Mels; m++)
        {
            var acc = 0f;
            for (var k = 0; k < Bins; k++) acc += _weights[m * Bins + k] * spectrum[k];
            mel[m] = acc;
        }
    }
}
