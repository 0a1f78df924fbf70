using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// "logmel": (log-)mel spectrogram [frames, n_mels]. Defaults follow the seed recipe: 16 kHz,
/// n_fft 2048, hop 512, 128 Slaney mels of |STFT|², power_to_db(ref 1, amin 1e-10, top_db 80).
/// </summary>
internal sealed class LogMelSet : FeatureSetBase
{
    public const string SetName = "logmel";
    public const int SetVersion = 1;

    private readonly SpectralConfig _cfg;
    private readonly MelFilterbank _fb;
    private readonly double _power;
    private readonly bool _db;
    private readonly double? _topDb;
    private readonly double _amin;
    private readonly string[] _names;

    private LogMelSet(SpectralConfig cfg, double power, bool db, double? topDb, double amin, IReadOnlyDictionary<string, string> canonical)
        : base(SetName, SetVersion, cfg.SampleRate, canonical)
    {
        _cfg = cfg; _power = power; _db = db; _topDb = topDb; _amin = amin;
        _fb = new MelFilterbank(cfg.Mel);
        _names = FeatureMatrix.Numbered("mel", cfg.Mel.NMels);
    }

    public static LogMelSet Create(IReadOnlyDictionary<string, string>? parameters)
    {
        var p = new FeatureParameters(SetName, parameters);
        var cfg = SpectralConfig.Read(p, 16000, 2048, 512, 2048, 128);
        var power = p.Double("power", 2.0, 1e-6, 16);
        var db = p.Bool("db", true);
        var topDb = p.OptionalDouble("top_db", 80.0, 0, 1e4);
        var amin = p.Double("amin", 1e-10, 1e-30, 1);
        p.ThrowIfInvalid();
        return new LogMelSet(cfg, power, db, topDb, amin, p.Canonical);
    }

    public static LogMelSet FromJson(string json) => Create(FeatureSets.ParseCanonicalJson(json, SetName, SetVersion));

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        var stft = new Stft(_cfg.Stft);
        var frames = stft.CheckedFrames(samples);
        var data = new float[frames * _fb.Mels];
        MelSpectrogram.Fill(stft, _fb, samples, frames, _power, data);
        if (_db) Decibels.PowerToDb(data, 1.0, _amin, _topDb);
        return new FeatureMatrix(frames, _fb.Mels, data, _names);
    }
}
