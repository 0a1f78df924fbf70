using SpeechEmotion.Corpora;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Corpora;

public class FingerprintProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var files = Directory.GetFiles(SharedData.Path("datasets/ravdess-speech-16k/Actor_01"), "*.wav").Order().ToArray()
            .Concat(Directory.GetFiles(SharedData.Path("datasets/ravdess-speech-16k/Actor_03"), "*.wav").Order().Take(20)).ToArray();
        var fps = files.Select(f => { var (s, r) = TestWav.Read(f); return AudioFingerprint.Compute(s, r); }).ToArray();
        var sims = new List<double>();
        for (int i = 0; i < fps.Length; i++) for (int j = i + 1; j < fps.Length; j++) sims.Add(AudioFingerprint.Similarity(fps[i], fps[j]));
        sims.Sort();
        output.WriteLine($"distinct pairs {sims.Count}: max {sims[^1]:F3} p99.9 {sims[(int)(sims.Count * 0.999)]:F3} p99 {sims[(int)(sims.Count * 0.99)]:F3} median {sims[sims.Count / 2]:F3}");
        var mods = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            var (s, r) = TestWav.Read(files[i * 2]);
            foreach (var (g, snr, sh) in new[] { (0.3f, double.PositiveInfinity, 0), (1f, 20.0, 0), (1f, 10.0, 0), (1f, double.PositiveInfinity, 800), (0.5f, 15.0, 1600), (2f, 20.0, -480), (1f, 5.0, 0) })
            {
                var fp = AudioFingerprint.Compute(TestWav.Modify(s, g, snr, sh, i), r);
                var sim = AudioFingerprint.Similarity(fps[i * 2], fp);
                mods.Add(sim);
                if (i < 3) output.WriteLine($"{Path.GetFileName(files[i * 2])} gain {g} snr {snr} shift {sh}: {sim:F3}");
            }
        }
        mods.Sort();
        output.WriteLine($"modified: min {mods[0]:F3} p5 {mods[mods.Count / 20]:F3} median {mods[mods.Count / 2]:F3}");
    }
}
