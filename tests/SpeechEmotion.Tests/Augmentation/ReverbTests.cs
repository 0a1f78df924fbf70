using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Tests.Augmentation;

public class ReverbTests
{
    [Theory]
    [InlineData(0.2, 10.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.8, 5.0)]
    [InlineData(1.5, -5.0)]
    public void Synthetic_rir_has_the_requested_rt60(double rt60, double drr)
    {
        for (var seed = 0UL; seed < 3; seed++)
        {
            var h = Reverb.SyntheticImpulseResponse(16000, rt60, drr, new AugmentationRandom(seed));
            var t20 = Reverb.MeasureRt60(h, 16000, 20);
            var t30 = Reverb.MeasureRt60(h, 16000, 30);
            Assert.InRange(t20, 0.9 * rt60, 1.1 * rt60);
            Assert.InRange(t30, 0.9 * rt60, 1.1 * rt60);
            Assert.Equal(1.0, NoiseMixer.Energy(h), 4);
        }
    }

    [Fact]
    public void Fft_convolution_equals_direct_convolution()
    {
        var rng = new AugmentationRandom(9);
        var a = new float[1000]; var b = new float[137];
        rng.FillGaussian(a); rng.FillGaussian(b);
        var fast = Reverb.Convolve(a, b, a.Length + b.Length - 1);
        for (var n = 0; n < fast.Length; n++)
        {
            double s = 0;
            for (var k = Math.Max(0, n - a.Length + 1); k <= Math.Min(n, b.Length - 1); k++) s += (double)a[n - k] * b[k];
            Assert.True(Math.Abs(s - fast[n]) < 1e-3, $"n={n}: {s} vs {fast[n]}");
        }
    }

    [Fact]
    public void Reverberated_speech_keeps_length_and_level_range()
    {
        var y = TestAudio.Speech;
        var h = Reverb.SyntheticImpulseResponse(16000, 0.6, 0, new AugmentationRandom(1));
        var o = Reverb.Apply(y, h);
        Assert.Equal(y.Length, o.Length);
        Assert.True(o.Max(Math.Abs) <= 1f);
        Assert.All(o, v => Assert.True(float.IsFinite(v)));
        Assert.Throws<InvalidOptionsException>(() => Reverb.SyntheticImpulseResponse(16000, 10, 0, new AugmentationRandom(1)));
    }
}

public class FftSizeTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(7, 8)]
    [InlineData(11, 12)]
    [InlineData(59_000, 60_000)]
    [InlineData(131_073, 131_220)]
    public void Fast_size_is_the_next_even_5_smooth_number(int n, int expected) => Assert.Equal(expected, Reverb.FastFftSize(n));
}
