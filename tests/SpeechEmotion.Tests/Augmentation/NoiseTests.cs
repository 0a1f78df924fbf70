using SpeechEmotion.Augmentation;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Tests.Augmentation;

public class NoiseTests
{
    [Theory]
    [InlineData(NoiseKind.White, 20.0)]
    [InlineData(NoiseKind.White, 0.0)]
    [InlineData(NoiseKind.Pink, 10.0)]
    [InlineData(NoiseKind.Pink, -5.0)]
    [InlineData(NoiseKind.Brown, 5.0)]
    [InlineData(NoiseKind.Brown, 30.0)]
    public void Mix_reaches_the_target_snr_exactly(NoiseKind kind, double snr)
    {
        var speech = TestAudio.Speech;
        var noise = NoiseMixer.Colored(kind, speech.Length, new AugmentationRandom(7));
        var mixed = NoiseMixer.MixAtSnr(speech, noise, snr, out var g);
        var expected = new double[speech.Length];
        double peak = 0;
        for (var i = 0; i < speech.Length; i++) { expected[i] = speech[i] + g * noise[i]; peak = Math.Max(peak, Math.Abs(expected[i])); }
        // When the mix had to be scaled down to stay within [-1, 1], speech and noise were scaled alike.
        var s = peak > 1 ? 1 / peak : 1;
        var cleanPart = new float[speech.Length];
        var noisePart = new float[speech.Length];
        for (var i = 0; i < speech.Length; i++) { cleanPart[i] = (float)(s * speech[i]); noisePart[i] = mixed[i] - cleanPart[i]; }
        Assert.InRange(NoiseMixer.SnrDb(cleanPart, noisePart), snr - 0.1, snr + 0.1);
        Assert.True(mixed.Max(Math.Abs) <= 1f);
    }

    [Theory]
    [InlineData(NoiseKind.Babble)]
    [InlineData(NoiseKind.Pink)]
    public void Robustness_corruption_snr_is_exact_and_deterministic(NoiseKind kind)
    {
        var items = TestAudio.Ravdess(perActor: 2, actors: 4);
        var babble = new BabbleSource(items);
        var target = items[0];
        var clean = target.Load(16000);
        foreach (var snr in new[] { 10.0, 0.0 })
        {
            var c = new RobustnessCondition(kind, snr);
            var a = RobustnessCorruption.Corrupt(target, clean, 16000, c, babble);
            var b = RobustnessCorruption.Corrupt(target, clean, 16000, c, new BabbleSource(items.Reverse()));
            Assert.Equal(a, b);
            var noise = new float[a.Length];
            for (var i = 0; i < a.Length; i++) noise[i] = a[i] - clean[i];
            Assert.InRange(NoiseMixer.SnrDb(clean, noise), snr - 0.1, snr + 0.1);
        }
        Assert.Equal(4, RobustnessCorruption.StandardConditions.Count);
    }

    [Fact]
    public void Pipeline_noise_of_every_kind_hits_a_fixed_snr()
    {
        var items = TestAudio.Ravdess(perActor: 2, actors: 3);
        var dir = Directory.CreateTempSubdirectory("ser-noise-");
        try
        {
            var noiseFile = NoiseMixer.Colored(NoiseKind.Brown, 8000, new AugmentationRandom(3));
            for (var i = 0; i < noiseFile.Length; i++) noiseFile[i] *= 0.1f;
            SpeechEmotion.Audio.WavWriter.Write(Path.Combine(dir.FullName, "hum.wav"), noiseFile, 16000, SpeechEmotion.Audio.WavSampleFormat.Float32);
            var part = TestAudio.Part(items);
            foreach (var kind in Enum.GetValues<NoiseKind>())
            {
                var options = new AugmentationPipelineOptions
                {
                    Seed = 11,
                    Waveform = [new NoiseOptions { Probability = 1, Kinds = [kind], SnrDb = ParameterRange.Fixed(7.5), Folder = dir.FullName }],
                };
                var pipeline = new AugmentationPipeline(options, part);
                var clean = items[1].Load(16000);
                var r = pipeline.Apply(items[1].Id, clean, 16000, epoch: 2);
                var noise = new float[clean.Length];
                for (var i = 0; i < clean.Length; i++) noise[i] = r.Samples[i] - clean[i];
                Assert.InRange(NoiseMixer.SnrDb(clean, noise), 7.4, 7.6);
                Assert.Contains($"kind={kind.ToString().ToLowerInvariant()}", r.Description);
            }
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData(NoiseKind.White, 0.0)]
    [InlineData(NoiseKind.Pink, -3.0)]
    [InlineData(NoiseKind.Brown, -6.0)]
    public void Coloured_noise_has_its_spectral_slope(NoiseKind kind, double dbPerOctave)
    {
        var y = NoiseMixer.Colored(kind, 1 << 16, new AugmentationRandom(5));
        Assert.Equal(1.0, NoiseMixer.Rms(y), 3);
        var p = Stft.Power(y, new StftOptions { NFft = 1024, HopLength = 512 });
        var mean = new double[p.Bins];
        for (var t = 0; t < p.Frames; t++) for (var k = 0; k < p.Bins; k++) mean[k] += p.Data[t * p.Bins + k];
        // Least-squares slope of dB against log2(bin) over bins 8..256 (away from DC and the window's leakage floor).
        double sx = 0, sy = 0, sxx = 0, sxy = 0; var n = 0;
        for (var k = 8; k <= 256; k++)
        {
            double x = Math.Log2(k), v = 10 * Math.Log10(mean[k]);
            sx += x; sy += v; sxx += x * x; sxy += x * v; n++;
        }
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        Assert.InRange(slope, dbPerOctave - 0.5, dbPerOctave + 0.5);
    }

    [Fact]
    public void Babble_never_uses_the_utterance_or_its_speaker()
    {
        var items = TestAudio.Ravdess(perActor: 2, actors: 3);
        var babble = new BabbleSource(items);
        for (var s = 0; s < 20; s++)
        {
            babble.Make(1000, 16000, 5, items[0], new AugmentationRandom((ulong)s), out var used);
            Assert.DoesNotContain(items[0].Id, used);
            Assert.All(used, id => Assert.DoesNotContain("Actor_01", id));
            Assert.Equal(used.Count, used.Distinct().Count());
        }
        var lonely = new BabbleSource([items[0]]);
        Assert.Throws<AugmentationException>(() => lonely.Make(100, 16000, 3, items[0], new AugmentationRandom(1), out _));
    }

    [Fact]
    public void Silent_signal_gets_no_noise_and_bad_folder_is_reported()
    {
        var silent = new float[1000];
        var o = NoiseMixer.MixAtSnr(silent, NoiseMixer.Colored(NoiseKind.White, 100, new AugmentationRandom(1)), 10, out var g);
        Assert.Equal(0, g);
        Assert.All(o, v => Assert.Equal(0f, v));
        var ex = Assert.Throws<InvalidOptionsException>(() => new AugmentationPipelineOptions
        {
            Waveform = [new NoiseOptions { Kinds = [NoiseKind.File], Folder = "/nonexistent/noise" }],
        }.Validate());
        Assert.Contains("/nonexistent/noise", ex.Message);
    }
}
