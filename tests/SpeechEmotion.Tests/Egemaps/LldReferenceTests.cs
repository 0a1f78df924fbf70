using SpeechEmotion.Audio;
using SpeechEmotion.Features.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Egemaps;

/// <summary>Our smoothed LLD contours against openSMILE's on the three reference clips.</summary>
public sealed class LldReferenceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("espeak_en")]
    [InlineData("ravdess_a01_angry")]
    [InlineData("chirp_noise")]
    public void ContoursMatchOpenSmile(string clip)
    {
        var x = AudioReader.Read(SharedData.Path($"reference/audio/{clip}_16k.wav")).Samples;
        var lld = OpensmileCsv.Read(SharedData.Path($"reference/opensmile/{clip}.egemaps_lld.csv"));
        var ours = new EgemapsExtractor().ExtractLld(x, 16000, out int frames);
        output.WriteLine($"frames ours {frames} ref {lld.Rows.Count}");
        int n = Math.Min(frames, lld.Rows.Count);
        for (int c = 0; c < 25; c++)
        {
            var a = Enumerable.Range(0, n).Select(t => (double)ours[t * 25 + c]).ToArray();
            var b = lld.Column(EgemapsNames.Llds[c]).Take(n).Select(v => (double)v).ToArray();
            output.WriteLine($"{EgemapsNames.Llds[c],-28} r={Stats.Pearson(a, b):F4} medRel={Stats.MedianRelError(a, b):F4} meanOurs={a.Average():G5} meanRef={b.Average():G5}");
        }
        if (Environment.GetEnvironmentVariable("SER_DEBUG_COL") is string dbg)
        {
            int c = int.Parse(dbg);
            var refc = lld.Column(EgemapsNames.Llds[c]);
            output.WriteLine(string.Join(" ", Enumerable.Range(0, n).Where(t => Math.Abs(ours[t * 25 + c] - refc[t]) > 0.02 * Math.Abs(refc[t]) + 1e-3).Select(t => $"{t}:{ours[t * 25 + c]:G4}/{refc[t]:G4}")));
        }
        var f0o = Enumerable.Range(0, n).Select(t => ours[t * 25 + EgemapsLld.F0]).ToArray();
        var f0r = lld.Column("F0semitoneFrom27.5Hz_sma3nz");
        int agree = 0, both = 0, close = 0;
        for (int t = 0; t < n; t++)
        {
            bool v1 = f0o[t] > 0, v2 = f0r[t] > 0;
            if (v1 == v2) agree++;
            if (v1 && v2) { both++; if (Math.Abs(f0o[t] - f0r[t]) <= 1) close++; }
        }
        output.WriteLine($"voicing agreement {agree / (double)n:P2}, within 1 st {close / (double)Math.Max(both, 1):P2}");
        Assert.True(agree >= 0.95 * n, "voicing agreement");
        Assert.True(close >= 0.95 * both, "F0 within 1 semitone");
    }
}
