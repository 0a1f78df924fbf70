using System.Numerics;
using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>Element-wise activation functions.</summary>
public enum ActivationKind
{
    /// <summary>Identity.</summary>
    Identity,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise (alpha default 1).</summary>
    Elu,
    /// <summary>x for x &gt; 0, alpha·x otherwise (alpha default 0.01).</summary>
    LeakyRelu,
    /// <summary>Exact GELU: x·Φ(x) with the normal CDF (erf).</summary>
    Gelu,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
}

/// <summary>Applies an element-wise activation; the backward rule uses the saved input or output.</summary>
public sealed class ActivationNode : Node
{
    private const int Grain = 1 << 15;
    private Tensor? _out, _in, _x;
    private readonly Action<int, int> _forwardRange, _backwardRange;

    /// <summary>Creates the node for <paramref name="kind"/> with parameter <paramref name="alpha"/> (ELU, LeakyReLU).</summary>
    public ActivationNode(ActivationKind kind, float alpha = float.NaN)
    {
        Kind = kind;
        Alpha = float.IsNaN(alpha) ? (kind == ActivationKind.LeakyRelu ? 0.01f : 1f) : alpha;
        _forwardRange = (s, e) => Apply(Kind, Alpha, _x!.Span[s..e], _out!.Span[s..e]);
        _backwardRange = (s, e) => Derivative(Kind, Alpha, _in!.Span[s..e], _out!.Span[s..e], _out.Grad!.Span[s..e], _in.Grad!.Span[s..e]);
    }

    /// <summary>The function.</summary>
    public ActivationKind Kind { get; }

    /// <summary>ELU's alpha or LeakyReLU's negative slope.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public override string Label => Kind.ToString();

    /// <summary>Applies the function to <paramref name="x"/> (any shape).</summary>
    public Tensor Forward(Tensor x)
    {
        var y = Buffer(ref _out, x.Shape);
        _x = x;
        ParallelRange.Run(x.Length, _forwardRange, Grain);
        _x = null;
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad)
        {
            _in = x;
            Autograd.Record(this);
        }
        return y;
    }

    /// <summary>y = f(x) element-wise.</summary>
    public static void Apply(ActivationKind kind, float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (kind)
        {
            case ActivationKind.Identity: x.CopyTo(y); break;
            case ActivationKind.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case ActivationKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            case ActivationKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case ActivationKind.Elu:
                {
                    TensorPrimitives.Min(x, 0f, y);
                    TensorPrimitives.Exp(y, y);
                    int i = 0;
                    if (Vector.IsHardwareAccelerated)
                    {
                        var va = new Vector<float>(alpha);
                        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                        {
                            var vx = new Vector<float>(x[i..]);
                            Vector.ConditionalSelect(Vector.GreaterThan(vx, Vector<float>.Zero), vx, va * (new Vector<float>(y[i..]) - Vector<float>.One)).CopyTo(y[i..]);
                        }
                    }
                    for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : alpha * (y[i] - 1f);
                }
                break;
            case ActivationKind.LeakyRelu:
                for (int i = 0; i < x.Length; i++) { float v = x[i]; y[i] = v > 0 ? v : alpha * v; }
                break;
            case ActivationKind.Gelu:
                for (int i = 0; i < x.Length; i++) { double v = x[i]; y[i] = (float)(v * NormalCdf(v)); }
                break;
        }
    }

    /// <summary>dx += dy · f'(x), given x and y = f(x).</summary>
    public static void Derivative(ActivationKind kind, float alpha, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx)
    {
        switch (kind)
        {
            case ActivationKind.Identity: TensorPrimitives.Add(dx, dy, dx); break;
            case ActivationKind.Relu:
                {
                    int i = 0;
                    if (Vector.IsHardwareAccelerated)
                        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                        {
                            var vx = new Vector<float>(x[i..]);
                            var g = Vector.ConditionalSelect(Vector.GreaterThan(vx, Vector<float>.Zero), new Vector<float>(dy[i..]), Vector<float>.Zero);
                            (new Vector<float>(dx[i..]) + g).CopyTo(dx[i..]);
                        }
                    for (; i < x.Length; i++) if (x[i] > 0) dx[i] += dy[i];
                }
                break;
            case ActivationKind.Tanh:
                for (int i = 0; i < x.Length; i++) dx[i] += dy[i] * (1f - y[i] * y[i]);
                break;
            case ActivationKind.Sigmoid:
                for (int i = 0; i < x.Length; i++) dx[i] += dy[i] * y[i] * (1f - y[i]);
                break;
            case ActivationKind.Elu:
                {
                    int i = 0;
                    if (Vector.IsHardwareAccelerated)
                    {
                        var va = new Vector<float>(alpha);
                        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                        {
                            var vx = new Vector<float>(x[i..]); var vdy = new Vector<float>(dy[i..]);
                            var g = Vector.ConditionalSelect(Vector.GreaterThan(vx, Vector<float>.Zero), vdy, vdy * (new Vector<float>(y[i..]) + va));
                            (new Vector<float>(dx[i..]) + g).CopyTo(dx[i..]);
                        }
                    }
                    for (; i < x.Length; i++) dx[i] += x[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha);
                }
                break;
            case ActivationKind.LeakyRelu:
                for (int i = 0; i < x.Length; i++) dx[i] += x[i] > 0 ? dy[i] : dy[i] * alpha;
                break;
            case ActivationKind.Gelu:
                for (int i = 0; i < x.Length; i++)
                {
                    double v = x[i];
                    dx[i] += (float)(dy[i] * (NormalCdf(v) + v * Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI)));
                }
                break;
        }
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (gx.IsEmpty) return;
        ParallelRange.Run(gx.Length, _backwardRange, Grain);
    }

    /// <summary>Φ(x), the standard normal CDF, to about 1e-7 relative accuracy.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    // Chebyshev-fitted complementary error function (fractional error below 1.2e-7 everywhere).
    private static double Erfc(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}

/// <summary>Softmax or log-softmax over the last axis.</summary>
public sealed class SoftmaxNode : Node
{
    private Tensor? _out, _in;

    /// <summary>Creates a softmax (or log-softmax when <paramref name="log"/>) node.</summary>
    public SoftmaxNode(bool log) => Log = log;

    /// <summary>True for log-softmax.</summary>
    public bool Log { get; }

    /// <inheritdoc/>
    public override string Label => Log ? "LogSoftmax" : "Softmax";

    /// <summary>Applies the function row by row over the last axis of <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x)
    {
        if (x.Rank == 0) throw new ShapeException($"{Label}: input {x.ShapeText} has no axis.");
        var y = Buffer(ref _out, x.Shape);
        int n = x.Dim(-1), rows = x.Length / Math.Max(1, n);
        var xs = x.Span; var ys = y.Span;
        for (int r = 0; r < rows; r++)
        {
            var xr = xs.Slice(r * n, n); var yr = ys.Slice(r * n, n);
            if (Log)
            {
                float max = TensorPrimitives.Max(xr);
                double s = 0;
                foreach (var v in xr) s += Math.Exp(v - max);
                float lse = max + (float)Math.Log(s);
                TensorPrimitives.Subtract(xr, lse, yr);
            }
            else TensorPrimitives.SoftMax(xr, yr);
        }
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
        int n = _out!.Dim(-1), rows = _out.Length / Math.Max(1, n);
        var ys = _out.Span; var gy = _out.Grad!.Span;
        for (int r = 0; r < rows; r++)
        {
            var yr = ys.Slice(r * n, n); var gr = gy.Slice(r * n, n); var dx = gx.Slice(r * n, n);
            if (Log)
            {
                float sum = TensorPrimitives.Sum(gr);
                for (int i = 0; i < n; i++) dx[i] += gr[i] - MathF.Exp(yr[i]) * sum;
            }
            else
            {
                float dot = TensorPrimitives.Dot(gr, yr);
                for (int i = 0; i < n; i++) dx[i] += yr[i] * (gr[i] - dot);
            }
        }
    }
}
