using SpeechEmotion.Dsp;
using SpeechEmotion.Features;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Features;

/// <summary>
/// Every feature of the librosa 0.10.1 reference files, both parameter sets, three clips.
/// Continuous features: max |ours − librosa| ≤ 1e-4·max|librosa| + 1e-6; dB features within 0.01 dB
/// where the reference is above its top_db floor; YIN ≥ 98 % of frames within 1 %.
/// </summary>
public class LibrosaAccuracyTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => LibrosaReference.Cases();

    private static StftOptions Stft(RefSet s) => SpeechEmotion.Tests.Dsp.StftTests.OptionsOf(s);

    private static StftOptions Stft64(RefSet s) => Stft(s) with { DoublePrecision = true };

    private static MelOptions Mel(RefSet s) => new() { SampleRate = s.Sr, NFft = s.NFft, NMels = s.NMels, Norm = MelNorm.Slaney };

    /// <summary>Max abs error of ours [frames, rows] against ref [rows, frames].</summary>
    private static double MaxError(ReadOnlySpan<float> ours, RefFeature r)
    {
        Assert.Equal(r.Rows * r.Frames, ours.Length);
        double worst = 0;
        for (var t = 0; t < r.Frames; t++)
            for (var k = 0; k < r.Rows; k++)
                worst = Math.Max(worst, Math.Abs(ours[t * r.Rows + k] - r[k, t]));
        return worst;
    }

    private void AssertContinuous(string name, RefSet s, ReadOnlySpan<float> ours, double relTol = 1e-4)
    {
        var r = s.Features[name];
        var err = MaxError(ours, r);
        var tol = relTol * r.MaxAbs + 1e-6;
        output.WriteLine($"{s} {name}: max error {err:g3} (tolerance {tol:g3}, max|ref| {r.MaxAbs:g4})");
        Assert.True(err <= tol, $"{s} {name}: max error {err:g4} > {tol:g4}");
    }

    private void AssertDb(string name, RefSet s, ReadOnlySpan<float> ours, double topDb = 80)
    {
        var r = s.Features[name];
        Assert.Equal(r.Rows * r.Frames, ours.Length);
        var floor = r.Data.Max() - topDb;
        double worst = 0;
        var compared = 0;
        for (var t = 0; t < r.Frames; t++)
            for (var k = 0; k < r.Rows; k++)
            {
                var e = r[k, t];
                if (e <= floor + 1e-3) continue;
                compared++;
                worst = Math.Max(worst, Math.Abs(ours[t * r.Rows + k] - e));
            }
        output.WriteLine($"{s} {name}: max dB error {worst:g3} over {compared} values above the floor");
        Assert.True(worst <= 0.01, $"{s} {name}: max dB error {worst:g4} > 0.01");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Melspectrogram_and_db(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var mel = MelSpectrogram.Compute(s.Signal, s.Sr, Stft(s), Mel(s));
        AssertContinuous("melspectrogram", s, mel);
        var db = (float[])mel.Clone();
        Decibels.PowerToDb(db);
        AssertDb("log_mel_db", s, db);
        var r = s.Features["log_mel_db"];
        var floor = r.Data.Max() - 80;
        // values at the floor are the floor itself in both
        for (var i = 0; i < db.Length; i++) Assert.True(db[i] >= floor - 0.01);
        var noTop = (float[])mel.Clone();
        Decibels.PowerToDb(noTop, topDb: null);
        AssertDb("log_mel_db_no_topdb", s, noTop);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mfcc_and_deltas(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var m13 = MelSpectrogram.Mfcc(s.Signal, s.Sr, Stft(s), Mel(s), 13);
        AssertContinuous("mfcc13", s, m13);
        var m40 = MelSpectrogram.Mfcc(s.Signal, s.Sr, Stft(s), Mel(s), 40);
        AssertContinuous("mfcc40", s, m40);
        var frames = m13.Length / 13;
        AssertContinuous("mfcc13_delta", s, Delta.Compute(m13, frames, 13, 9, 1));
        AssertContinuous("mfcc13_delta2", s, Delta.Compute(m13, frames, 13, 9, 2));
        AssertContinuous("mfcc40_delta", s, Delta.Compute(m40, frames, 40, 9, 1));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Zcr_and_rms(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var zl = s.Params.GetProperty("zcr_frame_length").GetInt32();
        var rl = s.Params.GetProperty("rms_frame_length").GetInt32();
        AssertContinuous("zero_crossing_rate", s, TimeDomain.ZeroCrossingRate(s.Signal, zl, s.Hop));
        AssertContinuous("rms", s, TimeDomain.Rms(s.Signal, rl, s.Hop));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Spectral_descriptors(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var mag = SpeechEmotion.Dsp.Stft.Magnitude(s.Signal, Stft(s));
        var mag64 = SpeechEmotion.Dsp.Stft.Magnitude(s.Signal, Stft64(s));
        AssertContinuous("spectral_centroid", s, Spectral.Centroid(mag, s.Sr));
        AssertContinuous("spectral_bandwidth", s, Spectral.Bandwidth(mag, s.Sr));
        AssertContinuous("spectral_flatness", s, Spectral.Flatness(mag));
        AssertContinuous("spectral_rolloff", s, Spectral.Rolloff(mag, s.Sr));
        // the valleys are the quietest 2 % of bins, at float32 FFT rounding level: they need the float64 FFT
        AssertContinuous("spectral_contrast", s, Spectral.Contrast(mag64, s.Sr, s.NFft));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chroma_and_tuning(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var pow = SpeechEmotion.Dsp.Stft.Power(s.Signal, Stft(s));
        AssertContinuous("chroma_stft", s, Chroma.FromPower(pow, s.Sr, 0.0));
        var expectedTuning = s.Features["chroma_stft_est_tuning"].Params.GetProperty("tuning").GetDouble();
        var tuning = Chroma.EstimateTuning(pow, s.Sr);
        output.WriteLine($"{s} tuning: ours {tuning} librosa {expectedTuning}");
        Assert.Equal(expectedTuning, tuning, 1e-9);
        AssertContinuous("chroma_stft_est_tuning", s, Chroma.FromPower(pow, s.Sr));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Yin_f0(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var r = s.Features["yin_f0"];
        var fl = s.Params.GetProperty("yin_frame_length").GetInt32();
        var f0 = Yin.Compute(s.Signal, s.Sr, new YinOptions { FMin = 50, FMax = 500, FrameLength = fl, HopLength = s.Hop });
        Assert.Equal(r.Frames, f0.Length);
        var ok = 0;
        double worst = 0;
        for (var t = 0; t < f0.Length; t++)
        {
            var rel = Math.Abs(f0[t] - r[0, t]) / r[0, t];
            worst = Math.Max(worst, rel);
            if (rel <= 0.01) ok++;
        }
        var frac = (double)ok / f0.Length;
        output.WriteLine($"{s} yin: {frac:P2} of frames within 1 % (worst {worst:P3})");
        Assert.True(frac >= 0.98, $"{s} yin: only {frac:P2} of frames within 1 %");
    }
}
