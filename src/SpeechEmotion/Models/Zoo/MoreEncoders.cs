using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>Stacked (Bi)LSTM or GRU on [B, T, F]; the last valid state (masked by lengths) is the embedding.</summary>
public sealed class RecurrentEncoder : Encoder
{
    private readonly Module _rnn;
    private readonly SeededDropout _drop;
    private readonly int _size;

    /// <summary>Builds the stack.</summary>
    public RecurrentEncoder(RecurrentKind kind, int features, int hidden, int layers, bool bidirectional, float dropout)
    {
        _drop = AddModule("drop", new SeededDropout(dropout, 400));
        _rnn = bidirectional
            ? AddModule("rnn", new MaskedBiRecurrent(kind, features, hidden, layers, returnSequences: false))
            : AddModule("rnn", new Recurrent(kind, features, hidden, layers, returnSequences: false));
        _size = bidirectional ? 2 * hidden : hidden;
    }

    /// <inheritdoc/>
    public override int Size => _size;

    /// <inheritdoc/>
    public override Tensor Encode(Tensor x, ReadOnlySpan<int> lengths)
    {
        var h = _drop.Forward(x);
        return _rnn is MaskedBiRecurrent bi ? bi.Forward(h, lengths) : ((Recurrent)_rnn).Forward(h, lengths);
    }
}

/// <summary>
/// Conv1D blocks (conv k same + BN + ReLU + max-pool 2 + dropout) over time on [B, T, F], then the mean
/// over the remaining steps: [B, last filters]. Fixed-length input (pooling changes frame counts).
/// </summary>
public sealed class Cnn1dEncoder : Encoder
{
    private readonly Permute _toChannels = new(0, 2, 1);
    private readonly Sequential _convs = new();
    private readonly GlobalAvgPool _pool = new();
    private readonly int _size;
    private readonly bool _vectorInput;
    private readonly ReshapeNode _asChannel = new();

    /// <summary>Builds the blocks; with <paramref name="vectorInput"/> the input is a vector [B, F] read as a
    /// one-channel signal of length F (functionals-cnn).</summary>
    public Cnn1dEncoder(int features, IReadOnlyList<int> filters, int kernel, float dropout, bool vectorInput)
    {
        _vectorInput = vectorInput;
        int inC = vectorInput ? 1 : features;
        for (int i = 0; i < filters.Count; i++)
        {
            _convs.Add($"conv{i}", Conv.Conv1d(inC, filters[i], kernel, padding: Conv.Same))
                .Add($"bn{i}", new BatchNorm(filters[i])).Add($"relu{i}", new Activation(ActivationKind.Relu))
                .Add($"pool{i}", Pool.Max1d(2)).Add($"drop{i}", new SeededDropout(dropout, (ulong)i + 500));
            inC = filters[i];
        }
        AddModule("convs", _convs);
        _size = inC;
        MinLength = 1 << filters.Count;
    }

    /// <summary>Shortest sequence (or vector) the pooling accepts.</summary>
    public int MinLength { get; }

    /// <inheritdoc/>
    public override int Size => _size;

    /// <inheritdoc/>
    public override Tensor Encode(Tensor x, ReadOnlySpan<int> lengths)
    {
        var c = _vectorInput ? _asChannel.Forward(x, x.Dim(0), 1, x.Dim(1)) : _toChannels.Forward(x);
        if (c.Dim(2) < MinLength) throw new ShapeException($"Cnn1dEncoder: input {x.ShapeText} has fewer than {MinLength} steps.");
        return _pool.Forward(_convs.Forward(c));
    }
}

/// <summary>
/// An encoder, optional dense layers and the heads: emotion logits plus any auxiliary heads (binary
/// arousal/valence logits, dimensional arousal/valence). The shape of every zoo model except the seeds.
/// </summary>
public sealed class EncoderClassifier : EmotionModel
{
    private readonly Encoder _encoder;
    private readonly Sequential _dense = new();
    private readonly Linear _head;
    private readonly Linear? _arousalBin, _valenceBin, _arousal, _valence;
    private readonly ReshapeNode _r1 = new(), _r2 = new(), _r3 = new(), _r4 = new();

    /// <summary>Builds the model.</summary>
    public EncoderClassifier(Encoder encoder, InputLayout layout, bool usesLengths, int minFrames, IReadOnlyList<int> dense, float dropout, int classes, AuxiliaryHeads aux)
    {
        (Layout, UsesLengths, MinFrames) = (layout, usesLengths, minFrames);
        _encoder = AddModule("encoder", encoder);
        int d = encoder.Size;
        for (int i = 0; i < dense.Count; i++)
        {
            _dense.Add($"fc{i}", new Linear(d, dense[i])).Add($"relu{i}", new Activation(ActivationKind.Relu));
            d = dense[i];
        }
        _dense.Add("drop", new SeededDropout(dropout, 600));
        AddModule("dense", _dense);
        _head = AddModule("head", new Linear(d, classes));
        if (aux.HasFlag(AuxiliaryHeads.ArousalBinary)) _arousalBin = AddModule("arousal_binary", new Linear(d, 1));
        if (aux.HasFlag(AuxiliaryHeads.ValenceBinary)) _valenceBin = AddModule("valence_binary", new Linear(d, 1));
        if (aux.HasFlag(AuxiliaryHeads.ArousalRegression)) _arousal = AddModule("arousal", new Linear(d, 1));
        if (aux.HasFlag(AuxiliaryHeads.ValenceRegression)) _valence = AddModule("valence", new Linear(d, 1));
    }

    /// <summary>The shared encoder.</summary>
    public Encoder Encoder => _encoder;

    /// <inheritdoc/>
    public override InputLayout Layout { get; }

    /// <inheritdoc/>
    public override bool UsesLengths { get; }

    /// <inheritdoc/>
    public override int MinFrames { get; }

    /// <inheritdoc/>
    public override ModelOutput Forward(Tensor x, ReadOnlySpan<int> lengths)
    {
        var z = _dense.Forward(_encoder.Encode(x, UsesLengths ? lengths : default));
        int b = z.Dim(0);
        return new ModelOutput(_head.Forward(z),
            _arousalBin is null ? null : _r1.Forward(_arousalBin.Forward(z), b),
            _valenceBin is null ? null : _r2.Forward(_valenceBin.Forward(z), b),
            _arousal is null ? null : _r3.Forward(_arousal.Forward(z), b),
            _valence is null ? null : _r4.Forward(_valence.Forward(z), b));
    }
}
