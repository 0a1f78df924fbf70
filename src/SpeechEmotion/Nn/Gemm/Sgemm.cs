using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SpeechEmotion.Nn;

/// <summary>Which micro-kernel the GEMM uses.</summary>
public enum GemmIsa
{
    /// <summary>Plain C# loops (any CPU).</summary>
    Scalar,
    /// <summary>256-bit AVX2 with FMA, 6×16 register tile.</summary>
    Avx2,
    /// <summary>512-bit AVX-512F, 8×32 register tile.</summary>
    Avx512,
}

/// <summary>
/// Single-precision matrix multiply on row-major matrices: C = op(A)·op(B) (+ C when accumulating),
/// op(A) m×k, op(B) k×n. Blocked for the caches (KC×NC panels of B, MC×KC blocks of A packed into
/// micro-panels) with a register-tiled SIMD micro-kernel; the columns (or rows, when taller) are
/// split into fixed parts across <see cref="Parallelism.Threads"/>, so the result does not depend on
/// the thread count or timing.
/// </summary>
public static unsafe partial class Sgemm
{
    private const int KC = 256, MC = 96, NC = 3072;

    internal const int DepthBlock = KC, ColumnBlock = NC;

    internal static int TileNr(GemmIsa isa) => Tile(isa).nr;

    internal static void PackPanelsB(bool trans, float* b, int ldb, int p0, int j0, int kc, int nc, int nr, float* dst) =>
        PackB(trans, b, ldb, p0, j0, kc, nc, nr, dst);

    /// <summary>The best micro-kernel this CPU supports.</summary>
    public static GemmIsa BestIsa { get; } =
        Avx512F.IsSupported ? GemmIsa.Avx512 : Fma.IsSupported && Avx2.IsSupported ? GemmIsa.Avx2 : GemmIsa.Scalar;

    /// <summary>The micro-kernel in use (tests switch it to compare with the scalar one).</summary>
    public static GemmIsa Isa { get; set; } = BestIsa;

    /// <summary>C[m×n] = op(A)·op(B) (+ C when <paramref name="accumulate"/>), all row-major with leading
    /// dimensions <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/>.</summary>
    /// <exception cref="ArgumentException">A span is too short for its dimensions.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        CheckSpan(a.Length, transA ? k : m, transA ? m : k, lda, "A");
        CheckSpan(b.Length, transB ? n : k, transB ? k : n, ldb, "B");
        CheckSpan(c.Length, m, n, ldc, "C");
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
    }

    /// <summary>As the overload without a cache, with B (contiguous: <paramref name="ldb"/> = n, or k when
    /// transposed) kept packed in <paramref name="cache"/> across calls while its contents stay the same.</summary>
    /// <exception cref="ArgumentException">A span is too short for its dimensions.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, GemmPackCache cache)
    {
        if (m <= 0 || n <= 0) return;
        CheckSpan(a.Length, transA ? k : m, transA ? m : k, lda, "A");
        CheckSpan(b.Length, transB ? n : k, transB ? k : n, ldb, "B");
        CheckSpan(c.Length, m, n, ldc, "C");
        var isa = Isa;
        int nPad = 0;
        float* packed = ldb == (transB ? k : n) && k > 0 ? cache.Get(isa, transB, k, n, b, out nPad) : null;
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, packed, packed == null ? 0 : nPad);
    }

    private static void CheckSpan(int length, int rows, int cols, int ld, string name)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols || (long)(rows - 1) * ld + cols > length)
            throw new ArgumentException($"Sgemm: {name} ({rows}×{cols}, leading dimension {ld}) does not fit its {length} elements.");
    }

    /// <summary>The naive triple loop in double precision accumulation order k-innermost; the reference the tests compare with.</summary>
    public static void Reference(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = accumulate ? c[i * ldc + j] : 0;
                for (int p = 0; p < k; p++)
                    s += (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = (float)s;
            }
    }

    internal static void Run(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* packedB = null, int nPad = 0)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
            return;
        }
        var isa = Isa;
        var (mr, nr) = Tile(isa);
        double flops = 2.0 * m * n * k;
        int threads = Parallelism.Threads;
        int parts = flops < 2e6 || threads == 1 || ParallelRange.InsideParallel ? 1 : threads;
        bool splitN = n >= m;
        int unit = splitN ? nr : mr, extent = splitN ? n : m;
        parts = Math.Min(parts, (extent + unit - 1) / unit);
        if (parts <= 1)
        {
            Blocked(isa, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, packedB, nPad);
            return;
        }
        var job = _job ??= new GemmJob();
        job.Set(isa, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, splitN, unit, packedB, nPad);
        WorkerPool.Shared.Run(job, parts);
    }

    [ThreadStatic] private static GemmJob? _job;

    private sealed class GemmJob : ParallelJob
    {
        private GemmIsa _isa;
        private bool _ta, _tb, _acc, _splitN;
        private int _m, _n, _k, _lda, _ldb, _ldc, _unit, _nPad;
        private float* _a, _b, _c, _packed;

        public void Set(GemmIsa isa, bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb,
            float* c, int ldc, bool acc, bool splitN, int unit, float* packed, int nPad)
        {
            (_isa, _ta, _tb, _m, _n, _k, _lda, _ldb, _ldc, _acc, _splitN, _unit, _nPad) =
                (isa, ta, tb, m, n, k, lda, ldb, ldc, acc, splitN, unit, nPad);
            _a = a; _b = b; _c = c; _packed = packed;
        }

        public override void RunPart(int part, int parts)
        {
            int extent = _splitN ? _n : _m;
            int units = (extent + _unit - 1) / _unit;
            int u0 = (int)((long)units * part / parts), u1 = (int)((long)units * (part + 1) / parts);
            int s = u0 * _unit, e = Math.Min(extent, u1 * _unit);
            if (e <= s) return;
            if (_splitN)
                Blocked(_isa, _ta, _tb, _m, e - s, _k, _a, _lda, _tb ? _b + (long)s * _ldb : _b + s, _ldb, _c + s, _ldc, _acc,
                    _packed, _nPad, s);
            else
                Blocked(_isa, _ta, _tb, e - s, _n, _k, _ta ? _a + s : _a + (long)s * _lda, _lda, _b, _ldb, _c + (long)s * _ldc, _ldc, _acc,
                    _packed, _nPad);
        }
    }

    private static (int mr, int nr) Tile(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => (8, 32),
        GemmIsa.Avx2 => (6, 16),
        _ => (4, 4),
    };

    private sealed class PackBuffers
    {
        public readonly float* A, B, Tile;
        public PackBuffers()
        {
            A = (float*)NativeMemory.AlignedAlloc((nuint)(MC + 16) * KC * sizeof(float), 64);
            B = (float*)NativeMemory.AlignedAlloc((nuint)(NC + 64) * KC * sizeof(float), 64);
            Tile = (float*)NativeMemory.AlignedAlloc(16 * 64 * sizeof(float), 64);
        }
        ~PackBuffers()
        {
            NativeMemory.AlignedFree(A);
            NativeMemory.AlignedFree(B);
            NativeMemory.AlignedFree(Tile);
        }
    }

    [ThreadStatic] private static PackBuffers? _buffers;

    // packedB: the whole op(B) already packed (n ≤ NC), k-blocks nPad·KC apart; column0 is this part's first column in it.
    private static void Blocked(GemmIsa isa, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* packedB = null, int nPad = 0, int column0 = 0)
    {
        var buf = _buffers ??= new PackBuffers();
        var (mr, nr) = Tile(isa);
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                float* bpack = packedB != null ? packedB + (long)pc * nPad + (long)column0 * kc : buf.B;
                if (packedB == null) PackB(transB, b, ldb, pc, jc, kc, nc, nr, buf.B);
                bool acc = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    PackA(transA, a, lda, ic, pc, mc, kc, mr, buf.A);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrEff = Math.Min(nr, nc - jr);
                        float* bp = bpack + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrEff = Math.Min(mr, mc - ir);
                            float* ap = buf.A + (long)ir * kc;
                            float* cp = c + (long)(ic + ir) * ldc + jc + jr;
                            if (mrEff == mr && nrEff == nr)
                                Kernel(isa, kc, ap, bp, cp, ldc, acc);
                            else
                            {
                                Kernel(isa, kc, ap, bp, buf.Tile, nr, false);
                                for (int i = 0; i < mrEff; i++)
                                    for (int j = 0; j < nrEff; j++)
                                        cp[(long)i * ldc + j] = acc ? cp[(long)i * ldc + j] + buf.Tile[i * nr + j] : buf.Tile[i * nr + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void Kernel(GemmIsa isa, int kc, float* a, float* b, float* c, int ldc, bool acc)
    {
        switch (isa)
        {
            case GemmIsa.Avx512: Kernel8x32(kc, a, b, c, ldc, acc); break;
            case GemmIsa.Avx2: Kernel6x16(kc, a, b, c, ldc, acc); break;
            default: KernelScalar(kc, a, b, c, ldc, acc); break;
        }
    }

    // Micro-panel of A: for each p, mr consecutive rows; rows past m are zero.
    private static void PackA(bool trans, float* a, int lda, int i0, int p0, int mc, int kc, int mr, float* dst)
    {
        float** rowPtr = stackalloc float*[16];
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* d = dst + (long)ir * kc;
            if (trans)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(p0 + p) * lda + i0 + ir;
                    int r = 0;
                    for (; r < rows; r++) d[p * mr + r] = src[r];
                    for (; r < mr; r++) d[p * mr + r] = 0;
                }
            }
            else if (rows == mr)
            {
                // Read the mr rows side by side (mr sequential streams) and write the panel contiguously.
                for (int r = 0; r < mr; r++) rowPtr[r] = a + (long)(i0 + ir + r) * lda + p0;
                for (int p = 0; p < kc; p++)
                {
                    float* dp = d + p * mr;
                    for (int r = 0; r < mr; r++) dp[r] = rowPtr[r][p];
                }
            }
            else
            {
                for (int r = 0; r < mr; r++)
                {
                    if (r < rows)
                    {
                        float* src = a + (long)(i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kc; p++) d[p * mr + r] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) d[p * mr + r] = 0;
                }
            }
        }
    }

    // Micro-panel of B: for each p, nr consecutive columns; columns past n are zero.
    private static void PackB(bool trans, float* b, int ldb, int p0, int j0, int kc, int nc, int nr, float* dst)
    {
        float** colPtr = stackalloc float*[64];
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* d = dst + (long)jr * kc;
            if (!trans)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * ldb + j0 + jr;
                    float* dp = d + p * nr;
                    if (cols == nr) Buffer.MemoryCopy(src, dp, nr * sizeof(float), nr * sizeof(float));
                    else
                    {
                        int j = 0;
                        for (; j < cols; j++) dp[j] = src[j];
                        for (; j < nr; j++) dp[j] = 0;
                    }
                }
            }
            else if (cols == nr)
            {
                // nr sequential read streams, contiguous writes.
                for (int j = 0; j < nr; j++) colPtr[j] = b + (long)(j0 + jr + j) * ldb + p0;
                for (int p = 0; p < kc; p++)
                {
                    float* dp = d + p * nr;
                    for (int j = 0; j < nr; j++) dp[j] = colPtr[j][p];
                }
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    if (j < cols)
                    {
                        float* src = b + (long)(j0 + jr + j) * ldb + p0;
                        for (int p = 0; p < kc; p++) d[p * nr + j] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) d[p * nr + j] = 0;
                }
            }
        }
    }

    private static void KernelScalar(int kc, float* a, float* b, float* c, int ldc, bool acc)
    {
        const int mr = 4, nr = 4;
        float* t = stackalloc float[mr * nr];
        for (int i = 0; i < mr * nr; i++) t[i] = 0;
        for (int p = 0; p < kc; p++)
            for (int i = 0; i < mr; i++)
            {
                float av = a[p * mr + i];
                for (int j = 0; j < nr; j++) t[i * nr + j] += av * b[p * nr + j];
            }
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++)
                c[(long)i * ldc + j] = acc ? c[(long)i * ldc + j] + t[i * nr + j] : t[i * nr + j];
    }
}
