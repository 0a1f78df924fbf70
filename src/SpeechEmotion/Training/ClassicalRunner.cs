using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SpeechEmotion.Corpora;
using SpeechEmotion.Evaluation;
using SpeechEmotion.Features;
using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Training;

/// <summary>
/// The classical-model path of <see cref="ExperimentRunner"/> (architectures svm-rbf, svm-linear,
/// logistic-regression, knn; see <see cref="ClassicalModelSpec"/>). Per fold the training and validation
/// speakers together form the training data (both are training speakers); C and γ are chosen by the inner
/// speaker-grouped cross-validation of <see cref="HyperparameterSearch"/> on that data alone, the
/// standardiser is fitted on it, and the untouched test part is scored once. Each fold folder gets
/// model.classical.json (<see cref="ClassicalModelFile"/>), search.json (every candidate's inner score),
/// predictions.csv and outcome.json; loading, the leakage audit, features and reports are shared with the
/// neural path.
/// </summary>
public static class ClassicalRunner
{
    /// <summary>File name of a fold's fitted pipeline.</summary>
    public const string ModelFileName = "model.classical.json";

    /// <summary>True when <paramref name="config"/> names a classical model.</summary>
    public static bool Handles(ExperimentConfig config) => ClassicalModelSpec.IsClassical(config.Model.Architecture);

    /// <summary>Trains (or, for <see cref="RunMode.Evaluate"/>, re-scores) one fold; returns its outcome and the model's stored value count.</summary>
    /// <param name="c">Experiment.</param>
    /// <param name="fold">The fold.</param>
    /// <param name="classes">Classes in index order.</param>
    /// <param name="featureJson">Feature-set definition saved into the model file.</param>
    /// <param name="features">Features per audio path (one frame each).</param>
    /// <param name="dir">The fold's output folder.</param>
    /// <param name="mode">Train/cross-validate, or evaluate a saved model.</param>
    /// <param name="resume">Reuse a finished fold's saved model and outcome.</param>
    /// <param name="observer">Progress, or null.</param>
    public static (FoldOutcome Outcome, long Parameters) RunFold(ExperimentConfig c, Split fold, IReadOnlyList<Emotion> classes, string featureJson,
        IReadOnlyDictionary<string, FeatureMatrix> features, string dir, RunMode mode, bool resume, IExperimentObserver? observer)
    {
        if (c.Augmentation is not null)
            throw new InvalidOptionsException($"experiment '{c.Name}'", [$"{c.Model.Architecture}: augmentation is not available for classical models; remove the augmentation section"]);
        var spec = ClassicalModelSpec.Parse(c.Model.Architecture, c.Model.Parameters);
        var names = classes.Select(e => e.Name()).ToArray();
        var modelPath = Path.Combine(dir, ModelFileName);
        var outcomePath = Path.Combine(dir, "outcome.json");
        FoldOutcome? previous = File.Exists(outcomePath) ? JsonSerializer.Deserialize<FoldOutcome>(File.ReadAllText(outcomePath), ExperimentRunner.JsonOut) : null;
        var test = ExperimentDataLoader.ToSet(fold.Test, classes, features);
        var (xTest, _) = Matrix(test, c.Name);
        if (mode == RunMode.Evaluate || (resume && previous is not null && File.Exists(modelPath)))
        {
            if (!File.Exists(modelPath))
                throw new InvalidOptionsException($"experiment '{c.Name}'", [$"{fold.Name} has no trained model at '{modelPath}'; run `ser cv` (or `ser train`) first"]);
            var saved = ClassicalModelFile.Load(modelPath);
            if (saved.ClassNames is { } savedNames && !savedNames.SequenceEqual(names))
                throw new CheckpointException($"'{modelPath}' was trained on classes [{string.Join(", ", savedNames)}], the experiment now has [{string.Join(", ", names)}].");
            if (mode != RunMode.Evaluate && previous is not null) return (previous, StoredValues(saved));
            var (p, probs) = Score(saved, xTest);
            var r = ClassificationMetrics.Compute(test.Labels, p, classes.Count, names);
            ExperimentRunner.WritePredictions(Path.Combine(dir, "predictions.csv"), test, p, probs, names);
            var o = (previous ?? new FoldOutcome { Fold = fold.Name, Test = r, Sizes = [fold.Train.Count, fold.Validation.Count, fold.Test.Count] })
                with { Test = r, TestSpeakers = TestSpeakers(fold) };
            return (o, StoredValues(saved));
        }

        var watch = Stopwatch.StartNew();
        var trainPart = fold.Train.Concat(fold.Validation).ToArray();
        var train = ExperimentDataLoader.ToSet(trainPart, classes, features);
        var (x, d) = Matrix(train, c.Name);
        var speakerIndex = trainPart.Select(u => u.SpeakerKey).Distinct().Order(StringComparer.Ordinal).Select((s, i) => (s, i)).ToDictionary(t => t.s, t => t.i);
        var groups = trainPart.Select(u => speakerIndex[u.SpeakerKey]).ToArray();
        var classWeights = spec.Weights(train.Labels, classes.Count);
        HyperparameterSearchResult? search = null;
        var chosen = spec.Fixed;
        if (spec.Search is { } so)
        {
            if (speakerIndex.Count < so.InnerFolds)
                throw new InvalidOptionsException($"experiment '{c.Name}'", [$"{fold.Name}: {speakerIndex.Count} training speaker(s) cannot fill {so.InnerFolds} inner folds; lower model.parameters.inner_folds"]);
            observer?.OnStage($"{fold.Name}: {so.Strategy.ToString().ToLowerInvariant()} search over {HyperparameterSearch.Candidates(so, d).Count} candidate(s), {so.InnerFolds} inner speaker folds of {speakerIndex.Count} training speakers");
            search = HyperparameterSearch.Run(x, d, train.Labels, classes.Count, groups, spec.Create, so with { Standardise = c.Model.Normalise }, null, classWeights);
            chosen = search.Best;
        }
        var pipeline = new ClassicalPipeline(spec.Create(chosen), classNames: names, featureSet: featureJson)
            .Fit(x, d, train.Labels, classes.Count, null, classWeights, c.Model.Normalise);
        var seconds = watch.Elapsed.TotalSeconds;
        observer?.OnStage($"{fold.Name}: C = {chosen.C.ToString("G4", CultureInfo.InvariantCulture)}" +
            (spec.Kind == ClassicalKind.SvmRbf ? $", γ = {(pipeline.Classifier as Svm)?.EffectiveGamma.ToString("G4", CultureInfo.InvariantCulture)}" : "") +
            (search is null ? "" : $" (inner UA {search.BestScore:P1})") + $", {seconds:F1} s");
        ClassicalModelFile.Save(modelPath, pipeline);
        AtomicFile.WriteAllText(Path.Combine(dir, "search.json"), JsonSerializer.Serialize(new
        {
            architecture = spec.Architecture,
            chosen_c = chosen.C,
            chosen_gamma = (pipeline.Classifier as Svm)?.EffectiveGamma,
            inner_score = search?.BestScore,
            inner_speakers = speakerIndex.Keys.ToArray(),
            trials = search?.Trials.Select(t => new { c = t.Candidate.C, gamma = t.Candidate.Gamma, mean = t.MeanScore, folds = t.FoldScores }).ToArray(),
        }, ExperimentRunner.JsonOut));
        var (pred, proba) = Score(pipeline, xTest);
        var report = ClassificationMetrics.Compute(test.Labels, pred, classes.Count, names);
        ExperimentRunner.WritePredictions(Path.Combine(dir, "predictions.csv"), test, pred, proba, names);
        var outcome = new FoldOutcome
        {
            Fold = fold.Name, Test = report, Sizes = [fold.Train.Count, fold.Validation.Count, fold.Test.Count], TestSpeakers = TestSpeakers(fold),
            ValidationUa = search?.BestScore ?? 0, TrainSeconds = Math.Round(seconds, 1),
        };
        AtomicFile.WriteAllText(outcomePath, JsonSerializer.Serialize(outcome, ExperimentRunner.JsonOut));
        return (outcome, StoredValues(pipeline));
    }

    private static string[] TestSpeakers(Split fold) => fold.Test.Select(u => u.SpeakerKey).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static (int[] Predicted, float[] Probabilities) Score(ClassicalPipeline pipeline, float[] x) =>
        x.Length == 0 ? ([], []) : (pipeline.Predict(x), pipeline.PredictProba(x));

    // Floats the fitted model keeps: support vectors or stored rows, or the weight matrix, plus the scaler.
    private static long StoredValues(ClassicalPipeline p) => (p.Scaler is null ? 0 : 2L * p.Scaler.Dimensions) + p.Classifier switch
    {
        Svm s => (long)s.SupportVectorCount * s.Dimensions + s.Machines.Sum(m => (long)m.Coefficients.Length + 1),
        LogisticRegression l => l.Weights.Length + l.Bias.Length,
        KNearestNeighbours k => k.TrainingFeatures.Length,
        _ => 0,
    };

    private static (float[] X, int D) Matrix(LabelledSet set, string experiment)
    {
        if (set.Count == 0) return ([], 0);
        var d = set.Features[0].Features;
        var x = new float[set.Count * d];
        for (int i = 0; i < set.Count; i++)
        {
            var m = set.Features[i];
            if (m.Frames != 1 || m.Features != d)
                throw new InvalidOptionsException($"experiment '{experiment}'",
                    [$"classical models take one vector per utterance; '{set.Ids?[i]}' has {m.Frames} frame(s) of {m.Features} features (expected 1 × {d}); use an utterance-level set (functionals, egemaps-v02, compare16)"]);
            m.Data.AsSpan(0, d).CopyTo(x.AsSpan(i * d, d));
        }
        return (x, d);
    }
}
