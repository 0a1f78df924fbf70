using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>Sets steps at or after each sample's length to <c>fill</c> in x [B, T, ...] (or [B, T]); gradient zero there.</summary>
public sealed class MaskStepsNode : Node
{
    private Tensor? _out, _in;
    private int[] _lengths = [];

    /// <summary>Masks padded steps of <paramref name="x"/> given valid <paramref name="lengths"/> (1..T each).</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths, float fill = 0f)
    {
        int b = x.Rank >= 2 ? x.Dim(0) : -1, t = x.Rank >= 2 ? x.Dim(1) : 0;
        if (x.Rank < 2 || lengths.Length != b)
            throw new ShapeException($"MaskSteps: input {x.ShapeText} (expected [batch, steps, ...]) with {lengths.Length} lengths.");
        int inner = x.Length / Math.Max(1, b * t);
        var y = Buffer(ref _out, x.Shape);
        x.Span.CopyTo(y.Span);
        for (int i = 0; i < b; i++)
        {
            int len = lengths[i];
            if (len < 1 || len > t) throw new ShapeException($"MaskSteps: length {len} of sample {i} is outside 1..{t}.");
            y.Span.Slice((i * t + len) * inner, (t - len) * inner).Fill(fill);
        }
        if (_lengths.Length != b) _lengths = new int[b];
        lengths.CopyTo(_lengths);
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad) { _in = x; Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (gx.IsEmpty) return;
        int b = _in!.Dim(0), t = _in.Dim(1), inner = _in.Length / Math.Max(1, b * t);
        var g = _out!.Grad!.Span;
        for (int i = 0; i < b; i++)
        {
            int n = _lengths[i] * inner;
            TensorPrimitives.Add(gx.Slice(i * t * inner, n), g.Slice(i * t * inner, n), gx.Slice(i * t * inner, n));
        }
    }
}

/// <summary>
/// The recurrent "last state" of x [B, T, D·H]: the forward direction's output at the last valid
/// step (length − 1, or T − 1) and, for two directions, the backward direction's output at step 0.
/// </summary>
public sealed class LastStateNode : Node
{
    private Tensor? _out, _in;
    private int[] _steps = [];
    private int _dirs;

    /// <summary>Gathers [B, D·H]; <paramref name="lengths"/> empty means every sample is full length.</summary>
    public Tensor Forward(Tensor x, int directions, ReadOnlySpan<int> lengths = default)
    {
        if (x.Rank != 3 || x.Dim(2) % directions != 0 || !lengths.IsEmpty && lengths.Length != x.Dim(0))
            throw new ShapeException($"LastState: input {x.ShapeText} must be [batch, steps, {directions}·hidden] with one length per sample.");
        int b = x.Dim(0), t = x.Dim(1), w = x.Dim(2), h = w / directions;
        var y = Buffer(ref _out, [b, w]);
        if (_steps.Length != b) _steps = new int[b];
        for (int i = 0; i < b; i++)
        {
            int len = lengths.IsEmpty ? t : lengths[i];
            if (len < 1 || len > t) throw new ShapeException($"LastState: length {len} of sample {i} is outside 1..{t}.");
            _steps[i] = len - 1;
            x.Span.Slice((i * t + len - 1) * w, h).CopyTo(y.Span.Slice(i * w, h));
            if (directions == 2) x.Span.Slice(i * t * w + h, h).CopyTo(y.Span.Slice(i * w + h, h));
        }
        _dirs = directions;
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad) { _in = x; Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (gx.IsEmpty) return;
        int b = _in!.Dim(0), t = _in.Dim(1), w = _in.Dim(2), h = w / _dirs;
        var g = _out!.Grad!.Span;
        for (int i = 0; i < b; i++)
        {
            var dst = gx.Slice((i * t + _steps[i]) * w, h);
            TensorPrimitives.Add(dst, g.Slice(i * w, h), dst);
            if (_dirs == 2)
            {
                var d2 = gx.Slice(i * t * w + h, h);
                TensorPrimitives.Add(d2, g.Slice(i * w + h, h), d2);
            }
        }
    }
}

/// <summary>Weighted sum over steps: out[b, f] = Σₜ α[b, t]·x[b, t, f] (attention pooling's last stage).</summary>
public sealed class StepPoolNode : Node
{
    private Tensor? _out, _x, _a;

    /// <summary>Pools <paramref name="x"/> [B, T, F] with weights <paramref name="alpha"/> [B, T].</summary>
    public Tensor Forward(Tensor x, Tensor alpha)
    {
        if (x.Rank != 3 || alpha.Rank != 2 || alpha.Dim(0) != x.Dim(0) || alpha.Dim(1) != x.Dim(1))
            throw new ShapeException($"StepPool: input {x.ShapeText} and weights {alpha.ShapeText} must be [B, T, F] and [B, T].");
        int b = x.Dim(0), t = x.Dim(1), f = x.Dim(2);
        var y = Buffer(ref _out, [b, f]);
        y.Span.Clear();
        for (int i = 0; i < b; i++)
            for (int s = 0; s < t; s++)
                TensorPrimitives.MultiplyAdd(x.Span.Slice((i * t + s) * f, f), alpha[i * t + s], y.Span.Slice(i * f, f), y.Span.Slice(i * f, f));
        y.RequiresGrad = Autograd.ShouldRecord(x, alpha);
        if (y.RequiresGrad) { (_x, _a) = (x, alpha); Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        int b = _x!.Dim(0), t = _x.Dim(1), f = _x.Dim(2);
        var g = _out!.Grad!.Span;
        var gx = GradOf(_x); var ga = GradOf(_a!);
        for (int i = 0; i < b; i++)
            for (int s = 0; s < t; s++)
            {
                var gr = g.Slice(i * f, f);
                if (!gx.IsEmpty) TensorPrimitives.MultiplyAdd(gr, _a![i * t + s], gx.Slice((i * t + s) * f, f), gx.Slice((i * t + s) * f, f));
                if (!ga.IsEmpty) ga[i * t + s] += TensorPrimitives.Dot(gr, _x.Span.Slice((i * t + s) * f, f));
            }
    }
}

/// <summary>Inverted dropout: zeroes elements (or whole channels of [B, C, ...] when spatial) with
/// probability p and scales the rest by 1/(1 − p). Identity in eval mode.</summary>
public sealed class DropoutNode : Node
{
    private Tensor? _out, _in;
    private float[] _mask = [];
    private bool _spatial;
    private int _inner;

    /// <summary>Applies dropout drawing from <paramref name="rng"/>.</summary>
    public Tensor Forward(Tensor x, float p, bool spatial, ref SplitMix rng)
    {
        int units = spatial ? (x.Rank >= 2 ? x.Dim(0) * x.Dim(1) : x.Length) : x.Length;
        _inner = x.Length / Math.Max(1, units);
        _spatial = spatial;
        if (_mask.Length < units) _mask = new float[units];
        float scale = 1f / (1f - p);
        for (int i = 0; i < units; i++) _mask[i] = rng.NextFloat() < p ? 0f : scale;
        var y = Buffer(ref _out, x.Shape);
        var xs = x.Span; var ys = y.Span;
        if (!spatial) TensorPrimitives.Multiply(xs, _mask.AsSpan(0, units), ys);
        else for (int u = 0; u < units; u++) TensorPrimitives.Multiply(xs.Slice(u * _inner, _inner), _mask[u], ys.Slice(u * _inner, _inner));
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad) { _in = x; Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (gx.IsEmpty) return;
        var g = _out!.Grad!.Span;
        if (!_spatial) TensorPrimitives.FusedMultiplyAdd(g, _mask.AsSpan(0, g.Length), gx, gx);
        else for (int u = 0; u * _inner < g.Length; u++)
                TensorPrimitives.MultiplyAdd(g.Slice(u * _inner, _inner), _mask[u], gx.Slice(u * _inner, _inner), gx.Slice(u * _inner, _inner));
    }
}

/// <summary>A small, fast, seedable generator (SplitMix64) used for dropout masks and initialisation.</summary>
public struct SplitMix
{
    private ulong _state;

    /// <summary>Seeds the generator.</summary>
    public SplitMix(ulong seed) => _state = seed;

    /// <summary>Next 64 random bits.</summary>
    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with double resolution.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
