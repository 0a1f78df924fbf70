using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>
/// Functional forms of the operations for one-off use (each call creates its node; layers keep
/// theirs and are what hot loops should use).
/// </summary>
public static class F
{
    /// <summary>Element-wise activation.</summary>
    public static Tensor Activate(Tensor x, ActivationKind kind, float alpha = float.NaN) => new ActivationNode(kind, alpha).Forward(x);

    /// <summary>Softmax over the last axis.</summary>
    public static Tensor Softmax(Tensor x) => new SoftmaxNode(false).Forward(x);

    /// <summary>Log-softmax over the last axis.</summary>
    public static Tensor LogSoftmax(Tensor x) => new SoftmaxNode(true).Forward(x);

    /// <summary>Reshape as a view (one -1 allowed).</summary>
    public static Tensor Reshape(Tensor x, params ReadOnlySpan<int> shape) => new ReshapeNode().Forward(x, shape);

    /// <summary>Axis permutation (copy).</summary>
    public static Tensor Permute(Tensor x, params ReadOnlySpan<int> perm) => new PermuteNode().Forward(x, perm);

    /// <summary>Concatenation along <paramref name="axis"/>.</summary>
    public static Tensor Concat(int axis, params Tensor[] xs) => new ConcatNode().Forward(axis, xs);

    /// <summary>a·x1 + b·x2.</summary>
    public static Tensor Add(Tensor x1, Tensor x2, float a = 1, float b = 1) => new AddNode().Forward(x1, x2, a, b);

    /// <summary>Weighted sum of scalar losses (multi-task training): Σ wᵢ·lossᵢ.</summary>
    public static Tensor WeightedSum(ReadOnlySpan<Tensor> losses, ReadOnlySpan<float> weights) =>
        new WeightedSumNode().Forward(losses, weights);
}

/// <summary>Σ wᵢ·xᵢ of same-shaped tensors (typically scalar losses of several tasks).</summary>
public sealed class WeightedSumNode : Node
{
    private Tensor[] _xs = [];
    private float[] _w = [];
    private Tensor? _out;

    /// <summary>Computes the weighted sum.</summary>
    public Tensor Forward(ReadOnlySpan<Tensor> xs, ReadOnlySpan<float> weights)
    {
        if (xs.Length == 0 || xs.Length != weights.Length)
            throw new ShapeException($"WeightedSum: {xs.Length} terms with {weights.Length} weights.");
        var y = Buffer(ref _out, xs[0].Shape);
        y.Span.Clear();
        bool rec = false;
        for (int i = 0; i < xs.Length; i++)
        {
            if (!xs[i].HasShape(y.Shape)) throw new ShapeException($"WeightedSum: term {i} is {xs[i].ShapeText}, term 0 is {y.ShapeText}.");
            TensorPrimitives.MultiplyAdd(xs[i].Span, weights[i], y.Span, y.Span);
            rec |= Autograd.ShouldRecord(xs[i]);
        }
        y.RequiresGrad = rec;
        if (rec)
        {
            if (_xs.Length != xs.Length) { _xs = new Tensor[xs.Length]; _w = new float[xs.Length]; }
            xs.CopyTo(_xs); weights.CopyTo(_w);
            Autograd.Record(this);
        }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var g = _out!.Grad!.Span;
        for (int i = 0; i < _xs.Length; i++)
        {
            var gx = GradOf(_xs[i]);
            if (!gx.IsEmpty) TensorPrimitives.MultiplyAdd(g, _w[i], gx, gx);
        }
    }
}
