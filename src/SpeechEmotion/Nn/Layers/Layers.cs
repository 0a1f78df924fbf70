namespace SpeechEmotion.Nn;

/// <summary>Fully connected layer on the last axis: [..., in] → [..., out]; weight [out, in].</summary>
public sealed class Linear : Module
{
    private readonly LinearNode _node = new("Linear");

    /// <summary>Creates the layer (PyTorch default initialisation, seeded by <paramref name="seed"/>).</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, ulong seed = 1)
    {
        if (inFeatures < 1 || outFeatures < 1) throw new InvalidOptionsException("Linear", [$"features must be positive, got {inFeatures} → {outFeatures}."]);
        Weight = AddParameter("weight", new Tensor(outFeatures, inFeatures));
        Bias = bias ? AddParameter("bias", new Tensor(outFeatures)) : null;
        var rng = new SplitMix(seed);
        ResetParameters(InitScheme.PyTorch, ref rng);
    }

    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out] or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x, Weight, Bias);

    /// <inheritdoc/>
    protected override void ResetParameters(InitScheme scheme, ref SplitMix rng)
    {
        int fin = Weight.Dim(1), fout = Weight.Dim(0);
        if (scheme == InitScheme.Keras)
        {
            Init.GlorotUniform(Weight, fin, fout, ref rng);
            Bias?.Fill(0);
        }
        else
        {
            Init.PyTorchDefault(Weight, fin, ref rng);
            if (Bias is not null) Init.PyTorchDefault(Bias, fin, ref rng);
        }
    }
}

/// <summary>Convolution over [B, C, L] (1-D) or [B, C, H, W] (2-D), groups 1.</summary>
public sealed class Conv : Module
{
    /// <summary>Pass as padding for "same" output size (Keras rule: ceil(size / stride)).</summary>
    public const int Same = -1;

    private readonly ConvNode _node = new("Conv");
    private readonly int _kh, _kw, _sh, _sw, _ph, _pw, _dh, _dw;
    private readonly bool _oneD;

    private Conv(bool oneD, int inC, int outC, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, bool bias, ulong seed)
    {
        var p = new Problems()
            .Require(inC > 0 && outC > 0, $"channels must be positive, got {inC} → {outC}")
            .Require(kh > 0 && kw > 0, "kernel must be positive")
            .Require(sh > 0 && sw > 0, "stride must be positive")
            .Require(dh > 0 && dw > 0, "dilation must be positive")
            .Require(ph >= -1 && pw >= -1, "padding must be ≥ 0 or Conv.Same");
        p.ThrowIfAny(oneD ? "Conv1d" : "Conv2d");
        (_oneD, _kh, _kw, _sh, _sw, _ph, _pw, _dh, _dw) = (oneD, kh, kw, sh, sw, ph, pw, dh, dw);
        Weight = AddParameter("weight", oneD ? new Tensor(outC, inC, kw) : new Tensor(outC, inC, kh, kw));
        Bias = bias ? AddParameter("bias", new Tensor(outC)) : null;
        var rng = new SplitMix(seed);
        ResetParameters(InitScheme.PyTorch, ref rng);
    }

    /// <summary>1-D convolution [B, in, L] → [B, out, L'] (weight [out, in, k]).</summary>
    public static Conv Conv1d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1, bool bias = true, ulong seed = 1) =>
        new(true, inChannels, outChannels, 1, kernel, 1, stride, 0, padding, 1, dilation, bias, seed);

    /// <summary>2-D convolution [B, in, H, W] → [B, out, H', W'] (weight [out, in, kh, kw]); padding Same or ≥ 0 on both axes.</summary>
    public static Conv Conv2d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1, bool bias = true, ulong seed = 1) =>
        new(false, inChannels, outChannels, kernel, kernel, stride, stride, padding, padding, dilation, dilation, bias, seed);

    /// <summary>2-D convolution with separate height and width settings.</summary>
    public static Conv Conv2d(int inChannels, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool bias = true, ulong seed = 1) =>
        new(false, inChannels, outChannels, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, bias, seed);

    /// <summary>[out, in, k] or [out, in, kh, kw].</summary>
    public Tensor Weight { get; }

    /// <summary>[out] or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Window geometry for an input of height <paramref name="h"/> and width <paramref name="w"/>.</summary>
    public ConvGeometry Geometry(int h, int w)
    {
        var (pt, pb) = PadFor(h, _kh, _sh, _dh, _ph);
        var (pl, pr) = PadFor(w, _kw, _sw, _dw, _pw);
        return new ConvGeometry(_kh, _kw, _sh, _sw, pt, pb, pl, pr, _dh, _dw);
    }

    internal static (int Before, int After) PadFor(int size, int k, int s, int d, int pad)
    {
        if (pad != Same) return (pad, pad);
        int outSize = (size + s - 1) / s;
        int total = Math.Max(0, (outSize - 1) * s + d * (k - 1) + 1 - size);
        return (total / 2, total - total / 2);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != (_oneD ? 3 : 4))
            throw new ShapeException($"Conv{(_oneD ? "1d" : "2d")}: input {x.ShapeText} does not fit weight {Weight.ShapeText}.");
        return _node.Forward(x, Weight, Bias, Geometry(_oneD ? 1 : x.Dim(2), x.Dim(-1)));
    }

    /// <inheritdoc/>
    protected override void ResetParameters(InitScheme scheme, ref SplitMix rng)
    {
        int fanIn = Weight.Length / Weight.Dim(0), fanOut = Weight.Dim(0) * (_kh * _kw);
        if (scheme == InitScheme.Keras)
        {
            Init.GlorotUniform(Weight, fanIn, fanOut, ref rng);
            Bias?.Fill(0);
        }
        else
        {
            Init.PyTorchDefault(Weight, fanIn, ref rng);
            if (Bias is not null) Init.PyTorchDefault(Bias, fanIn, ref rng);
        }
    }
}

/// <summary>Max or average pooling (floor mode) over [B, C, L] or [B, C, H, W].</summary>
public sealed class Pool : Module
{
    private readonly PoolNode _node;
    private readonly int _kh, _kw, _sh, _sw, _ph, _pw;
    private readonly bool _oneD;

    private Pool(PoolKind kind, bool oneD, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        new Problems().Require(kh > 0 && kw > 0 && sh > 0 && sw > 0 && ph >= 0 && pw >= 0, "kernel and stride must be positive, padding ≥ 0")
            .ThrowIfAny(kind + "Pool");
        _node = new PoolNode(kind, $"{kind}Pool{(oneD ? "1d" : "2d")}");
        (_oneD, _kh, _kw, _sh, _sw, _ph, _pw) = (oneD, kh, kw, sh, sw, ph, pw);
    }

    /// <summary>MaxPool1d (stride defaults to the kernel).</summary>
    public static Pool Max1d(int kernel, int stride = 0, int padding = 0) => new(PoolKind.Max, true, 1, kernel, 1, stride > 0 ? stride : kernel, 0, padding);

    /// <summary>MaxPool2d with a square window (stride defaults to the kernel).</summary>
    public static Pool Max2d(int kernel, int stride = 0, int padding = 0) => new(PoolKind.Max, false, kernel, kernel, stride > 0 ? stride : kernel, stride > 0 ? stride : kernel, padding, padding);

    /// <summary>AvgPool1d (padding counted in the mean).</summary>
    public static Pool Avg1d(int kernel, int stride = 0, int padding = 0) => new(PoolKind.Average, true, 1, kernel, 1, stride > 0 ? stride : kernel, 0, padding);

    /// <summary>AvgPool2d with a square window.</summary>
    public static Pool Avg2d(int kernel, int stride = 0, int padding = 0) => new(PoolKind.Average, false, kernel, kernel, stride > 0 ? stride : kernel, stride > 0 ? stride : kernel, padding, padding);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x, new ConvGeometry(_oneD ? 1 : _kh, _kw, _oneD ? 1 : _sh, _sw, _ph, _ph, _pw, _pw));
}

/// <summary>Mean over all spatial positions: [B, C, ...] → [B, C] (or [B, C, 1(, 1)] when keeping dimensions).</summary>
public sealed class GlobalAvgPool : Module
{
    private readonly PoolNode _node = new(PoolKind.Average, "GlobalAvgPool");
    private readonly ReshapeNode _reshape = new();
    private readonly bool _keepDims;

    /// <summary>Creates the layer.</summary>
    public GlobalAvgPool(bool keepDims = false) => _keepDims = keepDims;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank is not (3 or 4)) throw new ShapeException($"GlobalAvgPool: input {x.ShapeText} must be [B, C, L] or [B, C, H, W].");
        int h = x.Rank == 4 ? x.Dim(2) : 1, w = x.Dim(-1);
        var y = _node.Forward(x, new ConvGeometry(h, w, h, w, 0, 0, 0, 0));
        return _keepDims ? y : _reshape.Forward(y, x.Dim(0), x.Dim(1));
    }
}

/// <summary>Batch normalisation over channels (axis 1) of [B, C] / [B, C, L] / [B, C, H, W].</summary>
public sealed class BatchNorm : Module
{
    private readonly BatchNormNode _node = new("BatchNorm");

    /// <summary>Creates the layer: γ = 1, β = 0, running mean 0, running variance 1.</summary>
    public BatchNorm(int channels, float eps = 1e-5f, float momentum = 0.1f)
    {
        new Problems().Require(channels > 0, "channels must be positive").Require(eps > 0, "eps must be positive")
            .Require(momentum is >= 0 and <= 1, "momentum must be in [0, 1]").ThrowIfAny("BatchNorm");
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

    /// <summary>Running mean [C].</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance [C].</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x, Weight, Bias, RunningMean, RunningVar, Training, Momentum, Eps);

    /// <inheritdoc/>
    protected override void ResetParameters(InitScheme scheme, ref SplitMix rng)
    {
        Weight.Fill(1); Bias.Fill(0); RunningMean.Fill(0); RunningVar.Fill(1);
    }
}

/// <summary>Layer normalisation over the last axis.</summary>
public sealed class LayerNorm : Module
{
    private readonly LayerNormNode _node = new();
    private readonly float _eps;

    /// <summary>Creates the layer (γ = 1, β = 0).</summary>
    public LayerNorm(int features, float eps = 1e-5f)
    {
        Weight = AddParameter("weight", new Tensor(features));
        Bias = AddParameter("bias", new Tensor(features));
        Weight.Fill(1);
        _eps = eps;
    }

    /// <summary>γ.</summary>
    public Tensor Weight { get; }

    /// <summary>β.</summary>
    public Tensor Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x, Weight, Bias, _eps);
}

/// <summary>Dropout (or spatial dropout of whole channels of [B, C, ...]); identity in eval mode.</summary>
public sealed class Dropout : Module
{
    private readonly DropoutNode _node = new();
    private SplitMix _rng;

    /// <summary>Creates the layer with drop probability <paramref name="p"/> in [0, 1).</summary>
    public Dropout(float p, bool spatial = false, ulong seed = 7)
    {
        new Problems().Require(p is >= 0 and < 1, $"p must be in [0, 1), got {p}").ThrowIfAny("Dropout");
        (P, Spatial, _rng) = (p, spatial, new SplitMix(seed));
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <summary>True to drop whole channels.</summary>
    public bool Spatial { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => !Training || P == 0 ? x : _node.Forward(x, P, Spatial, ref _rng);
}

/// <summary>An element-wise activation as a layer.</summary>
public sealed class Activation : Module
{
    private readonly ActivationNode _node;

    /// <summary>Creates the layer.</summary>
    public Activation(ActivationKind kind, float alpha = float.NaN) => _node = new ActivationNode(kind, alpha);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x);
}

/// <summary>Softmax (or log-softmax) over the last axis as a layer.</summary>
public sealed class Softmax : Module
{
    private readonly SoftmaxNode _node;

    /// <summary>Creates the layer.</summary>
    public Softmax(bool log = false) => _node = new SoftmaxNode(log);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x);
}

/// <summary>Flattens all axes after the first: [B, ...] → [B, rest] (a free view).</summary>
public sealed class Flatten : Module
{
    private readonly ReshapeNode _node = new();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x, x.Dim(0), -1);
}

/// <summary>Reshapes to [B, shape...] keeping the batch axis (a free view; one -1 allowed).</summary>
public sealed class Reshape : Module
{
    private readonly ReshapeNode _node = new();
    private readonly int[] _shape;

    /// <summary>Creates the layer with the per-sample <paramref name="shape"/>.</summary>
    public Reshape(params int[] shape) => _shape = shape;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        Span<int> shape = stackalloc int[_shape.Length + 1];
        shape[0] = x.Dim(0);
        _shape.CopyTo(shape[1..]);
        return _node.Forward(x, shape);
    }
}

/// <summary>Reorders axes (copy): output axis i is input axis perm[i].</summary>
public sealed class Permute : Module
{
    private readonly PermuteNode _node = new();
    private readonly int[] _perm;

    /// <summary>Creates the layer.</summary>
    public Permute(params int[] perm) => _perm = perm;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => _node.Forward(x, _perm);
}
