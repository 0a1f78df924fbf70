using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>Options of <see cref="CnnLstm2d"/>; defaults give PEERS.md's 656,582-parameter network.</summary>
public sealed record CnnLstm2dOptions
{
    /// <summary>Mel bands of the input (height); must be divisible by the product of <see cref="Pools"/>.</summary>
    public int Mels { get; init; } = 128;

    /// <summary>Output classes.</summary>
    public int Classes { get; init; } = 6;

    /// <summary>Output channels of the local feature-learning blocks (conv 3×3 same + BN + ELU + max-pool).</summary>
    public IReadOnlyList<int> Channels { get; init; } = [64, 64, 128, 128];

    /// <summary>Square max-pool size after each block.</summary>
    public IReadOnlyList<int> Pools { get; init; } = [2, 4, 4, 4];

    /// <summary>LSTM hidden units.</summary>
    public int LstmHidden { get; init; } = 256;

    /// <summary>Seed of the initial weights.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Initialisation scheme.</summary>
    public InitScheme Init { get; init; } = InitScheme.PyTorch;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate()
    {
        var p = new Problems()
            .Require(Mels > 0, $"Mels must be positive, got {Mels}")
            .Require(Classes >= 2, $"Classes must be at least 2, got {Classes}")
            .Require(Channels.Count > 0 && Channels.Count == Pools.Count, "Channels and Pools must be non-empty and the same length")
            .Require(Channels.All(c => c > 0) && Pools.All(k => k > 0), "Channels and Pools must be positive")
            .Require(LstmHidden > 0, "LstmHidden must be positive");
        int shrink = Pools.Aggregate(1, (a, b) => a * b);
        p.Require(Mels >= shrink, $"Mels ({Mels}) must be at least the total pooling factor {shrink}");
        p.ThrowIfAny(nameof(CnnLstm2dOptions));
    }
}

/// <summary>
/// 2-D CNN-LSTM on log-mel spectrograms: input [B, 1, mels, frames] → logits [B, classes].
/// Blocks of conv 3×3 (same) + batch norm + ELU + max-pool; the remaining frames become LSTM steps
/// with channel-major then frequency features; the LSTM's last state feeds a linear classifier.
/// </summary>
public sealed class CnnLstm2d : EmotionModel
{
    private readonly Conv[] _convs;
    private readonly BatchNorm[] _bns;
    private readonly BatchNormActPoolNode[] _blocks;
    private readonly Permute _permute = new(0, 3, 1, 2);
    private readonly ReshapeNode _flatten = new();

    /// <summary>Builds the network.</summary>
    public CnnLstm2d(CnnLstm2dOptions? options = null)
    {
        Options = options ?? new CnnLstm2dOptions();
        Options.Validate();
        int n = Options.Channels.Count, inC = 1, mels = Options.Mels;
        _convs = new Conv[n]; _bns = new BatchNorm[n]; _blocks = new BatchNormActPoolNode[n];
        for (int i = 0; i < n; i++)
        {
            int c = Options.Channels[i];
            _convs[i] = AddModule($"conv{i}", Conv.Conv2d(inC, c, 3, padding: Conv.Same));
            _bns[i] = AddModule($"bn{i}", new BatchNorm(c));
            _blocks[i] = new BatchNormActPoolNode($"bn{i}+elu+pool");
            inC = c;
            mels /= Options.Pools[i];
        }
        Lstm = AddModule("lstm", new Recurrent(RecurrentKind.Lstm, inC * mels, Options.LstmHidden, returnSequences: false));
        Head = AddModule("fc", new Linear(Options.LstmHidden, Options.Classes));
        Initialize(Options.Init, Options.Seed);
    }

    /// <summary>The options it was built with.</summary>
    public CnnLstm2dOptions Options { get; }

    /// <summary>The recurrent layer.</summary>
    public Recurrent Lstm { get; }

    /// <summary>The classifier.</summary>
    public Linear Head { get; }

    /// <summary>Shortest input (frames) the pooling accepts.</summary>
    public override int MinFrames => Options.Pools.Aggregate(1, (a, b) => a * b);

    /// <inheritdoc/>
    public override InputLayout Layout => InputLayout.Image;

    /// <inheritdoc/>
    public override ModelOutput Forward(Tensor x, ReadOnlySpan<int> lengths) => new(Logits(x));

    private Tensor Logits(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(1) != 1 || x.Dim(2) != Options.Mels || x.Dim(3) < MinFrames)
            throw new ShapeException($"CnnLstm2d: input {x.ShapeText} must be [batch, 1, {Options.Mels}, frames ≥ {MinFrames}].");
        // BN + ELU + max-pool fused: the full-size normalised and activated maps are never stored.
        for (int i = 0; i < _convs.Length; i++)
        {
            var bn = _bns[i];
            x = _blocks[i].Forward(_convs[i].Forward(x), bn.Weight, bn.Bias, bn.RunningMean, bn.RunningVar,
                bn.Training, bn.Momentum, bn.Eps, ActivationKind.Elu, 1f, Options.Pools[i]);
        }
        var seq = _permute.Forward(x);
        seq = _flatten.Forward(seq, seq.Dim(0), seq.Dim(1), -1);
        return Head.Forward(Lstm.Forward(seq));
    }

    /// <summary>Forward multiply-adds ×2 per sample for <paramref name="frames"/> input frames.</summary>
    public double ForwardFlops(int frames)
    {
        double flops = 0;
        int h = Options.Mels, w = frames, inC = 1;
        for (int i = 0; i < _convs.Length; i++)
        {
            int c = Options.Channels[i];
            flops += 2.0 * c * inC * 9 * h * w;
            h /= Options.Pools[i]; w /= Options.Pools[i]; inC = c;
        }
        int hid = Options.LstmHidden;
        flops += 2.0 * w * 4 * hid * (inC * h + hid) + 2.0 * hid * Options.Classes;
        return flops;
    }
}
