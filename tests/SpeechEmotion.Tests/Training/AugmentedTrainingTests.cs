using System.Text.Json.Nodes;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Corpora;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Training;

namespace SpeechEmotion.Tests.Training;

/// <summary>Augmentation inside training: YAML, per-fold copies of training clips only, reproducibility, the leaky recipe.</summary>
public class AugmentedTrainingTests
{
    private static string Root => SharedData.Path("datasets/ravdess-speech-16k");

    // 4 RAVDESS actors, speaker-independent 3-fold, fold 1 only, a small MLP, 3 epochs, 1 copy per training clip.
    private static string SmallYaml(string extra, string protocol = "{ kind: speaker-kfold, k: 3, folds: [1], audit_audio: false }") => $$"""
        name: aug
        seed: 3
        corpora: [{ name: ravdess, root: {{Root}}, speakers: ["01", "02", "03", "04"] }]
        features: { set: functionals, parameters: { set: zcr-rms-mfcc } }
        {{extra}}
        model: { architecture: functionals-mlp, parameters: { hidden: [32], dropout: 0.2 } }
        training: { optimizer: adam, learning_rate: 0.003, batch_size: 32, epochs: 3, patience: 0 }
        protocol: {{protocol}}
        """;

    [Fact]
    public void Yaml_reads_preset_copies_placement_and_reports_every_problem_with_its_line()
    {
        var c = ExperimentYaml.Parse(SmallYaml("augmentation: { preset: default, copies: 3 }"), Path.GetTempPath());
        var a = Assert.IsType<AugmentationConfig>(c.Augmentation);
        Assert.Equal(3, a.Copies);
        Assert.Equal(AugmentationPlacement.PerFold, a.Placement);
        Assert.Equal(AugmentationRecipes.Default.Waveform, a.Recipe.Waveform);
        Assert.Equal(3UL, a.Recipe.Seed); // the experiment's seed when the section has none

        var inline = ExperimentYaml.Parse(SmallYaml("augmentation: { seed: 9, placement: before-split, waveform: [{ type: gain, p: 1 }] }", "{ kind: random, allow_leakage: true }"), Path.GetTempPath());
        Assert.Equal(AugmentationPlacement.BeforeSplit, inline.Augmentation!.Placement);
        Assert.Equal(9UL, inline.Augmentation.Recipe.Seed);
        Assert.IsType<GainOptions>(Assert.Single(inline.Augmentation.Recipe.Waveform));

        var e = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse(
            SmallYaml("augmentation: { copies: -1, placement: sideways, preset: loud, waveform: [{ type: noise, snr: 3 }] }"), Path.GetTempPath()));
        Assert.Contains(e.Problems, p => p.StartsWith("line 5") && p.Contains("copies"));
        Assert.Contains(e.Problems, p => p.StartsWith("line 5") && p.Contains("sideways"));
        Assert.Contains(e.Problems, p => p.StartsWith("line 5") && p.Contains("loud"));
        Assert.Contains(e.Problems, p => p.Contains("line 5") && p.Contains("'snr'"));
        var s = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse(SmallYaml("augmentation: { specaugment: {} }"), Path.GetTempPath()));
        Assert.Contains(s.Problems, p => p.Contains("specaugment") && p.Contains("functionals-mlp"));
    }

    [Fact]
    public void Per_fold_copies_come_from_training_clips_only_and_the_same_seed_gives_the_same_model()
    {
        var cfg = ExperimentYaml.Parse(SmallYaml("augmentation: { preset: default, copies: 1 }"), Path.GetTempPath());
        var fold = ExperimentDataLoader.Load(cfg).Splits.Folds[0];
        var set = FeatureSets.Create("functionals", new Dictionary<string, string> { ["set"] = "zcr-rms-mfcc" });
        var feats = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        var copies = ExperimentAugmentation.MakeCopies(cfg.Augmentation!, fold, set, [], "", feats);
        Assert.Equal(fold.Train.Count, copies.Count);
        var trainIds = fold.Train.Select(u => u.Id).ToHashSet();
        Assert.All(copies, u => Assert.Contains(u.SourceUtterance!, trainIds));
        Assert.All(copies, u => Assert.True(feats.ContainsKey(u.Path)));
        // A clip that is not in the training part is refused outright.
        var leaked = fold with { Train = [.. fold.Train, fold.Test[0]] };
        Assert.Throws<AugmentationLeakageException>(() => ExperimentAugmentation.MakeCopies(cfg.Augmentation!, leaked, set, [], "", feats));

        var dirs = new[] { Directory.CreateTempSubdirectory("ser-aug-a-").FullName, Directory.CreateTempSubdirectory("ser-aug-b-").FullName };
        try
        {
            var reports = dirs.Select(d => ExperimentRunner.Run(cfg with { Output = d }, RunMode.CrossValidate)).ToArray();
            var f = reports[0].Folds[0];
            Assert.Equal([2 * fold.Train.Count, fold.Validation.Count, fold.Test.Count], f.Sizes);
            Assert.Contains("1 waveform copy per clip made per fold", reports[0].FeatureSet);
            Assert.Equal(f.Test.UnweightedAverageRecall, reports[1].Folds[0].Test.UnweightedAverageRecall);
            Assert.Equal(File.ReadAllText(Path.Combine(dirs[0], f.Fold, "predictions.csv")), File.ReadAllText(Path.Combine(dirs[1], f.Fold, "predictions.csv")));
            // Robustness: the fold model re-scored on its clean test fold gives the report's UA; corrupted folds are scored too.
            var rob = RobustnessEvaluation.Run(cfg with { Output = dirs[0] }, [new RobustnessCondition(NoiseKind.Pink, 0), new RobustnessCondition(NoiseKind.Babble, 10)]);
            Assert.Equal(["clean", "pink-0dB", "babble-10dB"], rob.Rows.Select(r => r.Condition));
            Assert.Equal(f.Test.UnweightedAverageRecall, rob.Rows[0].FoldUa[0], 12);
            Assert.All(rob.Rows, r => Assert.InRange(r.FoldUa[0], 0, 1));
            Assert.Contains("| pink-0dB |", File.ReadAllText(Path.Combine(dirs[0], "robustness.md")));
            Assert.Equal(rob.Rows[1].FoldUa, RobustnessEvaluation.Load(Path.Combine(dirs[0], "robustness.json")).Rows[1].FoldUa);
            var other = ExperimentRunner.Run(cfg with { Output = dirs[1], Augmentation = cfg.Augmentation! with { Recipe = cfg.Augmentation.Recipe with { Seed = 77 } } }, RunMode.CrossValidate);
            Assert.NotEqual(File.ReadAllText(Path.Combine(dirs[0], f.Fold, "predictions.csv")), File.ReadAllText(Path.Combine(dirs[1], f.Fold, "predictions.csv")));
        }
        finally { foreach (var d in dirs) Directory.Delete(d, true); }
    }

    [Fact]
    public void Copies_made_before_a_random_split_are_found_by_the_audit_and_refused_unless_allowed()
    {
        var dir = Directory.CreateTempSubdirectory("ser-aug-leaky-").FullName;
        try
        {
            var text = SmallYaml("augmentation: { placement: before-split, copies: 1, waveform: [{ type: noise, p: 1, kinds: [white], snr_db: [15, 30] }] }",
                "{ kind: random, audit_audio: false }").Replace("speakers: [\"01\", \"02\", \"03\", \"04\"]", "speakers: [\"01\", \"02\"]");
            var cfg = ExperimentYaml.Parse(text, Path.GetTempPath()) with { Output = dir };
            var refused = Assert.Throws<LeakageException>(() => ExperimentDataLoader.Load(cfg));
            Assert.Contains(refused.Report.Findings, f => f.Kind == LeakageKind.AugmentedAcrossSplit);
            // The copies are on disk with a manifest naming their sources.
            var manifest = AugmentationMaterializer.ReadManifest(Path.Combine(dir, "augmented-before-split", AugmentationMaterializer.ManifestName));
            Assert.Equal(120, manifest.Count);
            var report = ExperimentRunner.Run(cfg with { Protocol = cfg.Protocol with { AllowLeakage = true } }, RunMode.CrossValidate);
            Assert.True(report.Leaky);
            Assert.Contains("AugmentedAcrossSplit", report.LeakageSummary);
            Assert.Contains("LEAKY", File.ReadAllText(Path.Combine(dir, "report.md")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Online_specaugment_and_mixup_change_training_reproducibly_and_never_touch_validation()
    {
        var train = TrainerTests.Synthetic(48, 11, frames: 10);
        var val = TrainerTests.Synthetic(12, 12, frames: 10);
        var ids = train.Ids!.Select(i => new AudioItem { Id = i, Path = "/none" }).ToArray();
        var part = TrainingPart.Create("synthetic", ids, [], []);
        var recipe = new AugmentationPipelineOptions { Seed = 4, SpecAugment = new SpecAugmentOptions { FrequencyMaskWidth = 2, TimeMaskWidth = 3, TimeWarp = 2 }, Mixup = new MixupOptions { Alpha = 0.4 } };
        var o = new TrainerOptions { Epochs = 3, BatchSize = 8, Patience = 0, Seed = 2 };
        double[] Losses(AugmentationPipeline? p)
        {
            var info = ModelZoo.Info("lstm");
            var prep = InputPreparation.Fit(train.Features, info.Layout, LengthMode.Masked, 0);
            var spec = new ModelSpec { Architecture = "lstm", Features = prep.ModelFeatures, Frames = prep.ModelFrames, Classes = 3, Parameters = new JsonObject { ["hidden"] = 8 } };
            return Trainer.Fit(ModelZoo.Create(spec, 1), prep, train, val, o, augmentation: p).History.Select(h => h.TrainLoss).ToArray();
        }
        var clean = Losses(null);
        var a = Losses(new AugmentationPipeline(recipe, part));
        var b = Losses(new AugmentationPipeline(recipe, part));
        Assert.Equal(a, b);
        Assert.NotEqual(clean, a);
        var before = train.Features.Select(m => (float[])m.Data.Clone()).ToArray();
        Losses(new AugmentationPipeline(recipe, part));
        Assert.Equal(before, train.Features.Select(m => m.Data)); // masks go on copies, the stored features stay clean
        // A pipeline whose training part lacks these utterances refuses them (validation ids are never in it).
        var otherPart = TrainingPart.Create("other", val.Ids!.Select(i => new AudioItem { Id = i + "x", Path = "/none" }), [], []);
        Assert.Throws<AugmentationLeakageException>(() => Losses(new AugmentationPipeline(recipe, otherPart)));
    }

    [Fact]
    public void Concatenated_feature_set_round_trips_through_its_json_and_extracts_the_parts_side_by_side()
    {
        var a = FeatureSets.Create("functionals", new Dictionary<string, string> { ["set"] = "mfcc" });
        var b = FeatureSets.Create("functionals", new Dictionary<string, string> { ["set"] = "zcr-rms-mfcc" });
        var cat = new ConcatenatedFeatureSet([a, b]);
        var back = FeatureSets.FromJson(cat.ToJson());
        Assert.Equal(cat.ToJson(), back.ToJson());
        var y = SpeechEmotion.Audio.AudioReader.Read(Directory.GetFiles(Path.Combine(Root, "Actor_01"), "*.wav").Order().First(), new() { TargetSampleRate = 16000 }).Samples;
        var m = back.Extract(y, 16000);
        var ma = a.Extract(y, 16000); var mb = b.Extract(y, 16000);
        Assert.Equal(ma.Features + mb.Features, m.Features);
        Assert.Equal(ma.Data.Concat(mb.Data), m.Data);
        Assert.Throws<InvalidOptionsException>(() => new ConcatenatedFeatureSet([a]));
        Assert.Throws<InvalidOptionsException>(() => FeatureSets.FromJson("""{"name":"concat","version":1}"""));
    }

    [Fact]
    public void Concatenated_features_ship_as_a_sermodel_and_speaker_normalised_models_refuse_with_a_reason()
    {
        var dir = Directory.CreateTempSubdirectory("ser-concat-").FullName;
        try
        {
            var yaml = SmallYaml("").Replace("features: { set: functionals, parameters: { set: zcr-rms-mfcc } }",
                "features: { set: functionals, parameters: { set: zcr-rms-mfcc }, concat: [{ set: functionals, parameters: { set: mfcc } }] }");
            var cfg = ExperimentYaml.Parse(yaml, Path.GetTempPath()) with { Output = Path.Combine(dir, "concat") };
            var fold = ExperimentRunner.Run(cfg, RunMode.CrossValidate).Folds[0];
            // The packaged model recomputes the concatenated features from audio and reproduces the run's test predictions.
            var recognizer = SpeechEmotion.Inference.EmotionRecognizer.Load(Path.Combine(cfg.Output, fold.Fold, "model.sermodel"));
            Assert.Equal(ConcatenatedFeatureSet.SetName, recognizer.FeatureSet.Name);
            var rows = File.ReadAllLines(Path.Combine(cfg.Output, fold.Fold, "predictions.csv")).Skip(1).Take(3).Select(l => l.Split(',')).ToArray();
            var data = ExperimentDataLoader.Load(cfg).Splits.Folds[0].Test.ToDictionary(u => u.Id);
            foreach (var r in rows)
            {
                var p = recognizer.Recognize(data[r[0]].Path);
                Assert.Equal(r[2], p.Label);
            }

            var norm = ExperimentYaml.Parse(yaml.Replace("concat:", "speaker_normalise: true, concat:"), Path.GetTempPath()) with { Output = Path.Combine(dir, "norm") };
            var nf = ExperimentRunner.Run(norm, RunMode.CrossValidate).Folds[0];
            Assert.False(File.Exists(Path.Combine(norm.Output, nf.Fold, "model.sermodel")));
            var e = Assert.Throws<InvalidOptionsException>(() => ModelExport.Package(Path.Combine(norm.Output, nf.Fold, "model.json"), Path.Combine(dir, "x.sermodel"), null, "", ""));
            Assert.Contains(e.Problems, p => p.Contains("per-speaker standardised"));
            Assert.True(TrainedModelFile.Load(Path.Combine(norm.Output, nf.Fold, "model.json")).SpeakerNormalised);
        }
        finally { Directory.Delete(dir, true); }
    }
}
