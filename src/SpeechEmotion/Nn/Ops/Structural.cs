using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>Reshape as a free view; backward adds the gradient back in the input's shape.</summary>
public sealed class ReshapeNode : Node
{
    private Tensor? _in, _out;

    /// <summary>Returns a view of <paramref name="x"/> with <paramref name="shape"/> (one -1 allowed).</summary>
    public Tensor Forward(Tensor x, params ReadOnlySpan<int> shape)
    {
        var y = x.ViewCached(ref _out, shape);
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
        if (!gx.IsEmpty) TensorPrimitives.Add(gx, _out!.Grad!.Span, gx);
    }
}

/// <summary>Sum of two same-shaped tensors, optionally scaled: y = a·x1 + b·x2.</summary>
public sealed class AddNode : Node
{
    private Tensor? _x1, _x2, _out;
    private float _a, _b;

    /// <summary>y = a·x1 + b·x2.</summary>
    public Tensor Forward(Tensor x1, Tensor x2, float a = 1f, float b = 1f)
    {
        if (!x1.HasShape(x2.Shape)) throw new ShapeException($"Add: {x1.ShapeText} and {x2.ShapeText} differ.");
        var y = Buffer(ref _out, x1.Shape);
        (_a, _b) = (a, b);
        TensorPrimitives.Multiply(x1.Span, a, y.Span);
        TensorPrimitives.MultiplyAdd(x2.Span, b, y.Span, y.Span);
        y.RequiresGrad = Autograd.ShouldRecord(x1, x2);
        if (y.RequiresGrad) { (_x1, _x2) = (x1, x2); Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var g = _out!.Grad!.Span;
        var g1 = GradOf(_x1!);
        if (!g1.IsEmpty) TensorPrimitives.MultiplyAdd(g, _a, g1, g1);
        var g2 = GradOf(_x2!);
        if (!g2.IsEmpty) TensorPrimitives.MultiplyAdd(g, _b, g2, g2);
    }
}

/// <summary>Concatenation of tensors along one axis (all other dimensions equal).</summary>
public sealed class ConcatNode : Node
{
    private Tensor[] _ins = [];
    private Tensor? _out;
    private int _axis;

    /// <summary>Concatenates <paramref name="xs"/> along <paramref name="axis"/> (negative counts from the end).</summary>
    public Tensor Forward(int axis, params Tensor[] xs)
    {
        if (xs.Length == 0) throw new ShapeException("Concat: no inputs.");
        int rank = xs[0].Rank;
        axis = axis < 0 ? rank + axis : axis;
        if (axis < 0 || axis >= rank) throw new ShapeException($"Concat: axis out of range for {xs[0].ShapeText}.");
        Span<int> shape = stackalloc int[rank];
        xs[0].Shape.CopyTo(shape);
        shape[axis] = 0;
        foreach (var x in xs)
        {
            bool ok = x.Rank == rank;
            for (int d = 0; ok && d < rank; d++) ok = d == axis || x.Dim(d) == xs[0].Dim(d);
            if (!ok) throw new ShapeException($"Concat: {x.ShapeText} does not match {xs[0].ShapeText} outside axis {axis}.");
            shape[axis] += x.Dim(axis);
        }
        var y = Buffer(ref _out, shape);
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < rank; d++) inner *= shape[d];
        int rowOut = shape[axis] * inner, col = 0;
        var ys = y.Span;
        foreach (var x in xs)
        {
            int w = x.Dim(axis) * inner;
            var xsp = x.Span;
            for (int o = 0; o < outer; o++) xsp.Slice(o * w, w).CopyTo(ys.Slice(o * rowOut + col, w));
            col += w;
        }
        bool rec = false;
        foreach (var x in xs) rec |= Autograd.ShouldRecord(x);
        y.RequiresGrad = rec;
        if (rec) { _ins = xs; _axis = axis; Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var shape = _out!.Shape;
        int outer = 1, inner = 1;
        for (int d = 0; d < _axis; d++) outer *= shape[d];
        for (int d = _axis + 1; d < shape.Length; d++) inner *= shape[d];
        int rowOut = shape[_axis] * inner, col = 0;
        var g = _out.Grad!.Span;
        foreach (var x in _ins)
        {
            int w = x.Dim(_axis) * inner;
            var gx = GradOf(x);
            if (!gx.IsEmpty)
                for (int o = 0; o < outer; o++)
                    TensorPrimitives.Add(gx.Slice(o * w, w), g.Slice(o * rowOut + col, w), gx.Slice(o * w, w));
            col += w;
        }
    }
}

/// <summary>Reorders axes (a copy): output axis i is input axis perm[i].</summary>
public sealed class PermuteNode : Node
{
    private Tensor? _in, _out;
    private int[] _srcStride = [];

    /// <summary>Permutes <paramref name="x"/> by <paramref name="perm"/>.</summary>
    public Tensor Forward(Tensor x, params ReadOnlySpan<int> perm)
    {
        int rank = x.Rank;
        bool ok = perm.Length == rank;
        Span<bool> seen = stackalloc bool[rank];
        foreach (var p in perm)
        {
            ok &= p >= 0 && p < rank && !seen[p];
            if (ok) seen[p] = true;
        }
        if (!ok) throw new ShapeException($"Permute: ({string.Join(", ", perm.ToArray())}) is not a permutation of the axes of {x.ShapeText}.");
        Span<int> inStride = stackalloc int[rank];
        for (int d = rank - 1, s = 1; d >= 0; s *= x.Dim(d), d--) inStride[d] = s;
        Span<int> shape = stackalloc int[rank];
        if (_srcStride.Length != rank) _srcStride = new int[rank];
        for (int i = 0; i < rank; i++) { shape[i] = x.Dim(perm[i]); _srcStride[i] = inStride[perm[i]]; }
        var y = Buffer(ref _out, shape);
        Walk(x.Span, y.Span, shape, false);
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad) { _in = x; Autograd.Record(this); }
        return y;
    }

    // Iterates the output in order; src index follows the permuted strides.
    private void Walk(Span<float> src, Span<float> dst, ReadOnlySpan<int> shape, bool backward)
    {
        int rank = shape.Length;
        Span<int> idx = stackalloc int[rank];
        int n = dst.Length, s = 0;
        for (int o = 0; o < n; o++)
        {
            if (backward) src[s] += dst[o]; else dst[o] = src[s];
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                s += _srcStride[d];
                if (idx[d] < shape[d]) break;
                s -= _srcStride[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (!gx.IsEmpty) Walk(gx, _out!.Grad!.Span, _out.Shape, true);
    }
}
