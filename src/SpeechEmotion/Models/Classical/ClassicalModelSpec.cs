using System.Globalization;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Models.Classical;

/// <summary>The classical model families an experiment can name as its architecture.</summary>
public enum ClassicalKind
{
    /// <summary>"svm-rbf": C-SVM with an RBF kernel; C and γ searched.</summary>
    SvmRbf,
    /// <summary>"svm-linear": C-SVM with a linear kernel; C searched.</summary>
    SvmLinear,
    /// <summary>"logistic-regression": L2 multinomial logistic regression; C searched.</summary>
    LogisticRegression,
    /// <summary>"knn": k nearest neighbours; nothing searched.</summary>
    KNearestNeighbours,
}

/// <summary>How classes are weighted when fitting.</summary>
public enum ClassWeighting
{
    /// <summary>Every sample counts once.</summary>
    None,
    /// <summary>Class c weighs n / (classes present × n_c), so rare classes count as much as common ones.</summary>
    Balanced,
}

/// <summary>
/// A classical model as an experiment file describes it: the family (its architecture name), the fixed options
/// and the hyper-parameter search run by speaker-grouped cross-validation inside the training speakers. Built from
/// the architecture name and the <c>model.parameters</c> mapping by <see cref="Parse"/>, which reports every
/// problem at once. Keys (all optional):
/// <list type="bullet">
/// <item><c>search</c>: grid | random | none (default grid; none for knn).</item>
/// <item><c>c</c>, <c>gamma</c>: the setting used when search is none (C default 1; γ absolute, default 1/d).</item>
/// <item><c>c_range</c>: [min, max, steps], log-spaced; <c>gamma_range</c>: [min, max, steps] in units of 1/d.</item>
/// <item><c>random_trials</c>, <c>search_seed</c>, <c>inner_folds</c> (speaker folds, default 4), <c>score</c>: ua | wa.</item>
/// <item><c>multiclass</c>: one-vs-one | one-vs-rest (SVMs); <c>class_weights</c>: none | balanced; <c>probability_folds</c> (SVMs).</item>
/// <item><c>k</c>, <c>metric</c>: euclidean | cosine, <c>weighting</c>: uniform | distance (knn).</item>
/// </list>
/// Defaults reproduce <see cref="ClassicalBaselines"/> (RBF grid C ∈ 0.1…1000 × γ ∈ 0.01…10 /d; LR C ∈ 0.001…10; kNN k = 10, distance-weighted).
/// </summary>
public sealed record ClassicalModelSpec
{
    /// <summary>Architecture names, in <see cref="ClassicalKind"/> order.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["svm-rbf", "svm-linear", "logistic-regression", "knn"];

    private static readonly string[] Keys = ["search", "c", "gamma", "c_range", "gamma_range", "random_trials", "search_seed", "inner_folds", "score",
        "multiclass", "class_weights", "probability_folds", "k", "metric", "weighting"];

    /// <summary>Model family.</summary>
    public ClassicalKind Kind { get; init; }

    /// <summary>The inner search, or null to use <see cref="Fixed"/>.</summary>
    public HyperparameterSearchOptions? Search { get; init; }

    /// <summary>C and absolute γ used without a search (γ ≤ 0 means 1/d).</summary>
    public HyperparameterCandidate Fixed { get; init; } = new(1, 0);

    /// <summary>SVM multi-class scheme. Default one-vs-one.</summary>
    public MultiClassStrategy MultiClass { get; init; } = MultiClassStrategy.OneVsOne;

    /// <summary>Class weighting. Default none (as <see cref="ClassicalBaselines"/>).</summary>
    public ClassWeighting ClassWeights { get; init; } = ClassWeighting.None;

    /// <summary>SVM probability folds (see <see cref="SvmOptions.ProbabilityFolds"/>). Default 0.</summary>
    public int ProbabilityFolds { get; init; }

    /// <summary>kNN options. Default k = 10, euclidean, distance-weighted.</summary>
    public KNearestNeighboursOptions Knn { get; init; } = new() { K = 10, Weighting = NeighbourWeighting.Distance };

    /// <summary>True when <paramref name="architecture"/> names a classical model.</summary>
    public static bool IsClassical(string architecture) => Architectures.Contains(architecture);

    /// <summary>Reads <paramref name="parameters"/> for <paramref name="architecture"/>.</summary>
    /// <exception cref="InvalidOptionsException">Every unknown key, wrong type or out-of-range value.</exception>
    public static ClassicalModelSpec Parse(string architecture, JsonObject? parameters)
    {
        var problems = new Problems();
        var index = Architectures.ToList().IndexOf(architecture);
        if (index < 0) throw new InvalidOptionsException("classical model", [$"unknown classical architecture '{architecture}'; known: {string.Join(", ", Architectures)}"]);
        var kind = (ClassicalKind)index;
        var p = parameters ?? new JsonObject();
        foreach (var (key, _) in p)
            problems.Require(Keys.Contains(key), $"unknown parameter '{key}' for {architecture}; known: {string.Join(", ", Keys)}");

        var searchKind = Word(p, "search", kind == ClassicalKind.KNearestNeighbours ? "none" : "grid", ["grid", "random", "none"], problems);
        if (kind == ClassicalKind.KNearestNeighbours && searchKind != "none") problems.Add("knn has nothing to search; use search: none");
        var defaults = kind switch
        {
            ClassicalKind.SvmRbf => ClassicalBaselines.SvmSearch,
            ClassicalKind.SvmLinear => ClassicalBaselines.SvmSearch with { CMin = 1e-4, CMax = 1, CSteps = 5, GammaSteps = 1 },
            _ => ClassicalBaselines.LogisticSearch,
        };
        var (cMin, cMax, cSteps) = Range(p, "c_range", (defaults.CMin, defaults.CMax, defaults.CSteps), problems);
        var (gMin, gMax, gSteps) = Range(p, "gamma_range", (defaults.GammaMin, defaults.GammaMax, defaults.GammaSteps), problems);
        if (kind != ClassicalKind.SvmRbf && p.ContainsKey("gamma_range")) problems.Add($"gamma_range applies to svm-rbf only, not {architecture}");
        if (kind != ClassicalKind.SvmRbf) { gSteps = 1; }
        var score = Word(p, "score", "ua", ["ua", "wa"], problems);
        HyperparameterSearchOptions? search = searchKind == "none" ? null : defaults with
        {
            Strategy = searchKind == "random" ? SearchStrategy.Random : SearchStrategy.Grid,
            CMin = cMin, CMax = cMax, CSteps = cSteps, GammaMin = gMin, GammaMax = gMax, GammaSteps = gSteps, GammaPerDimension = true,
            RandomTrials = Int(p, "random_trials", 20, 1, 10_000, problems), Seed = Int(p, "search_seed", 0, 0, int.MaxValue, problems),
            InnerFolds = Int(p, "inner_folds", defaults.InnerFolds, 2, 100, problems),
            Score = score == "wa" ? SearchScore.Accuracy : SearchScore.UnweightedAverageRecall,
        };
        var fixedC = Number(p, "c", 1, problems);
        var fixedGamma = Number(p, "gamma", 0, problems);
        problems.Require(fixedC > 0, $"c must be positive, got {fixedC}");
        problems.Require(fixedGamma >= 0, $"gamma must be positive (or 0 for 1/d), got {fixedGamma}");
        var multi = Word(p, "multiclass", "one-vs-one", ["one-vs-one", "one-vs-rest"], problems);
        var weights = Word(p, "class_weights", "none", ["none", "balanced"], problems);
        var knn = new KNearestNeighboursOptions
        {
            K = Int(p, "k", 10, 1, 100_000, problems),
            Metric = Word(p, "metric", "euclidean", ["euclidean", "cosine"], problems) == "cosine" ? DistanceMetric.Cosine : DistanceMetric.Euclidean,
            Weighting = Word(p, "weighting", "distance", ["uniform", "distance"], problems) == "uniform" ? NeighbourWeighting.Uniform : NeighbourWeighting.Distance,
        };
        if (kind != ClassicalKind.KNearestNeighbours)
            foreach (var k in new[] { "k", "metric", "weighting" }) problems.Require(!p.ContainsKey(k), $"'{k}' applies to knn only, not {architecture}");
        if (kind is not (ClassicalKind.SvmRbf or ClassicalKind.SvmLinear))
            foreach (var k in new[] { "multiclass", "probability_folds" }) problems.Require(!p.ContainsKey(k), $"'{k}' applies to SVMs only, not {architecture}");
        var spec = new ClassicalModelSpec
        {
            Kind = kind, Search = search, Fixed = new HyperparameterCandidate(fixedC, fixedGamma),
            MultiClass = multi == "one-vs-rest" ? MultiClassStrategy.OneVsRest : MultiClassStrategy.OneVsOne,
            ClassWeights = weights == "balanced" ? ClassWeighting.Balanced : ClassWeighting.None,
            ProbabilityFolds = Int(p, "probability_folds", 0, 0, 20, problems), Knn = knn,
        };
        problems.Require(spec.ProbabilityFolds != 1, "probability_folds must be 0 or in [2, 20]");
        if (search is not null)
        {
            try { search.Validate(); }
            catch (InvalidOptionsException e) { foreach (var x in e.Problems) problems.Add(x); }
        }
        problems.ThrowIfAny($"model '{architecture}'");
        return spec;
    }

    /// <summary>The architecture name of <see cref="Kind"/>.</summary>
    public string Architecture => Architectures[(int)Kind];

    /// <summary>An unfitted classifier for <paramref name="candidate"/> (C, absolute γ; γ ≤ 0 means 1/d).</summary>
    public IClassifier Create(HyperparameterCandidate candidate) => Kind switch
    {
        ClassicalKind.SvmRbf or ClassicalKind.SvmLinear => new Svm(new SvmOptions
        {
            Kernel = Kind == ClassicalKind.SvmRbf ? KernelKind.Rbf : KernelKind.Linear, C = candidate.C,
            Gamma = candidate.Gamma > 0 ? candidate.Gamma : null, MultiClass = MultiClass, ProbabilityFolds = ProbabilityFolds,
        }),
        ClassicalKind.LogisticRegression => new LogisticRegression(new LogisticRegressionOptions { C = candidate.C }),
        _ => new KNearestNeighbours(Knn),
    };

    /// <summary>Class weights for labels <paramref name="y"/> (null for <see cref="ClassWeighting.None"/>).</summary>
    public float[]? Weights(ReadOnlySpan<int> y, int classes)
    {
        if (ClassWeights == ClassWeighting.None) return null;
        var counts = new int[classes];
        foreach (var c in y) counts[c]++;
        var present = counts.Count(c => c > 0);
        double n = y.Length;
        return counts.Select(c => c == 0 ? 1f : (float)(n / (present * c))).ToArray();
    }

    private static string Word(JsonObject p, string key, string fallback, string[] allowed, Problems problems)
    {
        if (!p.TryGetPropertyValue(key, out var n) || n is null) return fallback;
        var s = n is JsonValue v && v.TryGetValue<string>(out var str) ? str.Trim().ToLowerInvariant() : null;
        if (s is null || !allowed.Contains(s)) { problems.Add($"{key} must be one of {string.Join(", ", allowed)}, got '{n.ToJsonString()}'"); return fallback; }
        return s;
    }

    private static double Number(JsonObject p, string key, double fallback, Problems problems)
    {
        if (!p.TryGetPropertyValue(key, out var n) || n is null) return fallback;
        if (TryNumber(n, out var d) && double.IsFinite(d)) return d;
        problems.Add($"{key} must be a number, got '{n.ToJsonString()}'");
        return fallback;
    }

    private static int Int(JsonObject p, string key, int fallback, int min, int max, Problems problems)
    {
        var d = Number(p, key, fallback, problems);
        if (d != Math.Floor(d) || d < min || d > max) { problems.Add($"{key} must be a whole number in [{min}, {max}], got {d.ToString(CultureInfo.InvariantCulture)}"); return fallback; }
        return (int)d;
    }

    private static (double, double, int) Range(JsonObject p, string key, (double, double, int) fallback, Problems problems)
    {
        if (!p.TryGetPropertyValue(key, out var n) || n is null) return fallback;
        if (n is JsonArray { Count: 3 } a && TryNumber(a[0], out var lo) && TryNumber(a[1], out var hi) && TryNumber(a[2], out var steps)
            && lo > 0 && hi >= lo && double.IsFinite(hi) && steps >= 1 && steps == Math.Floor(steps) && steps <= 1000)
            return (lo, hi, (int)steps);
        problems.Add($"{key} must be [min, max, steps] with 0 < min ≤ max and steps a whole number in [1, 1000], got '{n.ToJsonString()}'");
        return fallback;
    }

    private static bool TryNumber(JsonNode? n, out double value)
    {
        value = 0;
        if (n is not JsonValue v) return false;
        if (v.TryGetValue<double>(out value)) return true;
        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (v.TryGetValue<long>(out var l)) { value = l; return true; }
        return v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
