using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechEmotion.Nn;

/// <summary>Pooling reduction.</summary>
public enum PoolKind
{
    /// <summary>Maximum over the window (gradient to the first maximum).</summary>
    Max,
    /// <summary>Mean over the window, padding counted (PyTorch's count_include_pad).</summary>
    Average,
}

/// <summary>
/// Max or average pooling over [B, C, H, W] (or [B, C, L] with height 1), floor mode. Max pooling
/// stores no indices: backward finds each window's first element equal to its output again, which
/// saves a pass over memory in the forward pass.
/// </summary>
public sealed class PoolNode : Node
{
    private Tensor? _out, _x;
    private ConvGeometry _g;
    private readonly string _label;
    private readonly Action<int, int> _forwardRange, _backwardRange;
    private int _h, _w, _oh, _ow;

    /// <summary>Creates the node.</summary>
    public PoolNode(PoolKind kind, string? label = null)
    {
        Kind = kind;
        _label = label ?? kind + "Pool";
        _forwardRange = (p0, p1) => Planes(p0, p1, false);
        _backwardRange = (p0, p1) => Planes(p0, p1, true);
    }

    /// <summary>The reduction.</summary>
    public PoolKind Kind { get; }

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Pools <paramref name="x"/> with window geometry <paramref name="g"/>.</summary>
    public Tensor Forward(Tensor x, ConvGeometry g)
    {
        bool oneD = x.Rank == 3;
        if (!(oneD || x.Rank == 4) || oneD && g.KernelH != 1)
            throw new ShapeException($"{_label}: input {x.ShapeText} must be [batch, channels, length] or [batch, channels, height, width].");
        int planes = x.Dim(0) * x.Dim(1), h = oneD ? 1 : x.Dim(2), w = x.Dim(-1);
        int oh = g.OutH(h), ow = g.OutW(w);
        if (oh <= 0 || ow <= 0) throw new ShapeException($"{_label}: input {x.ShapeText} is smaller than the {g.KernelH}×{g.KernelW} window.");
        var y = Buffer(ref _out, oneD ? [x.Dim(0), x.Dim(1), ow] : [x.Dim(0), x.Dim(1), oh, ow]);
        (_g, _x, _h, _w, _oh, _ow) = (g, x, h, w, oh, ow);
        ParallelRange.Run(planes, _forwardRange, Math.Max(1, 4096 / Math.Max(1, h * w)));
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad) Autograd.Record(this);
        else _x = null;
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_x!);
        if (gx.IsEmpty) return;
        ParallelRange.Run(_x!.Dim(0) * _x.Dim(1), _backwardRange, Math.Max(1, 4096 / Math.Max(1, _h * _w)));
    }

    private void Planes(int p0, int p1, bool backward)
    {
        var g = _g;
        int h = _h, w = _w, oh = _oh, ow = _ow;
        var xs = _x!.Span; var ys = _out!.Span;
        var dy = backward ? _out.Grad!.Span : default;
        var gx = backward ? _x.Grad!.Span : default;
        float inv = 1f / (g.KernelH * g.KernelW);
        bool fast2 = !backward && Kind == PoolKind.Max && g is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadTop: 0, PadLeft: 0, DilationH: 1, DilationW: 1 }
            && Avx2.IsSupported;
        bool simpleBack = backward && Kind == PoolKind.Max && g is { PadTop: 0, PadLeft: 0, PadBottom: 0, PadRight: 0, DilationH: 1, DilationW: 1 };
        for (int p = p0; p < p1; p++)
        {
            var xp = xs.Slice(p * h * w, h * w);
            if (simpleBack)
            {
                MaxBackwardPlane(xp, ys.Slice(p * oh * ow, oh * ow), dy.Slice(p * oh * ow, oh * ow), gx.Slice(p * h * w, h * w), w, oh, ow, g);
                continue;
            }
            if (fast2)
            {
                for (int oy = 0; oy < oh; oy++) Max2x2Row(xp.Slice(2 * oy * w, w), xp.Slice((2 * oy + 1) * w, w), ys.Slice((p * oh + oy) * ow, ow));
                continue;
            }
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int o = (p * oh + oy) * ow + ox;
                    float best = float.NegativeInfinity, sum = 0, target = backward ? ys[o] : 0;
                    bool done = false;
                    for (int i = 0; i < g.KernelH && !done; i++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        if ((uint)iy >= (uint)h) continue;
                        for (int j = 0; j < g.KernelW; j++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + j * g.DilationW;
                            if ((uint)ix >= (uint)w) continue;
                            float v = xp[iy * w + ix];
                            if (!backward)
                            {
                                sum += v;
                                if (v > best || float.IsNaN(v) && !float.IsNaN(best)) best = v;
                            }
                            else if (Kind == PoolKind.Average) gx[p * h * w + iy * w + ix] += dy[o] * inv;
                            else if (v == target || float.IsNaN(v) && float.IsNaN(target))
                            {
                                gx[p * h * w + iy * w + ix] += dy[o];
                                done = true;
                                break;
                            }
                        }
                    }
                    if (!backward) ys[o] = Kind == PoolKind.Max ? best : sum * inv;
                }
        }
    }

    // Windows lie inside the plane: find each window's first maximum with plain pointer arithmetic.
    private static unsafe void MaxBackwardPlane(ReadOnlySpan<float> plane, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> gx,
        int w, int oh, int ow, ConvGeometry g)
    {
        int kh = g.KernelH, kw = g.KernelW, sh = g.StrideH, sw = g.StrideW;
        fixed (float* xp = plane) fixed (float* yp = y) fixed (float* dp = dy) fixed (float* gp = gx)
        {
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int o = oy * ow + ox, win = oy * sh * w + ox * sw;
                    float t = yp[o];
                    bool nan = float.IsNaN(t);
                    for (int i = 0; i < kh; i++)
                    {
                        float* r = xp + win + i * w;
                        int j = 0;
                        while (j < kw && r[j] != t && !(nan && float.IsNaN(r[j]))) j++;
                        if (j < kw)
                        {
                            gp[win + i * w + j] += dp[o];
                            break;
                        }
                    }
                }
        }
    }

    // One output row of 2×2/2 max pooling: vertical max of the two rows, then max of adjacent pairs.
    private static unsafe void Max2x2Row(ReadOnlySpan<float> r0, ReadOnlySpan<float> r1, Span<float> y)
    {
        int ow = y.Length, ox = 0;
        fixed (float* a = r0) fixed (float* b = r1) fixed (float* o = y)
        {
            for (; ox + 8 <= ow; ox += 8)
            {
                var m0 = Avx.Max(Avx.LoadVector256(a + 2 * ox), Avx.LoadVector256(b + 2 * ox));
                var m1 = Avx.Max(Avx.LoadVector256(a + 2 * ox + 8), Avx.LoadVector256(b + 2 * ox + 8));
                var even = Avx.Shuffle(m0, m1, 0b10_00_10_00);
                var odd = Avx.Shuffle(m0, m1, 0b11_01_11_01);
                var m = Avx.Max(even, odd).AsDouble();
                Avx.Store(o + ox, Avx2.Permute4x64(m, 0b11_01_10_00).AsSingle());
            }
            for (; ox < ow; ox++)
            {
                float m = a[2 * ox];
                if (a[2 * ox + 1] > m) m = a[2 * ox + 1];
                if (b[2 * ox] > m) m = b[2 * ox];
                if (b[2 * ox + 1] > m) m = b[2 * ox + 1];
                o[ox] = m;
            }
        }
    }
}
