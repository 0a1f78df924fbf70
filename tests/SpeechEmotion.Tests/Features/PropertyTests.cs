using SpeechEmotion.Dsp;
using SpeechEmotion.Features;

namespace SpeechEmotion.Tests.Features;

/// <summary>Properties librosa's own tests keep, and SIMD kernels against their scalar twins.</summary>
public class PropertyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Slaney_normalised_filters_have_unit_area(bool htk)
    {
        var fb = new MelFilterbank(new MelOptions { SampleRate = 16000, NFft = 8192, NMels = 40, Htk = htk });
        var df = 16000.0 / 8192;
        var w = fb.Weights();
        for (var m = 0; m < fb.Mels; m++)
        {
            double area = 0;
            for (var k = 0; k < fb.Bins; k++) area += w[m * fb.Bins + k] * df;
            Assert.InRange(area, 0.98, 1.02);
        }
    }

    [Theory]
    [InlineData(16000, 512, 64, false)]
    [InlineData(22050, 2048, 128, false)]
    [InlineData(16000, 2048, 40, true)]
    public void Filter_peaks_lie_within_one_bin_of_their_centre(int sr, int nFft, int nMels, bool htk)
    {
        var o = new MelOptions { SampleRate = sr, NFft = nFft, NMels = nMels, Htk = htk, Norm = MelNorm.None };
        var fb = new MelFilterbank(o);
        var centres = MelScale.MelFrequencies(nMels + 2, 0, sr / 2.0, htk);
        var w = fb.Weights();
        var df = (double)sr / nFft;
        for (var m = 0; m < nMels; m++)
        {
            var row = w.AsSpan(m * fb.Bins, fb.Bins);
            var best = 0;
            for (var k = 1; k < fb.Bins; k++) if (row[k] > row[best]) best = k;
            if (row[best] == 0) continue; // band narrower than a bin: librosa warns about empty filters
            Assert.True(Math.Abs(best * df - centres[m + 1]) <= df, $"band {m}: peak at {best * df} Hz, centre {centres[m + 1]} Hz");
        }
    }

    [Fact]
    public void Mel_scale_round_trips_and_matches_known_values()
    {
        Assert.Equal(15.0, MelScale.HzToMel(1000, htk: false), 1e-12);
        Assert.Equal(999.98553713962, MelScale.HzToMel(1000, htk: true), 1e-6);
        foreach (var f in new[] { 0.0, 100, 999, 1000, 4000, 11025 })
        {
            Assert.Equal(f, MelScale.MelToHz(MelScale.HzToMel(f, false), false), 1e-9);
            Assert.Equal(f, MelScale.MelToHz(MelScale.HzToMel(f, true), true), 1e-9);
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(64)]
    public void Orthonormal_dct_is_orthogonal_and_type3_inverts_type2(int n)
    {
        var d2 = new Dct(n, n, DctType.Type2).Matrix();
        var d3 = new Dct(n, n, DctType.Type3).Matrix();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                double dot = 0, prod = 0;
                for (var k = 0; k < n; k++) { dot += d2[i * n + k] * d2[j * n + k]; prod += d3[i * n + k] * d2[k * n + j]; }
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-5);
                Assert.Equal(i == j ? 1.0 : 0.0, prod, 1e-5);
            }
    }

    [Fact]
    public void Unnormalised_dct2_matches_scipy_definition()
    {
        // scipy.fftpack.dct([1, 2, 3, 4]) = [20, -6.30864406, 0, -0.44834153]
        var y = new float[4];
        new Dct(4, 4, DctType.Type2, DctNorm.None).Apply([1, 2, 3, 4], y);
        Assert.Equal(new[] { 20.0, -6.30864406, 0, -0.44834153 }, y.Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Simd_kernels_equal_their_scalar_versions()
    {
        var rng = new Random(11);
        var re = Enumerable.Range(0, 1025).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var im = Enumerable.Range(0, 1025).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] a = new float[1025], b = new float[1025];
        Spectra.Power(re, im, a);
        Spectra.PowerScalar(re, im, b);
        Assert.Equal(b, a); // element-wise, no reassociation: bit-identical

        var fb = new MelFilterbank(new MelOptions { SampleRate = 22050, NFft = 2048, NMels = 128 });
        float[] m1 = new float[128], m2 = new float[128];
        fb.Apply(a, m1);
        fb.ApplyScalar(a, m2);
        for (var i = 0; i < 128; i++) Assert.Equal(m2[i], m1[i], Math.Abs(m2[i]) * 1e-5 + 1e-9);

        var dct = new Dct(128, 40);
        float[] d1 = new float[40], d2 = new float[40];
        dct.Apply(m1, d1);
        dct.ApplyScalar(m1, d2);
        for (var i = 0; i < 40; i++) Assert.Equal(d2[i], d1[i], 1e-4);
    }

    [Fact]
    public void Vectorised_sign_change_count_equals_scalar()
    {
        var rng = new Random(4);
        var y = Enumerable.Range(0, 3000).Select(i => i % 97 == 0 ? 0f : (float)(rng.NextDouble() - 0.5)).ToArray();
        foreach (var (lo, hi) in new[] { (1, 2999), (5, 12), (17, 400), (1, 1), (100, 99) })
            Assert.Equal(TimeDomain.SignChangesScalar(y, lo, hi), TimeDomain.SignChanges(y, lo, hi));
    }

    [Fact]
    public void Batched_mel_spectrogram_equals_per_frame_path()
    {
        var s = LibrosaReference.Get("ravdess_a01_angry", "sr16000");
        foreach (var nFft in new[] { 400, 512, 640 })
        {
            var stft = new Stft(new StftOptions { NFft = nFft, HopLength = 160, WinLength = 400 });
            Assert.NotNull(stft.Batch);
            var fb = new MelFilterbank(new MelOptions { SampleRate = 16000, NFft = nFft, NMels = 40 });
            var frames = stft.CheckedFrames(s.Signal);
            var a = new float[frames * 40]; var b = new float[frames * 40];
            MelSpectrogram.FillBatched(stft, fb, s.Signal, frames, 2.0, a);
            MelSpectrogram.FillPerFrame(stft, fb, s.Signal, frames, 2.0, b);
            var max = b.Max();
            for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * max, $"n_fft {nFft} value {i}: {a[i]} vs {b[i]}");
        }
    }

    [Fact]
    public void Rms_from_a_rectangular_spectrogram_equals_time_domain_rms()
    {
        var rng = new Random(9);
        var y = Enumerable.Range(0, 4000).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var o = new StftOptions { NFft = 400, HopLength = 160, Window = WindowKind.Rectangular, Center = false };
        var fromSpec = TimeDomain.RmsFromSpectrogram(Stft.Magnitude(y, o), 400);
        var fromTime = TimeDomain.Rms(y, 400, 160, center: false);
        Assert.Equal(fromTime.Length, fromSpec.Length);
        for (var t = 0; t < fromTime.Length; t++) Assert.Equal(fromTime[t], fromSpec[t], 1e-5);
    }

    [Fact]
    public void Power_to_db_clips_at_top_db_below_the_maximum()
    {
        float[] x = [1f, 1e-3f, 1e-12f, 0f];
        Decibels.PowerToDb(x, topDb: 20);
        Assert.Equal(new[] { 0f, -20f, -20f, -20f }, x);
        float[] y = [10f, 0.1f];
        Decibels.AmplitudeToDb(y, topDb: null);
        Assert.Equal(20f, y[0], 1e-5);
        Assert.Equal(-20f, y[1], 1e-5);
    }

    private sealed class ToleranceComparer(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tol;
        public int GetHashCode(double obj) => 0;
    }
}
