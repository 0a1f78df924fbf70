using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>The blocked SIMD GEMM equals the naive reference on awkward sizes, every transpose
/// combination, every micro-kernel, with and without accumulation, on 1 and 2 threads.</summary>
[Collection("Nn")]
public class SgemmTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 3, 17, 63 }, { 17, 3, 257 }, { 63, 257, 17 }, { 257, 63, 3 }, { 1, 257, 63 }, { 257, 1, 17 }, { 100, 300, 270 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesReference(int m, int n, int k)
    {
        var rng = new SplitMix((ulong)(m * 1000003 + n * 1009 + k));
        var isas = new List<GemmIsa> { GemmIsa.Scalar };
        if (Sgemm.BestIsa >= GemmIsa.Avx2) isas.Add(GemmIsa.Avx2);
        if (Sgemm.BestIsa >= GemmIsa.Avx512) isas.Add(GemmIsa.Avx512);
        var saved = (Sgemm.Isa, Parallelism.Threads);
        try
        {
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    // Leading dimensions larger than the logical width exercise the strides.
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
                    var a = Fill(ref rng, (ta ? k : m) * lda);
                    var b = Fill(ref rng, (tb ? n : k) * ldb);
                    var c0 = Fill(ref rng, m * ldc);
                    foreach (bool acc in new[] { false, true })
                    {
                        var expected = (float[])c0.Clone();
                        Sgemm.Reference(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, acc);
                        foreach (var isa in isas)
                            foreach (int threads in new[] { 1, 2 })
                            {
                                Sgemm.Isa = isa;
                                Parallelism.Threads = threads;
                                var c = (float[])c0.Clone();
                                Sgemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc);
                                for (int i = 0; i < m; i++)
                                    for (int j = 0; j < n; j++)
                                    {
                                        float e = expected[i * ldc + j], g = c[i * ldc + j];
                                        Assert.True(Math.Abs(e - g) <= 1e-5f * (k + 1) * (1 + Math.Abs(e)),
                                            $"{isa} ta={ta} tb={tb} acc={acc} threads={threads} C[{i},{j}] = {g}, expected {e}");
                                    }
                                for (int i = 0; i < m; i++)
                                    for (int j = n; j < ldc; j++) Assert.Equal(c0[i * ldc + j], c[i * ldc + j]);
                            }
                    }
                }
        }
        finally
        {
            (Sgemm.Isa, Parallelism.Threads) = saved;
        }
    }

    [Fact]
    public void DeterministicAcrossThreadCounts()
    {
        var rng = new SplitMix(7);
        int m = 96, n = 700, k = 300;
        var a = Fill(ref rng, m * k); var b = Fill(ref rng, k * n);
        var c1 = new float[m * n]; var c2 = new float[m * n];
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 1;
            Sgemm.Multiply(false, false, m, n, k, a, k, b, n, c1, n, false);
            Parallelism.Threads = 2;
            Sgemm.Multiply(false, false, m, n, k, a, k, b, n, c2, n, false);
        }
        finally { Parallelism.Threads = saved; }
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void ShortSpanIsRejected()
    {
        var a = new float[6]; var b = new float[6]; var c = new float[3];
        var ex = Assert.Throws<ArgumentException>(() => Sgemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false));
        Assert.Contains("C", ex.Message);
    }

    [Theory]
    [InlineData(32, 256, 88, true, 1)]
    [InlineData(5, 37, 300, false, 2)]
    [InlineData(64, 512, 128, true, 2)]
    public void PackCacheReusesBUntilItChanges(int m, int n, int k, bool transB, int threads)
    {
        int saved = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            var rng = new SplitMix(7);
            var a = Fill(ref rng, m * k); var b = Fill(ref rng, n * k);
            var cache = new GemmPackCache();
            var expected = new float[m * n]; var actual = new float[m * n];
            for (int round = 0; round < 3; round++)
            {
                if (round == 2) b[k * n / 2] += 0.25f; // a changed B must be repacked, never served stale
                Sgemm.Multiply(false, transB, m, n, k, a, k, b, transB ? k : n, expected, n, false);
                Sgemm.Multiply(false, transB, m, n, k, a, k, b, transB ? k : n, actual, n, false, cache);
                Assert.Equal(expected, actual);
            }
            Assert.Equal(2, cache.Packs);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    private static float[] Fill(ref SplitMix rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rng.NextFloat() * 2 - 1;
        return v;
    }
}
