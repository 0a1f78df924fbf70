using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Tests.Augmentation;

public class TimeWarpTests
{
    // A time ramp (every feature of frame t holds t) shows the warp's time mapping directly.
    private static float[] Ramp(int frames, int features) =>
        Enumerable.Range(0, frames * features).Select(i => (float)(i / features)).ToArray();

    [Fact]
    public void Warp_moves_the_anchor_keeps_the_ends_and_stays_monotonic()
    {
        const int frames = 100, features = 3;
        var data = Ramp(frames, features);
        FeatureAugmentation.TimeWarp(data, frames, features, from: 40, to: 55);
        Assert.Equal(0f, data[0]);
        Assert.Equal(99f, data[99 * features]);
        Assert.Equal(40f, data[55 * features], 4);                          // output frame 55 shows input frame 40
        Assert.Equal(40.0 * 20 / 55, data[20 * features], 4);               // left side stretched by 55/40
        Assert.Equal(40 + (80 - 55) * 59.0 / 44, data[80 * features], 4);   // right side squeezed by 44/59
        for (var t = 1; t < frames; t++)
        {
            Assert.True(data[t * features] >= data[(t - 1) * features]);
            Assert.Equal(data[t * features], data[t * features + 2]);       // every feature of a frame moves together
        }
    }

    [Fact]
    public void SpecAugment_time_warp_is_seeded_bounded_and_off_by_default()
    {
        const int frames = 120, features = 8;
        var options = new SpecAugmentOptions { FrequencyMasks = 0, TimeMasks = 0, TimeWarp = 10 };
        var a = Ramp(frames, features); var b = Ramp(frames, features);
        var da = FeatureAugmentation.SpecAugment(a, frames, features, options, new AugmentationRandom(5));
        var db = FeatureAugmentation.SpecAugment(b, frames, features, options, new AugmentationRandom(5));
        Assert.Equal(a, b);
        Assert.Equal(da, db);
        // Nothing moves by more than W frames.
        for (var t = 0; t < frames; t++) Assert.InRange(a[t * features] - t, -10.0001f, 10.0001f);
        var warped = 0;
        for (var s = 0UL; s < 20; s++)
        {
            var c = Ramp(frames, features);
            if (FeatureAugmentation.SpecAugment(c, frames, features, options, new AugmentationRandom(s)).Contains("warp")) warped++;
            Assert.All(c, v => Assert.InRange(v, 0f, frames - 1));
        }
        Assert.True(warped >= 15, $"only {warped} of 20 draws warped");
        var plain = Ramp(frames, features);
        FeatureAugmentation.SpecAugment(plain, frames, features, new SpecAugmentOptions { FrequencyMasks = 0, TimeMasks = 0 }, new AugmentationRandom(5));
        Assert.Equal(Ramp(frames, features), plain);
        Assert.Equal(10, AugmentationYaml.Parse("specaugment: {time_warp: 10}").SpecAugment!.TimeWarp);
        Assert.Contains(Assert.Throws<InvalidOptionsException>(() => AugmentationYaml.Parse("specaugment: {time_warp: -1}")).Problems, p => p.Contains("time_warp"));
    }
}
