using SpeechEmotion.Nn;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace SpeechEmotion.Models;

/// <summary>
/// Batch normalisation over the channels of a padded sequence batch [B, C, T] whose statistics (batch and
/// running) come from the valid frames only (frame t of sample b is valid when t &lt; lengths[b]); padded
/// frames come out as zero and receive no gradient. With every frame valid it equals <see cref="BatchNormNode"/>.
/// Without the mask, a batch's padding length would shift every valid frame's normalisation, so one
/// utterance scored alone and inside a padded batch would differ.
/// </summary>
public sealed class MaskedBatchNormNode : Node
{
    private Tensor? _out, _x, _gamma, _beta;
    private float[] _mean = [], _invStd = [];
    private int[] _lengths = [];
    private bool _training;
    private int _valid;

    /// <summary>Normalises <paramref name="x"/> [B, C, T]; empty <paramref name="lengths"/> means every frame is valid.</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        bool training, float momentum, float eps)
    {
        int c = gamma.Length;
        if (x.Rank != 3 || x.Dim(1) != c || !lengths.IsEmpty && lengths.Length != x.Dim(0))
            throw new ShapeException($"MaskedBatchNorm: input {x.ShapeText} must be [batch, {c}, frames] with one length per sample.");
        int b = x.Dim(0), t = x.Dim(2);
        if (_lengths.Length != b) _lengths = new int[b];
        int n = 0;
        for (int i = 0; i < b; i++)
        {
            int len = lengths.IsEmpty ? t : lengths[i];
            if (len < 1 || len > t) throw new ShapeException($"MaskedBatchNorm: length {len} of sample {i} is outside 1..{t}.");
            _lengths[i] = len;
            n += len;
        }
        if (training && n < 2) throw new ShapeException($"MaskedBatchNorm: training needs more than one valid frame, got {n}.");
        if (_mean.Length != c) { _mean = new float[c]; _invStd = new float[c]; }
        var y = Buffer(ref _out, x.Shape);
        y.Span.Clear();
        var xs = x.Span; var ys = y.Span;
        var g = gamma.Span; var bt = beta.Span; var rm = runningMean.Span; var rv = runningVar.Span;
        for (int ch = 0; ch < c; ch++)
        {
            double mean, variance;
            if (training)
            {
                double sum = 0, sq = 0;
                for (int i = 0; i < b; i++) sum += TensorPrimitives.Sum(xs.Slice((i * c + ch) * t, _lengths[i]));
                mean = sum / n;
                for (int i = 0; i < b; i++)
                    foreach (float v in xs.Slice((i * c + ch) * t, _lengths[i])) { double d = v - mean; sq += d * d; }
                variance = sq / n;
                rm[ch] = (float)((1 - momentum) * rm[ch] + momentum * mean);
                rv[ch] = (float)((1 - momentum) * rv[ch] + momentum * sq / (n - 1));
            }
            else (mean, variance) = (rm[ch], rv[ch]);
            float inv = (float)(1 / Math.Sqrt(variance + eps));
            (_mean[ch], _invStd[ch]) = ((float)mean, inv);
            float scale = g[ch] * inv, shift = bt[ch] - (float)mean * scale;
            for (int i = 0; i < b; i++)
            {
                var src = xs.Slice((i * c + ch) * t, _lengths[i]);
                var dst = ys.Slice((i * c + ch) * t, _lengths[i]);
                TensorPrimitives.Multiply(src, scale, dst);
                TensorPrimitives.Add(dst, shift, dst);
            }
        }
        (_training, _valid) = (training, n);
        y.RequiresGrad = Autograd.ShouldRecord(x, gamma) || beta.RequiresGrad && Autograd.Enabled;
        if (y.RequiresGrad) { (_x, _gamma, _beta) = (x, gamma, beta); Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_x!); var gg = GradOf(_gamma!); var gb = GradOf(_beta!);
        var x = _x!;
        int b = x.Dim(0), c = x.Dim(1), t = x.Dim(2), n = _valid;
        var xs = x.Span; var dy = _out!.Grad!.Span; var g = _gamma!.Span;
        for (int ch = 0; ch < c; ch++)
        {
            float mean = _mean[ch], inv = _invStd[ch];
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < b; i++)
            {
                var d = dy.Slice((i * c + ch) * t, _lengths[i]); var xr = xs.Slice((i * c + ch) * t, _lengths[i]);
                float sd = TensorPrimitives.Sum(d), sdx = TensorPrimitives.Dot(d, xr);
                sumDy += sd;
                sumDyXhat += (sdx - mean * sd) * inv;
            }
            if (!gg.IsEmpty) gg[ch] += (float)sumDyXhat;
            if (!gb.IsEmpty) gb[ch] += (float)sumDy;
            if (gx.IsEmpty) continue;
            // Same closed form as BatchNormNode, over the valid frames: dx = k1·dy + k2·x + k3 (eval: k1·dy).
            float k1 = g[ch] * inv;
            float mdy = _training ? (float)(sumDy / n) : 0, mdx = _training ? (float)(sumDyXhat / n) : 0;
            float k2 = -k1 * inv * mdx, k3 = k1 * (mean * inv * mdx - mdy);
            for (int i = 0; i < b; i++)
            {
                int o = (i * c + ch) * t;
                for (int s = 0; s < _lengths[i]; s++) gx[o + s] += k1 * dy[o + s] + k2 * xs[o + s] + k3;
            }
        }
    }
}

/// <summary>
/// <see cref="BatchNorm"/>'s parameters and running statistics (same names, so state dictionaries keep their
/// keys) with <see cref="MaskedBatchNormNode"/> as the forward pass: channels-first sequences [B, C, T] + lengths.
/// </summary>
public sealed class MaskedBatchNorm : Module
{
    private readonly MaskedBatchNormNode _node = new();

    /// <summary>Creates the layer: γ = 1, β = 0, running mean 0, running variance 1; eps 1e-5, momentum 0.1 (PyTorch defaults).</summary>
    public MaskedBatchNorm(int channels, float eps = 1e-5f, float momentum = 0.1f)
    {
        new Problems().Require(channels > 0, "channels must be positive").Require(eps > 0, "eps must be positive")
            .Require(momentum is >= 0 and <= 1, "momentum must be in [0, 1]").ThrowIfAny("MaskedBatchNorm");
        (Eps, Momentum) = (eps, momentum);
        Weight = AddParameter("weight", new Tensor(channels));
        Bias = AddParameter("bias", new Tensor(channels));
        RunningMean = AddBuffer("running_mean", new Tensor(channels));
        RunningVar = AddBuffer("running_var", new Tensor(channels));
        Weight.Fill(1);
        RunningVar.Fill(1);
    }

    /// <summary>Numerical floor added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Running-stat update weight of the new batch (PyTorch convention).</summary>
    public float Momentum { get; }

    /// <summary>γ [C].</summary>
    public Tensor Weight { get; }

    /// <summary>β [C].</summary>
    public Tensor Bias { get; }

    /// <summary>Running mean [C] over valid frames.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance [C] over valid frames.</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Forward(x, default);

    /// <summary>Normalises [B, C, T]; <paramref name="lengths"/> empty means every frame is valid.</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths) =>
        _node.Forward(x, lengths, Weight, Bias, RunningMean, RunningVar, Training, Momentum, Eps);

    /// <inheritdoc/>
    protected override void ResetParameters(InitScheme scheme, ref SplitMix rng)
    {
        Weight.Fill(1); Bias.Fill(0); RunningMean.Fill(0); RunningVar.Fill(1);
    }
}
