using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// "zcr-rms-mfcc" (seed recipe): 16 kHz audio trimmed of leading/trailing silence
/// (librosa.effects.trim, top_db 25, frame 256, hop 64), cut or zero-padded to 4 s, then per frame
/// (hop 160, centred): zero-crossing rate and RMS over 400 samples and 20 MFCCs (librosa.feature.mfcc
/// defaults: n_fft 2048, 128 mels) → [401 frames, 22 features] for 4 s.
/// </summary>
internal sealed class ZcrRmsMfccSet : FeatureSetBase
{
    public const string SetName = "zcr-rms-mfcc";
    public const int SetVersion = 1;

    private readonly bool _trim;
    private readonly double _trimTopDb;
    private readonly int _trimFrame, _trimHop, _frameLength, _targetSamples;
    private readonly MfccPipeline _mfcc;
    private readonly string[] _names;

    private ZcrRmsMfccSet(bool trim, double trimTopDb, int trimFrame, int trimHop, double duration, int frameLength, MfccPipeline mfcc, IReadOnlyDictionary<string, string> canonical)
        : base(SetName, SetVersion, mfcc.Config.SampleRate, canonical)
    {
        _trim = trim; _trimTopDb = trimTopDb; _trimFrame = trimFrame; _trimHop = trimHop;
        _frameLength = frameLength; _mfcc = mfcc;
        _targetSamples = duration > 0 ? (int)Math.Round(duration * mfcc.Config.SampleRate) : 0;
        _names = new[] { "zcr", "rms" }.Concat(FeatureMatrix.Numbered("mfcc", mfcc.NMfcc)).ToArray();
    }

    public static ZcrRmsMfccSet Create(IReadOnlyDictionary<string, string>? parameters)
    {
        var p = new FeatureParameters(SetName, parameters);
        var trim = p.Bool("trim", true);
        var topDb = p.Double("trim_top_db", 25, 1e-6, 1000);
        var trimFrame = p.Int("trim_frame_length", 256, 1, 1 << 20);
        var trimHop = p.Int("trim_hop_length", 64, 1, 1 << 20);
        var duration = p.Double("duration", 4.0, 0, 3600);
        var frameLength = p.Int("frame_length", 400, 1, 1 << 20);
        var makeMfcc = MfccPipeline.Read(p, 16000, 2048, 160, 2048, 128, 20);
        p.ThrowIfInvalid();
        return new ZcrRmsMfccSet(trim, topDb, trimFrame, trimHop, duration, frameLength, makeMfcc(), p.Canonical);
    }

    public static ZcrRmsMfccSet FromJson(string json) => Create(FeatureSets.ParseCanonicalJson(json, SetName, SetVersion));

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        ReadOnlySpan<float> y = samples;
        if (_trim)
        {
            var iv = SpeechEmotion.Audio.Trimmer.FindInterval(samples,
                new SpeechEmotion.Audio.TrimOptions { TopDb = _trimTopDb, FrameLength = _trimFrame, HopLength = _trimHop });
            y = samples[iv.Start..iv.End];
        }
        float[] fixedLength;
        if (_targetSamples > 0)
        {
            fixedLength = new float[_targetSamples];
            y[..Math.Min(y.Length, _targetSamples)].CopyTo(fixedLength);
        }
        else fixedLength = y.ToArray();
        if (fixedLength.Length == 0) throw new InvalidSignalException("The signal is empty after trimming silence.");
        var hop = _mfcc.Config.Stft.EffectiveHopLength;
        var zcr = TimeDomain.ZeroCrossingRate(fixedLength, _frameLength, hop, center: true);
        var rms = TimeDomain.Rms(fixedLength, _frameLength, hop, center: true);
        var (mfcc, frames) = _mfcc.Compute(fixedLength);
        var n = _mfcc.NMfcc;
        var cols = n + 2;
        frames = Math.Min(frames, Math.Min(zcr.Length, rms.Length));
        var data = new float[frames * cols];
        for (var t = 0; t < frames; t++)
        {
            data[t * cols] = zcr[t];
            data[t * cols + 1] = rms[t];
            mfcc.AsSpan(t * n, n).CopyTo(data.AsSpan(t * cols + 2));
        }
        return new FeatureMatrix(frames, cols, data, _names);
    }
}
