using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechEmotion.Nn;

/// <summary>
/// Batch norm (over axis 1 of [B, C, H, W]) + a monotonic activation (ReLU or ELU) + non-overlapping
/// k×k max-pool (floor mode) in one node: [B, C, H, W] → [B, C, H/k, W/k]. The same result as the
/// three nodes in a row, but the full-size normalised and activated tensors are never written:
/// because the activation is non-decreasing, the pool takes the maximum of the normalised value and
/// activates only the pooled maxima. Backward writes the input gradient in one dense pass.
/// </summary>
/// <remarks>Ties inside a window go to the first row, then the first column, holding the maximum
/// (max-pool's "first maximum" in column-major window order); float data rarely ties.</remarks>
public sealed class BatchNormActPoolNode : Node
{
    private Tensor? _out, _x, _gamma, _beta, _rm, _rv;
    private float[] _mean = [], _invStd = [], _zmax = [], _dz = [];
    private byte[] _idx = [];
    private bool _training, _overwrite;
    private float _momentum, _eps, _alpha;
    private ActivationKind _act;
    private int _k, _h, _w, _oh, _ow;
    private readonly string _label;
    private readonly Action<int, int> _forwardRange, _backwardRange;

    [ThreadStatic] private static float[]? _rowMax;
    [ThreadStatic] private static float[]? _rowIdx;

    /// <summary>Creates the node.</summary>
    public BatchNormActPoolNode(string label = "BatchNormActPool")
    {
        _label = label;
        _forwardRange = ForwardChannels;
        _backwardRange = BackwardChannels;
    }

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Normalises (batch statistics in training, running statistics otherwise, which training
    /// updates with PyTorch's momentum convention), activates with <paramref name="act"/> (ReLU or ELU
    /// with <paramref name="alpha"/>) and max-pools <paramref name="x"/> [B, C, H, W] with a
    /// <paramref name="pool"/>×<paramref name="pool"/> window and stride (1..16).</summary>
    public Tensor Forward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        bool training, float momentum, float eps, ActivationKind act, float alpha, int pool)
    {
        int c = gamma.Length;
        if (x.Rank != 4 || x.Dim(1) != c)
            throw new ShapeException($"{_label}: input {x.ShapeText} must be [batch, {c}, height, width].");
        if (act is not (ActivationKind.Relu or ActivationKind.Elu) || pool is < 1 or > 16)
            throw new ArgumentException($"{_label}: needs ReLU or ELU and a pool of 1..16, got {act} and {pool}.");
        int b = x.Dim(0), h = x.Dim(2), w = x.Dim(3), oh = h / pool, ow = w / pool;
        if (oh <= 0 || ow <= 0) throw new ShapeException($"{_label}: input {x.ShapeText} is smaller than the {pool}×{pool} window.");
        if (training && b * h * w < 2) throw new ShapeException($"{_label}: training needs more than one value per channel, got input {x.ShapeText}.");
        if (_mean.Length != c) { _mean = new float[c]; _invStd = new float[c]; }
        var y = Buffer(ref _out, [b, c, oh, ow]);
        if (_zmax.Length < y.Length) { _zmax = new float[y.Length]; _idx = new byte[y.Length]; _dz = new float[y.Length]; }
        (_x, _gamma, _beta, _rm, _rv, _training, _momentum, _eps) = (x, gamma, beta, runningMean, runningVar, training, momentum, eps);
        (_act, _alpha, _k, _h, _w, _oh, _ow) = (act, float.IsNaN(alpha) ? 1f : alpha, pool, h, w, oh, ow);
        ParallelRange.Run(c, _forwardRange, Math.Max(1, 8192 / (b * h * w)));
        _rm = _rv = null;
        y.RequiresGrad = Autograd.ShouldRecord(x, gamma) || beta.RequiresGrad && Autograd.Enabled;
        if (y.RequiresGrad) Autograd.Record(this);
        else _x = _gamma = _beta = null;
        return y;
    }

    private void ForwardChannels(int c0, int c1)
    {
        var x = _x!;
        int c = _gamma!.Length, b = x.Dim(0), hw = _h * _w, n = b * hw, k = _k, ow = _ow, w = _w;
        var xs = x.Span; var ys = _out!.Span;
        var g = _gamma.Span; var bt = _beta!.Span; var rm = _rm!.Span; var rv = _rv!.Span;
        var rowMax = EnsureScratch(ref _rowMax, k * ow);
        var rowIdx = EnsureScratch(ref _rowIdx, k * ow);
        for (int ch = c0; ch < c1; ch++)
        {
            double mean, variance;
            if (_training)
            {
                double sum = 0, sq = 0;
                for (int i = 0; i < b; i++) sum += Short.Sum(xs.Slice((i * c + ch) * hw, hw));
                mean = sum / n;
                for (int i = 0; i < b; i++) sq += BatchNormNode.SumSquaredDeviation(xs.Slice((i * c + ch) * hw, hw), (float)mean);
                variance = sq / n;
                rm[ch] = (float)((1 - _momentum) * rm[ch] + _momentum * mean);
                rv[ch] = (float)((1 - _momentum) * rv[ch] + _momentum * sq / (n - 1));
            }
            else
            {
                mean = rm[ch];
                variance = rv[ch];
            }
            float inv = (float)(1 / Math.Sqrt(variance + _eps));
            _mean[ch] = (float)mean;
            _invStd[ch] = inv;
            float scale = g[ch] * inv, shift = bt[ch] - (float)mean * scale;
            for (int i = 0; i < b; i++)
            {
                var plane = xs.Slice((i * c + ch) * hw, hw);
                int o0 = (i * c + ch) * _oh * ow;
                for (int oy = 0; oy < _oh; oy++)
                {
                    int at = o0 + oy * ow;
                    for (int r = 0; r < k; r++)
                        ColumnMax(plane.Slice((oy * k + r) * w, k * ow), scale, shift, r, k, rowMax, rowIdx);
                    int len = k * ow;
                    if ((k & (k - 1)) == 0)
                        for (; len > ow; len /= 2) HalvePairs(rowMax, rowIdx, len);
                    else
                        WindowMaxScalar(rowMax, rowIdx, k, ow);
                    var zrow = _zmax.AsSpan(at, ow); var irow = _idx.AsSpan(at, ow);
                    rowMax.AsSpan(0, ow).CopyTo(zrow);
                    for (int ox = 0; ox < ow; ox++) irow[ox] = (byte)rowIdx[ox];
                    ActivationNode.Apply(_act, _alpha, zrow, ys.Slice(at, ow));
                }
            }
        }
    }

    private static T[] EnsureScratch<T>(ref T[]? a, int n)
    {
        if (a is null || a.Length < n) a = new T[n];
        return a;
    }

    /// <summary>Row <paramref name="r"/> of a band of k rows: z = x·scale + shift; keeps the running
    /// column maximum and its window index r·k + column mod k (the first row holding it).</summary>
    internal static void ColumnMax(ReadOnlySpan<float> x, float scale, float shift, int r, int k, Span<float> max, Span<float> idx)
    {
        int i = 0;
        if (r == 0) Short.ScaleShift(x, scale, shift, max[..x.Length]);
        if (Vector.IsHardwareAccelerated && Vector<float>.Count % k == 0)
        {
            var vs = new Vector<float>(scale); var vb = new Vector<float>(shift);
            Span<float> lanes = stackalloc float[Vector<float>.Count];
            for (int j = 0; j < lanes.Length; j++) lanes[j] = r * k + j % k;
            var vr = new Vector<float>(lanes);
            if (r == 0)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) vr.CopyTo(idx[i..]);
            else
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var z = new Vector<float>(x[i..]) * vs + vb;
                    var m = new Vector<float>(max[i..]);
                    var gt = Vector.GreaterThan(z, m);
                    Vector.ConditionalSelect(gt, z, m).CopyTo(max[i..]);
                    Vector.ConditionalSelect(gt, vr, new Vector<float>(idx[i..])).CopyTo(idx[i..]);
                }
        }
        ColumnMaxScalar(x[i..], scale, shift, r, k, i, max[i..], idx[i..]);
    }

    /// <summary>The plain version of <see cref="ColumnMax"/> (tests compare them); <paramref name="col0"/> is x[0]'s column.</summary>
    internal static void ColumnMaxScalar(ReadOnlySpan<float> x, float scale, float shift, int r, int k, int col0, Span<float> max, Span<float> idx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float z = x[i] * scale + shift;
            if (r == 0 || z > max[i]) { max[i] = z; idx[i] = r * k + (col0 + i) % k; }
        }
    }

    /// <summary>Pairs (2j, 2j + 1) → j: the larger value (the first on ties) and its index, for j &lt; len/2.</summary>
    internal static unsafe void HalvePairs(Span<float> max, Span<float> idx, int len)
    {
        int i = 0, j = 0;
        if (Avx512F.IsSupported)
            fixed (float* pm = max) fixed (float* pi = idx)
            {
                var ev = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                var od = ev + Vector512<int>.One;
                for (; j + 32 <= len; j += 32, i += 16)
                {
                    var a0 = Avx512F.LoadVector512(pm + j); var a1 = Avx512F.LoadVector512(pm + j + 16);
                    var i0 = Avx512F.LoadVector512(pi + j); var i1 = Avx512F.LoadVector512(pi + j + 16);
                    var e = Avx512F.PermuteVar16x32x2(a0, ev, a1); var o = Avx512F.PermuteVar16x32x2(a0, od, a1);
                    var gt = Vector512.GreaterThan(o, e);
                    Avx512F.Store(pm + i, Vector512.ConditionalSelect(gt, o, e));
                    Avx512F.Store(pi + i, Vector512.ConditionalSelect(gt, Avx512F.PermuteVar16x32x2(i0, od, i1), Avx512F.PermuteVar16x32x2(i0, ev, i1)));
                }
            }
        HalvePairsScalar(max, idx, i, j, len);
    }

    /// <summary>The plain version of <see cref="HalvePairs"/> from input <paramref name="j"/> / output <paramref name="i"/>.</summary>
    internal static void HalvePairsScalar(Span<float> max, Span<float> idx, int i, int j, int len)
    {
        for (; j + 1 < len; j += 2, i++)
        {
            bool odd = max[j + 1] > max[j];
            float v = odd ? max[j + 1] : max[j], id = odd ? idx[j + 1] : idx[j];
            max[i] = v; idx[i] = id;
        }
    }

    // Windows whose width is not a power of two: one pass per output column.
    private static void WindowMaxScalar(Span<float> max, Span<float> idx, int k, int ow)
    {
        for (int ox = 0; ox < ow; ox++)
        {
            int j0 = ox * k;
            float best = max[j0], bi = idx[j0];
            for (int j = 1; j < k; j++)
                if (max[j0 + j] > best) { best = max[j0 + j]; bi = idx[j0 + j]; }
            max[ox] = best; idx[ox] = bi;
        }
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        GradForWrite(_x!, out _overwrite); GradOf(_gamma!); GradOf(_beta!); // allocate before the parallel parts read them
        ParallelRange.Run(_gamma!.Length, _backwardRange, Math.Max(1, 8192 / Math.Max(1, _x!.Length / _gamma.Length)));
    }

    private void BackwardChannels(int c0, int c1)
    {
        var x = _x!;
        int c = _gamma!.Length, b = x.Dim(0), hw = _h * _w, n = b * hw, k = _k, ow = _ow, oh = _oh, w = _w, ohw = oh * ow;
        var xs = x.Span; var y = _out!; var ys = y.Span; var dy = y.Grad!.Span; var g = _gamma.Span;
        var gx = x.RequiresGrad ? x.Grad!.Span : default;
        var gg = _gamma.RequiresGrad ? _gamma.Grad!.Span : default;
        var gbeta = _beta!.RequiresGrad ? _beta.Grad!.Span : default;
        Span<int> offs = stackalloc int[k * k];
        for (int id = 0; id < k * k; id++) offs[id] = id / k * w + id % k;
        for (int ch = c0; ch < c1; ch++)
        {
            float mean = _mean[ch], inv = _invStd[ch];
            double sumDz = 0, sumDzX = 0;
            for (int i = 0; i < b; i++)
            {
                int o0 = (i * c + ch) * ohw, p0 = (i * c + ch) * hw;
                var dz = _dz.AsSpan(o0, ohw);
                dz.Clear();
                ActivationNode.Derivative(_act, _alpha, _zmax.AsSpan(o0, ohw), ys.Slice(o0, ohw), dy.Slice(o0, ohw), dz);
                float sd = 0, sdx = 0;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int o = oy * ow + ox, id = _idx[o0 + o];
                        float d = dz[o];
                        sd += d;
                        sdx += d * xs[p0 + oy * k * w + ox * k + offs[id]];
                    }
                sumDz += sd;
                sumDzX += sdx;
            }
            double sumDzXhat = (sumDzX - mean * sumDz) * inv;
            if (!gg.IsEmpty) gg[ch] += (float)sumDzXhat;
            if (!gbeta.IsEmpty) gbeta[ch] += (float)sumDz;
            if (gx.IsEmpty) continue;
            // Training: dx = k1·(dz − m1 − x̂·m2) = k1·dz + a·x + c0 with x̂ = (x − mean)·inv; eval: k1·dz.
            float k1 = g[ch] * inv, m1 = _training ? (float)(sumDz / n) : 0, m2 = _training ? (float)(sumDzXhat / n) : 0;
            float a = -k1 * m2 * inv, cst = -k1 * m1 + k1 * m2 * inv * mean;
            for (int i = 0; i < b; i++)
            {
                int o0 = (i * c + ch) * ohw, p0 = (i * c + ch) * hw;
                if (_training) AddAffine(xs.Slice(p0, hw), a, cst, gx.Slice(p0, hw), _overwrite);
                else if (_overwrite) gx.Slice(p0, hw).Clear();
                var dz = _dz.AsSpan(o0, ohw);
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int o = oy * ow + ox, id = _idx[o0 + o];
                        gx[p0 + oy * k * w + ox * k + offs[id]] += k1 * dz[o];
                    }
            }
        }
    }

    /// <summary>dst = a·x + c (<paramref name="assign"/>) or dst += a·x + c.</summary>
    internal static void AddAffine(ReadOnlySpan<float> x, float a, float c, Span<float> dst, bool assign)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a); var vc = new Vector<float>(c);
            if (assign)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                    (new Vector<float>(x[i..]) * va + vc).CopyTo(dst[i..]);
            else
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                    (new Vector<float>(dst[i..]) + new Vector<float>(x[i..]) * va + vc).CopyTo(dst[i..]);
        }
        for (; i < x.Length; i++) dst[i] = (assign ? 0 : dst[i]) + a * x[i] + c;
    }
}
