using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>
/// A scalar loss whose gradient with respect to its input is computed in the forward pass (the
/// fused softmax-cross-entropy and friends); backward scales it by the upstream gradient.
/// </summary>
public sealed class LossNode : Node
{
    private Tensor? _out, _in, _grad;
    private readonly string _label;

    /// <summary>Creates the node; <paramref name="label"/> names the loss in errors.</summary>
    public LossNode(string label) => _label = label;

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Gradient buffer of the input's shape, filled by the loss function.</summary>
    internal Span<float> Begin(Tensor input)
    {
        _in = input;
        return Buffer(ref _grad, input.Shape).Span;
    }

    /// <summary>Publishes the loss <paramref name="value"/>; records the node when the input needs gradients.</summary>
    internal Tensor Finish(double value)
    {
        var y = Buffer(ref _out, [1]);
        y[0] = (float)value;
        y.RequiresGrad = Autograd.ShouldRecord(_in!);
        if (y.RequiresGrad) Autograd.Record(this);
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (!gx.IsEmpty) TensorPrimitives.MultiplyAdd(_grad!.Span, _out!.Grad![0], gx, gx);
    }
}

/// <summary>Loss functions (mean reduction). Each call with the same <see cref="LossNode"/> reuses its buffers.</summary>
public static class Losses
{
    /// <summary>
    /// Softmax cross-entropy of <paramref name="logits"/> [N, C] against class indices, with optional
    /// per-class weights (PyTorch's weighted mean: divided by the sum of the targets' weights) and label
    /// smoothing ε (target distribution (1 − ε)·one-hot + ε/C).
    /// </summary>
    /// <exception cref="ShapeException">Targets do not match the batch, or a class index is out of range.</exception>
    public static Tensor CrossEntropy(LossNode node, Tensor logits, ReadOnlySpan<int> targets,
        ReadOnlySpan<float> classWeights = default, float labelSmoothing = 0f)
    {
        if (logits.Rank != 2 || logits.Dim(0) != targets.Length)
            throw new ShapeException($"{node.Label}: logits {logits.ShapeText} do not match {targets.Length} targets (expected [N, classes]).");
        int n = logits.Dim(0), c = logits.Dim(1);
        if (!classWeights.IsEmpty && classWeights.Length != c)
            throw new ShapeException($"{node.Label}: {classWeights.Length} class weights for {c} classes.");
        var g = node.Begin(logits);
        var xs = logits.Span;
        double total = 0, denom = 0;
        for (int i = 0; i < n; i++)
        {
            int y = targets[i];
            if ((uint)y >= (uint)c) throw new ShapeException($"{node.Label}: target {y} of sample {i} is outside 0..{c - 1}.");
            denom += classWeights.IsEmpty ? 1 : classWeights[y];
        }
        for (int i = 0; i < n; i++)
        {
            var row = xs.Slice(i * c, c); var gr = g.Slice(i * c, c);
            float max = TensorPrimitives.Max(row);
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.Exp(row[k] - max);
            double lse = max + Math.Log(sum);
            double aSum = 0;
            for (int k = 0; k < c; k++)
            {
                double q = (k == targets[i] ? 1 - labelSmoothing : 0) + labelSmoothing / c;
                double a = q * (classWeights.IsEmpty ? 1 : classWeights[k]);
                total -= a * (row[k] - lse);
                aSum += a;
                gr[k] = (float)-a;
            }
            for (int k = 0; k < c; k++) gr[k] = (float)((gr[k] + aSum * Math.Exp(row[k] - lse)) / denom);
        }
        return node.Finish(total / denom);
    }

    /// <summary>Binary cross-entropy on logits (numerically stable), mean over all elements; targets in [0, 1].</summary>
    public static Tensor BceWithLogits(LossNode node, Tensor logits, ReadOnlySpan<float> targets)
    {
        if (targets.Length != logits.Length) throw new ShapeException($"{node.Label}: logits {logits.ShapeText} but {targets.Length} targets.");
        var g = node.Begin(logits);
        var xs = logits.Span;
        double total = 0;
        int n = xs.Length;
        for (int i = 0; i < n; i++)
        {
            double x = xs[i], y = targets[i];
            total += Math.Max(x, 0) - x * y + Math.Log(1 + Math.Exp(-Math.Abs(x)));
            g[i] = (float)((1 / (1 + Math.Exp(-x)) - y) / n);
        }
        return node.Finish(total / n);
    }

    /// <summary>Mean squared error over all elements.</summary>
    public static Tensor Mse(LossNode node, Tensor pred, ReadOnlySpan<float> targets)
    {
        if (targets.Length != pred.Length) throw new ShapeException($"{node.Label}: predictions {pred.ShapeText} but {targets.Length} targets.");
        var g = node.Begin(pred);
        var ps = pred.Span;
        double total = 0;
        int n = ps.Length;
        for (int i = 0; i < n; i++)
        {
            double d = ps[i] - targets[i];
            total += d * d;
            g[i] = (float)(2 * d / n);
        }
        return node.Finish(total / n);
    }

    /// <summary>
    /// 1 − concordance correlation coefficient per column of <paramref name="pred"/> [N, D] (population
    /// variances), averaged over columns; <paramref name="ccc"/> receives each column's CCC when given.
    /// </summary>
    public static Tensor OneMinusCcc(LossNode node, Tensor pred, ReadOnlySpan<float> targets, Span<float> ccc = default)
    {
        if (pred.Rank != 2 || targets.Length != pred.Length)
            throw new ShapeException($"{node.Label}: predictions {pred.ShapeText} (expected [N, dims]) but {targets.Length} targets.");
        int n = pred.Dim(0), dims = pred.Dim(1);
        var g = node.Begin(pred);
        var ps = pred.Span;
        double total = 0;
        for (int c = 0; c < dims; c++)
        {
            double mp = 0, mt = 0;
            for (int i = 0; i < n; i++) { mp += ps[i * dims + c]; mt += targets[i * dims + c]; }
            mp /= n; mt /= n;
            double vp = 0, vt = 0, cov = 0;
            for (int i = 0; i < n; i++)
            {
                double dp = ps[i * dims + c] - mp, dt = targets[i * dims + c] - mt;
                vp += dp * dp; vt += dt * dt; cov += dp * dt;
            }
            vp /= n; vt /= n; cov /= n;
            double den = vp + vt + (mp - mt) * (mp - mt), value = 2 * cov / den;
            if (!ccc.IsEmpty) ccc[c] = (float)value;
            total += 1 - value;
            for (int i = 0; i < n; i++)
            {
                double dp = ps[i * dims + c] - mp, dt = targets[i * dims + c] - mt;
                double dDen = 2 * dp / n + 2 * (mp - mt) / n;
                double dCcc = (2 * dt / n * den - 2 * cov * dDen) / (den * den);
                g[i * dims + c] = (float)(-dCcc / dims);
            }
        }
        return node.Finish(total / dims);
    }
}
