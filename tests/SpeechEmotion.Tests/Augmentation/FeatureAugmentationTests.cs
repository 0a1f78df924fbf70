using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Tests.Augmentation;

public class FeatureAugmentationTests
{
    [Fact]
    public void SpecAugment_masks_stay_within_their_bounds()
    {
        const int frames = 300, features = 64;
        var options = new SpecAugmentOptions { MaskValue = MaskValue.Zero, FrequencyMasks = 2, FrequencyMaskWidth = 8, TimeMasks = 2, TimeMaskWidth = 40, MaxTimeFraction = 0.1 };
        for (var s = 0UL; s < 50; s++)
        {
            var data = Enumerable.Repeat(1f, frames * features).ToArray();
            FeatureAugmentation.SpecAugment(data, frames, features, options, new AugmentationRandom(s));
            var maskedCols = Enumerable.Range(0, features).Count(f => Enumerable.Range(0, frames).All(t => data[t * features + f] == 0));
            var maskedRows = Enumerable.Range(0, frames).Count(t => Enumerable.Range(0, features).All(f => data[t * features + f] == 0));
            Assert.InRange(maskedCols, 0, 16);
            Assert.InRange(maskedRows, 0, 60); // min(40, 0.1·300) = 30 per mask
            var zeros = data.Count(v => v == 0);
            Assert.Equal(zeros, maskedCols * frames + maskedRows * features - maskedCols * maskedRows);
        }
        var m = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        FeatureAugmentation.SpecAugment(m, 5, 4, new SpecAugmentOptions { FrequencyMasks = 1, FrequencyMaskWidth = 4, TimeMasks = 0 }, new AugmentationRandom(3));
        Assert.All(m, v => Assert.True(v == 9.5f || Enumerable.Range(0, 20).Contains((int)v)));
    }

    [Fact]
    public void Mixup_mixes_inputs_and_labels_with_one_lambda()
    {
        const int n = 8, d = 5, c = 3;
        var rng = new AugmentationRandom(4);
        var x = new float[n * d]; rng.FillGaussian(x);
        var y = new float[n * c];
        for (var i = 0; i < n; i++) FeatureAugmentation.OneHot(i % c, c).CopyTo(y, i * c);
        var xo = new float[x.Length]; var yo = new float[y.Length]; var perm = new int[n];
        var lambda = FeatureAugmentation.MixBatch(x, y, n, 0.4, xo, yo, perm, new AugmentationRandom(9));
        Assert.InRange(lambda, 0f, 1f);
        Assert.Equal(Enumerable.Range(0, n), perm.Order());
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(1.0, yo.AsSpan(i * c, c).ToArray().Sum(), 5);
            for (var k = 0; k < d; k++) Assert.Equal(lambda * x[i * d + k] + (1 - lambda) * x[perm[i] * d + k], xo[i * d + k], 5);
        }
        var a = new float[37]; var b = new float[37]; rng.FillGaussian(a); rng.FillGaussian(b);
        var simd = new float[37]; var scalar = new float[37];
        FeatureAugmentation.Mix(a, b, 0.3f, simd);
        FeatureAugmentation.MixScalar(a, b, 0.3f, scalar);
        for (var i = 0; i < 37; i++) Assert.Equal(scalar[i], simd[i], 5);
    }

    [Fact]
    public void Pipeline_feature_draws_are_seeded_per_epoch_and_utterance()
    {
        var items = TestAudio.Ravdess(perActor: 1, actors: 2);
        var options = new AugmentationPipelineOptions { Seed = 3, SpecAugment = new SpecAugmentOptions(), Mixup = new MixupOptions() };
        var p = new AugmentationPipeline(options, TestAudio.Part(items));
        string? Mask(string id, int epoch) => p.ApplyFeatures(id, epoch, new float[200 * 64], 200, 64);
        Assert.Equal(Mask(items[0].Id, 0), Mask(items[0].Id, 0));
        Assert.NotEqual(Mask(items[0].Id, 0), Mask(items[0].Id, 1));
        Assert.NotEqual(Mask(items[0].Id, 0), Mask(items[1].Id, 0));
        var ids = items.Select(i => i.Id).ToArray();
        var x = new float[] { 1, 2, 3, 4 }; var y = new float[] { 1, 0, 0, 1 };
        var xo = new float[4]; var yo = new float[4]; var perm = new int[2];
        var l1 = p.MixBatch(ids, 0, 5, x, y, xo, yo, perm);
        var l2 = p.MixBatch(ids, 0, 5, x, y, xo, yo, perm);
        Assert.Equal(l1, l2);
        var none = new AugmentationPipeline(new AugmentationPipelineOptions(), TestAudio.Part(items));
        Assert.Equal(1f, none.MixBatch(ids, 0, 0, x, y, xo, yo, perm));
        Assert.Equal(x, xo);
        Assert.Null(none.ApplyFeatures(ids[0], 0, new float[4], 2, 2));
    }
}

public class FeatureMatrixAugmentationTests
{
    [Fact]
    public void SpecAugment_on_a_real_log_mel_matrix_masks_in_place()
    {
        var items = TestAudio.Ravdess(perActor: 1, actors: 2);
        var set = SpeechEmotion.Features.FeatureSets.Create("logmel");
        var m = set.Extract(items[0].Load(set.SampleRate), set.SampleRate);
        var before = (float[])m.Data.Clone();
        var p = new AugmentationPipeline(new AugmentationPipelineOptions { SpecAugment = new SpecAugmentOptions { FrequencyMasks = 2, FrequencyMaskWidth = 8, TimeMasks = 2 } }, TestAudio.Part(items));
        string? d = null;
        for (var e = 0; d is null || d == "specaugment()"; e++) { m.Data.AsSpan().Clear(); before.CopyTo(m.Data, 0); d = p.ApplyFeatures(items[0].Id, e, m); }
        var mean = before.Average();
        var changed = m.Data.Where((v, i) => v != before[i]).ToArray();
        Assert.NotEmpty(changed);
        Assert.All(changed, v => Assert.Equal(mean, v, 3));
    }
}
