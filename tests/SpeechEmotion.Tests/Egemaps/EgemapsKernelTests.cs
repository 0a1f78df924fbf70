using System.Numerics;
using SpeechEmotion.Audio;
using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Tests.Egemaps;

/// <summary>The vector kernels of the eGeMAPS pipeline against their plain scalar versions, on real speech.</summary>
public sealed class EgemapsKernelTests
{
    private static float[] Speech() => AudioReader.Read(SharedData.Path("reference/audio/espeak_en_16k.wav")).Samples;

    public static TheoryData<bool> StrictRight => [true, false];

    [Theory]
    [MemberData(nameof(StrictRight))]
    public void LocalMaximaEqualTheScalarScan(bool strictRight)
    {
        var rng = new Random(7);
        for (int n = 1; n < 140; n++)
        {
            // Coarse values make plateaus, where the strict and non-strict rules differ; NaN is never a maximum.
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = rng.Next(6);
            if (n > 10) x[rng.Next(n)] = float.NaN;
            var a = new int[n / 2 + 2]; var b = new int[n / 2 + 2];
            int ca = LocalMaxima.Find(x, strictRight, a), cb = LocalMaxima.FindScalar(x, strictRight, b);
            Assert.Equal(cb, ca);
            Assert.Equal(b.AsSpan(0, cb).ToArray(), a.AsSpan(0, ca).ToArray());
        }
    }

    [Fact]
    public void SpectrumSmoothingEqualsTheScalarLoopBitForBit()
    {
        var x = Speech().AsSpan(8000, 513).ToArray();
        var a = new double[x.Length]; var b = new double[x.Length];
        ShsPitch.Smooth121(x, a);
        ShsPitch.Smooth121Scalar(x, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void LaggedCrossCorrelationsEqualTheScalarLoopBitForBit()
    {
        var x = Speech();
        for (int start = 4000; start < 20000; start += 997)
        {
            var seg = x.AsSpan(start, 600);
            foreach (var (tMin, count) in new[] { (40, 11), (72, 17), (130, 29), (180, 40) })
            {
                var cc = new double[count];
                JitterShimmer.CrossCorrelations(seg, tMin, count, cc);
                for (int k = 0; k < count; k++)
                {
                    int t = tMin + k;
                    Assert.Equal(JitterShimmer.CrossCorrelationScalar(seg[..t], seg.Slice(t, t)), cc[k]);
                }
            }
        }
    }

    [Fact]
    public void VectorLoudnessMatchesTheScalarLoudness()
    {
        var rng = new Random(3);
        var bands = Enumerable.Range(0, 26).Select(_ => (float)Math.Pow(10, rng.NextDouble() * 12 - 10)).ToArray();
        bands[4] = 0f;
        var w = Enumerable.Range(0, 26).Select(i => (float)AuditoryDescriptors.EqualLoudnessWeight(100 + 300 * i)).ToArray();
        float scalar = AuditoryDescriptors.Loudness(bands, w);
        float vector = AuditoryDescriptors.Loudness(bands, w, new float[26]);
        Assert.InRange(vector, scalar * (1 - 1e-5f), scalar * (1 + 1e-5f));
    }

    [Fact]
    public void BatchedLongFramesMatchTheSingleFrameAnalysis()
    {
        var x = Speech();
        var batched = new LongFrameAnalyzer(16000);
        var single = new LongFrameAnalyzer(16000);
        int bins = batched.Bins, batch = batched.BatchSize;
        var starts = Enumerable.Range(0, batch).Select(f => 3000 + 160 * f * 7).ToArray();
        // A full batch and a partial one (lanes left over from the full batch must not leak).
        foreach (int count in new[] { batch, Math.Max(1, batch - 3) })
        {
            var mags = new float[batch * bins]; var rms = new float[batch];
            batched.AnalyzeFrames(x, starts.AsSpan(0, count), mags, rms);
            for (int f = 0; f < count; f++)
            {
                float r = single.Analyze(x.AsSpan(starts[f], single.FrameLength));
                Assert.InRange(rms[f], r * (1 - 1e-5f), r * (1 + 1e-5f));
                float peak = 0;
                foreach (var v in single.Magnitude) peak = Math.Max(peak, v);
                for (int k = 0; k < bins; k++) Assert.True(Math.Abs(mags[f * bins + k] - single.Magnitude[k]) <= 1e-5f * peak, $"frame {f} bin {k}");
            }
        }
    }

    [Fact]
    public void PolynomialRootsAreFoundColdAndWarm()
    {
        // (z − 0.9e^{±i0.3})(z − 0.7e^{±i1.2})(z − 0.5)(z + 0.8): LPC-like, all inside the unit circle.
        var expected = new[] { Complex.FromPolarCoordinates(0.9, 0.3), Complex.FromPolarCoordinates(0.9, -0.3), Complex.FromPolarCoordinates(0.7, 1.2), Complex.FromPolarCoordinates(0.7, -1.2), new Complex(0.5, 0), new Complex(-0.8, 0) };
        var poly = new Complex[] { 1 };
        foreach (var r in expected)
        {
            var next = new Complex[poly.Length + 1];
            for (int i = 0; i < poly.Length; i++) { next[i] += poly[i]; next[i + 1] -= r * poly[i]; }
            poly = next;
        }
        var c = poly.Select(p => p.Real).ToArray();
        var roots = new Complex[expected.Length];
        PolynomialRoots.Solve(c, roots);
        AssertSameRoots(expected, roots);
        // Warm start from slightly moved roots (the previous frame's).
        for (int i = 0; i < roots.Length; i++) roots[i] *= new Complex(1.01, 0.02);
        PolynomialRoots.Solve(c, roots, warmStart: true);
        AssertSameRoots(expected, roots);
    }

    private static void AssertSameRoots(Complex[] expected, Complex[] actual)
    {
        foreach (var e in expected)
            Assert.True(actual.Min(a => (a - e).Magnitude) < 1e-9, $"root {e} not found in {string.Join(", ", actual)}");
    }
}

/// <summary>The gathered spline evaluation of the SHS pitch analysis against its scalar loop.</summary>
public sealed class ShsSplineKernelTests
{
    [Fact]
    public void GatheredSplineEqualsTheScalarLoopBitForBit()
    {
        var shs = new ShsPitch(513, 16000.0 / 1024);
        var rng = new Random(11);
        var y = Enumerable.Range(0, 513).Select(_ => (rng.NextDouble() - 0.3) * 0.05).ToArray();
        var y2 = Enumerable.Range(0, 513).Select(_ => (rng.NextDouble() - 0.5) * 2.0).ToArray();
        var a = new float[513]; var b = new float[513];
        shs.EvaluateSpline(y, y2, a);
        shs.EvaluateSplineScalar(y, y2, b);
        Assert.Equal(b, a);
        Assert.Contains(b, v => v == 0f); // the negative values' branch is exercised
    }
}
