namespace SpeechEmotion.Models.Classical;

/// <summary>How candidates are generated.</summary>
public enum SearchStrategy
{
    /// <summary>Every (C, γ) pair of two log-spaced grids.</summary>
    Grid,

    /// <summary><see cref="HyperparameterSearchOptions.RandomTrials"/> pairs drawn log-uniformly with a seeded generator.</summary>
    Random,
}

/// <summary>Score the search maximises on the inner validation folds.</summary>
public enum SearchScore
{
    /// <summary>Unweighted average recall (UA).</summary>
    UnweightedAverageRecall,

    /// <summary>Accuracy (WA).</summary>
    Accuracy,
}

/// <summary>Options of <see cref="HyperparameterSearch"/>. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record HyperparameterSearchOptions
{
    /// <summary>Grid or seeded random search. Default <see cref="SearchStrategy.Grid"/>.</summary>
    public SearchStrategy Strategy { get; init; } = SearchStrategy.Grid;

    /// <summary>Smallest C (&gt; 0). Default 0.1.</summary>
    public double CMin { get; init; } = 0.1;

    /// <summary>Largest C (≥ CMin). Default 1000.</summary>
    public double CMax { get; init; } = 1000;

    /// <summary>Grid points for C, log-spaced from CMin to CMax inclusive (≥ 1). Default 5 (0.1, 1, 10, 100, 1000).</summary>
    public int CSteps { get; init; } = 5;

    /// <summary>Smallest γ (&gt; 0), multiplied by 1/d when <see cref="GammaPerDimension"/>. Default 0.1.</summary>
    public double GammaMin { get; init; } = 0.1;

    /// <summary>Largest γ (≥ GammaMin), multiplied by 1/d when <see cref="GammaPerDimension"/>. Default 10.</summary>
    public double GammaMax { get; init; } = 10;

    /// <summary>Grid points for γ, log-spaced inclusive (≥ 1; 1 uses GammaMin). Default 5.</summary>
    public int GammaSteps { get; init; } = 5;

    /// <summary>When true (default) the γ range is in units of 1/d, the scale of standardised features.</summary>
    public bool GammaPerDimension { get; init; } = true;

    /// <summary>Candidates drawn by the random strategy (≥ 1). Default 20.</summary>
    public int RandomTrials { get; init; } = 20;

    /// <summary>Seed of the random strategy. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Inner speaker-independent folds (≥ 2). Default 4.</summary>
    public int InnerFolds { get; init; } = 4;

    /// <summary>How inner-fold groups are dealt. Default <see cref="GroupFoldAssignment.Contiguous"/>.</summary>
    public GroupFoldAssignment InnerAssignment { get; init; } = GroupFoldAssignment.Contiguous;

    /// <summary>Standardise each inner training part (statistics from it only). Default true.</summary>
    public bool Standardise { get; init; } = true;

    /// <summary>Score maximised. Default UA.</summary>
    public SearchScore Score { get; init; } = SearchScore.UnweightedAverageRecall;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value.</summary>
    public void Validate() =>
        new Problems()
            .Require(Enum.IsDefined(Strategy), $"Strategy {Strategy} is not known.")
            .Require(CMin > 0 && double.IsFinite(CMin), $"CMin must be finite and positive, got {CMin}.")
            .Require(CMax >= CMin && double.IsFinite(CMax), $"CMax must be finite and at least CMin, got {CMax}.")
            .Require(CSteps >= 1, $"CSteps must be at least 1, got {CSteps}.")
            .Require(GammaMin > 0 && double.IsFinite(GammaMin), $"GammaMin must be finite and positive, got {GammaMin}.")
            .Require(GammaMax >= GammaMin && double.IsFinite(GammaMax), $"GammaMax must be finite and at least GammaMin, got {GammaMax}.")
            .Require(GammaSteps >= 1, $"GammaSteps must be at least 1, got {GammaSteps}.")
            .Require(RandomTrials >= 1, $"RandomTrials must be at least 1, got {RandomTrials}.")
            .Require(InnerFolds >= 2, $"InnerFolds must be at least 2, got {InnerFolds}.")
            .Require(Enum.IsDefined(InnerAssignment), $"InnerAssignment {InnerAssignment} is not known.")
            .Require(Enum.IsDefined(Score), $"Score {Score} is not known.")
            .ThrowIfAny(nameof(HyperparameterSearchOptions));
}

/// <summary>One hyper-parameter setting: C and the absolute RBF γ (models that lack γ ignore it).</summary>
/// <param name="C">Regularisation constant.</param>
/// <param name="Gamma">Absolute RBF width γ.</param>
public sealed record HyperparameterCandidate(double C, double Gamma);

/// <summary>Inner-CV result of one candidate.</summary>
/// <param name="Candidate">The setting tried.</param>
/// <param name="MeanScore">Mean score over inner folds.</param>
/// <param name="FoldScores">Score per inner fold.</param>
public sealed record HyperparameterTrial(HyperparameterCandidate Candidate, double MeanScore, double[] FoldScores);

/// <summary>Outcome of a search.</summary>
/// <param name="Best">The winning candidate (the first in candidate order among equal mean scores).</param>
/// <param name="BestScore">Its mean inner-CV score.</param>
/// <param name="Trials">Every candidate, in the order tried.</param>
public sealed record HyperparameterSearchResult(HyperparameterCandidate Best, double BestScore, IReadOnlyList<HyperparameterTrial> Trials);

/// <summary>
/// Chooses hyper-parameters by inner, group-aware (speaker-independent) cross-validation on the data it
/// is given — pass only the outer training fold, so the outer test fold is never seen. Deterministic
/// for a fixed seed: candidates, folds and classifiers are all reproducible.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>The candidates the options generate for feature dimension <paramref name="d"/> (grid: C-major order).</summary>
    public static IReadOnlyList<HyperparameterCandidate> Candidates(HyperparameterSearchOptions options, int d)
    {
        options.Validate();
        var unit = options.GammaPerDimension ? 1.0 / d : 1.0;
        var list = new List<HyperparameterCandidate>();
        if (options.Strategy == SearchStrategy.Grid)
        {
            foreach (var c in LogSpace(options.CMin, options.CMax, options.CSteps))
                foreach (var g in LogSpace(options.GammaMin, options.GammaMax, options.GammaSteps))
                    list.Add(new HyperparameterCandidate(c, g * unit));
        }
        else
        {
            var rng = new SplitMix64((ulong)options.Seed * 0xD1B54A32D192ED03UL + 0x2545F4914F6CDD1DUL);
            double lc0 = Math.Log(options.CMin), lc1 = Math.Log(options.CMax);
            double lg0 = Math.Log(options.GammaMin), lg1 = Math.Log(options.GammaMax);
            for (var t = 0; t < options.RandomTrials; t++)
            {
                var c = Math.Exp(lc0 + (lc1 - lc0) * rng.NextDouble());
                var g = Math.Exp(lg0 + (lg1 - lg0) * rng.NextDouble());
                list.Add(new HyperparameterCandidate(c, g * unit));
            }
        }
        return list;
    }

    /// <summary>n values from lo to hi inclusive, equally spaced in log; lo alone when n = 1.</summary>
    public static double[] LogSpace(double lo, double hi, int n)
    {
        var result = new double[n];
        for (var t = 0; t < n; t++)
            result[t] = n == 1 ? lo : Math.Exp(Math.Log(lo) + (Math.Log(hi) - Math.Log(lo)) * t / (n - 1));
        return result;
    }

    /// <summary>Runs the search.</summary>
    /// <param name="x">Features of the (outer) training data, row-major [n, d].</param>
    /// <param name="d">Feature dimension.</param>
    /// <param name="y">Class per row.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="groups">Speaker (group) id per row; inner folds never split a group.</param>
    /// <param name="factory">Makes an unfitted classifier for a candidate.</param>
    /// <param name="options">Search options (defaults when null).</param>
    /// <param name="sampleWeights">Optional per-row weights passed to each fit.</param>
    /// <param name="classWeights">Optional per-class weights passed to each fit.</param>
    /// <exception cref="ClassifierInputException">Bad input, or too few groups for the inner folds.</exception>
    public static HyperparameterSearchResult Run(float[] x, int d, int[] y, int classes, int[] groups,
        Func<HyperparameterCandidate, IClassifier> factory, HyperparameterSearchOptions? options = null,
        float[]? sampleWeights = null, float[]? classWeights = null)
    {
        options ??= new HyperparameterSearchOptions();
        options.Validate();
        var n = InputChecks.CheckTraining("HyperparameterSearch", x, d, y, classes, sampleWeights, classWeights);
        if (groups.Length != n) throw new ClassifierInputException($"HyperparameterSearch: {n} rows but {groups.Length} group ids.");
        var foldOf = GroupKFold.Assign(groups, options.InnerFolds, options.InnerAssignment);

        // Inner folds are prepared once and shared by all candidates.
        var folds = new List<(float[] Xtr, int[] Ytr, float[]? Wtr, float[] Xva, int[] Yva, Lazy<double[]> Gram, Lazy<(double[] Dots, double[] VaSq, double[] TrSq)> Cross)>();
        for (var f = 0; f < options.InnerFolds; f++)
        {
            var (train, val) = GroupKFold.Split(foldOf, f);
            var ytr = GroupKFold.Take<int>(y, train);
            if (ytr.Distinct().Count() < 2) continue;
            var xtr = GroupKFold.TakeRows(x, d, train);
            var xva = GroupKFold.TakeRows(x, d, val);
            if (options.Standardise)
            {
                var scaler = new StandardScaler().Fit(xtr, d);
                scaler.Transform(xtr, xtr);
                scaler.Transform(xva, xva);
            }
            // SVM candidates differ only in C and γ: the O(n²d) dot products are shared by all of them.
            // Likewise the validation-by-training dot products serve every candidate's predictions.
            var gram = new Lazy<double[]>(() => KernelSource.DotGram(xtr, d));
            var cross = new Lazy<(double[], double[], double[])>(() => (
                KernelSource.CrossDots(xva, 0, val.Length, xtr, train.Length, d),
                KernelSource.SquaredNorms(xva, 0, val.Length, d),
                KernelSource.SquaredNorms(xtr, 0, train.Length, d)));
            folds.Add((xtr, ytr, sampleWeights is null ? null : GroupKFold.Take<float>(sampleWeights, train), xva, GroupKFold.Take<int>(y, val), gram, cross));
        }
        if (folds.Count == 0)
            throw new ClassifierInputException("HyperparameterSearch: no inner fold has two classes in its training part.");

        var trials = new List<HyperparameterTrial>();
        HyperparameterTrial? best = null;
        foreach (var candidate in Candidates(options, d))
        {
            var scores = new double[folds.Count];
            for (var f = 0; f < folds.Count; f++)
            {
                var (xtr, ytr, wtr, xva, yva, gram, cross) = folds[f];
                var model = factory(candidate);
                int[] predicted;
                if (model is Svm svm && svm.KernelFits(ytr.Length))
                {
                    svm.Fit(xtr, d, ytr, classes, wtr, classWeights, gram.Value);
                    var (dots, vaSq, trSq) = cross.Value;
                    predicted = svm.PredictFromDecisions(svm.MachineDecisionsFromTrainingDots(dots, yva.Length, ytr.Length, vaSq, trSq));
                }
                else
                {
                    model.Fit(xtr, d, ytr, classes, wtr, classWeights);
                    predicted = model.Predict(xva);
                }
                scores[f] = Score(yva, predicted, classes, options.Score);
            }
            var trial = new HyperparameterTrial(candidate, scores.Average(), scores);
            trials.Add(trial);
            if (best is null || trial.MeanScore > best.MeanScore) best = trial;
        }
        return new HyperparameterSearchResult(best!.Candidate, best.MeanScore, trials);
    }

    /// <summary>UA (mean recall over classes present in <paramref name="truth"/>) or accuracy.</summary>
    internal static double Score(int[] truth, int[] predicted, int classes, SearchScore score)
    {
        if (score == SearchScore.Accuracy)
        {
            var correct = 0;
            for (var i = 0; i < truth.Length; i++) if (truth[i] == predicted[i]) correct++;
            return (double)correct / truth.Length;
        }
        var hits = new int[classes];
        var support = new int[classes];
        for (var i = 0; i < truth.Length; i++)
        {
            support[truth[i]]++;
            if (truth[i] == predicted[i]) hits[truth[i]]++;
        }
        double sum = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
            if (support[c] > 0) { sum += (double)hits[c] / support[c]; present++; }
        return sum / present;
    }
}
