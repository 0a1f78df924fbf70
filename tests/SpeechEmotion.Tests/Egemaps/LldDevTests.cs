using SpeechEmotion.Features.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Egemaps;

public sealed class LldDevTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("espeak_en")]
    [InlineData("ravdess_a01_angry")]
    public void ShortFrameColumns(string clip)
    {
        var x = TestWav.Read(SharedData.Path($"reference/audio/{clip}_16k.wav"));
        var lld = OpensmileCsv.Read(SharedData.Path($"reference/opensmile/{clip}.egemaps_lld.csv"));
        var a = new ShortFrameAnalyzer(16000);
        int frames = (x.Length - 320) / 160 + 1;
        var raw = new float[frames * 25];
        for (int t = 0; t < frames; t++) a.Analyze(x.AsSpan(t * 160, 320), raw.AsSpan(t * 25, 25));
        var sm = new float[frames * 25];
        EgemapsFunctionals.SmoothLlds(raw, frames, 0, sm);
        int n = Math.Min(frames, lld.Rows.Count);
        for (int c = 0; c < 10; c++)
        {
            var ours = Enumerable.Range(0, n).Select(t => (double)sm[t * 25 + c]).ToArray();
            var refc = lld.Column(EgemapsNames.Llds[c]).Take(n).Select(v => (double)v).ToArray();
            output.WriteLine($"{EgemapsNames.Llds[c],-22} r={Stats.Pearson(ours, refc):F4} medRel={Stats.MedianRelError(ours, refc):F4} ours[5]={ours[5]:G5} ref[5]={refc[5]:G5} ours[0]={ours[0]:G5} ref[0]={refc[0]:G5} ratioMean={ours.Average() / refc.Average():G4}");
        }
    }
}

internal static class Stats
{
    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        int n = a.Count;
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : (saa == sbb ? 1 : 0);
    }

    public static double MedianRelError(IReadOnlyList<double> ours, IReadOnlyList<double> reference)
    {
        var e = new List<double>();
        for (int i = 0; i < ours.Count; i++)
        {
            double d = Math.Abs(reference[i]);
            if (d < 1e-12) { if (Math.Abs(ours[i]) > 1e-12) e.Add(1); else e.Add(0); continue; }
            e.Add(Math.Abs(ours[i] - reference[i]) / d);
        }
        e.Sort();
        return e.Count == 0 ? 0 : e[e.Count / 2];
    }
}
