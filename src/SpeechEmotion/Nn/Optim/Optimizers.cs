using System.Numerics;
using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>
/// Base of the optimisers: updates each parameter from its gradient. <see cref="Step"/> first checks
/// that every gradient is finite and throws <see cref="NonFiniteException"/> naming the step and the
/// parameter otherwise (nothing is updated then).
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] _params;
    private readonly List<float[][]> _state = [];

    /// <summary>Creates the optimiser over <paramref name="parameters"/> with learning rate <paramref name="lr"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float lr)
    {
        _params = parameters.ToArray();
        if (!(lr > 0)) throw new InvalidOptionsException(GetType().Name, [$"learning rate must be positive, got {lr}"]);
        LearningRate = lr;
    }

    /// <summary>The parameters updated.</summary>
    public IReadOnlyList<Tensor> Parameters => _params;

    /// <summary>Current learning rate (schedules change it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of completed steps.</summary>
    public long StepCount { get; private set; }

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _params) p.Grad?.Span.Clear();
    }

    /// <summary>Applies one update using the accumulated gradients.</summary>
    /// <exception cref="NonFiniteException">A gradient holds NaN or infinity.</exception>
    public void Step()
    {
        for (int i = 0; i < _params.Length; i++)
        {
            var g = _params[i].Grad;
            if (g is not null && !float.IsFinite(TensorPrimitives.MaxMagnitude(g.Span)))
                throw new NonFiniteException($"Step {StepCount + 1}: the gradient of parameter {i} ({_params[i].Name ?? "unnamed"}, {_params[i].ShapeText}) holds NaN or infinity.");
        }
        StepCount++;
        for (int i = 0; i < _params.Length; i++)
            if (_params[i].Grad is { } g) Update(i, _params[i].Span, g.Span);
    }

    /// <summary>Updates parameter <paramref name="index"/> in place.</summary>
    protected abstract void Update(int index, Span<float> w, Span<float> g);

    /// <summary>A zeroed state buffer per parameter (registered for <see cref="ExportState"/>).</summary>
    protected float[][] StateBuffers()
    {
        var b = _params.Select(p => new float[p.Length]).ToArray();
        _state.Add(b);
        return b;
    }

    /// <summary>Copies of the internal state (step count, learning rate, every state buffer in registration
    /// order) so that training resumed from a checkpoint continues exactly.</summary>
    public OptimizerState ExportState() =>
        new(StepCount, LearningRate, _state.SelectMany(set => set.Select(a => (float[])a.Clone())).ToArray());

    /// <summary>Restores what <see cref="ExportState"/> returned for an optimiser of the same type over the same parameters.</summary>
    /// <exception cref="StateDictException">Buffer count or sizes differ.</exception>
    public void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var flat = _state.SelectMany(set => set).ToArray();
        var bad = new List<string>();
        if (flat.Length != state.Buffers.Count) bad.Add($"{state.Buffers.Count} state buffers for {flat.Length}");
        else for (int i = 0; i < flat.Length; i++)
                if (flat[i].Length != state.Buffers[i].Length) bad.Add($"buffer {i}: expected {flat[i].Length} values, got {state.Buffers[i].Length}");
        if (bad.Count > 0) throw new StateDictException(GetType().Name, new StateDictReport([], [], bad));
        for (int i = 0; i < flat.Length; i++) state.Buffers[i].CopyTo(flat[i], 0);
        StepCount = state.Steps;
        LearningRate = state.LearningRate;
    }
}

/// <summary>An optimiser's resumable state: completed steps, current learning rate, state buffers.</summary>
/// <param name="Steps">Completed steps.</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="Buffers">State buffers (momentum, moments) in the optimiser's registration order.</param>
public sealed record OptimizerState(long Steps, float LearningRate, IReadOnlyList<float[]> Buffers);

/// <summary>SGD with optional momentum (PyTorch convention: buf = m·buf + g), Nesterov and L2 weight decay.</summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][] _buf;
    private readonly float _momentum, _decay;
    private readonly bool _nesterov;

    /// <summary>Creates the optimiser.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float lr, float momentum = 0, bool nesterov = false, float weightDecay = 0) : base(parameters, lr)
    {
        (_momentum, _nesterov, _decay) = (momentum, nesterov, weightDecay);
        _buf = StateBuffers();
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> w, Span<float> g)
    {
        var buf = _buf[index].AsSpan();
        for (int i = 0; i < w.Length; i++)
        {
            float gi = g[i] + _decay * w[i];
            if (_momentum != 0)
            {
                float b = StepCount == 1 ? gi : _momentum * buf[i] + gi;
                buf[i] = b;
                gi = _nesterov ? gi + _momentum * b : b;
            }
            w[i] -= LearningRate * gi;
        }
    }
}

/// <summary>Adam (bias-corrected, PyTorch's formula) with optional L2 decay, or AdamW's decoupled decay.</summary>
public sealed class Adam : Optimizer
{
    private readonly float[][] _m, _v;
    private readonly float _b1, _b2, _eps, _decay;
    private readonly bool _decoupled;
    private readonly Action<int, int> _range;
    private float[]? _cw, _cg;
    private int _ci;

    /// <summary>Creates Adam; <paramref name="decoupledWeightDecay"/> makes it AdamW (w −= lr·wd·w before the update).</summary>
    public Adam(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
        float weightDecay = 0, bool decoupledWeightDecay = false) : base(parameters, lr)
    {
        (_b1, _b2, _eps, _decay, _decoupled) = (beta1, beta2, eps, weightDecay, decoupledWeightDecay);
        _m = StateBuffers();
        _v = StateBuffers();
        _range = (s, e) => UpdateRange(_ci, _cw.AsSpan(s, e - s), _cg.AsSpan(s, e - s), s);
    }

    /// <summary>AdamW with the usual defaults (weight decay 0.01).</summary>
    public static Adam AdamW(IEnumerable<Tensor> parameters, float lr = 1e-3f, float weightDecay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f) =>
        new(parameters, lr, beta1, beta2, eps, weightDecay, true);

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> w, Span<float> g)
    {
        var p = Parameters[index];
        if (w.Length < 1 << 16 || p.Offset != 0 || p.Grad!.Offset != 0)
        {
            UpdateRange(index, w, g, 0);
            return;
        }
        // Large tensors are split across the worker threads (each element is independent).
        (_ci, _cw, _cg) = (index, p.Data, p.Grad.Data);
        ParallelRange.Run(w.Length, _range, 1 << 15);
        _cw = _cg = null;
    }

    private void UpdateRange(int index, Span<float> w, Span<float> g, int offset)
    {
        var m = _m[index].AsSpan(offset, w.Length); var v = _v[index].AsSpan(offset, w.Length);
        double bc1 = 1 - Math.Pow(_b1, StepCount), bc2 = 1 - Math.Pow(_b2, StepCount);
        float step = (float)(LearningRate / bc1), invSqrtBc2 = (float)(1 / Math.Sqrt(bc2));
        float shrink = _decoupled ? 1 - LearningRate * _decay : 1, l2 = _decoupled ? 0 : _decay;
        int i = 0;
        if (Vector.IsHardwareAccelerated && l2 == 0)
        {
            int n = Vector<float>.Count;
            var vb1 = new Vector<float>(_b1); var vb2 = new Vector<float>(_b2);
            var c1 = new Vector<float>(1 - _b1); var c2 = new Vector<float>(1 - _b2);
            var vEps = new Vector<float>(_eps); var vStep = new Vector<float>(step);
            var vInv = new Vector<float>(invSqrtBc2); var vShrink = new Vector<float>(shrink);
            for (; i <= w.Length - n; i += n)
            {
                var gv = new Vector<float>(g[i..]);
                var mv = vb1 * new Vector<float>(m[i..]) + c1 * gv;
                var vv = vb2 * new Vector<float>(v[i..]) + c2 * gv * gv;
                var wv = new Vector<float>(w[i..]) * vShrink - vStep * mv / (Vector.SquareRoot(vv) * vInv + vEps);
                mv.CopyTo(m[i..]); vv.CopyTo(v[i..]); wv.CopyTo(w[i..]);
            }
        }
        for (; i < w.Length; i++)
        {
            float gi = g[i] + l2 * w[i];
            m[i] = _b1 * m[i] + (1 - _b1) * gi;
            v[i] = _b2 * v[i] + (1 - _b2) * gi * gi;
            w[i] = w[i] * shrink - step * m[i] / (MathF.Sqrt(v[i]) * invSqrtBc2 + _eps);
        }
    }
}

/// <summary>Adagrad: sum += g²; w −= lr·g/(√sum + eps).</summary>
public sealed class Adagrad : Optimizer
{
    private readonly float[][] _sum;
    private readonly float _eps;

    /// <summary>Creates the optimiser.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, float lr = 1e-2f, float eps = 1e-10f) : base(parameters, lr)
    {
        _eps = eps;
        _sum = StateBuffers();
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> w, Span<float> g)
    {
        var s = _sum[index].AsSpan();
        for (int i = 0; i < w.Length; i++)
        {
            s[i] += g[i] * g[i];
            w[i] -= LearningRate * g[i] / (MathF.Sqrt(s[i]) + _eps);
        }
    }
}

/// <summary>Gradient clipping.</summary>
public static class GradClip
{
    /// <summary>Clamps every gradient element to [−limit, limit].</summary>
    public static void ByValue(IEnumerable<Tensor> parameters, float limit)
    {
        foreach (var p in parameters)
            if (p.Grad is { } g) TensorPrimitives.Clamp(g.Span, -limit, limit, g.Span);
    }

    /// <summary>Scales all gradients so that their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ByNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        double sq = 0;
        foreach (var p in parameters)
            if (p.Grad is { } g) { double n = TensorPrimitives.Norm(g.Span); sq += n * n; }
        double norm = Math.Sqrt(sq);
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in parameters)
                if (p.Grad is { } g) TensorPrimitives.Multiply(g.Span, scale, g.Span);
        }
        return norm;
    }
}
