using SpeechEmotion.Audio;
using SpeechEmotion.Features;

namespace SpeechEmotion.Tests.Features;

public class RichFunctionalsTests
{
    private static RefSet Espeak16 => LibrosaReference.Get("espeak_en", "sr16000");

    private static Dictionary<string, string> P(params (string K, string V)[] kv) => kv.ToDictionary(p => p.K, p => p.V);

    [Fact]
    public void Statistics_match_a_direct_computation_over_the_mfcc_frames()
    {
        var s = Espeak16.Signal;
        var lld = FeatureSets.Create("mfcc").Extract(s, 16000);
        var f = FeatureSets.Create("rich-functionals", P(("set", "mfcc"), ("deltas", "false"), ("trim_db", "0"))).Extract(s, 16000);
        Assert.Equal(1, f.Frames);
        Assert.Equal(13 * 9, f.Features);
        Assert.Equal("mfcc_2_skew", f.FeatureNames[2 * 9 + 2]);
        for (int j = 0; j < 13; j++)
        {
            var col = Enumerable.Range(0, lld.Frames).Select(t => (double)lld[t, j]).ToArray();
            int n = col.Length;
            double mean = col.Average(), m2 = col.Select(v => Math.Pow(v - mean, 2)).Average();
            double skew = col.Select(v => Math.Pow(v - mean, 3)).Average() / Math.Pow(m2, 1.5);
            double kurt = col.Select(v => Math.Pow(v - mean, 4)).Average() / (m2 * m2) - 3;
            var sorted = col.Order().ToArray();
            double Q(double q) { double pos = q * (n - 1); int lo = (int)pos; return sorted[lo] + (pos - lo) * (sorted[Math.Min(lo + 1, n - 1)] - sorted[lo]); }
            double tm = (n - 1) / 2.0;
            double slope = col.Select((v, t) => (v - mean) * (t - tm)).Sum() / Enumerable.Range(0, n).Sum(t => (t - tm) * (t - tm)) * (n - 1);
            double[] expected = [mean, Math.Sqrt(m2), skew, kurt, Q(0.1), Q(0.5), Q(0.9), Q(0.9) - Q(0.1), slope];
            for (int k = 0; k < 9; k++)
                Assert.True(Math.Abs(expected[k] - f[0, j * 9 + k]) <= 1e-3 * Math.Max(1, Math.Abs(expected[k])), $"{f.FeatureNames[j * 9 + k]}: {f[0, j * 9 + k]} vs {expected[k]}");
        }
    }

    [Fact]
    public void Deltas_double_the_descriptors_and_silence_around_the_speech_is_trimmed_first()
    {
        var speech = Espeak16.Signal;
        var padded = new float[speech.Length + 32000];
        speech.CopyTo(padded, 16000);
        var set = FeatureSets.Create("rich-functionals", P(("set", "mfcc")));
        var f = set.Extract(padded, 16000);
        Assert.Equal(2 * 13 * 9, f.Features);
        Assert.Equal("mfcc_0_d_mean", f.FeatureNames[13 * 9]);
        Assert.All(f.Data, v => Assert.True(float.IsFinite(v)));
        // trimming at 30 dB: the same as summarising the librosa-trimmed clip without trimming
        var iv = Trimmer.FindInterval(padded, new TrimOptions { TopDb = 30 });
        Assert.True(iv.Start >= 12000 && iv.End <= padded.Length - 12000, $"{iv}");
        var direct = FeatureSets.Create("rich-functionals", P(("set", "mfcc"), ("trim_db", "0"))).Extract(padded.AsSpan(iv.Start, iv.Length).ToArray(), 16000);
        Assert.Equal(direct.Data, f.Data);
        var untrimmed = FeatureSets.Create("rich-functionals", P(("set", "mfcc"), ("trim_db", "0"))).Extract(padded, 16000);
        Assert.NotEqual(untrimmed[0, 0], f[0, 0]);
    }

    [Fact]
    public void Json_round_trips_and_bad_parameters_are_named()
    {
        var set = FeatureSets.Create("rich-functionals", P(("set", "mfcc"), ("set.n_mfcc", "8"), ("trim_db", "25")));
        var back = FeatureSets.FromJson(set.ToJson());
        Assert.Equal(set.ToJson(), back.ToJson());
        var y = Espeak16.Signal;
        Assert.Equal(set.Extract(y, 16000).Data, back.Extract(y, 16000).Data);
        Assert.Equal(2 * 8 * 9, back.Extract(y, 16000).Features);
        Assert.Contains("frame-level", Assert.Throws<InvalidOptionsException>(() => FeatureSets.Create("rich-functionals", P(("set", "functionals")))).Message);
        Assert.Contains("trim_db", Assert.Throws<InvalidOptionsException>(() => FeatureSets.Create("rich-functionals", P(("trim_db", "-1")))).Message);
    }
}
