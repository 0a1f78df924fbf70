using SpeechEmotion.Corpora;
using SpeechEmotion.Features;
using SpeechEmotion.Training;

namespace SpeechEmotion.Tests.Training;

/// <summary>The strictly inductive additions of the benchmark: gender-conditioned standardisation with the gender
/// predicted from audio, and per-fold ensembles.</summary>
public class InductiveExperimentTests
{
    private static string Root => SharedData.Path("datasets/ravdess-speech-16k");

    private static string Yaml(string features, string model) => $$"""
        name: x
        corpora: [{ name: ravdess, root: {{Root}} }]
        features: {{features}}
        model: {{model}}
        """;

    [Fact]
    public void Yaml_reads_gender_normalise_and_ensemble_and_rejects_bad_combinations()
    {
        var c = ExperimentYaml.Parse(Yaml("{ set: egemaps-v02, gender_normalise: true }", "{ architecture: functionals-mlp, ensemble: 5 }"), Path.GetTempPath());
        Assert.True(c.Features.GenderNormalise);
        Assert.False(c.Features.SpeakerNormalise);
        Assert.Equal(5, c.Model.Ensemble);
        Assert.Equal(MonitorMetric.Last, ExperimentYaml.Parse(Yaml("{ set: egemaps-v02 }", "{ architecture: functionals-mlp }") + "\ntraining: { monitor: last }", Path.GetTempPath()).Training.Monitor);
        Assert.Equal(1, ExperimentYaml.Parse(Yaml("{ set: egemaps-v02 }", "{ architecture: functionals-mlp }"), Path.GetTempPath()).Model.Ensemble);
        var e = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse(
            Yaml("{ set: egemaps-v02, gender_normalise: true, speaker_normalise: true }", "{ architecture: functionals-mlp, ensemble: 0 }"), Path.GetTempPath()));
        Assert.Contains(e.Problems, p => p.Contains("exclude each other") && p.Contains("line 3"));
        Assert.Contains(e.Problems, p => p.Contains("ensemble"));
    }

    [Fact]
    public void Gender_is_predicted_from_audio_and_test_utterances_are_standardised_with_training_statistics_only()
    {
        // actors 01-04 train (2 male, 2 female), 05 (male) and 06 (female) test; 12 clips each keeps it fast
        var all = CorpusLoaders.Load(CorpusKind.Ravdess, Root).Utterances;
        Utterance[] Of(params string[] actors) => actors.SelectMany(a => all.Where(u => u.Speaker == a).OrderBy(u => u.Id, StringComparer.Ordinal).Take(12)).ToArray();
        var fold = new Split { Name = "t", Train = Of("01", "02", "03", "04"), Validation = [], Test = Of("05", "06") };
        var set = FeatureSets.Create("egemaps-v02");
        var features = ExperimentDataLoader.Extract(set, fold.Train.Concat(fold.Test).ToArray(), "");
        var result = GenderNormalisation.Apply(fold, features);
        Assert.True(result.TestGenderAccuracy >= 0.9, $"gender accuracy {result.TestGenderAccuracy:P0}");
        // each training gender group is standardised with its own statistics: mean 0, std 1 per feature
        foreach (var g in new[] { Gender.Male, Gender.Female })
        {
            var rows = fold.Train.Where(u => u.Gender == g).Select(u => result.Features[u.Path]).ToArray();
            for (int j = 0; j < rows[0].Features; j++)
            {
                double mean = rows.Average(r => r.Data[j]);
                Assert.True(Math.Abs(mean) < 1e-3, $"{g} feature {j} mean {mean}");
            }
        }
        // inductive: a test utterance's standardised features do not depend on the other test utterances
        var alone = new Split { Name = "t", Train = fold.Train, Validation = [], Test = [fold.Test[0]] };
        var changed = features.ToDictionary(kv => kv.Key, kv => fold.Test.Skip(1).Any(u => u.Path == kv.Key)
            ? new FeatureMatrix(1, kv.Value.Features, kv.Value.Data.Select(v => v * 3 + 1).ToArray(), kv.Value.FeatureNames) : kv.Value);
        Assert.Equal(result.Features[fold.Test[0].Path].Data, GenderNormalisation.Apply(alone, changed).Features[fold.Test[0].Path].Data);
        Assert.Throws<InvalidOptionsException>(() => GenderNormalisation.Apply(fold with { Train = fold.Train.Where(u => u.Gender == Gender.Male).ToArray() }, features));
    }

    [Fact]
    public void Ensemble_members_are_saved_and_rescoring_them_reproduces_the_fold()
    {
        var cfg = ExperimentYaml.Load(Path.Combine(ExperimentYamlTests.RepoRoot(), "experiments", "ci-fast.yaml"));
        var dir = Directory.CreateTempSubdirectory("ser-ens-").FullName;
        try
        {
            cfg = cfg with
            {
                Output = dir, Model = cfg.Model with { Ensemble = 2 }, Features = cfg.Features with { GenderNormalise = true },
                Training = cfg.Training with { Monitor = MonitorMetric.Last, Schedule = ScheduleKind.Cosine, Patience = 3 },
            };
            var report = ExperimentRunner.Run(cfg, RunMode.CrossValidate);
            var fold = Assert.Single(report.Folds);
            Assert.True(fold.Test.UnweightedAverageRecall > 0.25, $"UA {fold.Test.UnweightedAverageRecall:P1}");
            Assert.True(File.Exists(Path.Combine(dir, fold.Fold, "member-1", "model.json")));
            // monitor: last keeps the final epoch and never stops early
            Assert.Equal(cfg.Training.Epochs, fold.Epochs);
            Assert.Equal(fold.Epochs, fold.BestEpoch);
            Assert.False(File.Exists(Path.Combine(dir, fold.Fold, "model.sermodel")));
            Assert.Contains("inductive", report.FeatureSet);
            var again = ExperimentRunner.Run(cfg, RunMode.Evaluate);
            Assert.Equal(fold.Test.UnweightedAverageRecall, again.Folds[0].Test.UnweightedAverageRecall);
        }
        finally { Directory.Delete(dir, true); }
    }
}
