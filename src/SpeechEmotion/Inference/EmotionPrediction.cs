namespace SpeechEmotion.Inference;

/// <summary>The recognised emotion of one clip or window.</summary>
/// <param name="Label">Most probable label (one of <see cref="Labels"/>).</param>
/// <param name="Index">Index of <see cref="Label"/> in <see cref="Labels"/>.</param>
/// <param name="Confidence">Probability of <see cref="Label"/>, in [0, 1].</param>
/// <param name="Labels">All labels in the model's order.</param>
/// <param name="Probabilities">Softmax probability per label (same order as <see cref="Labels"/>), each in [0, 1], summing to 1.</param>
/// <param name="Arousal">P(high arousal) in [0, 1] from a binary head, or a standardised score from a regression head; null without a head.</param>
/// <param name="Valence">P(positive valence) in [0, 1] from a binary head, or a standardised score from a regression head; null without a head.</param>
/// <param name="Duration">Seconds of audio the prediction is based on (after any cap).</param>
public sealed record EmotionPrediction(
    string Label, int Index, float Confidence, IReadOnlyList<string> Labels, float[] Probabilities,
    float? Arousal, float? Valence, double Duration)
{
    /// <summary>The <paramref name="k"/> most probable labels with their probabilities, best first.</summary>
    public IEnumerable<(string Label, float Probability)> Top(int k) =>
        Enumerable.Range(0, Labels.Count).OrderByDescending(i => Probabilities[i]).ThenBy(i => i)
            .Take(Math.Max(0, k)).Select(i => (Labels[i], Probabilities[i]));
}
