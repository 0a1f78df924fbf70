using SpeechEmotion.Audio;
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
        var x = AudioReader.Read(SharedData.Path($"reference/audio/{clip}_16k.wav")).Samples;
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

public sealed class PitchDevTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("espeak_en")]
    [InlineData("ravdess_a01_angry")]
    [InlineData("chirp_noise")]
    public void F0Contour(string clip)
    {
        var x = AudioReader.Read(SharedData.Path($"reference/audio/{clip}_16k.wav")).Samples;
        var lld = OpensmileCsv.Read(SharedData.Path($"reference/opensmile/{clip}.egemaps_lld.csv"));
        var a = new LongFrameAnalyzer(16000);
        int frames = (x.Length - 960) / 160 + 1;
        var cf = new float[frames * 6]; var cv = new float[frames * 6]; var rms = new float[frames];
        for (int t = 0; t < frames; t++)
        {
            rms[t] = a.Analyze(x.AsSpan(t * 160, 960));
            a.Shs.Analyze(a.Magnitude, cf.AsSpan(t * 6, 6), cv.AsSpan(t * 6, 6));
        }
        var f0 = new float[frames];
        new ViterbiPitchSmoother().Smooth(cf, cv, frames, f0);
        var st = new float[frames];
        for (int t = 0; t < frames; t++) st[t] = rms[t] < 0.001f || f0[t] <= 0 ? 0 : (f0[t] > 29.136f ? 12f * MathF.Log2(f0[t] / 27.5f) : 1f);
        var sm = new float[frames];
        ContourFunctionals.Smooth3(st, sm, true);
        var refc = lld.Column("F0semitoneFrom27.5Hz_sma3nz");
        int n = Math.Min(frames, refc.Length);
        int agree = 0, both = 0, close = 0;
        var sb = new System.Text.StringBuilder();
        for (int t = 0; t < n; t++)
        {
            bool v1 = sm[t] > 0, v2 = refc[t] > 0;
            if (v1 == v2) agree++;
            if (v1 && v2) { both++; if (Math.Abs(sm[t] - refc[t]) < 1) close++; }
            if (t < 400) sb.Append($"{t}:{sm[t]:F1}/{refc[t]:F1} ");
        }
        output.WriteLine($"{clip}: frames {frames} ref {refc.Length} vuv agree {agree / (double)n:P1} within1st {close / (double)Math.Max(1, both):P1} (both {both})");
        output.WriteLine(sb.ToString());
    }
}
