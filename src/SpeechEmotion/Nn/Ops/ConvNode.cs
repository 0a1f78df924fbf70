using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>Geometry of a 2-D convolution or pooling window (1-D uses height 1).</summary>
/// <param name="KernelH">Window height.</param>
/// <param name="KernelW">Window width.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadTop">Zero rows added above.</param>
/// <param name="PadBottom">Zero rows added below.</param>
/// <param name="PadLeft">Zero columns added on the left.</param>
/// <param name="PadRight">Zero columns added on the right.</param>
/// <param name="DilationH">Vertical dilation.</param>
/// <param name="DilationW">Horizontal dilation.</param>
public readonly record struct ConvGeometry(int KernelH, int KernelW, int StrideH, int StrideW,
    int PadTop, int PadBottom, int PadLeft, int PadRight, int DilationH = 1, int DilationW = 1)
{
    /// <summary>Output height for input height <paramref name="h"/> (floor mode).</summary>
    public int OutH(int h) => (h + PadTop + PadBottom - DilationH * (KernelH - 1) - 1) / StrideH + 1;

    /// <summary>Output width for input width <paramref name="w"/> (floor mode).</summary>
    public int OutW(int w) => (w + PadLeft + PadRight - DilationW * (KernelW - 1) - 1) / StrideW + 1;
}

/// <summary>
/// Convolution (groups = 1) as im2col + SGEMM over chunks of samples: input [B, Cin, H, W] (or
/// [B, Cin, L] for 1-D), weight [Cout, Cin, kh, kw] (or [Cout, Cin, k]), bias [Cout] optional.
/// Chunks put several small samples side by side in one wide GEMM; large samples go one at a time.
/// </summary>
public sealed class ConvNode : Node
{
    private const int ColBudget = 1 << 22; // floats per im2col chunk (16 MiB)
    private Tensor? _out, _x, _w, _b;
    private ConvGeometry _g;
    private readonly string _label;
    private Scratch[] _scratch = [];
    private readonly Action<int, int> _forwardParts, _backwardParts;
    private int _parts, _group;

    // Per-part buffers: each part owns a contiguous range of samples (and its own weight-gradient sum).
    private sealed class Scratch
    {
        public float[] Col = [], DCol = [], Chunk = [], DW = [], DB = [];
    }

    /// <summary>Creates the node; <paramref name="label"/> names the layer in errors.</summary>
    public ConvNode(string label = "Conv")
    {
        _label = label;
        _forwardParts = (p0, p1) => { for (int p = p0; p < p1; p++) ForwardPart(p); };
        _backwardParts = (p0, p1) => { for (int p = p0; p < p1; p++) BackwardPart(p); };
    }

    // Samples are split across threads when there are enough of them; otherwise the GEMM itself is parallel.
    private void Plan(int bsz, int k, int hw, int cout)
    {
        _group = Math.Clamp(ColBudget / Math.Max(1, k * hw), 1, Math.Max(1, bsz));
        double flops = 2.0 * bsz * k * hw * cout;
        _parts = bsz >= 2 && flops >= 4e6 ? Math.Min(Parallelism.Threads, bsz) : 1;
        if (_parts > 1) _group = Math.Min(_group, (bsz + _parts - 1) / _parts);
        if (_scratch.Length < _parts)
        {
            var old = _scratch;
            _scratch = new Scratch[_parts];
            for (int i = 0; i < _parts; i++) _scratch[i] = i < old.Length ? old[i] : new Scratch();
        }
    }

    private (int Start, int End) SampleRange(int part) =>
        ((int)((long)_x!.Dim(0) * part / _parts), (int)((long)_x.Dim(0) * (part + 1) / _parts));

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Convolves <paramref name="x"/> with <paramref name="w"/> (+ <paramref name="b"/>).</summary>
    public Tensor Forward(Tensor x, Tensor w, Tensor? b, ConvGeometry g)
    {
        bool oneD = x.Rank == 3;
        int cout = w.Dim(0), cin = w.Dim(1);
        int kh = oneD ? 1 : w.Rank == 4 ? w.Dim(2) : -1, kw = w.Dim(-1);
        if (!(x.Rank == 4 || oneD) || x.Dim(1) != cin || w.Rank != (oneD ? 3 : 4) || kh != g.KernelH || kw != g.KernelW)
            throw new ShapeException($"{_label}: input {x.ShapeText} does not fit weight {w.ShapeText} (expected [batch, {cin}, {(oneD ? "length" : "height, width")}]).");
        int bsz = x.Dim(0), h = oneD ? 1 : x.Dim(2), wd = x.Dim(-1);
        int oh = g.OutH(h), ow = g.OutW(wd);
        if (oh <= 0 || ow <= 0)
            throw new ShapeException($"{_label}: input {x.ShapeText} is too small for a {kh}×{kw} window.");
        _g = g;
        var y = Buffer(ref _out, oneD ? [bsz, cout, ow] : [bsz, cout, oh, ow]);
        int k = cin * kh * kw, hw = oh * ow;
        (_x, _w, _b) = (x, w, b);
        Plan(bsz, k, hw, cout);
        ParallelRange.Run(_parts, _forwardParts);
        y.RequiresGrad = Autograd.ShouldRecord(x, w) || b is { RequiresGrad: true } && Autograd.Enabled;
        if (y.RequiresGrad) Autograd.Record(this);
        else _x = _w = _b = null;
        return y;
    }

    private void ForwardPart(int part)
    {
        var x = _x!; var w = _w!; var y = _out!;
        var sc = _scratch[part];
        bool oneD = x.Rank == 3;
        int cin = x.Dim(1), h = oneD ? 1 : x.Dim(2), wd = x.Dim(-1), cout = w.Dim(0);
        int oh = oneD ? 1 : y.Dim(2), ow = y.Dim(-1), hw = oh * ow;
        int k = cin * _g.KernelH * _g.KernelW, inSize = cin * h * wd, group = _group;
        var (b0, b1) = SampleRange(part);
        EnsureSize(ref sc.Col, k * hw * group);
        if (group > 1) EnsureSize(ref sc.Chunk, cout * hw * group);
        var xs = x.Span; var ys = y.Span; var ws = w.Span;
        for (int s0 = b0; s0 < b1; s0 += group)
        {
            int gsz = Math.Min(group, b1 - s0), n = gsz * hw;
            for (int s = 0; s < gsz; s++)
                Im2Col(xs.Slice((s0 + s) * inSize, inSize), cin, h, wd, oh, ow, sc.Col, n, s * hw);
            if (gsz == 1)
                Sgemm.Multiply(false, false, cout, hw, k, ws, k, sc.Col, hw, ys.Slice(s0 * cout * hw, cout * hw), hw, false);
            else
            {
                Sgemm.Multiply(false, false, cout, n, k, ws, k, sc.Col, n, sc.Chunk, n, false);
                for (int s = 0; s < gsz; s++)
                    for (int c = 0; c < cout; c++)
                        sc.Chunk.AsSpan(c * n + s * hw, hw).CopyTo(ys.Slice(((s0 + s) * cout + c) * hw, hw));
            }
        }
        if (_b is not null)
        {
            var bs = _b.Span;
            for (int s = b0; s < b1; s++)
                for (int c = 0; c < cout; c++)
                    TensorPrimitives.Add(ys.Slice((s * cout + c) * hw, hw), bs[c], ys.Slice((s * cout + c) * hw, hw));
        }
    }

    private static void EnsureSize(ref float[] a, int n)
    {
        if (a.Length < n) a = new float[n];
    }

    // col[(c·kh + i)·kw + j, offset + oy·ow + ox] = x[c, oy·sh − pt + i·dh, ox·sw − pl + j·dw] (0 outside).
    private void Im2Col(ReadOnlySpan<float> x, int cin, int h, int w, int oh, int ow, Span<float> col, int ld, int offset)
    {
        var g = _g;
        int row = 0;
        for (int c = 0; c < cin; c++)
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    var dst = col.Slice(row * ld + offset, oh * ow);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        var d = dst.Slice(oy * ow, ow);
                        if ((uint)iy >= (uint)h) { d.Clear(); continue; }
                        var src = x.Slice((c * h + iy) * w, w);
                        int x0 = j * g.DilationW - g.PadLeft;
                        if (g.StrideW == 1)
                        {
                            int lo = Math.Clamp(-x0, 0, ow), hi = Math.Clamp(w - x0, lo, ow);
                            d[..lo].Clear();
                            src.Slice(x0 + lo, hi - lo).CopyTo(d[lo..hi]);
                            d[hi..].Clear();
                        }
                        else
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int ix = x0 + ox * g.StrideW;
                                d[ox] = (uint)ix < (uint)w ? src[ix] : 0f;
                            }
                    }
                }
    }

    private void Col2ImAdd(ReadOnlySpan<float> col, int ld, int offset, int cin, int h, int w, int oh, int ow, Span<float> x)
    {
        var g = _g;
        int row = 0;
        for (int c = 0; c < cin; c++)
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    var srcRow = col.Slice(row * ld + offset, oh * ow);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        if ((uint)iy >= (uint)h) continue;
                        var s = srcRow.Slice(oy * ow, ow);
                        var dst = x.Slice((c * h + iy) * w, w);
                        int x0 = j * g.DilationW - g.PadLeft;
                        if (g.StrideW == 1)
                        {
                            int lo = Math.Clamp(-x0, 0, ow), hi = Math.Clamp(w - x0, lo, ow);
                            TensorPrimitives.Add(dst.Slice(x0 + lo, hi - lo), s[lo..hi], dst.Slice(x0 + lo, hi - lo));
                        }
                        else
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int ix = x0 + ox * g.StrideW;
                                if ((uint)ix < (uint)w) dst[ix] += s[ox];
                            }
                    }
                }
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var x = _x!; var w = _w!; var y = _out!;
        bool oneD = x.Rank == 3;
        int bsz = x.Dim(0), cin = x.Dim(1), h = oneD ? 1 : x.Dim(2), wd = x.Dim(-1), cout = w.Dim(0);
        int oh = oneD ? 1 : y.Dim(2), ow = y.Dim(-1), hw = oh * ow;
        int k = cin * _g.KernelH * _g.KernelW, inSize = cin * h * wd;
        var dy = y.Grad!.Span;
        var gx = GradOf(x); var gw = GradOf(w);
        var gb = _b is null ? default : GradOf(_b);
        if (gx.IsEmpty && gw.IsEmpty && gb.IsEmpty) return;
        Plan(bsz, k, hw, cout);
        ParallelRange.Run(_parts, _backwardParts);
        for (int p = 0; p < _parts; p++)
        {
            if (!gw.IsEmpty) TensorPrimitives.Add(gw, _scratch[p].DW.AsSpan(0, gw.Length), gw);
            if (!gb.IsEmpty) TensorPrimitives.Add(gb, _scratch[p].DB.AsSpan(0, cout), gb);
        }
    }

    private void BackwardPart(int part)
    {
        var x = _x!; var w = _w!; var y = _out!;
        var sc = _scratch[part];
        bool oneD = x.Rank == 3;
        int cin = x.Dim(1), h = oneD ? 1 : x.Dim(2), wd = x.Dim(-1), cout = w.Dim(0);
        int oh = oneD ? 1 : y.Dim(2), ow = y.Dim(-1), hw = oh * ow;
        int k = cin * _g.KernelH * _g.KernelW, inSize = cin * h * wd, group = _group;
        var (b0, b1) = SampleRange(part);
        var dy = y.Grad!.Span;
        var gx = x.RequiresGrad ? x.Grad!.Span : default;
        bool wantW = w.RequiresGrad;
        EnsureSize(ref sc.Col, k * hw * group);
        if (!gx.IsEmpty) EnsureSize(ref sc.DCol, k * hw * group);
        if (group > 1) EnsureSize(ref sc.Chunk, cout * hw * group);
        if (wantW) { EnsureSize(ref sc.DW, w.Length); sc.DW.AsSpan(0, w.Length).Clear(); }
        if (_b is { RequiresGrad: true })
        {
            EnsureSize(ref sc.DB, cout);
            var db = sc.DB.AsSpan(0, cout);
            db.Clear();
            for (int s = b0; s < b1; s++)
                for (int c = 0; c < cout; c++) db[c] += TensorPrimitives.Sum(dy.Slice((s * cout + c) * hw, hw));
        }
        if (!wantW && gx.IsEmpty) return;
        var xs = x.Span; var ws = w.Span;
        for (int s0 = b0; s0 < b1; s0 += group)
        {
            int gsz = Math.Min(group, b1 - s0), n = gsz * hw;
            ReadOnlySpan<float> dyc;
            if (gsz == 1) dyc = dy.Slice(s0 * cout * hw, cout * hw);
            else
            {
                for (int s = 0; s < gsz; s++)
                    for (int c = 0; c < cout; c++)
                        dy.Slice(((s0 + s) * cout + c) * hw, hw).CopyTo(sc.Chunk.AsSpan(c * n + s * hw, hw));
                dyc = sc.Chunk.AsSpan(0, cout * n);
            }
            if (wantW)
            {
                for (int s = 0; s < gsz; s++)
                    Im2Col(xs.Slice((s0 + s) * inSize, inSize), cin, h, wd, oh, ow, sc.Col, n, s * hw);
                Sgemm.Multiply(false, true, cout, k, n, dyc, n, sc.Col, n, sc.DW, k, true);
            }
            if (!gx.IsEmpty)
            {
                Sgemm.Multiply(true, false, k, n, cout, ws, k, dyc, n, sc.DCol, n, false);
                for (int s = 0; s < gsz; s++)
                    Col2ImAdd(sc.DCol, n, s * hw, cin, h, wd, oh, ow, gx.Slice((s0 + s) * inSize, inSize));
            }
        }
    }
}
