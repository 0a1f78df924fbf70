namespace SpeechEmotion.Models.Classical;

/// <summary>
/// A classical (non-neural) classifier over fixed-length feature vectors. Features are row-major
/// <c>float</c> arrays of shape [n, d]; labels are class indices in [0, classes). Fitting is
/// deterministic: the same input and options give bit-identical models.
/// </summary>
public interface IClassifier
{
    /// <summary>Number of classes the model was fitted for (0 before fitting).</summary>
    int Classes { get; }

    /// <summary>Feature dimension d the model expects (0 before fitting).</summary>
    int Dimensions { get; }

    /// <summary>True once <see cref="Fit"/> (or a load) has produced a model.</summary>
    bool IsFitted { get; }

    /// <summary>Columns per sample of <see cref="DecisionFunction"/> (model-specific; see each implementation).</summary>
    int DecisionColumns { get; }

    /// <summary>
    /// Fits the model. A class index with no training sample is allowed (it is never predicted), but at
    /// least two classes must be present.
    /// </summary>
    /// <param name="x">Features, row-major [n, d], all finite.</param>
    /// <param name="d">Feature dimension (≥ 1).</param>
    /// <param name="y">Class index per row, in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">Number of classes (≥ 2).</param>
    /// <param name="sampleWeights">Optional positive weight per row (default 1).</param>
    /// <param name="classWeights">Optional positive weight per class (default 1), multiplied into the sample weights.</param>
    /// <exception cref="ClassifierInputException">Any input problem (NaN, lengths, labels, single class, empty).</exception>
    void Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights = null, float[]? classWeights = null);

    /// <summary>Class probabilities, row-major [n, <see cref="Classes"/>]; each row sums to 1.</summary>
    /// <param name="x">Features, row-major [n, d].</param>
    float[] PredictProba(ReadOnlySpan<float> x);

    /// <summary>Predicted class index per row.</summary>
    /// <param name="x">Features, row-major [n, d].</param>
    int[] Predict(ReadOnlySpan<float> x);

    /// <summary>Raw decision values, row-major [n, <see cref="DecisionColumns"/>].</summary>
    /// <param name="x">Features, row-major [n, d].</param>
    float[] DecisionFunction(ReadOnlySpan<float> x);
}
