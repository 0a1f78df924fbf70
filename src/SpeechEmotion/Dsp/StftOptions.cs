namespace SpeechEmotion.Dsp;

/// <summary>
/// Short-time Fourier transform parameters with librosa's semantics and defaults
/// (<c>librosa.stft(n_fft=2048, hop_length=None, win_length=None, window='hann', center=True,
/// pad_mode='constant')</c>).
/// </summary>
public sealed record StftOptions
{
    /// <summary>FFT length in samples (>= 1). Default 2048.</summary>
    public int NFft { get; init; } = 2048;

    /// <summary>Samples between frame starts (>= 1); null means WinLength / 4 (librosa's default).</summary>
    public int? HopLength { get; init; }

    /// <summary>Window length in samples (1..NFft); the window is zero-padded and centred in NFft. Null means NFft.</summary>
    public int? WinLength { get; init; }

    /// <summary>Window shape (periodic, as librosa's <c>get_window(..., fftbins=True)</c>). Default Hann.</summary>
    public WindowKind Window { get; init; } = WindowKind.Hann;

    /// <summary>When true, the signal is padded by NFft/2 on both sides so frame t is centred at t·hop. Default true.</summary>
    public bool Center { get; init; } = true;

    /// <summary>How the signal is padded when <see cref="Center"/> is true. Default <see cref="PadMode.Constant"/>.</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;

    /// <summary>
    /// Window multiply and FFT in float64, rounding only the output to float32 — numpy's arithmetic.
    /// Needed where tiny magnitudes matter (spectral valleys); about 1.5–2x slower. Default false.
    /// </summary>
    public bool DoublePrecision { get; init; }

    /// <summary>The effective window length (WinLength or NFft).</summary>
    public int EffectiveWinLength => WinLength ?? NFft;

    /// <summary>The effective hop (HopLength or WinLength/4, at least 1).</summary>
    public int EffectiveHopLength => HopLength ?? Math.Max(1, EffectiveWinLength / 4);

    /// <summary>Number of one-sided frequency bins, NFft/2 + 1.</summary>
    public int Bins => NFft / 2 + 1;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value.</summary>
    public StftOptions Validate()
    {
        var p = new Problems();
        p.Require(NFft >= 1, $"NFft must be at least 1 (got {NFft})");
        p.Require(HopLength is null or >= 1, $"HopLength must be at least 1 (got {HopLength})");
        p.Require(WinLength is null or >= 1, $"WinLength must be at least 1 (got {WinLength})");
        p.Require(WinLength is null || WinLength <= NFft, $"WinLength ({WinLength}) must not exceed NFft ({NFft})");
        p.Require(Enum.IsDefined(Window), $"Window {Window} is not a known window");
        p.Require(Enum.IsDefined(PadMode), $"PadMode {PadMode} is not a known pad mode");
        p.ThrowIfAny(nameof(StftOptions));
        return this;
    }

    /// <summary>Frames produced for a signal of <paramref name="samples"/> samples (0 when too short).</summary>
    public int FrameCount(int samples)
    {
        var padded = Center ? samples + 2 * (NFft / 2) : samples;
        return padded < NFft ? 0 : 1 + (padded - NFft) / EffectiveHopLength;
    }
}
