using SpeechEmotion.Audio;
using System.Diagnostics;
using SpeechEmotion.Features.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Egemaps;

public sealed class ProfileDevTests(ITestOutputHelper output)
{
    [Fact]
    public void Profile()
    {
        if (Environment.GetEnvironmentVariable("SER_PROFILE") != "1") return;
        var x = AudioReader.Read(SharedData.Path("reference/audio/ravdess_a01_angry_16k.wav")).Samples;
        var sig = Enumerable.Repeat(x, 15).SelectMany(v => v).ToArray();
        var e = new EgemapsExtractor();
        e.ExtractFunctionals(sig.AsSpan(0, 16000), 16000);
        var sw = Stopwatch.StartNew();
        e.ExtractFunctionals(sig, 16000);
        output.WriteLine($"total {sw.ElapsedMilliseconds} ms for {sig.Length / 16000.0:F1} s");
        int hop = 160;
        var sa = new ShortFrameAnalyzer(16000); var row = new float[25];
        int n20 = (sig.Length - 320) / hop + 1;
        sw.Restart(); for (int t = 0; t < n20; t++) sa.Analyze(sig.AsSpan(t * hop, 320), row); output.WriteLine($"short {sw.ElapsedMilliseconds} ms");
        var ft = new FormantTracker(512, 320, 16000); var ff = new float[5]; var fb = new float[5];
        sw.Restart(); for (int t = 0; t < n20; t++) { sa.Analyze(sig.AsSpan(t * hop, 320), row); ft.Analyze(sa.Re, sa.Im, ff, fb); } output.WriteLine($"short+formant {sw.ElapsedMilliseconds} ms");
        var la = new LongFrameAnalyzer(16000); var cf = new float[6]; var cv = new float[6];
        int n60 = (sig.Length - 960) / hop + 1;
        sw.Restart(); for (int t = 0; t < n60; t++) la.Analyze(sig.AsSpan(t * hop, 960)); output.WriteLine($"long fft {sw.ElapsedMilliseconds} ms");
        var mags = new float[n60 * 513]; var cfa = new float[n60 * 6]; var cva = new float[n60 * 6];
        sw.Restart(); for (int t = 0; t < n60; t++) { la.Analyze(sig.AsSpan(t * hop, 960)); la.Magnitude.CopyTo(mags.AsSpan(t * 513)); la.Shs.Analyze(la.Magnitude, cfa.AsSpan(t * 6, 6), cva.AsSpan(t * 6, 6)); } output.WriteLine($"long+shs {sw.ElapsedMilliseconds} ms");
        var f0 = new float[n60];
        sw.Restart(); new ViterbiPitchSmoother().Smooth(cfa, cva, n60, f0); output.WriteLine($"viterbi {sw.ElapsedMilliseconds} ms");
        var js = new JitterShimmer(16000, 160, 960);
        sw.Restart(); for (int t = 0; t < n60 - 1; t++) js.Process(sig, t, f0[t], out _, out _); output.WriteLine($"jitter {sw.ElapsedMilliseconds} ms");
        var hd = new HarmonicDescriptors(513, 16000); var fz = new float[] { 500, 1500, 2500 };
        sw.Restart(); for (int t = 0; t < n60; t++) hd.Analyze(mags.AsSpan(t * 513, 513), f0[t], fz); output.WriteLine($"harmonics {sw.ElapsedMilliseconds} ms");
        var raw = e.ExtractRaw(sig, 16000); var o = new float[88];
        sw.Restart(); EgemapsFunctionals.Compute(raw.Raw, raw.Frames, raw.VoiceFrames, raw.Energy, o); output.WriteLine($"functionals {sw.ElapsedMilliseconds} ms");
    }
}
