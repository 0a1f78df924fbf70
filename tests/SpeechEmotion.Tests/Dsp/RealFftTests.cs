using SpeechEmotion.Dsp;

namespace SpeechEmotion.Tests.Dsp;

public class RealFftTests
{
    public static TheoryData<int> Sizes => new()
    {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 25, 30, 49, 53, 97, 100, 127, 128, 200, 256, 320, 400,
        441, 512, 640, 882, 1000, 1024, 1031, 2048, 4096,
    };

    private static float[] Signal(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Forward_matches_reference_dft(int n)
    {
        var x = Signal(n, n);
        var fft = new RealFft(n);
        var re = new float[n / 2 + 1]; var im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        var rr = new double[n / 2 + 1]; var ri = new double[n / 2 + 1];
        ReferenceDft.RealForward(x, rr, ri);
        // float32 FFT error grows like eps·sqrt(n)·log n relative to the signal's L2 norm
        var norm = Math.Sqrt(x.Sum(v => (double)v * v) * n);
        var tol = 2e-6 * norm * Math.Max(1, Math.Log2(n));
        for (var k = 0; k <= n / 2; k++)
        {
            Assert.True(Math.Abs(re[k] - rr[k]) <= tol, $"n={n} k={k} re {re[k]} vs {rr[k]}");
            Assert.True(Math.Abs(im[k] - ri[k]) <= tol, $"n={n} k={k} im {im[k]} vs {ri[k]}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Inverse_round_trips(int n)
    {
        var x = Signal(n, 1000 + n);
        var fft = new RealFft(n);
        var re = new float[n / 2 + 1]; var im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        var y = new float[n];
        fft.Inverse(re, im, y);
        var tol = 2e-6 * Math.Max(1, Math.Log2(n));
        for (var t = 0; t < n; t++) Assert.True(Math.Abs(x[t] - y[t]) <= tol, $"n={n} t={t}: {x[t]} vs {y[t]}");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(512)]
    [InlineData(1031)]
    public void Parseval_holds(int n)
    {
        var x = Signal(n, 7);
        var fft = new RealFft(n);
        var re = new float[n / 2 + 1]; var im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        double time = x.Sum(v => (double)v * v), freq = 0;
        for (var k = 0; k <= n / 2; k++)
        {
            var p = (double)re[k] * re[k] + (double)im[k] * im[k];
            var twice = k == 0 || (n % 2 == 0 && k == n / 2) ? 1 : 2;
            freq += twice * p;
        }
        Assert.Equal(time, freq / n, 1e-4 * time);
    }

    [Fact]
    public void Inverse_ignores_imaginary_dc_and_nyquist_like_numpy()
    {
        var fft = new RealFft(8);
        var re = new float[5] { 1, 0, 0, 0, 1 };
        var a = new float[8]; var b = new float[8];
        fft.Inverse(re, new float[5], a);
        fft.Inverse(re, new float[5] { 3, 0, 0, 0, -2 }, b);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(36)]
    [InlineData(1031)]
    public void Complex_fft_matches_reference(int n)
    {
        var rng = new Random(n);
        var xr = new float[n]; var xi = new float[n];
        for (var i = 0; i < n; i++) { xr[i] = (float)rng.NextDouble() - 0.5f; xi[i] = (float)rng.NextDouble() - 0.5f; }
        var (er, ei) = ReferenceDft.ComplexForward(xr.Select(v => (double)v).ToArray(), xi.Select(v => (double)v).ToArray());
        var fft = new ComplexFft<float>(n);
        fft.Forward(xr, xi);
        for (var k = 0; k < n; k++)
        {
            Assert.True(Math.Abs(xr[k] - er[k]) < 1e-4 * Math.Sqrt(n), $"k={k}");
            Assert.True(Math.Abs(xi[k] - ei[k]) < 1e-4 * Math.Sqrt(n), $"k={k}");
        }
    }

    [Theory]
    [InlineData(400)]
    [InlineData(512)]
    [InlineData(1031)]
    public void Double_precision_fft_matches_reference_to_1e12(int n)
    {
        var x = Signal(n, 5);
        var fft = new RealFft64(n);
        var re = new double[n / 2 + 1]; var im = new double[n / 2 + 1];
        fft.Forward(x.Select(v => (double)v).ToArray(), re, im);
        var rr = new double[n / 2 + 1]; var ri = new double[n / 2 + 1];
        ReferenceDft.RealForward(x, rr, ri);
        for (var k = 0; k <= n / 2; k++)
        {
            Assert.True(Math.Abs(re[k] - rr[k]) < 1e-10, $"k={k}");
            Assert.True(Math.Abs(im[k] - ri[k]) < 1e-10, $"k={k}");
        }
        var back = new double[n];
        fft.Inverse(re, im, back);
        for (var t = 0; t < n; t++) Assert.True(Math.Abs(back[t] - x[t]) < 1e-12);
    }

    [Fact]
    public void Rejects_bad_length()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(0));
        var fft = new RealFft(8);
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[7], new float[5], new float[5]));
    }
}
