using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpeechEmotion.Corpora;
using SpeechEmotion.Evaluation;
using SpeechEmotion.Features;
using SpeechEmotion.Models;

namespace SpeechEmotion.Training;

/// <summary>Progress of a whole experiment (the CLI draws it).</summary>
public interface IExperimentObserver : ITrainingObserver
{
    /// <summary>A stage message ("loading corpora", "extracting lld features", ...).</summary>
    void OnStage(string message);

    /// <summary>Feature extraction progress (files done, total).</summary>
    void OnFeatures(int done, int total);

    /// <summary>A fold starts (1-based index, count).</summary>
    void OnFold(string fold, int index, int count);
}

/// <summary>What to run.</summary>
public enum RunMode
{
    /// <summary>One fold (<see cref="ProtocolConfig.Fold"/>): <c>ser train</c>.</summary>
    Train,
    /// <summary>Every selected fold, mean ± std: <c>ser cv</c>.</summary>
    CrossValidate,
    /// <summary>Re-score the saved fold models on their test folds without training: <c>ser evaluate</c>.</summary>
    Evaluate,
}

/// <summary>
/// Runs an experiment end to end: corpora → label map → protocol split → leakage audit (a leaky split
/// stops here unless allowed) → features (cached) → per fold: standardisation fitted on the training part,
/// model from the zoo, training with validation-based early stopping, scoring of the untouched test part →
/// reports. Each fold's folder holds its checkpoint, log.csv/log.json, predictions.csv and model.json;
/// with resume, finished folds are reused and an interrupted one continues from its checkpoint.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs <paramref name="config"/>; returns the report (also written to the output folder).</summary>
    public static ExperimentReport Run(ExperimentConfig config, RunMode mode, bool resume = false, IExperimentObserver? observer = null, CancellationToken cancel = default)
    {
        var total = Stopwatch.StartNew();
        observer?.OnStage("loading corpora and auditing the split");
        var data = ExperimentDataLoader.Load(config);
        var folds = SelectFolds(config, data.Splits, mode);
        var set = FeatureSets.Create(config.Features.Set, config.Features.Parameters);
        var needed = folds.SelectMany(f => f.Train.Concat(f.Validation).Concat(f.Test)).DistinctBy(u => u.Path).ToArray();
        observer?.OnStage($"extracting '{set.Name}' features of {needed.Length} files");
        var features = ExperimentDataLoader.Extract(set, needed, config.Features.Cache, observer is null ? null : observer.OnFeatures);
        foreach (var (extraName, extraParams) in config.Features.Extra)
        {
            var extraSet = FeatureSets.Create(extraName, extraParams);
            observer?.OnStage($"extracting '{extraSet.Name}' features of {needed.Length} files (concatenated)");
            var more = ExperimentDataLoader.Extract(extraSet, needed, config.Features.Cache, observer is null ? null : observer.OnFeatures);
            features = features.ToDictionary(kv => kv.Key, kv => kv.Value.Frames == 1 && more[kv.Key].Frames == 1
                ? FeatureMatrix.Concat(kv.Value, more[kv.Key])
                : throw new InvalidOptionsException($"experiment '{config.Name}'", [$"features.concat needs one-frame (utterance-level) sets; '{extraSet.Name}' or '{set.Name}' gives {more[kv.Key].Frames} frames"]), StringComparer.Ordinal);
        }
        var featureName = string.Join(" + ", new[] { set.Name }.Concat(config.Features.Extra.Select(e => e.Set == "functionals" && e.Parameters.TryGetValue("set", out var inner) ? $"functionals({inner})" : e.Set)));
        var speakerStats = config.Features.SpeakerNormalise ? ExperimentDataLoader.SpeakerStatistics(features, needed) : null;
        if (config.Features.SpeakerNormalise) features = ExperimentDataLoader.SpeakerNormalise(features, needed);
        var classNames = data.Classes.Select(c => c.Name()).ToArray();
        var outcomes = new List<FoldOutcome>();
        long parameters = 0;
        Directory.CreateDirectory(config.Output);
        for (int i = 0; i < folds.Count; i++)
        {
            var fold = folds[i];
            observer?.OnFold(fold.Name, i + 1, folds.Count);
            var dir = Path.Combine(config.Output, fold.Name);
            Directory.CreateDirectory(dir);
            if (ClassicalRunner.Handles(config))
            {
                (var classical, parameters) = ClassicalRunner.RunFold(config, fold, data.Classes, FullSet(config, set).ToJson(), features, dir, mode, resume, observer);
                outcomes.Add(classical);
                continue;
            }
            var (outcome, count) = mode == RunMode.Evaluate
                ? EvaluateFold(config, fold, data.Classes, features, dir)
                : TrainFold(config, fold, data.Classes, set, features, speakerStats, dir, resume, observer, cancel);
            parameters = count;
            outcomes.Add(outcome);
        }
        var report = new ExperimentReport
        {
            Name = config.Name, Description = config.Description, Architecture = config.Model.Architecture, Parameters = parameters,
            FeatureSet = featureName + (config.Features.SpeakerNormalise ? " (per-speaker standardised, transductive)" : "")
                + (config.Features.GenderNormalise ? " (gender-conditioned standardisation, gender predicted from audio; inductive)" : "")
                + (config.Augmentation is { } aug ? "; " + aug.Describe(FrameLevel(config)) : ""), Protocol = data.Splits.Protocol + (folds.Count < data.Splits.Folds.Count ? $" (folds {string.Join(", ", folds.Select(f => f.Name))})" : ""),
            Labels = config.LabelsName, Seed = config.Seed, Classes = classNames, Leaky = data.Leakage.IsLeaky,
            LeakageSummary = LeakageSummary(data.Leakage), Folds = outcomes, Summary = ClassificationMetrics.Aggregate(outcomes.Select(o => o.Test).ToArray()),
            Config = config.SourcePath is not null && File.Exists(config.SourcePath) ? File.ReadAllText(config.SourcePath) : null,
        };
        ReportWriter.WriteAll(report, config.Output);
        return report;
    }

    private static IReadOnlyList<Split> SelectFolds(ExperimentConfig c, SplitSet set, RunMode mode)
    {
        var wanted = mode == RunMode.Train ? [c.Protocol.Fold] : c.Protocol.Folds ?? Enumerable.Range(1, set.Folds.Count).ToArray();
        var bad = wanted.Where(f => f > set.Folds.Count).ToArray();
        if (bad.Length > 0)
            throw new InvalidOptionsException($"experiment '{c.Name}'", [$"fold(s) {string.Join(", ", bad)} do not exist; {set.Protocol} has {set.Folds.Count}"]);
        return wanted.Select(f => set.Folds[f - 1]).ToArray();
    }

    private static string LeakageSummary(LeakageReport r)
    {
        if (!r.IsLeaky) return $"clean ({(r.AudioChecked ? "speakers, ids, copies and audio fingerprints" : "speakers, ids and copies; audio not compared")})";
        var counts = string.Join(", ", r.Counts.Select(kv => $"{kv.Value} {kv.Key}"));
        return $"LEAKY, allowed explicitly: {counts}";
    }

    /// <summary>Why a model trained on per-speaker standardised features is not packaged for inference.</summary>
    public const string SpeakerNormalisedNotDeployable = "the model was trained on per-speaker standardised features (features.speaker_normalise), "
        + "which needs the mean and deviation of the speaker being recognised over many of that speaker's recordings; a single clip of an "
        + "unknown speaker cannot supply them. Train without speaker_normalise for a deployable model.";

    private static bool FrameLevel(ExperimentConfig c) =>
        ModelZoo.Info(new ModelSpec { Architecture = c.Model.Architecture, Parameters = c.Model.Parameters, Features = 1, Classes = 2 }).Layout != InputLayout.Vector;

    private static (FoldOutcome, long) TrainFold(ExperimentConfig c, Split fold, IReadOnlyList<Emotion> classes, IFeatureSet set,
        IReadOnlyDictionary<string, FeatureMatrix> features, IReadOnlyDictionary<string, SpeakerStats>? speakerStats, string dir, bool resume,
        IExperimentObserver? observer, CancellationToken cancel)
    {
        var modelPath = Path.Combine(dir, "model.json");
        var outcomePath = Path.Combine(dir, "outcome.json");
        if (resume && File.Exists(modelPath) && File.Exists(outcomePath))
        {
            var saved = JsonSerializer.Deserialize<FoldOutcome>(File.ReadAllText(outcomePath), JsonOut);
            if (saved is not null) return (saved, TrainedModelFile.Load(modelPath).Build().ParameterCount);
        }
        var aStats = ExperimentDataLoader.DimensionStats(fold.Train, u => u.Arousal);
        var vStats = ExperimentDataLoader.DimensionStats(fold.Train, u => u.Valence);
        var trainPart = fold.Train;
        Augmentation.AugmentationPipeline? online = null;
        if (c.Augmentation is { } aug)
        {
            // Copies come from this fold's training clips only; validation and test keep their clean features.
            IReadOnlyList<Utterance> copies = [];
            if (aug.Placement == AugmentationPlacement.PerFold && aug.Copies > 0 && aug.Recipe.Waveform.Count > 0)
            {
                observer?.OnStage($"{fold.Name}: {aug.Copies} augmented copies of {fold.Train.Count} training clips (features cached)");
                var withCopies = new Dictionary<string, FeatureMatrix>(features, StringComparer.Ordinal);
                var extra = c.Features.Extra.Select(e => FeatureSets.Create(e.Set, e.Parameters)).ToArray();
                copies = ExperimentAugmentation.MakeCopies(aug, fold, set, extra, c.Features.Cache, withCopies, observer is null ? null : observer.OnFeatures);
                if (speakerStats is not null)
                    foreach (var u in copies) withCopies[u.Path] = SpeakerStats.Apply(withCopies[u.Path], speakerStats[u.SpeakerKey]);
                features = withCopies;
                trainPart = [.. fold.Train, .. copies];
            }
            online = ExperimentAugmentation.OnlinePipeline(aug, fold, copies, FrameLevel(c));
        }
        // after the copies: they are training clips and are standardised with their source's documented gender
        if (c.Features.GenderNormalise) features = GenderNormalisation.Apply(fold with { Train = trainPart }, features).Features;
        var train = ExperimentDataLoader.ToSet(trainPart, classes, features, aStats, vStats);
        var val = ExperimentDataLoader.ToSet(fold.Validation, classes, features, aStats, vStats);
        var test = ExperimentDataLoader.ToSet(fold.Test, classes, features, aStats, vStats);
        var probe = new ModelSpec { Architecture = c.Model.Architecture, Parameters = c.Model.Parameters, Features = 1, Classes = 2 };
        var info = ModelZoo.Info(probe);
        var prep = InputPreparation.Fit(train.Features, info.Layout, info.LengthPolicy, c.Model.Frames, c.Model.Normalise, c.Model.Transpose, c.Model.Crop);
        var spec = new ModelSpec
        {
            Architecture = c.Model.Architecture, Parameters = c.Model.Parameters, Features = prep.ModelFeatures, Frames = prep.ModelFrames,
            Classes = classes.Count, Auxiliary = c.Model.Auxiliary,
        };
        var model = ModelZoo.Create(spec, (ulong)c.Seed);
        var log = new LogWriter(dir, observer);
        var result = Trainer.Fit(model, prep, train, val, c.Training, Path.Combine(dir, "checkpoint.bin"), resume, log, cancel, online);
        log.Write(result.History);
        var (pred, probs, _) = Trainer.Predict(model, prep, test, classes.Count, c.Training.BatchSize);
        var names = classes.Select(e => e.Name()).ToArray();
        var full = FullSet(c, set);
        var trained = new TrainedModel(spec, prep, names, full.ToJson(), model.StateDict()) { SpeakerNormalised = c.Features.SpeakerNormalise };
        double memberSeconds = 0;
        if (c.Model.Ensemble > 1)
            (pred, memberSeconds) = FoldEnsemble.TrainAndAverage(spec, (ulong)c.Seed, c.Model.Ensemble, prep, train, val, test, c.Training, trained, dir, resume, observer, probs, cancel, online);
        var report = ClassificationMetrics.Compute(test.Labels, pred, classes.Count, names);
        WritePredictions(Path.Combine(dir, "predictions.csv"), test, pred, probs, names);
        TrainedModelFile.Save(modelPath, trained);
        var best = result.History.FirstOrDefault(h => h.Epoch == result.BestEpoch);
        // Per-speaker standardisation needs statistics of the speaker being recognised, which one clip of an unknown
        // speaker cannot give: no .sermodel (ModelExport refuses too), rather than one that silently mis-scales its input.
        // Gender-conditioned standardisation and ensembles are not expressible in one package's preparation either.
        if (c.Features.SpeakerNormalise)
            observer?.OnStage($"{fold.Name}: no model.sermodel: {SpeakerNormalisedNotDeployable}");
        else if (c.Features.GenderNormalise || c.Model.Ensemble > 1)
            observer?.OnStage($"{fold.Name}: no model.sermodel: a package holds one network with training-fold standardisation (no gender_normalise, no ensemble)");
        else
            Models.Packaging.ModelPackage.Save(Path.Combine(dir, "model.sermodel"), new Models.Packaging.ModelManifest
            {
                Labels = names, FeatureSet = full.ToJson(), Preparation = prep, Spec = spec, Seed = (ulong)c.Seed,
                TrainingData = string.Join(", ", c.Corpora.Select(k => $"{k.Kind} ({fold.Train.Count} training utterances, {fold.Name})")),
                Protocol = $"{c.Protocol.Kind} {fold.Name}; test speakers {string.Join(" ", fold.Test.Select(u => u.SpeakerKey).Distinct())}",
                Metrics = new Dictionary<string, double> { ["test_wa"] = report.WeightedAccuracy, ["test_ua"] = report.UnweightedAverageRecall, ["test_macro_f1"] = report.MacroF1, ["validation_ua"] = best?.ValidationUa ?? 0 },
                Licence = c.Corpora.Any(k => k.Kind == CorpusKind.Ravdess) ? "Trained on RAVDESS (CC BY-NC-SA 4.0): non-commercial use, share-alike, attribution to Livingstone & Russo (2018)." : "See the training corpora's licences.",
            }, model.StateDict());
        var outcome = new FoldOutcome
        {
            Fold = fold.Name, Test = report, Sizes = [train.Count, val.Count, test.Count],
            TestSpeakers = fold.Test.Select(u => u.SpeakerKey).Distinct().Order(StringComparer.Ordinal).ToArray(),
            BestEpoch = result.BestEpoch, Epochs = result.History.Count, StoppedEarly = result.StoppedEarly, ValidationUa = best?.ValidationUa ?? 0,
            TrainSeconds = Math.Round(result.Seconds + memberSeconds, 1),
            Curve = result.History.Select(h => new CurvePoint(h.Epoch, h.TrainLoss, h.ValidationLoss, h.TrainUa, h.ValidationUa, h.LearningRate)).ToArray(),
            Auxiliary = AuxiliaryAccuracy(model, prep, test),
        };
        AtomicFile.WriteAllText(outcomePath, JsonSerializer.Serialize(outcome, JsonOut));
        return (outcome, model.ParameterCount);
    }

    // One set, or the concatenation (one "concat" set whose JSON names its parts, so inference can rebuild it).
    internal static IFeatureSet FullSet(ExperimentConfig c, IFeatureSet set) => c.Features.Extra.Count == 0 ? set
        : new ConcatenatedFeatureSet([set, .. c.Features.Extra.Select(e => FeatureSets.Create(e.Set, e.Parameters))]);

    private static (FoldOutcome, long) EvaluateFold(ExperimentConfig c, Split fold, IReadOnlyList<Emotion> classes,
        IReadOnlyDictionary<string, FeatureMatrix> features, string dir)
    {
        var modelPath = Path.Combine(dir, "model.json");
        if (!File.Exists(modelPath))
            throw new InvalidOptionsException($"experiment '{c.Name}'", [$"{fold.Name} has no trained model at '{modelPath}'; run `ser cv` (or `ser train`) first"]);
        var saved = TrainedModelFile.Load(modelPath);
        var names = classes.Select(e => e.Name()).ToArray();
        if (!saved.Classes.SequenceEqual(names))
            throw new CheckpointException($"'{modelPath}' was trained on classes [{string.Join(", ", saved.Classes)}], the experiment now has [{string.Join(", ", names)}].");
        var model = saved.Build();
        if (c.Features.GenderNormalise) features = GenderNormalisation.Apply(fold, features).Features;
        var test = ExperimentDataLoader.ToSet(fold.Test, classes, features);
        var (pred, probs, _) = Trainer.Predict(model, saved.Preparation, test, classes.Count, c.Training.BatchSize);
        pred = FoldEnsemble.AverageSaved(dir, saved.Preparation, test, classes.Count, c.Training.BatchSize, probs);
        WritePredictions(Path.Combine(dir, "predictions.csv"), test, pred, probs, names);
        var outcomePath = Path.Combine(dir, "outcome.json");
        var previous = File.Exists(outcomePath) ? JsonSerializer.Deserialize<FoldOutcome>(File.ReadAllText(outcomePath), JsonOut) : null;
        var report = ClassificationMetrics.Compute(test.Labels, pred, classes.Count, names);
        var outcome = (previous ?? new FoldOutcome { Fold = fold.Name, Test = report, Sizes = [fold.Train.Count, fold.Validation.Count, fold.Test.Count] })
            with { Test = report, TestSpeakers = fold.Test.Select(u => u.SpeakerKey).Distinct().Order(StringComparer.Ordinal).ToArray() };
        return (outcome, model.ParameterCount);
    }

    private static Dictionary<string, double>? AuxiliaryAccuracy(EmotionModel model, InputPreparation prep, LabelledSet test)
    {
        if (model.Spec is null || (model.Spec.Auxiliary & (AuxiliaryHeads.ArousalBinary | AuxiliaryHeads.ValenceBinary)) == 0) return null;
        var res = new Dictionary<string, double>();
        int ok = 0, n = 0, okV = 0, nV = 0;
        var lengths = new int[64];
        using var _ = Nn.Autograd.NoGrad();
        for (int s = 0; s < test.Count; s += 64)
        {
            int b = Math.Min(64, test.Count - s);
            var x = prep.Prepare(test.Features.Skip(s).Take(b).ToArray(), lengths);
            var o = model.Forward(x, lengths.AsSpan(0, b));
            for (int i = 0; i < b; i++)
            {
                float ta = test.ArousalHigh[s + i], tv = test.ValencePositive[s + i];
                if (o.ArousalLogit is { } a && ta != 0.5f) { n++; if (a[i] > 0 == ta > 0.5f) ok++; }
                if (o.ValenceLogit is { } v && tv != 0.5f) { nV++; if (v[i] > 0 == tv > 0.5f) okV++; }
            }
        }
        if (n > 0) res["arousal_binary_accuracy"] = (double)ok / n;
        if (nV > 0) res["valence_binary_accuracy"] = (double)okV / nV;
        return res;
    }

    internal static void WritePredictions(string path, LabelledSet test, int[] pred, float[] probs, string[] names)
    {
        var sb = new StringBuilder("id,truth,predicted,").AppendJoin(",", names.Select(n => "p_" + n)).Append('\n');
        for (int i = 0; i < test.Count; i++)
        {
            sb.Append(test.Ids?[i] ?? i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(names[test.Labels[i]]).Append(',').Append(names[pred[i]]);
            for (int c = 0; c < names.Length; c++) sb.Append(',').Append(probs[i * names.Length + c].ToString("0.#####", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    internal static readonly JsonSerializerOptions JsonOut = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes log.csv and log.json after every epoch and forwards progress.</summary>
    private sealed class LogWriter(string dir, IExperimentObserver? inner) : ITrainingObserver
    {
        private readonly List<EpochRecord> _rows = [];

        public void OnBatch(int epoch, int batch, int batches, double loss, double ua) => inner?.OnBatch(epoch, batch, batches, loss, ua);

        public void OnEpoch(EpochRecord record, int epochs)
        {
            _rows.RemoveAll(r => r.Epoch >= record.Epoch);
            _rows.Add(record);
            Write(_rows);
            inner?.OnEpoch(record, epochs);
        }

        public void Write(IReadOnlyList<EpochRecord> rows)
        {
            var sb = new StringBuilder("epoch,train_loss,train_ua,validation_loss,validation_ua,validation_wa,learning_rate,seconds,best\n");
            foreach (var r in rows)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"{r.Epoch},{r.TrainLoss:G6},{r.TrainUa:G6},{r.ValidationLoss:G6},{r.ValidationUa:G6},{r.ValidationWa:G6},{r.LearningRate:G6},{r.Seconds:F2},{(r.Best ? 1 : 0)}\n"));
            AtomicFile.WriteAllText(Path.Combine(dir, "log.csv"), sb.ToString());
            AtomicFile.WriteAllText(Path.Combine(dir, "log.json"), JsonSerializer.Serialize(rows, JsonOut));
        }
    }
}
