using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>
/// What an <see cref="EmotionModel"/> produces for a batch of B inputs. Tensors are owned by the
/// model and overwritten by its next forward pass; clone to keep.
/// </summary>
/// <param name="Logits">Emotion logits [B, classes] (softmax gives probabilities).</param>
/// <param name="ArousalLogit">Binary arousal logit [B] (sigmoid = P(high arousal)); null without that head.</param>
/// <param name="ValenceLogit">Binary valence logit [B] (sigmoid = P(positive valence)); null without that head.</param>
/// <param name="Arousal">Dimensional arousal [B] in the training corpus's standardised units; null without that head.</param>
/// <param name="Valence">Dimensional valence [B] in the training corpus's standardised units; null without that head.</param>
public readonly record struct ModelOutput(Tensor Logits, Tensor? ArousalLogit = null, Tensor? ValenceLogit = null, Tensor? Arousal = null, Tensor? Valence = null);

/// <summary>
/// Base of every network in the zoo: a <see cref="Module"/> whose forward pass takes a batch laid out
/// as <see cref="Layout"/> (plus, for masking models, each sample's valid frame count) and returns a
/// <see cref="ModelOutput"/>. Build instances with <see cref="ModelZoo.Create"/>.
/// </summary>
public abstract class EmotionModel : Module
{
    /// <summary>The spec the zoo built this model from (null for a network constructed directly).</summary>
    public ModelSpec? Spec { get; internal set; }

    /// <summary>The input layout the forward pass expects.</summary>
    public abstract InputLayout Layout { get; }

    /// <summary>True when the model masks padded frames using the lengths passed to
    /// <see cref="Forward(Tensor, ReadOnlySpan{int})"/>; false when it needs fixed-length input.</summary>
    public virtual bool UsesLengths => false;

    /// <summary>Shortest input (frames) the network accepts (1 for vector models).</summary>
    public virtual int MinFrames => 1;

    /// <summary>Runs the network on <paramref name="x"/>; <paramref name="lengths"/> (one per sample,
    /// 1..frames) marks padded frames at the end of each sequence; empty means all frames are valid.</summary>
    public abstract ModelOutput Forward(Tensor x, ReadOnlySpan<int> lengths);

    /// <summary>The emotion logits [B, classes] for a batch without padding.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, default).Logits;
}
