using SpeechEmotion.Audio;
using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Tests.Augmentation;

public class MaterializerTests
{
    [Fact]
    public void Offline_copies_remember_their_source_and_do_not_depend_on_parallelism()
    {
        var items = TestAudio.Ravdess(perActor: 1, actors: 3);
        var pipeline = new AugmentationPipeline(AugmentationRecipes.Default with { Seed = 77 }, TestAudio.Part(items));
        var d1 = Directory.CreateTempSubdirectory("ser-aug-");
        var d2 = Directory.CreateTempSubdirectory("ser-aug-");
        try
        {
            var copies = AugmentationMaterializer.Materialize(pipeline, d1.FullName, 2, 16000, maxParallelism: 1);
            AugmentationMaterializer.Materialize(pipeline, d2.FullName, 2, 16000, maxParallelism: 3);
            Assert.Equal(6, copies.Count);
            var manifest = AugmentationMaterializer.ReadManifest(Path.Combine(d1.FullName, AugmentationMaterializer.ManifestName));
            Assert.Equal(copies.Select(c => c.Id), manifest.Select(c => c.Id));
            for (var i = 0; i < copies.Count; i++)
            {
                var c = manifest[i];
                var src = items[i / 2];
                Assert.Equal(src.Id, c.SourceUtterance);
                Assert.Equal(src.Id + $"#aug{i % 2}", c.Id);
                Assert.Equal(Path.GetFullPath(src.Path!), c.SourcePath);
                Assert.Equal(src.Metadata!["label"], c.Metadata!["label"]);
                Assert.Equal(copies[i].Transforms, c.Transforms);
                var a = AudioReader.Read(Path.Combine(d1.FullName, c.Path)).Samples;
                var b = AudioReader.Read(Path.Combine(d2.FullName, c.Path)).Samples;
                Assert.Equal(a, b);
                // The copy is what the pipeline gives on the fly for epoch = copy index (up to 16-bit rounding).
                var live = pipeline.Apply(src.Id, c.Copy, 16000).Samples;
                Assert.Equal(live.Length, a.Length);
                Assert.True(live.Zip(a).All(p => Math.Abs(p.First - p.Second) <= 1.0 / 32768 + 1e-6));
            }
            Assert.Equal(File.ReadAllText(Path.Combine(d1.FullName, AugmentationMaterializer.ManifestName)),
                         File.ReadAllText(Path.Combine(d2.FullName, AugmentationMaterializer.ManifestName)));
            Assert.Empty(Directory.GetFiles(d1.FullName, "*.tmp"));
        }
        finally { d1.Delete(true); d2.Delete(true); }
    }

    [Fact]
    public void Bad_manifest_line_is_named()
    {
        var f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, "{\"id\":\"a#aug0\",\"path\":\"a.wav\",\"source_utterance\":\"a\",\"seed\":\"1\",\"transforms\":\"none\"}\n{\"id\": 3}\n");
            var ex = Assert.Throws<AugmentationException>(() => AugmentationMaterializer.ReadManifest(f));
            Assert.Contains(":2:", ex.Message);
        }
        finally { File.Delete(f); }
    }
}

public class RobustnessSetTests
{
    [Fact]
    public void Corrupted_test_sets_are_written_with_traceable_manifests()
    {
        var items = TestAudio.Ravdess(perActor: 1, actors: 3);
        var dir = Directory.CreateTempSubdirectory("ser-robust-");
        try
        {
            var sets = RobustnessCorruption.WriteSets(items, 16000, dir.FullName);
            Assert.Equal(["babble-0dB", "babble-10dB", "pink-0dB", "pink-10dB"], sets.Keys);
            foreach (var (name, records) in sets)
            {
                var manifest = AugmentationMaterializer.ReadManifest(Path.Combine(dir.FullName, name, AugmentationMaterializer.ManifestName));
                Assert.Equal(items.Select(i => i.Id), manifest.Select(m => m.SourceUtterance));
                var snr = name.Contains("-10dB") ? 10.0 : 0.0;
                var clean = items[0].Load(16000);
                var noisy = AudioReader.Read(Path.Combine(dir.FullName, name, manifest[0].Path)).Samples;
                var noise = clean.Zip(noisy, (c, n) => n - c).ToArray();
                Assert.InRange(NoiseMixer.SnrDb(clean, noise), snr - 0.1, snr + 0.1); // 16-bit rounding included
            }
        }
        finally { dir.Delete(true); }
    }
}
