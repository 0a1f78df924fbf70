using SpeechEmotion.Dsp;
using SpeechEmotion.Features;

namespace SpeechEmotion.Tests.Features;

public class FeatureSetTests
{
    private static RefSet Espeak16 => LibrosaReference.Get("espeak_en", "sr16000");

    [Fact]
    public void Built_in_sets_are_registered()
    {
        foreach (var n in new[] { "logmel", "mfcc", "zcr-rms-mfcc", "lld", "functionals" })
            Assert.Contains(n, FeatureSets.Names);
    }

    [Fact]
    public void Zcr_rms_mfcc_seed_recipe_is_401_by_22()
    {
        var set = FeatureSets.Create("zcr-rms-mfcc");
        var m = set.Extract(Espeak16.Signal, 16000);
        Assert.Equal(401, m.Frames);
        Assert.Equal(22, m.Features);
        Assert.Equal("zcr", m.FeatureNames[0]);
        Assert.Equal("rms", m.FeatureNames[1]);
        Assert.Equal("mfcc_19", m.FeatureNames[21]);
        Assert.All(m.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Zcr_rms_mfcc_trims_pads_and_stacks_the_parts()
    {
        var y = Espeak16.Signal;
        // librosa.effects.trim(top_db=25, frame_length=256, hop_length=64) on this clip: [192, 45120)
        var fixedLength = new float[64000];
        y.AsSpan(192, 45120 - 192).CopyTo(fixedLength);
        var m = FeatureSets.Create("zcr-rms-mfcc").Extract(y, 16000);
        var zcr = TimeDomain.ZeroCrossingRate(fixedLength, 400, 160);
        var rms = TimeDomain.Rms(fixedLength, 400, 160);
        var mfcc = MelSpectrogram.Mfcc(fixedLength, 16000, new StftOptions { NFft = 2048, HopLength = 160 },
            new MelOptions { SampleRate = 16000, NFft = 2048, NMels = 128 }, 20);
        for (var t = 0; t < 401; t++)
        {
            Assert.Equal(zcr[t], m[t, 0]);
            Assert.Equal(rms[t], m[t, 1]);
            for (var k = 0; k < 20; k++) Assert.Equal(mfcc[t * 20 + k], m[t, 2 + k]);
        }
        var untrimmed = FeatureSets.Create("zcr-rms-mfcc", new Dictionary<string, string> { ["trim"] = "false" }).Extract(y, 16000);
        Assert.NotEqual(untrimmed[5, 1], m[5, 1]);
    }

    [Fact]
    public void Mfcc_set_with_defaults_equals_librosa_mfcc13()
    {
        var s = Espeak16;
        var m = FeatureSets.Create("mfcc").Extract(s.Signal, 16000);
        var r = s.Features["mfcc13"];
        Assert.Equal(r.Frames, m.Frames);
        Assert.Equal(13, m.Features);
        for (var t = 0; t < m.Frames; t++)
            for (var k = 0; k < 13; k++) Assert.Equal(r[k, t], m[t, k], 1e-4 * 540);
    }

    [Fact]
    public void Mfcc_set_with_deltas_appends_them()
    {
        var s = Espeak16;
        var m = FeatureSets.Create("mfcc", new Dictionary<string, string> { ["deltas"] = "2" }).Extract(s.Signal, 16000);
        Assert.Equal(39, m.Features);
        Assert.Equal("mfcc_0_dd", m.FeatureNames[26]);
        var d2 = s.Features["mfcc13_delta2"];
        for (var t = 0; t < m.Frames; t++) Assert.Equal(d2[3, t], m[t, 26 + 3], 1e-3);
    }

    [Fact]
    public void Logmel_set_matches_librosa_log_mel_db_for_22050_defaults()
    {
        var s = LibrosaReference.Get("espeak_en", "sr22050_defaults");
        var set = FeatureSets.Create("logmel", new Dictionary<string, string> { ["sample_rate"] = "22050" });
        var m = set.Extract(s.Signal, 22050);
        var r = s.Features["log_mel_db"];
        Assert.Equal((r.Frames, r.Rows), (m.Frames, m.Features));
        for (var t = 0; t < m.Frames; t++)
            for (var k = 0; k < m.Features; k++) Assert.Equal(r[k, t], m[t, k], 0.01);
    }

    [Fact]
    public void Lld_columns_equal_the_individual_features()
    {
        var s = Espeak16;
        var m = FeatureSets.Create("lld").Extract(s.Signal, 16000);
        Assert.Equal(1 + 1 + 4 + 7 + 20 + 20 + 12, m.Features);
        Assert.Equal(s.Features["spectral_centroid"].Frames, m.Frames);
        var names = m.FeatureNames.ToList();
        void Check(string col, string feature, int row, double tol)
        {
            var c = names.IndexOf(col);
            Assert.True(c >= 0, col);
            var r = s.Features[feature];
            for (var t = 0; t < m.Frames; t++) Assert.True(Math.Abs(m[t, c] - r[row, t]) <= tol, $"{col} frame {t}: {m[t, c]} vs {r[row, t]}");
        }
        Check("zcr", "zero_crossing_rate", 0, 1e-6);
        Check("rms", "rms", 0, 1e-6);
        Check("spectral_centroid", "spectral_centroid", 0, 0.6);
        Check("spectral_contrast_6", "spectral_contrast", 6, 0.006);
        Check("mfcc_12", "mfcc13", 12, 0.01);
        Check("mfcc_0_d", "mfcc13_delta", 0, 0.01);
        Check("chroma_A", "chroma_stft_est_tuning", 9, 1e-4);
    }

    [Fact]
    public void Functionals_are_mean_and_std_of_the_frames()
    {
        var s = Espeak16;
        var lld = FeatureSets.Create("mfcc").Extract(s.Signal, 16000);
        var f = FeatureSets.Create("functionals", new Dictionary<string, string> { ["set"] = "mfcc" }).Extract(s.Signal, 16000);
        Assert.Equal(1, f.Frames);
        Assert.Equal(26, f.Features);
        Assert.Equal("mfcc_2_mean", f.FeatureNames[2]);
        Assert.Equal("mfcc_2_std", f.FeatureNames[15]);
        var col = Enumerable.Range(0, lld.Frames).Select(t => (double)lld[t, 2]).ToArray();
        var mean = col.Average();
        Assert.Equal(mean, f[0, 2], 1e-3);
        Assert.Equal(Math.Sqrt(col.Select(v => (v - mean) * (v - mean)).Average()), f[0, 15], 1e-3);
    }

    [Theory]
    [InlineData("logmel")]
    [InlineData("mfcc")]
    [InlineData("zcr-rms-mfcc")]
    [InlineData("lld")]
    [InlineData("functionals")]
    public void Json_round_trips(string name)
    {
        var set = FeatureSets.Create(name, name == "mfcc" ? new Dictionary<string, string> { ["n_mfcc"] = "20", ["deltas"] = "1" } : null);
        var json = set.ToJson();
        Assert.Contains($"\"name\":\"{name}\"", json);
        Assert.Contains("\"version\":1", json);
        var back = FeatureSets.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(set.SampleRate, back.SampleRate);
        var y = Espeak16.Signal.AsSpan(0, 16000).ToArray();
        Assert.Equal(set.Extract(y, 16000).Data, back.Extract(y, 16000).Data);
    }

    [Fact]
    public void Json_with_unsupported_version_is_rejected()
    {
        var json = FeatureSets.Create("logmel").ToJson().Replace("\"version\":1", "\"version\":99");
        var ex = Assert.Throws<InvalidOptionsException>(() => FeatureSets.FromJson(json));
        Assert.Contains("99", ex.Message);
        Assert.Throws<InvalidOptionsException>(() => FeatureSets.FromJson("{not json"));
    }

    [Fact]
    public void Unknown_set_and_parameters_are_named()
    {
        Assert.Contains("'nope'", Assert.Throws<InvalidOptionsException>(() => FeatureSets.Create("nope")).Message);
        var ex = Assert.Throws<InvalidOptionsException>(() => FeatureSets.Create("mfcc", new Dictionary<string, string> { ["n_mfc"] = "3" }));
        Assert.Contains("'n_mfc'", ex.Message);
    }

    [Fact]
    public void Bad_parameters_are_all_reported_with_their_values()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() => FeatureSets.Create("mfcc", new Dictionary<string, string>
        {
            ["n_fft"] = "256", ["win_length"] = "400", ["hop_length"] = "0", ["fmax"] = "9000", ["n_mfcc"] = "80", ["window"] = "kaiser",
        }));
        Assert.Contains("win_length (400) must not exceed n_fft (256)", ex.Message);
        Assert.Contains("hop_length", ex.Message);
        Assert.Contains("fmax (9000)", ex.Message);
        Assert.Contains("n_mfcc (80) must not exceed n_mels (64)", ex.Message);
        Assert.Contains("'kaiser'", ex.Message);
    }

    [Fact]
    public void Bad_signals_are_typed_errors()
    {
        var set = FeatureSets.Create("mfcc");
        Assert.Throws<InvalidSignalException>(() => set.Extract([], 16000));
        var nan = new float[16000]; nan[5] = float.NaN;
        Assert.Contains("index 5", Assert.Throws<InvalidSignalException>(() => set.Extract(nan, 16000)).Message);
        Assert.Contains("22050", Assert.Throws<InvalidOptionsException>(() => set.Extract(new float[16000], 22050)).Message);
        var deltas = FeatureSets.Create("mfcc", new Dictionary<string, string> { ["deltas"] = "1" });
        Assert.Throws<InvalidSignalException>(() => deltas.Extract(new float[300], 16000));
    }

    [Fact]
    public void Low_level_validation_names_values()
    {
        Assert.Contains("9000", Assert.Throws<InvalidOptionsException>(() => new MelFilterbank(new MelOptions { SampleRate = 16000, NFft = 512, FMax = 9000 })).Message);
        Assert.Contains("n_mfcc (70)", Assert.Throws<InvalidOptionsException>(() => MelSpectrogram.MfccFromLogMel(new float[64], 64, 70)).Message);
        Assert.Throws<InvalidOptionsException>(() => TimeDomain.Rms(new float[100], 400, 0));
        Assert.Throws<InvalidSignalException>(() => TimeDomain.ZeroCrossingRate([1f, float.PositiveInfinity], 4, 1));
        Assert.Throws<InvalidOptionsException>(() => Delta.Compute(new float[10], 5, 2, width: 4));
        Assert.Throws<InvalidOptionsException>(() => Yin.Compute(new float[4000], 16000, new YinOptions { FMax = 9000, FrameLength = 1024 }));
    }
}
