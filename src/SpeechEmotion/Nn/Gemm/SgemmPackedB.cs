using System.Runtime.InteropServices;

namespace SpeechEmotion.Nn;

/// <summary>
/// Keeps op(B) of a GEMM packed into the micro-kernel's panel layout between calls (typically a
/// weight matrix that many small GEMMs share: a layer's weights over a batch, a recurrent weight
/// over the steps). Before each use the cached copy of B is compared bit for bit with the current
/// contents (a fast, vectorised compare), so a changed matrix is always repacked: never stale.
/// One instance per call site; not thread-safe.
/// </summary>
public sealed unsafe class GemmPackCache
{
    private float[] _copy = [];
    private float* _packed;
    private nuint _capacity;
    private int _k, _n;
    private bool _trans, _valid;
    private GemmIsa _isa;

    /// <summary>Times B was packed (for tests: a reused, unchanged B is packed once).</summary>
    public long Packs { get; private set; }

    /// <summary>Packed B for (<paramref name="transB"/>, k, n), B contiguous (ldb = n, or k when
    /// transposed); null when B is too wide for one column block.</summary>
    internal float* Get(GemmIsa isa, bool transB, int k, int n, ReadOnlySpan<float> b, out int nPad)
    {
        int nr = Sgemm.TileNr(isa);
        nPad = (n + nr - 1) / nr * nr;
        if (n > Sgemm.ColumnBlock || k <= 0) return null;
        var cur = b[..(k * n)];
        if (_valid && _isa == isa && _trans == transB && _k == k && _n == n &&
            MemoryMarshal.Cast<float, int>(cur).SequenceEqual(MemoryMarshal.Cast<float, int>(_copy.AsSpan(0, k * n))))
            return _packed;
        nuint need = (nuint)nPad * (nuint)k;
        if (need > _capacity)
        {
            if (_packed != null) NativeMemory.AlignedFree(_packed);
            _packed = (float*)NativeMemory.AlignedAlloc(need * sizeof(float), 64);
            _capacity = need;
        }
        if (_copy.Length < k * n) _copy = new float[k * n];
        cur.CopyTo(_copy);
        fixed (float* pb = cur)
            for (int pc = 0; pc < k; pc += Sgemm.DepthBlock)
                Sgemm.PackPanelsB(transB, pb, transB ? k : n, pc, 0, Math.Min(Sgemm.DepthBlock, k - pc), n, nr, _packed + (long)pc * nPad);
        (_isa, _trans, _k, _n, _valid) = (isa, transB, k, n, true);
        Packs++;
        return _packed;
    }

    /// <summary>Frees the packed buffer.</summary>
    ~GemmPackCache()
    {
        if (_packed != null) NativeMemory.AlignedFree(_packed);
    }
}
