using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>Maps a batch to one embedding per sample: [B, ...] (+ lengths) → [B, <see cref="Size"/>].</summary>
public abstract class Encoder : Module
{
    /// <summary>Embedding width.</summary>
    public abstract int Size { get; }

    /// <summary>Encodes <paramref name="x"/>; <paramref name="lengths"/> as in <see cref="EmotionModel.Forward(Tensor, ReadOnlySpan{int})"/>.</summary>
    public abstract Tensor Encode(Tensor x, ReadOnlySpan<int> lengths);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Encode(x, default);
}

/// <summary>Dense stack on a vector: (Linear + BN + ReLU + dropout) per hidden size: [B, F] → [B, last hidden].</summary>
public sealed class MlpEncoder : Encoder
{
    private readonly Sequential _net = new();
    private readonly int _size, _features;

    /// <summary>Builds the stack.</summary>
    public MlpEncoder(int features, IReadOnlyList<int> hidden, float dropout)
    {
        _features = features;
        int d = features;
        for (int i = 0; i < hidden.Count; i++)
        {
            _net.Add($"fc{i}", new Linear(d, hidden[i])).Add($"bn{i}", new BatchNorm(hidden[i]))
                .Add($"relu{i}", new Activation(ActivationKind.Relu)).Add($"drop{i}", new SeededDropout(dropout, (ulong)i + 200));
            d = hidden[i];
        }
        _size = d;
        AddModule("net", _net);
    }

    /// <inheritdoc/>
    public override int Size => _size;

    /// <inheritdoc/>
    public override Tensor Encode(Tensor x, ReadOnlySpan<int> lengths)
    {
        if (x.Rank != 2 || x.Dim(1) != _features) throw new ShapeException($"MlpEncoder: input {x.ShapeText} must be [batch, {_features}].");
        return _net.Forward(x);
    }
}

/// <summary>
/// Conv front-end + BiLSTM + additive attention pooling on frame sequences [B, T, F] → [B, 2·hidden].
/// The conv (kernel k, same padding, no pooling so frame counts and lengths are kept) + BN + ReLU
/// runs over time. Variable-length policy: padding + mask. The input's padded frames are zero (the
/// conv's own "same" padding), the BN takes its statistics from valid frames only and zeroes the rest,
/// and padded frames are masked out of the BiLSTM (backward direction starts at the last valid frame)
/// and of the attention softmax, so a clip scores the same alone or inside a padded batch.
/// </summary>
public sealed class AttentionBilstmEncoder : Encoder
{
    private readonly Permute _toChannels = new(0, 2, 1), _toSteps = new(0, 2, 1);
    private readonly ConvFront? _front;
    private readonly MaskedBiRecurrent _rnn;
    private readonly AttentionPooling _attention;
    private readonly SeededDropout _drop;
    private readonly int _features, _size;

    /// <summary>Builds the encoder; <paramref name="convChannels"/> 0 drops the conv front-end.</summary>
    public AttentionBilstmEncoder(int features, int convChannels, int kernel, int hidden, int layers, int attention, float dropout)
    {
        _features = features;
        int d = features;
        if (convChannels > 0)
        {
            _front = AddModule("front", new ConvFront(features, convChannels, kernel));
            d = convChannels;
        }
        _drop = AddModule("drop", new SeededDropout(dropout, 300));
        _rnn = AddModule("rnn", new MaskedBiRecurrent(RecurrentKind.Lstm, d, hidden, layers, returnSequences: true));
        _attention = AddModule("attention", new AttentionPooling(2 * hidden, attention));
        _size = 2 * hidden;
    }

    /// <inheritdoc/>
    public override int Size => _size;

    /// <summary>Attention weights [B, T] of the last call.</summary>
    public Tensor? AttentionWeights => _attention.Weights;

    /// <inheritdoc/>
    public override Tensor Encode(Tensor x, ReadOnlySpan<int> lengths)
    {
        if (x.Rank != 3 || x.Dim(2) != _features) throw new ShapeException($"AttentionBilstmEncoder: input {x.ShapeText} must be [batch, frames, {_features}].");
        var h = _front is not null ? _toSteps.Forward(_front.Forward(_toChannels.Forward(x), lengths)) : x;
        h = _rnn.Forward(_drop.Forward(h), lengths);
        return _attention.Forward(h, lengths);
    }
}

/// <summary>Conv1d (same padding) + mask-aware BN + ReLU on [B, C, T]; keeps the state keys "conv.*" and "bn.*".</summary>
internal sealed class ConvFront : Module
{
    private readonly Conv _conv;
    private readonly MaskedBatchNorm _bn;
    private readonly Activation _relu;

    public ConvFront(int features, int channels, int kernel)
    {
        _conv = AddModule("conv", Conv.Conv1d(features, channels, kernel, padding: Conv.Same));
        _bn = AddModule("bn", new MaskedBatchNorm(channels));
        _relu = AddModule("relu", new Activation(ActivationKind.Relu));
    }

    public override Tensor Forward(Tensor x) => Forward(x, default);

    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths) => _relu.Forward(_bn.Forward(_conv.Forward(x), lengths));
}
