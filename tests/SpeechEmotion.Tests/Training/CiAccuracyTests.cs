using SpeechEmotion.Training;

namespace SpeechEmotion.Tests.Training;

/// <summary>The short version of the benchmark of record: real RAVDESS speech, a speaker-independent fold,
/// a few epochs. It must beat chance (12.5 % for 8 classes) by a clear margin.</summary>
public class CiAccuracyTests
{
    [Fact]
    public void FastExperimentBeatsChanceOnUnseenSpeakersAndResumesToTheSameResult()
    {
        var cfg = ExperimentYaml.Load(Path.Combine(ExperimentYamlTests.RepoRoot(), "experiments", "ci-fast.yaml"));
        var dir = Directory.CreateTempSubdirectory("ser-ci-").FullName;
        try
        {
            cfg = cfg with { Output = dir };
            var report = ExperimentRunner.Run(cfg, RunMode.CrossValidate);
            var fold = Assert.Single(report.Folds);
            Assert.False(report.Leaky);
            Assert.True(fold.Test.UnweightedAverageRecall > 0.25, $"UA {fold.Test.UnweightedAverageRecall:P1} is not clearly above chance (12.5 %)");
            foreach (var f in new[] { "report.json", "report.md", "report.html" }) Assert.True(File.Exists(Path.Combine(dir, f)), f);
            var package = SpeechEmotion.Models.Packaging.ModelPackage.Load(Path.Combine(dir, fold.Fold, "model.sermodel"));
            Assert.Equal(report.Classes, package.Manifest.Labels);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "report.html")));
            Assert.Equal(fold.Epochs + 1, File.ReadAllLines(Path.Combine(dir, fold.Fold, "log.csv")).Length);

            // Re-scoring the saved model reproduces the test figures exactly.
            var again = ExperimentRunner.Run(cfg, RunMode.Evaluate);
            Assert.Equal(fold.Test.UnweightedAverageRecall, again.Folds[0].Test.UnweightedAverageRecall);

            // Resume after a finished run reuses the fold; after deleting the outcome, the checkpoint is finished too.
            File.Delete(Path.Combine(dir, fold.Fold, "outcome.json"));
            var resumed = ExperimentRunner.Run(cfg, RunMode.CrossValidate, resume: true);
            Assert.Equal(fold.Test.UnweightedAverageRecall, resumed.Folds[0].Test.UnweightedAverageRecall);
            Assert.Equal(fold.Epochs, resumed.Folds[0].Epochs);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void LeakySplitIsRefusedUnlessAllowedAndThenLabelled()
    {
        var cfg = ExperimentYaml.Load(Path.Combine(ExperimentYamlTests.RepoRoot(), "experiments", "ci-fast.yaml"));
        cfg = cfg with { Protocol = cfg.Protocol with { Kind = ProtocolKind.Random, AllowLeakage = false } };
        Assert.Throws<SpeechEmotion.Corpora.LeakageException>(() => ExperimentDataLoader.Load(cfg));
        var data = ExperimentDataLoader.Load(cfg with { Protocol = cfg.Protocol with { AllowLeakage = true } });
        Assert.True(data.Leakage.IsLeaky);
        Assert.True(data.Leakage.LeakageAllowed);
    }
}
