using System.Numerics;
using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>
/// Batch normalisation over axis 1 of [B, C, ...] (spatial axes pooled with the batch). Training
/// mode normalises with the batch's biased variance and updates running stats (unbiased variance,
/// PyTorch's momentum convention); eval mode uses the running stats.
/// </summary>
public sealed class BatchNormNode : Node
{
    private Tensor? _out, _x, _gamma, _beta;
    private float[] _mean = [], _invStd = [], _scale = [], _shift = [], _tmp = [], _k2 = [];
    private bool _training;
    private float _momentum, _eps;
    private Tensor? _fx, _fy, _fg, _fb, _frm, _frv;
    private readonly string _label;
    private readonly Action<int, int> _forwardRange, _backwardRange;

    /// <summary>Creates the node.</summary>
    public BatchNormNode(string label = "BatchNorm")
    {
        _label = label;
        _forwardRange = ForwardChannels;
        _backwardRange = BackwardChannels;
    }

    /// <inheritdoc/>
    public override string Label => _label;

    private void ForwardChannels(int c0, int c1)
    {
        var x = _fx!;
        int c = _fg!.Length, b = x.Dim(0), s = x.Length / Math.Max(1, b * c), n = b * s;
        bool training = _training;
        float momentum = _momentum, eps = _eps;
        var xs = x.Span; var ys = _fy!.Span;
        var g = _fg.Span; var bt = _fb!.Span; var rm = _frm!.Span; var rv = _frv!.Span;
        for (int ch = c0; ch < c1; ch++)
        {
            double mean, variance;
            if (training)
            {
                double sum = 0, sq = 0;
                for (int i = 0; i < b; i++) sum += Short.Sum(xs.Slice((i * c + ch) * s, s));
                mean = sum / n;
                for (int i = 0; i < b; i++) sq += SumSquaredDeviation(xs.Slice((i * c + ch) * s, s), (float)mean);
                variance = sq / n;
                rm[ch] = (float)((1 - momentum) * rm[ch] + momentum * mean);
                rv[ch] = (float)((1 - momentum) * rv[ch] + momentum * sq / (n - 1));
            }
            else
            {
                mean = rm[ch];
                variance = rv[ch];
            }
            float inv = (float)(1 / Math.Sqrt(variance + eps));
            _mean[ch] = (float)mean;
            _invStd[ch] = inv;
            float scale = g[ch] * inv, shift = bt[ch] - (float)mean * scale;
            for (int i = 0; i < b; i++)
            {
                var src = xs.Slice((i * c + ch) * s, s);
                var dst = ys.Slice((i * c + ch) * s, s);
                Short.ScaleShift(src, scale, shift, dst);
            }
        }
    }

    // [B, C] input: whole rows at a time (a channel's values are strided, one per row).
    private void ForwardRows()
    {
        var x = _fx!;
        int c = _fg!.Length, b = x.Dim(0);
        var xs = x.Span; var ys = _fy!.Span;
        var g = _fg.Span; var bt = _fb!.Span; var rm = _frm!.Span; var rv = _frv!.Span;
        if (_scale.Length != c) { _scale = new float[c]; _shift = new float[c]; }
        var mean = _mean.AsSpan(); var inv = _invStd.AsSpan(); var scale = _scale.AsSpan(); var shift = _shift.AsSpan();
        if (_training)
        {
            mean.Clear();
            for (int i = 0; i < b; i++) TensorPrimitives.Add(mean, xs.Slice(i * c, c), mean);
            TensorPrimitives.Multiply(mean, 1f / b, mean);
            var sq = inv; // variance accumulates here before it becomes 1/σ
            sq.Clear();
            for (int i = 0; i < b; i++)
            {
                TensorPrimitives.Subtract(xs.Slice(i * c, c), mean, scale);
                TensorPrimitives.FusedMultiplyAdd(scale, scale, sq, sq);
            }
            for (int ch = 0; ch < c; ch++)
            {
                rm[ch] = (float)((1 - _momentum) * rm[ch] + _momentum * mean[ch]);
                rv[ch] = (float)((1 - _momentum) * rv[ch] + _momentum * (double)sq[ch] / (b - 1));
                inv[ch] = (float)(1 / Math.Sqrt((double)sq[ch] / b + _eps));
            }
        }
        else
            for (int ch = 0; ch < c; ch++) { mean[ch] = rm[ch]; inv[ch] = (float)(1 / Math.Sqrt(rv[ch] + _eps)); }
        TensorPrimitives.Multiply(g, inv, scale);
        TensorPrimitives.Multiply(mean, scale, shift);
        TensorPrimitives.Subtract(bt, shift, shift);
        for (int i = 0; i < b; i++) TensorPrimitives.FusedMultiplyAdd(xs.Slice(i * c, c), scale, shift, ys.Slice(i * c, c));
    }

    internal static double SumSquaredDeviation(ReadOnlySpan<float> x, float m)
    {
        int i = 0;
        double total = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero; var vm = new Vector<float>(m);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = new Vector<float>(x[i..]) - vm;
                acc += d * d;
            }
            total = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) { double d = x[i] - m; total += d * d; }
        return total;
    }

    /// <summary>Normalises <paramref name="x"/>; in training updates <paramref name="runningMean"/>/<paramref name="runningVar"/>.</summary>
    public Tensor Forward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        bool training, float momentum, float eps)
    {
        int c = gamma.Length;
        if (x.Rank < 2 || x.Dim(1) != c)
            throw new ShapeException($"{_label}: input {x.ShapeText} does not have {c} channels on axis 1.");
        int b = x.Dim(0), s = x.Length / Math.Max(1, b * c), n = b * s;
        if (training && n < 2) throw new ShapeException($"{_label}: training needs more than one value per channel, got input {x.ShapeText}.");
        if (_mean.Length != c) { _mean = new float[c]; _invStd = new float[c]; }
        var y = Buffer(ref _out, x.Shape);
        (_fx, _fy, _fg, _fb, _frm, _frv, _training, _momentum, _eps) = (x, y, gamma, beta, runningMean, runningVar, training, momentum, eps);
        if (s == 1) ForwardRows();
        else ParallelRange.Run(c, _forwardRange, Math.Max(1, 8192 / Math.Max(1, n)));
        _fx = _fy = _fg = _fb = _frm = _frv = null;
        y.RequiresGrad = Autograd.ShouldRecord(x, gamma) || beta.RequiresGrad && Autograd.Enabled;
        if (y.RequiresGrad) { (_x, _gamma, _beta) = (x, gamma, beta); Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        GradOf(_x!); GradOf(_gamma!); GradOf(_beta!); // allocate before the parallel parts read them
        if (_x!.Length == _x.Dim(0) * _gamma!.Length) BackwardRows();
        else ParallelRange.Run(_gamma!.Length, _backwardRange, Math.Max(1, 8192 / Math.Max(1, _x!.Length / _gamma.Length)));
    }

    // [B, C]: the per-channel sums and the input gradient a row at a time (same formulas as BackwardChannels).
    private void BackwardRows()
    {
        var x = _x!;
        int c = _gamma!.Length, b = x.Dim(0);
        var xs = x.Span; var dy = _out!.Grad!.Span; var g = _gamma.Span;
        if (_tmp.Length != c) { _tmp = new float[c]; _k2 = new float[c]; }
        var mean = _mean.AsSpan(); var inv = _invStd.AsSpan();
        Span<float> sd = _scale, sdx = _shift, tmp = _tmp, k2 = _k2;
        sd.Clear(); sdx.Clear();
        for (int i = 0; i < b; i++)
        {
            var d = dy.Slice(i * c, c);
            TensorPrimitives.Add(sd, d, sd);
            TensorPrimitives.Subtract(xs.Slice(i * c, c), mean, tmp);
            TensorPrimitives.FusedMultiplyAdd(tmp, d, sdx, sdx);
        }
        TensorPrimitives.Multiply(sdx, inv, sdx); // Σ dy·x̂
        if (_gamma.RequiresGrad) TensorPrimitives.Add(_gamma.Grad!.Span, sdx, _gamma.Grad!.Span);
        if (_beta!.RequiresGrad) TensorPrimitives.Add(_beta.Grad!.Span, sd, _beta.Grad!.Span);
        if (!x.RequiresGrad) return;
        var gx = x.Grad!.Span;
        // k1 = γ·inv (in tmp); training: k2 = −k1·inv·mean(dy·x̂) and k3 = k1·(mean·inv·mean(dy·x̂) − mean(dy)) (in sd).
        TensorPrimitives.Multiply(g, inv, tmp);
        if (_training)
        {
            TensorPrimitives.Multiply(sdx, 1f / b, sdx);
            TensorPrimitives.Multiply(sd, 1f / b, sd);
            TensorPrimitives.Multiply(tmp, inv, k2);
            TensorPrimitives.Multiply(k2, sdx, k2);         // k1·inv·mdx
            TensorPrimitives.Multiply(k2, mean, sdx);        // k1·inv·mdx·mean
            TensorPrimitives.Negate(k2, k2);
            TensorPrimitives.Multiply(tmp, sd, sd);          // k1·mdy
            TensorPrimitives.Subtract(sdx, sd, sd);          // k3
        }
        else { k2.Clear(); sd.Clear(); }
        for (int i = 0; i < b; i++)
        {
            var o = gx.Slice(i * c, c);
            TensorPrimitives.FusedMultiplyAdd(tmp, dy.Slice(i * c, c), o, o);
            TensorPrimitives.FusedMultiplyAdd(k2, xs.Slice(i * c, c), o, o);
            TensorPrimitives.Add(o, sd, o);
        }
    }

    private void BackwardChannels(int c0, int c1)
    {
        var x = _x!;
        int c = _gamma!.Length, b = x.Dim(0), s = x.Length / Math.Max(1, b * c), n = b * s;
        var xs = x.Span; var dy = _out!.Grad!.Span; var g = _gamma.Span;
        var gx = x.RequiresGrad ? x.Grad!.Span : default;
        var gg = _gamma.RequiresGrad ? _gamma.Grad!.Span : default;
        var gbeta = _beta!.RequiresGrad ? _beta.Grad!.Span : default;
        for (int ch = c0; ch < c1; ch++)
        {
            float mean = _mean[ch], inv = _invStd[ch];
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < b; i++)
            {
                var d = dy.Slice((i * c + ch) * s, s); var xr = xs.Slice((i * c + ch) * s, s);
                float sd = Short.Sum(d), sdx = Short.Dot(d, xr);
                sumDy += sd;
                sumDyXhat += (sdx - mean * sd) * inv;
            }
            if (!gg.IsEmpty) gg[ch] += (float)sumDyXhat;
            if (!gbeta.IsEmpty) gbeta[ch] += (float)sumDy;
            if (gx.IsEmpty) continue;
            float k1 = g[ch] * inv;
            // Training: dx = γ·inv·(dy − mean(dy) − x̂·mean(dy·x̂)) = k1·dy + k2·x + k3; eval: k1·dy.
            float mdy = _training ? (float)(sumDy / n) : 0, mdx = _training ? (float)(sumDyXhat / n) : 0;
            float k2 = -k1 * inv * mdx, k3 = k1 * (mean * inv * mdx - mdy);
            for (int i = 0; i < b; i++)
            {
                var d = dy.Slice((i * c + ch) * s, s); var xr = xs.Slice((i * c + ch) * s, s);
                var o = gx.Slice((i * c + ch) * s, s);
                int j = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var v1 = new Vector<float>(k1); var v2 = new Vector<float>(k2); var v3 = new Vector<float>(k3);
                    for (; j <= s - Vector<float>.Count; j += Vector<float>.Count)
                        (new Vector<float>(o[j..]) + v1 * new Vector<float>(d[j..]) + v2 * new Vector<float>(xr[j..]) + v3).CopyTo(o[j..]);
                }
                for (; j < s; j++) o[j] += k1 * d[j] + k2 * xr[j] + k3;
            }
        }
    }
}

/// <summary>Layer normalisation over the last axis with per-feature gain and bias.</summary>
public sealed class LayerNormNode : Node
{
    private Tensor? _out, _x, _gamma, _beta;
    private float[] _mean = [], _invStd = [];

    /// <summary>Normalises each row of the last axis of <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x, Tensor gamma, Tensor beta, float eps)
    {
        int d = gamma.Length;
        if (x.Rank < 1 || x.Dim(-1) != d) throw new ShapeException($"LayerNorm: input {x.ShapeText} does not end in {d} features.");
        int rows = x.Length / d;
        if (_mean.Length < rows) { _mean = new float[rows]; _invStd = new float[rows]; }
        var y = Buffer(ref _out, x.Shape);
        var xs = x.Span; var ys = y.Span;
        for (int r = 0; r < rows; r++)
        {
            var xr = xs.Slice(r * d, d); var yr = ys.Slice(r * d, d);
            float mean = TensorPrimitives.Sum(xr) / d;
            double sq = 0;
            foreach (var v in xr) sq += (v - mean) * (double)(v - mean);
            float inv = (float)(1 / Math.Sqrt(sq / d + eps));
            _mean[r] = mean; _invStd[r] = inv;
            for (int j = 0; j < d; j++) yr[j] = (xr[j] - mean) * inv * gamma[j] + beta[j];
        }
        y.RequiresGrad = Autograd.ShouldRecord(x, gamma) || beta.RequiresGrad && Autograd.Enabled;
        if (y.RequiresGrad) { (_x, _gamma, _beta) = (x, gamma, beta); Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        int d = _gamma!.Length, rows = _x!.Length / d;
        var xs = _x.Span; var dy = _out!.Grad!.Span; var g = _gamma.Span;
        var gx = GradOf(_x); var gg = GradOf(_gamma); var gb = GradOf(_beta!);
        for (int r = 0; r < rows; r++)
        {
            float mean = _mean[r], inv = _invStd[r];
            double s1 = 0, s2 = 0;
            for (int j = 0; j < d; j++)
            {
                float xh = (xs[r * d + j] - mean) * inv, dyv = dy[r * d + j];
                if (!gg.IsEmpty) gg[j] += dyv * xh;
                if (!gb.IsEmpty) gb[j] += dyv;
                s1 += dyv * g[j];
                s2 += dyv * g[j] * xh;
            }
            if (gx.IsEmpty) continue;
            float m1 = (float)(s1 / d), m2 = (float)(s2 / d);
            for (int j = 0; j < d; j++)
            {
                float xh = (xs[r * d + j] - mean) * inv;
                gx[r * d + j] += inv * (dy[r * d + j] * g[j] - m1 - xh * m2);
            }
        }
    }
}

/// <summary>Span helpers that skip the vector-library call overhead on very short rows
/// (batch-norm over [B, C] or short sequences calls them once per sample and channel).</summary>
internal static class Short
{
    private const int Threshold = 32;

    public static float Sum(ReadOnlySpan<float> x)
    {
        if (x.Length >= Threshold) return TensorPrimitives.Sum(x);
        float s = 0;
        foreach (var v in x) s += v;
        return s;
    }

    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length >= Threshold) return TensorPrimitives.Dot(x, y);
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        if (x.Length >= Threshold)
        {
            TensorPrimitives.Multiply(x, scale, y);
            TensorPrimitives.Add(y, shift, y);
            return;
        }
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * scale + shift;
    }
}
