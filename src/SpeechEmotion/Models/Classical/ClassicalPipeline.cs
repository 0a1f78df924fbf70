namespace SpeechEmotion.Models.Classical;

/// <summary>
/// A classifier with its optional standardiser, class names and feature-set description: the unit
/// that is trained on a fold, saved (<see cref="ClassicalModelFile"/>) and loaded for inference.
/// Raw (unstandardised) features go in; the scaler fitted on the training data is applied first.
/// </summary>
public sealed class ClassicalPipeline
{
    /// <summary>Wraps <paramref name="classifier"/> (fitted or not).</summary>
    /// <param name="classifier">The classifier.</param>
    /// <param name="scaler">A fitted scaler to apply before it, or null for none (set by <see cref="Fit"/> when standardising).</param>
    /// <param name="classNames">Optional class names, one per class index.</param>
    /// <param name="featureSet">Optional canonical JSON of the feature set the inputs come from (IFeatureSet.ToJson()).</param>
    public ClassicalPipeline(IClassifier classifier, StandardScaler? scaler = null, IReadOnlyList<string>? classNames = null, string? featureSet = null)
    {
        Classifier = classifier;
        Scaler = scaler;
        ClassNames = classNames;
        FeatureSet = featureSet;
    }

    /// <summary>The classifier.</summary>
    public IClassifier Classifier { get; }

    /// <summary>The standardiser applied before the classifier, or null.</summary>
    public StandardScaler? Scaler { get; private set; }

    /// <summary>Class names by index, or null.</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Canonical JSON of the feature set, or null.</summary>
    public string? FeatureSet { get; set; }

    /// <summary>Fits the scaler (when <paramref name="standardise"/>) on <paramref name="x"/> only, then the classifier on the scaled data.</summary>
    /// <exception cref="ClassifierInputException">Bad input (see <see cref="IClassifier.Fit"/>).</exception>
    public ClassicalPipeline Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights = null, float[]? classWeights = null, bool standardise = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        InputChecks.CheckTraining("ClassicalPipeline", x, d, y, classes, sampleWeights, classWeights);
        var input = x;
        Scaler = null;
        if (standardise)
        {
            Scaler = new StandardScaler().Fit(x, d);
            input = Scaler.Transform(x);
        }
        Classifier.Fit(input, d, y, classes, sampleWeights, classWeights);
        return this;
    }

    private ReadOnlySpan<float> Prepare(ReadOnlySpan<float> x)
    {
        if (Scaler is null) return x;
        if (!Classifier.IsFitted) throw new ClassifierInputException("ClassicalPipeline: predict was called before Fit (or Load).");
        InputChecks.CheckPrediction("ClassicalPipeline", true, x, Scaler.Dimensions);
        return Scaler.Transform(x);
    }

    /// <summary>Class probabilities [n, classes] of raw features [n, d].</summary>
    public float[] PredictProba(ReadOnlySpan<float> x) => Classifier.PredictProba(Prepare(x));

    /// <summary>Predicted class per row of raw features [n, d].</summary>
    public int[] Predict(ReadOnlySpan<float> x) => Classifier.Predict(Prepare(x));

    /// <summary>Decision values [n, DecisionColumns] of raw features [n, d].</summary>
    public float[] DecisionFunction(ReadOnlySpan<float> x) => Classifier.DecisionFunction(Prepare(x));
}

/// <summary>Out-of-fold result of one outer fold.</summary>
/// <param name="Fold">Outer fold index.</param>
/// <param name="TestRows">Row indices of the test fold (ascending).</param>
/// <param name="Truth">True class per test row.</param>
/// <param name="Predicted">Predicted class per test row.</param>
/// <param name="Probabilities">Class probabilities [test rows, classes].</param>
/// <param name="Chosen">Hyper-parameters used (inner-CV choice, or the defaults when no search ran).</param>
/// <param name="Search">The inner search, or null.</param>
public sealed record ClassicalFoldResult(int Fold, int[] TestRows, int[] Truth, int[] Predicted, float[] Probabilities,
    HyperparameterCandidate Chosen, HyperparameterSearchResult? Search);

/// <summary>
/// Outer cross-validation of a classical pipeline over given folds (e.g. the RAVDESS folds of <c>Protocols.Ravdess5FoldOfActor</c>):
/// for each fold, the optional hyper-parameter search and the scaler see only the training folds.
/// </summary>
public static class ClassicalCrossValidation
{
    /// <summary>Runs every outer fold in order.</summary>
    /// <param name="x">All features, row-major [n, d] (raw; standardisation is fitted per training fold).</param>
    /// <param name="d">Feature dimension.</param>
    /// <param name="y">Class per row.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="groups">Speaker id per row (for the inner search's folds).</param>
    /// <param name="foldOfSample">Outer fold per row, in [0, folds).</param>
    /// <param name="factory">Makes an unfitted classifier for a candidate.</param>
    /// <param name="defaults">Candidate used when <paramref name="search"/> is null.</param>
    /// <param name="search">Inner search options, or null for none.</param>
    /// <param name="standardise">Fit a <see cref="StandardScaler"/> on each training fold.</param>
    public static IReadOnlyList<ClassicalFoldResult> Run(float[] x, int d, int[] y, int classes, int[] groups, int[] foldOfSample,
        Func<HyperparameterCandidate, IClassifier> factory, HyperparameterCandidate defaults, HyperparameterSearchOptions? search = null,
        bool standardise = true)
    {
        var n = InputChecks.CheckTraining("ClassicalCrossValidation", x, d, y, classes, null, null);
        if (groups.Length != n || foldOfSample.Length != n)
            throw new ClassifierInputException($"ClassicalCrossValidation: {n} rows but {groups.Length} groups and {foldOfSample.Length} fold ids.");
        var folds = foldOfSample.Max() + 1;
        var results = new List<ClassicalFoldResult>();
        for (var f = 0; f < folds; f++)
        {
            var (train, test) = GroupKFold.Split(foldOfSample, f);
            if (test.Length == 0) continue;
            var xtr = GroupKFold.TakeRows(x, d, train);
            var ytr = GroupKFold.Take<int>(y, train);
            HyperparameterSearchResult? found = null;
            var chosen = defaults;
            if (search is not null)
            {
                found = HyperparameterSearch.Run(xtr, d, ytr, classes, GroupKFold.Take<int>(groups, train), factory,
                    search with { Standardise = standardise });
                chosen = found.Best;
            }
            var pipeline = new ClassicalPipeline(factory(chosen)).Fit(xtr, d, ytr, classes, standardise: standardise);
            var xte = GroupKFold.TakeRows(x, d, test);
            results.Add(new ClassicalFoldResult(f, test, GroupKFold.Take<int>(y, test), pipeline.Predict(xte), pipeline.PredictProba(xte), chosen, found));
        }
        return results;
    }
}
