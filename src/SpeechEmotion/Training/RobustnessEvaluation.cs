using System.Globalization;
using System.Text;
using System.Text.Json;
using SpeechEmotion.Audio;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Corpora;
using SpeechEmotion.Evaluation;
using SpeechEmotion.Features;

namespace SpeechEmotion.Training;

/// <summary>Scores of one test condition over the folds.</summary>
/// <param name="Condition">"clean", "babble-10dB", ...</param>
/// <param name="FoldUa">UA per fold, in fold order.</param>
/// <param name="Summary">WA/UA/F1 mean ± std over the folds.</param>
public sealed record RobustnessRow(string Condition, IReadOnlyList<double> FoldUa, CrossValidationSummary Summary);

/// <summary>An experiment's fold models scored on clean and corrupted copies of their own test folds.</summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Seed">Corruption seed.</param>
/// <param name="Rows">Clean first, then each condition.</param>
public sealed record RobustnessReport(string Experiment, ulong Seed, IReadOnlyList<RobustnessRow> Rows);

/// <summary>
/// The robustness table of an experiment that has been cross-validated: every fold's saved model is scored on its
/// own test fold corrupted by <see cref="RobustnessCorruption"/> (babble made of the same fold's other test speakers,
/// never training audio). The corruption depends only on (seed, condition, utterance), so two experiments over the
/// same folds — clean-trained and augmented-trained — are scored on identical audio; features of the corrupted audio
/// go through the content-addressed feature cache, so the second experiment reuses the first one's extraction.
/// </summary>
public static class RobustnessEvaluation
{
    /// <summary>Scores <paramref name="config"/>'s fold models; writes robustness.json and robustness.md to its output folder.</summary>
    /// <exception cref="InvalidOptionsException">A fold has no trained model (run <c>ser cv</c> first).</exception>
    public static RobustnessReport Run(ExperimentConfig config, IReadOnlyList<RobustnessCondition>? conditions = null, ulong seed = RobustnessCorruption.DefaultSeed,
        IExperimentObserver? observer = null)
    {
        conditions ??= RobustnessCorruption.StandardConditions;
        // Test folds are never augmented: the clean-data split is what the fold models were scored on.
        var clean = config with { Augmentation = null };
        var data = ExperimentDataLoader.Load(clean);
        var folds = config.Protocol.Folds is { } sel ? sel.Select(f => data.Splits.Folds[f - 1]).ToArray() : data.Splits.Folds.ToArray();
        var set = FeatureSets.Create(config.Features.Set, config.Features.Parameters);
        var extra = config.Features.Extra.Select(e => FeatureSets.Create(e.Set, e.Parameters)).ToArray();
        var cache = config.Features.Cache == "" ? null : new FeatureCache(config.Features.Cache ?? FeatureCache.DefaultDirectory);
        var names = data.Classes.Select(e => e.Name()).ToArray();
        var models = folds.Select(f =>
        {
            var path = Path.Combine(config.Output, f.Name, "model.json");
            if (!File.Exists(path)) throw new InvalidOptionsException($"experiment '{config.Name}'", [$"{f.Name} has no trained model at '{path}'; run `ser cv` first"]);
            return TrainedModelFile.Load(path);
        }).ToArray();
        var rows = new List<RobustnessRow>();
        foreach (var condition in new RobustnessCondition?[] { null }.Concat(conditions))
        {
            var label = condition?.Name ?? "clean";
            var reports = new List<ClassificationReport>();
            for (int fi = 0; fi < folds.Length; fi++)
            {
                var fold = folds[fi];
                observer?.OnStage($"robustness {label}: {fold.Name} ({fold.Test.Count} test clips)");
                var items = fold.Test.Select(ExperimentAugmentation.Item).ToArray();
                var babble = condition?.Kind == NoiseKind.Babble ? new BabbleSource(items) : null;
                var feats = new FeatureMatrix[items.Length];
                int done = 0;
                Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    var y = AudioReader.Read(items[i].Path!, new AudioReadOptions { TargetSampleRate = set.SampleRate }).Samples;
                    if (condition is not null) y = RobustnessCorruption.Corrupt(items[i], y, set.SampleRate, condition, babble, seed);
                    feats[i] = ExperimentAugmentation.Extract(y, set.SampleRate, set, extra, cache);
                    observer?.OnFeatures(Interlocked.Increment(ref done), items.Length);
                });
                var byKey = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
                for (int i = 0; i < items.Length; i++) byKey[fold.Test[i].Path] = feats[i];
                // Transductive experiments standardise each test speaker over that speaker's (here: corrupted) recordings.
                IReadOnlyDictionary<string, FeatureMatrix> inputs = config.Features.SpeakerNormalise ? ExperimentDataLoader.SpeakerNormalise(byKey, fold.Test) : byKey;
                var test = ExperimentDataLoader.ToSet(fold.Test, data.Classes, inputs);
                var saved = models[fi];
                var (pred, _, _) = Trainer.Predict(saved.Build(), saved.Preparation, test, data.Classes.Count, config.Training.BatchSize);
                reports.Add(ClassificationMetrics.Compute(test.Labels, pred, data.Classes.Count, names));
            }
            rows.Add(new RobustnessRow(label, reports.Select(r => r.UnweightedAverageRecall).ToArray(), ClassificationMetrics.Aggregate(reports)));
        }
        var report = new RobustnessReport(config.Name, seed, rows);
        Directory.CreateDirectory(config.Output);
        AtomicFile.WriteAllText(Path.Combine(config.Output, "robustness.json"),
            JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        AtomicFile.WriteAllText(Path.Combine(config.Output, "robustness.md"), Markdown([report]));
        return report;
    }

    /// <summary>A Markdown table with one column per report (experiment) and one row per condition: UA mean ± std.</summary>
    public static string Markdown(IReadOnlyList<RobustnessReport> reports)
    {
        var sb = new StringBuilder("| test condition | ").AppendJoin(" | ", reports.Select(r => r.Experiment + " UA")).Append(" |\n|---|")
            .Append(string.Concat(reports.Select(_ => "---|"))).Append('\n');
        foreach (var label in reports[0].Rows.Select(r => r.Condition))
        {
            sb.Append("| ").Append(label).Append(" | ");
            sb.AppendJoin(" | ", reports.Select(r => r.Rows.FirstOrDefault(x => x.Condition == label) is { } row
                ? row.Summary.UnweightedAverageRecall.ToString(100) : "—"));
            sb.Append(" |\n");
        }
        return sb.ToString();
    }

    /// <summary>Reads a robustness.json written by <see cref="Run"/>.</summary>
    public static RobustnessReport Load(string path) =>
        JsonSerializer.Deserialize<RobustnessReport>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidOptionsException("robustness report", [$"'{path}' is empty"]);
}
