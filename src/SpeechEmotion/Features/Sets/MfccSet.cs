using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// "mfcc": librosa.feature.mfcc coefficients [frames, n_mfcc·(1+deltas)], optionally followed by
/// their deltas (librosa.feature.delta, width 9) and delta-deltas. Defaults: 16 kHz, n_fft 512,
/// hop 160, win 400, 64 mels, 13 coefficients, no deltas.
/// </summary>
internal sealed class MfccSet : FeatureSetBase
{
    public const string SetName = "mfcc";
    public const int SetVersion = 1;

    private readonly MfccPipeline _pipeline;
    private readonly int _deltas, _deltaWidth;
    private readonly string[] _names;

    private MfccSet(MfccPipeline pipeline, int deltas, int deltaWidth, IReadOnlyDictionary<string, string> canonical)
        : base(SetName, SetVersion, pipeline.Config.SampleRate, canonical)
    {
        _pipeline = pipeline; _deltas = deltas; _deltaWidth = deltaWidth;
        var baseNames = FeatureMatrix.Numbered("mfcc", pipeline.NMfcc);
        _names = Enumerable.Range(0, deltas + 1).SelectMany(d => baseNames.Select(n => d == 0 ? n : n + "_" + new string('d', d))).ToArray();
    }

    public static MfccSet Create(IReadOnlyDictionary<string, string>? parameters)
    {
        var p = new FeatureParameters(SetName, parameters);
        var makePipeline = MfccPipeline.Read(p, 16000, 512, 160, 400, 64, 13);
        var deltas = p.Int("deltas", 0, 0, 2);
        var width = p.Int("delta_width", 9, 3, 101);
        p.Require(width % 2 == 1, $"delta_width must be odd (got {width})");
        p.ThrowIfInvalid();
        return new MfccSet(makePipeline(), deltas, width, p.Canonical);
    }

    public static MfccSet FromJson(string json) => Create(FeatureSets.ParseCanonicalJson(json, SetName, SetVersion));

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        var (mfcc, frames) = _pipeline.Compute(samples);
        var n = _pipeline.NMfcc;
        if (_deltas == 0) return new FeatureMatrix(frames, n, mfcc, _names);
        var width = _deltaWidth;
        if (frames < width)
            throw new InvalidSignalException($"Signal of {samples.Length} samples gives {frames} frames; deltas of width {width} need at least {width}.");
        var cols = n * (_deltas + 1);
        var data = new float[frames * cols];
        for (var t = 0; t < frames; t++) mfcc.AsSpan(t * n, n).CopyTo(data.AsSpan(t * cols));
        for (var d = 1; d <= _deltas; d++)
        {
            var delta = Delta.Compute(mfcc, frames, n, width, d);
            for (var t = 0; t < frames; t++) delta.AsSpan(t * n, n).CopyTo(data.AsSpan(t * cols + d * n));
        }
        return new FeatureMatrix(frames, cols, data, _names);
    }
}

/// <summary>MFCC computation shared by the sets: fused STFT → mel → dB → DCT.</summary>
internal sealed class MfccPipeline
{
    private readonly MelFilterbank _fb;
    private readonly Dct _dct;
    private readonly float[]? _lift;
    private readonly double? _topDb;

    private MfccPipeline(SpectralConfig cfg, int nMfcc, DctType type, double lifter, double? topDb)
    {
        Config = cfg; NMfcc = nMfcc; _topDb = topDb;
        _fb = new MelFilterbank(cfg.Mel);
        _dct = new Dct(cfg.Mel.NMels, nMfcc, type, DctNorm.Ortho);
        _lift = MelSpectrogram.Lifter(nMfcc, lifter);
    }

    public SpectralConfig Config { get; }
    public int NMfcc { get; }

    /// <summary>Reads the parameters; the returned factory must run only after they validated.</summary>
    public static Func<MfccPipeline> Read(FeatureParameters p, int sr, int nFft, int hop, int win, int nMels, int nMfcc)
    {
        var cfg = SpectralConfig.Read(p, sr, nFft, hop, win, nMels);
        var n = p.Int("n_mfcc", nMfcc, 1, 4096);
        var type = p.Int("dct_type", 2, 2, 3);
        var lifter = p.Double("lifter", 0, 0, 1e4);
        var topDb = p.OptionalDouble("top_db", 80.0, 0, 1e4);
        p.Require(n <= cfg.Mel.NMels, $"n_mfcc ({n}) must not exceed n_mels ({cfg.Mel.NMels})");
        return () => new MfccPipeline(cfg, n, (DctType)type, lifter, topDb);
    }

    /// <summary>[frames, NMfcc] for a validated signal.</summary>
    public (float[] Mfcc, int Frames) Compute(ReadOnlySpan<float> samples)
    {
        var stft = new Stft(Config.Stft);
        var frames = stft.CheckedFrames(samples);
        return (MelSpectrogram.MfccCore(stft, _fb, _dct, _lift, _topDb, samples, frames), frames);
    }
}
