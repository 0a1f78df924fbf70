using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// "lld": per-frame low-level descriptors sharing one STFT (defaults: 16 kHz, n_fft 512, hop 160,
/// win 400, 64 mels): zcr, rms (frame = win_length), spectral flatness, centroid, bandwidth,
/// rolloff, contrast (7 bands), 20 MFCCs and their deltas, 12 chroma (tuning estimated unless given).
/// </summary>
internal sealed class LldSet : FeatureSetBase
{
    public const string SetName = "lld";
    public const int SetVersion = 1;
    private static readonly string[] PitchClasses = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    private readonly SpectralConfig _cfg;
    private readonly MelFilterbank _fb;
    private readonly Dct _dct;
    private readonly int _nMfcc, _deltaWidth;
    private readonly double? _tuning;
    private readonly string[] _names;

    private LldSet(SpectralConfig cfg, int nMfcc, int deltaWidth, double? tuning, IReadOnlyDictionary<string, string> canonical)
        : base(SetName, SetVersion, cfg.SampleRate, canonical)
    {
        _cfg = cfg; _nMfcc = nMfcc; _deltaWidth = deltaWidth; _tuning = tuning;
        _fb = new MelFilterbank(cfg.Mel);
        _dct = new Dct(cfg.Mel.NMels, nMfcc);
        var names = new List<string> { "zcr", "rms", "spectral_flatness", "spectral_centroid", "spectral_bandwidth", "spectral_rolloff" };
        names.AddRange(FeatureMatrix.Numbered("spectral_contrast", 7));
        names.AddRange(FeatureMatrix.Numbered("mfcc", nMfcc));
        names.AddRange(FeatureMatrix.Numbered("mfcc", nMfcc).Select(n => n + "_d"));
        names.AddRange(PitchClasses.Select(c => "chroma_" + c));
        _names = names.ToArray();
    }

    public static LldSet Create(IReadOnlyDictionary<string, string>? parameters)
    {
        var p = new FeatureParameters(SetName, parameters);
        var cfg = SpectralConfig.Read(p, 16000, 512, 160, 400, 64);
        // float64 FFT by default: spectral contrast's valleys sit at float32 rounding level
        cfg = cfg with { Stft = cfg.Stft with { DoublePrecision = p.Bool("double_precision", true) } };
        var n = p.Int("n_mfcc", 20, 1, 4096);
        var width = p.Int("delta_width", 9, 3, 101);
        var tuning = p.OptionalDouble("tuning", null, -0.5, 0.49999);
        p.Require(width % 2 == 1, $"delta_width must be odd (got {width})");
        p.Require(n <= cfg.Mel.NMels, $"n_mfcc ({n}) must not exceed n_mels ({cfg.Mel.NMels})");
        p.Require(cfg.SampleRate / 2.0 > 200 * 32, $"sample_rate ({cfg.SampleRate}) is too low for 6 contrast octaves from 200 Hz");
        p.ThrowIfInvalid();
        return new LldSet(cfg, n, width, tuning, p.Canonical);
    }

    public static LldSet FromJson(string json) => Create(FeatureSets.ParseCanonicalJson(json, SetName, SetVersion));

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        var stft = new Stft(_cfg.Stft);
        var frames = stft.CheckedFrames(samples);
        if (frames < _deltaWidth)
            throw new InvalidSignalException($"Signal of {samples.Length} samples gives {frames} frames; the lld deltas need at least {_deltaWidth}.");
        int bins = _cfg.Stft.Bins, mels = _fb.Mels, sr = _cfg.SampleRate;
        var mag = new float[frames * bins];
        var pow = new float[frames * bins];
        var logMel = new float[frames * mels];
        var re = new float[bins]; var im = new float[bins];
        var scratch = new float[_cfg.Stft.NFft];
        for (var t = 0; t < frames; t++)
        {
            stft.FrameOf(samples, t, re, im, scratch);
            var prow = pow.AsSpan(t * bins, bins);
            Spectra.Power(re, im, prow);
            System.Numerics.Tensors.TensorPrimitives.Sqrt(prow, mag.AsSpan(t * bins, bins));
            _fb.Apply(prow, logMel.AsSpan(t * mels, mels));
        }
        Decibels.PowerToDb(logMel);
        var magS = new Spectrogram(frames, bins, mag);
        var powS = new Spectrogram(frames, bins, pow);
        var win = _cfg.Stft.EffectiveWinLength;
        var hop = _cfg.Stft.EffectiveHopLength;
        var zcr = TimeDomain.ZeroCrossingRate(samples, win, hop, _cfg.Stft.Center);
        var rms = TimeDomain.Rms(samples, win, hop, _cfg.Stft.Center);
        var flat = Spectral.Flatness(magS);
        var centroid = Spectral.Centroid(magS, sr);
        var bandwidth = Spectral.Bandwidth(magS, sr);
        var rolloff = Spectral.Rolloff(magS, sr);
        var contrast = Spectral.Contrast(magS, sr, _cfg.Stft.NFft);
        var mfcc = new float[frames * _nMfcc];
        for (var t = 0; t < frames; t++) _dct.Apply(logMel.AsSpan(t * mels, mels), mfcc.AsSpan(t * _nMfcc, _nMfcc));
        var delta = Delta.Compute(mfcc, frames, _nMfcc, _deltaWidth, 1);
        var chroma = Chroma.FromPower(powS, sr, _tuning);
        var cols = _names.Length;
        frames = Math.Min(frames, Math.Min(zcr.Length, rms.Length));
        var data = new float[frames * cols];
        for (var t = 0; t < frames; t++)
        {
            var row = data.AsSpan(t * cols, cols);
            row[0] = zcr[t]; row[1] = rms[t]; row[2] = flat[t]; row[3] = centroid[t]; row[4] = bandwidth[t]; row[5] = rolloff[t];
            contrast.AsSpan(t * 7, 7).CopyTo(row[6..]);
            mfcc.AsSpan(t * _nMfcc, _nMfcc).CopyTo(row[13..]);
            delta.AsSpan(t * _nMfcc, _nMfcc).CopyTo(row[(13 + _nMfcc)..]);
            chroma.AsSpan(t * 12, 12).CopyTo(row[(13 + 2 * _nMfcc)..]);
        }
        return new FeatureMatrix(frames, cols, data, _names);
    }
}
