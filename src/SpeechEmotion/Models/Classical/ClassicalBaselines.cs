namespace SpeechEmotion.Models.Classical;

/// <summary>
/// The fixed settings of the toolkit's classical reference baselines (RAVDESS, speaker-independent
/// folds of <c>Protocols.Ravdess5Fold</c>, standardisation per training fold). Feature-set
/// comparisons (e.g. our eGeMAPS against openSMILE's) must use these so that numbers are comparable.
/// </summary>
public static class ClassicalBaselines
{
    /// <summary>
    /// Inner search of the reference RBF-SVM: grid C ∈ {0.1, 1, 10, 100, 1000} × γ ∈ {0.01, 0.032, 0.1, 0.32, 1, 3.2, 10}/d,
    /// scored by UA over 4 contiguous speaker folds of the outer training actors.
    /// </summary>
    public static HyperparameterSearchOptions SvmSearch { get; } = new()
    {
        Strategy = SearchStrategy.Grid,
        CMin = 0.1, CMax = 1000, CSteps = 5,
        GammaMin = 0.01, GammaMax = 10, GammaSteps = 7, GammaPerDimension = true,
        InnerFolds = 4, Score = SearchScore.UnweightedAverageRecall,
    };

    /// <summary>Inner search of the reference logistic regression: C ∈ {0.001, 0.01, 0.1, 1, 10}, γ unused.</summary>
    public static HyperparameterSearchOptions LogisticSearch { get; } = new()
    {
        Strategy = SearchStrategy.Grid,
        CMin = 0.001, CMax = 10, CSteps = 5, GammaSteps = 1,
        InnerFolds = 4, Score = SearchScore.UnweightedAverageRecall,
    };

    /// <summary>RBF-SVM (one-vs-one) for a candidate.</summary>
    public static IClassifier RbfSvm(HyperparameterCandidate c) =>
        new Svm(new SvmOptions { Kernel = KernelKind.Rbf, C = c.C, Gamma = c.Gamma });

    /// <summary>L2 multinomial logistic regression for a candidate (γ ignored).</summary>
    public static IClassifier Logistic(HyperparameterCandidate c) =>
        new LogisticRegression(new LogisticRegressionOptions { C = c.C });

    /// <summary>The reference kNN: k = 10, euclidean, distance-weighted (no search; the candidate is ignored).</summary>
    public static IClassifier Knn(HyperparameterCandidate c) =>
        new KNearestNeighbours(new KNearestNeighboursOptions { K = 10, Metric = DistanceMetric.Euclidean, Weighting = NeighbourWeighting.Distance });
}
