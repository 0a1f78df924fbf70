using SpeechEmotion.Audio;
using SpeechEmotion.Corpora;
using SpeechEmotion.Features;

namespace SpeechEmotion.Tests.Corpora;

public class FeatureCacheTests
{
    private sealed class CountingSet(string json) : IFeatureSet
    {
        public int Calls;
        public string Name => "counting";
        public int Version => 1;
        public int SampleRate => 16000;
        public string ToJson() => json;
        public FeatureMatrix Extract(ReadOnlySpan<float> samples, int sampleRate)
        {
            Interlocked.Increment(ref Calls);
            var data = new float[] { samples.Length, samples[0], sampleRate, 1, 2, 3 };
            return new FeatureMatrix(2, 3, data, ["a", "b", "c"]);
        }
    }

    private static float[] Tone(int n, float f = 0.01f) => Enumerable.Range(0, n).Select(i => MathF.Sin(i * f)).ToArray();

    [Fact]
    public void Computes_once_and_is_shared_between_instances()
    {
        using var t = new TempTree();
        var set = new CountingSet("""{"name":"counting","version":1}""");
        var x = Tone(1000);
        var a = new FeatureCache(t.Root).GetOrCompute(x, 16000, set);
        var cache2 = new FeatureCache(t.Root);
        var b = cache2.GetOrCompute(x, 16000, set);
        Assert.Equal(1, set.Calls);
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(a.FeatureNames, b.FeatureNames);
        Assert.Equal((2, 3), (b.Frames, b.Features));
        Assert.Equal(new FeatureCacheStats(1, 0, 0), cache2.Stats);

        // Another definition (parameters differ) or other audio is another entry.
        var other = new CountingSet("""{"name":"counting","version":1,"n":2}""");
        cache2.GetOrCompute(x, 16000, other);
        cache2.GetOrCompute(Tone(1000, 0.02f), 16000, set);
        Assert.Equal((1, 2), (other.Calls, set.Calls));
        var info = FeatureCache.Inspect(t.Root);
        Assert.Equal(3, info.Entries);
        Assert.Equal(2, info.Sets.Count);
        Assert.All(info.Sets, s => Assert.StartsWith("counting-", s.Folder));
        Assert.Contains(info.Sets, s => s.DefinitionJson == """{"name":"counting","version":1,"n":2}""");
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("empty")]
    [InlineData("swap")]
    public void A_damaged_entry_is_detected_discarded_and_recomputed(string damage)
    {
        using var t = new TempTree();
        var set = new CountingSet("{}");
        var cache = new FeatureCache(t.Root);
        var x = Tone(500);
        var good = cache.GetOrCompute(x, 16000, set);
        var entry = Directory.GetFiles(t.Root, "*.sfc", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(entry);
        switch (damage)
        {
            case "flip": bytes[bytes.Length / 2] ^= 0x40; File.WriteAllBytes(entry, bytes); break;
            case "truncate": File.WriteAllBytes(entry, bytes[..(bytes.Length - 7)]); break;
            case "empty": File.WriteAllBytes(entry, []); break;
            case "swap":
                // A valid entry of other audio copied under this name: the embedded key does not match.
                cache.GetOrCompute(Tone(500, 0.3f), 16000, set);
                var otherEntry = Directory.GetFiles(t.Root, "*.sfc", SearchOption.AllDirectories).Single(f => f != entry);
                File.Copy(otherEntry, entry, overwrite: true);
                break;
        }
        Assert.Equal(1, FeatureCache.Inspect(t.Root, verify: true).Sets.Sum(s => s.Corrupt ?? 0) + (damage == "swap" ? 1 : 0));
        var calls = set.Calls;
        var again = new FeatureCache(t.Root);
        var m = again.GetOrCompute(x, 16000, set);
        Assert.Equal(good.Data, m.Data);
        Assert.Equal(calls + 1, set.Calls);
        Assert.Equal(1, again.Stats.CorruptDiscarded);
        again.GetOrCompute(x, 16000, set);
        Assert.Equal(calls + 1, set.Calls);
    }

    [Fact]
    public void Interrupted_writes_leave_only_ignored_temporaries_and_clear_removes_everything()
    {
        using var t = new TempTree();
        var set = new CountingSet("{}");
        var cache = new FeatureCache(t.Root);
        cache.GetOrCompute(Tone(300), 16000, set);
        var setDir = Directory.GetDirectories(t.Root).Single();
        File.WriteAllText(Path.Combine(t.Root, ".half-written.sfc.123.tmp"), "partial");
        Assert.Equal(1, FeatureCache.Inspect(t.Root).TemporaryFiles);
        Assert.Equal(1, FeatureCache.Inspect(t.Root).Entries);
        var (files, bytes) = FeatureCache.Clear(t.Root, "other-set");
        Assert.Equal(1, files); // only the temporary
        Assert.True(Directory.Exists(setDir));
        (files, bytes) = FeatureCache.Clear(t.Root);
        Assert.Equal(2, files); // entry + featureset.json
        Assert.True(bytes > 0);
        Assert.Equal(0, FeatureCache.Inspect(t.Root).Entries);
    }

    [Fact]
    public void Real_feature_set_on_a_real_file()
    {
        using var t = new TempTree();
        var set = FeatureSets.Create("logmel");
        var file = Directory.GetFiles(SharedData.Path("datasets/ravdess-speech-16k/Actor_02"), "*.wav").Order().First();
        var cache = new FeatureCache(t.Root);
        var a = cache.GetOrCompute(file, set);
        var b = new FeatureCache(t.Root).GetOrCompute(file, set);
        var audio = AudioReader.Read(file, new AudioReadOptions { TargetSampleRate = set.SampleRate });
        Assert.Equal(set.Extract(audio.Samples, audio.SampleRate).Data, b.Data);
        Assert.Equal(a.Data, b.Data);
        Assert.Throws<InvalidOptionsException>(() => cache.GetOrCompute("nothex", set, () => a));
    }
}
