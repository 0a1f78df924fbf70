namespace SpeechEmotion.Nn;

/// <summary>Pooling reduction.</summary>
public enum PoolKind
{
    /// <summary>Maximum over the window (gradient to the first maximum).</summary>
    Max,
    /// <summary>Mean over the window, padding counted (PyTorch's count_include_pad).</summary>
    Average,
}

/// <summary>Max or average pooling over [B, C, H, W] (or [B, C, L] with height 1), floor mode.</summary>
public sealed class PoolNode : Node
{
    private Tensor? _out, _x;
    private int[] _argmax = [];
    private ConvGeometry _g;
    private readonly string _label;
    private readonly Action<int, int> _forwardRange;
    private Tensor? _fx, _fy;
    private bool _record;
    private int _h, _w, _oh, _ow;

    /// <summary>Creates the node.</summary>
    public PoolNode(PoolKind kind, string? label = null)
    {
        Kind = kind;
        _label = label ?? kind + "Pool";
        _forwardRange = ForwardPlanes;
    }

    private void ForwardPlanes(int p0, int p1)
    {
        var g = _g;
        int h = _h, w = _w, oh = _oh, ow = _ow;
        var xs = _fx!.Span; var ys = _fy!.Span;
        float inv = 1f / (g.KernelH * g.KernelW);
        bool simple = g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0 && g.DilationH == 1 && g.DilationW == 1
            && Kind == PoolKind.Max;
        for (int p = p0; p < p1; p++)
        {
            var xp = xs.Slice(p * h * w, h * w);
            if (simple)
            {
                MaxPlane(xp, ys.Slice(p * oh * ow, oh * ow), _record ? _argmax.AsSpan(p * oh * ow, oh * ow) : default, p * h * w, w, oh, ow, g);
                continue;
            }
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int o = (p * oh + oy) * ow + ox;
                    float best = float.NegativeInfinity, sum = 0;
                    int arg = -1;
                    for (int i = 0; i < g.KernelH; i++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        if ((uint)iy >= (uint)h) continue;
                        for (int j = 0; j < g.KernelW; j++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + j * g.DilationW;
                            if ((uint)ix >= (uint)w) continue;
                            float v = xp[iy * w + ix];
                            sum += v;
                            if (v > best || arg < 0 || float.IsNaN(v)) { best = v; arg = iy * w + ix; }
                        }
                    }
                    if (Kind == PoolKind.Max)
                    {
                        ys[o] = best;
                        if (_record) _argmax[o] = p * h * w + arg;
                    }
                    else ys[o] = sum * inv;
                }
        }
    }

    /// <summary>The reduction.</summary>
    public PoolKind Kind { get; }

    /// <inheritdoc/>
    public override string Label => _label;

    // Windows lie inside the plane (no padding or dilation): no bounds tests in the inner loop.
    private static unsafe void MaxPlane(ReadOnlySpan<float> plane, Span<float> y, Span<int> argmax, int planeBase, int w, int oh, int ow, ConvGeometry g)
    {
        bool keep = !argmax.IsEmpty;
        fixed (float* xp = plane) fixed (float* yp = y) fixed (int* ap = argmax)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                float* rowBase = xp + oy * g.StrideH * w;
                for (int ox = 0; ox < ow; ox++)
                {
                    float* win = rowBase + ox * g.StrideW;
                    float best = win[0];
                    int arg = 0;
                    for (int i = 0; i < g.KernelH; i++)
                    {
                        float* r = win + i * w;
                        for (int j = 0; j < g.KernelW; j++)
                        {
                            float v = r[j];
                            if (v > best || (float.IsNaN(v) && !float.IsNaN(best))) { best = v; arg = i * w + j; }
                        }
                    }
                    int o = oy * ow + ox;
                    yp[o] = best;
                    if (keep) ap[o] = planeBase + (int)(win - xp) + arg;
                }
            }
        }
    }

    /// <summary>Pools <paramref name="x"/> with window geometry <paramref name="g"/>.</summary>
    public Tensor Forward(Tensor x, ConvGeometry g)
    {
        bool oneD = x.Rank == 3;
        if (!(oneD || x.Rank == 4) || oneD && g.KernelH != 1)
            throw new ShapeException($"{_label}: input {x.ShapeText} must be [batch, channels, length] or [batch, channels, height, width].");
        int planes = x.Dim(0) * x.Dim(1), h = oneD ? 1 : x.Dim(2), w = x.Dim(-1);
        int oh = g.OutH(h), ow = g.OutW(w);
        if (oh <= 0 || ow <= 0) throw new ShapeException($"{_label}: input {x.ShapeText} is smaller than the {g.KernelH}×{g.KernelW} window.");
        _g = g;
        var y = Buffer(ref _out, oneD ? [x.Dim(0), x.Dim(1), ow] : [x.Dim(0), x.Dim(1), oh, ow]);
        bool record = Autograd.ShouldRecord(x);
        if (Kind == PoolKind.Max && record && _argmax.Length < y.Length) _argmax = new int[y.Length];
        _fx = x; _fy = y; _record = record;
        _h = h; _w = w; _oh = oh; _ow = ow;
        ParallelRange.Run(planes, _forwardRange, Math.Max(1, 4096 / Math.Max(1, h * w)));
        _fx = null; _fy = null;
        y.RequiresGrad = record;
        if (record) { _x = x; Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_x!);
        if (gx.IsEmpty) return;
        var dy = _out!.Grad!.Span;
        if (Kind == PoolKind.Max)
        {
            for (int o = 0; o < dy.Length; o++) gx[_argmax[o]] += dy[o];
            return;
        }
        var x = _x!; var g = _g;
        bool oneD = x.Rank == 3;
        int planes = x.Dim(0) * x.Dim(1), h = oneD ? 1 : x.Dim(2), w = x.Dim(-1);
        int oh = oneD ? 1 : _out.Dim(2), ow = _out.Dim(-1);
        float inv = 1f / (g.KernelH * g.KernelW);
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    float d = dy[(p * oh + oy) * ow + ox] * inv;
                    for (int i = 0; i < g.KernelH; i++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        if ((uint)iy >= (uint)h) continue;
                        for (int j = 0; j < g.KernelW; j++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + j * g.DilationW;
                            if ((uint)ix < (uint)w) gx[p * h * w + iy * w + ix] += d;
                        }
                    }
                }
    }
}
