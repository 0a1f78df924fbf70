using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// Shared plumbing of the built-in sets: canonical JSON from the parsed parameters, sample-rate
/// and signal checks before extraction.
/// </summary>
internal abstract class FeatureSetBase : IFeatureSet
{
    private readonly string _json;

    protected FeatureSetBase(string name, int version, int sampleRate, IReadOnlyDictionary<string, string> canonical)
    {
        Name = name; Version = version; SampleRate = sampleRate; Parameters = canonical;
        _json = FeatureSets.CanonicalJson(name, version, sampleRate, canonical);
    }

    public string Name { get; }
    public int Version { get; }
    public int SampleRate { get; }

    /// <summary>Canonical parameter values (defaults filled in).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public string ToJson() => _json;

    public FeatureMatrix Extract(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (sampleRate != SampleRate)
            throw new InvalidOptionsException($"feature set '{Name}'", [$"the signal is {sampleRate} Hz but the set expects {SampleRate} Hz; resample first"]);
        Signals.Validate(samples);
        return ExtractCore(samples);
    }

    protected abstract FeatureMatrix ExtractCore(ReadOnlySpan<float> samples);

    public override string ToString() => _json;
}

/// <summary>STFT + mel parameters shared by the spectral sets, read from string parameters.</summary>
internal sealed record SpectralConfig(int SampleRate, StftOptions Stft, MelOptions Mel)
{
    public static SpectralConfig Read(FeatureParameters p, int sampleRate, int nFft, int hop, int win, int nMels)
    {
        var sr = p.Int("sample_rate", sampleRate, 1, 384000);
        var n = p.Int("n_fft", nFft, 1, 1 << 20);
        var h = p.Int("hop_length", hop, 1, 1 << 20);
        var w = p.Int("win_length", win, 1, 1 << 20);
        var window = p.Enum("window", WindowKind.Hann);
        var center = p.Bool("center", true);
        var padMode = p.Enum("pad_mode", PadMode.Constant);
        var mels = p.Int("n_mels", nMels, 1, 4096);
        var fmin = p.Double("fmin", 0, 0, 1e6);
        var fmax = p.OptionalDouble("fmax", null, 0, 1e7);
        var htk = p.Bool("htk", false);
        var norm = p.Enum("mel_norm", MelNorm.Slaney);
        p.Require(w <= n, $"win_length ({w}) must not exceed n_fft ({n})");
        p.Require(fmax is null || fmax <= sr / 2.0, $"fmax ({fmax}) must not exceed the Nyquist frequency sr/2 = {sr / 2.0}");
        p.Require(fmin < (fmax ?? sr / 2.0), $"fmin ({fmin}) must be below fmax ({fmax ?? sr / 2.0})");
        var stft = new StftOptions { NFft = n, HopLength = h, WinLength = w, Window = window, Center = center, PadMode = padMode };
        var mel = new MelOptions { SampleRate = sr, NFft = n, NMels = mels, FMin = fmin, FMax = fmax, Htk = htk, Norm = norm };
        return new SpectralConfig(sr, stft, mel);
    }
}
