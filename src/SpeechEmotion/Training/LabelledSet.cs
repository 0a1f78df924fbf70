using SpeechEmotion.Corpora;
using SpeechEmotion.Features;

namespace SpeechEmotion.Training;

/// <summary>
/// Features and targets of one part of a split: class indices plus the targets of the auxiliary heads
/// (binary arousal/valence derived from the labels; dimensional values where the corpus gives them,
/// NaN where not).
/// </summary>
public sealed class LabelledSet
{
    /// <summary>Creates the set; all arrays have one entry per utterance.</summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public LabelledSet(IReadOnlyList<FeatureMatrix> features, int[] labels, IReadOnlyList<Emotion>? emotions = null,
        float[]? arousal = null, float[]? valence = null, IReadOnlyList<string>? ids = null)
    {
        int n = features.Count;
        if (labels.Length != n || emotions is not null && emotions.Count != n || arousal is not null && arousal.Length != n
            || valence is not null && valence.Length != n || ids is not null && ids.Count != n)
            throw new ArgumentException("LabelledSet: every array must have one entry per utterance.");
        Features = features; Labels = labels;
        ArousalHigh = new float[n]; ValencePositive = new float[n];
        for (int i = 0; i < n; i++)
        {
            var e = emotions?[i];
            ArousalHigh[i] = e is null ? 0.5f : EmotionAttributes.HighArousal(e.Value);
            ValencePositive[i] = e is null ? 0.5f : EmotionAttributes.PositiveValence(e.Value);
        }
        Arousal = arousal; Valence = valence; Ids = ids;
    }

    /// <summary>Feature matrices.</summary>
    public IReadOnlyList<FeatureMatrix> Features { get; }

    /// <summary>Class index per utterance.</summary>
    public int[] Labels { get; }

    /// <summary>P(high arousal) target per utterance.</summary>
    public float[] ArousalHigh { get; }

    /// <summary>P(positive valence) target per utterance.</summary>
    public float[] ValencePositive { get; }

    /// <summary>Standardised dimensional arousal per utterance (NaN where unknown), or null.</summary>
    public float[]? Arousal { get; }

    /// <summary>Standardised dimensional valence per utterance (NaN where unknown), or null.</summary>
    public float[]? Valence { get; }

    /// <summary>Utterance ids (for prediction files), or null.</summary>
    public IReadOnlyList<string>? Ids { get; }

    /// <summary>Number of utterances.</summary>
    public int Count => Labels.Length;
}
