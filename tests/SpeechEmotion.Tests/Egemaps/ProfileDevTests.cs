using SpeechEmotion.Audio;
using System.Diagnostics;
using SpeechEmotion.Features.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Egemaps;

public sealed class ProfileDevTests(ITestOutputHelper output)
{
    private void Cpu(string what, Action a)
    {
        var p = Process.GetCurrentProcess(); p.Refresh(); var c0 = p.TotalProcessorTime;
        a();
        p.Refresh();
        output.WriteLine($"{what} {(p.TotalProcessorTime - c0).TotalMilliseconds:F0} ms CPU");
    }

    [Fact]
    public void Profile()
    {
        if (Environment.GetEnvironmentVariable("SER_PROFILE") != "1") return;
        var files = Directory.GetFiles(SharedData.Path("datasets/ravdess-speech-16k"), "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(40);
        var sig = files.SelectMany(f => AudioReader.Read(f).Samples).Take(960000).ToArray();
        var e = new EgemapsExtractor();
        e.ExtractFunctionals(sig.AsSpan(0, 16000), 16000);
        var sw = Stopwatch.StartNew();
        long best = long.MaxValue;
        double bestCpu = double.MaxValue;
        var proc = Process.GetCurrentProcess();
        for (int rep = 0; rep < 3; rep++)
        {
            proc.Refresh(); var cpu0 = proc.TotalProcessorTime;
            sw.Restart(); e.ExtractFunctionals(sig, 16000); best = Math.Min(best, sw.ElapsedMilliseconds);
            proc.Refresh(); bestCpu = Math.Min(bestCpu, (proc.TotalProcessorTime - cpu0).TotalMilliseconds);
        }
        output.WriteLine($"total {best} ms wall, {bestCpu:F0} ms CPU for {sig.Length / 16000.0:F1} s = {sig.Length / 16000.0 / (best / 1000.0):F0} audio-s/s wall, {sig.Length / 16000.0 / (bestCpu / 1000.0):F0} audio-s/s CPU");
        int hop = 160;
        var sa = new ShortFrameAnalyzer(16000); var row = new float[25];
        int n20 = (sig.Length - 320) / hop + 1;
        Cpu("short", () => { for (int t = 0; t < n20; t++) sa.Analyze(sig.AsSpan(t * hop, 320), row); });
        var ft = new FormantTracker(512, 320, 16000); var ff = new float[5]; var fb = new float[5];
        Cpu("short+formant", () => { for (int t = 0; t < n20; t++) { sa.Analyze(sig.AsSpan(t * hop, 320), row); ft.Analyze(sa.Re, sa.Im, ff, fb); } });
        var la = new LongFrameAnalyzer(16000); var cf = new float[6]; var cv = new float[6];
        int n60 = (sig.Length - 960) / hop + 1;
        Cpu("long fft", () => { for (int t = 0; t < n60; t++) la.Analyze(sig.AsSpan(t * hop, 960)); });
        var mags = new float[n60 * 513]; var cfa = new float[n60 * 6]; var cva = new float[n60 * 6];
        Cpu("long+shs", () => { for (int t = 0; t < n60; t++) { la.Analyze(sig.AsSpan(t * hop, 960)); la.Magnitude.CopyTo(mags.AsSpan(t * 513)); la.Shs.Analyze(la.Magnitude, cfa.AsSpan(t * 6, 6), cva.AsSpan(t * 6, 6)); } });
        var f0 = new float[n60];
        Cpu("viterbi", () => { new ViterbiPitchSmoother().Smooth(cfa, cva, n60, f0); });
        var js = new JitterShimmer(16000, 160, 960);
        Cpu("jitter", () => { for (int t = 0; t < n60 - 1; t++) js.Process(sig, t, f0[t], out _, out _); });
        var hd = new HarmonicDescriptors(513, 16000); var fz = new float[] { 500, 1500, 2500 };
        Cpu("harmonics", () => { for (int t = 0; t < n60; t++) hd.Analyze(mags.AsSpan(t * 513, 513), f0[t], fz); });
        var raw = e.ExtractRaw(sig, 16000); var o = new float[88];
        Cpu("functionals", () => { EgemapsFunctionals.Compute(raw.Raw, raw.Frames, raw.VoiceFrames, raw.Energy, o); });
    }
}
