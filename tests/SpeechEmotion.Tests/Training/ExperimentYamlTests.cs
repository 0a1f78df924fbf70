using SpeechEmotion.Models;
using SpeechEmotion.Training;

namespace SpeechEmotion.Tests.Training;

public class ExperimentYamlTests
{
    private static string Root => SharedData.Path("datasets/ravdess-speech-16k");

    [Fact]
    public void EveryCommittedExperimentParses()
    {
        var dir = Path.Combine(RepoRoot(), "experiments");
        var files = Directory.GetFiles(dir, "*.yaml");
        Assert.True(files.Length >= 11);
        foreach (var f in files)
        {
            var c = ExperimentYaml.Load(f);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), c.Name);
            Assert.True(Directory.Exists(c.Corpora[0].Root), c.Corpora[0].Root);
            // Leaky recipes use the random split, and either allow it in the file or need --allow-leakage (augmented copies before the split).
            if (c.Name.Contains("leaky"))
                Assert.True(c.Protocol.Kind == ProtocolKind.Random && (c.Protocol.AllowLeakage || c.Augmentation?.Placement == AugmentationPlacement.BeforeSplit));
        }
    }

    [Fact]
    public void ReadsEverySection()
    {
        var c = ExperimentYaml.Parse($$"""
            name: x
            seed: 7
            corpora:
              - name: ravdess
                root: {{Root}}
                speakers: ["01", "02"]
            labels: { map: calm-as-neutral }
            features: { set: lld, parameters: { n_mfcc: 13 } }
            model:
              architecture: perception-multitask
              frames: 300
              auxiliary: [arousal-binary]
              parameters: { hidden: 32 }
            training: { optimizer: sgd, learning_rate: 0.01, schedule: cosine, balance: sampling, monitor: loss, loss_weights: { arousal_binary: 0.5 } }
            protocol: { kind: speaker-kfold, k: 4, folds: [1, 3] }
            """, Path.GetTempPath());
        Assert.Equal(7, c.Seed);
        Assert.Equal(7UL, c.Training.Seed);
        Assert.Equal(OptimizerKind.Sgd, c.Training.Optimizer);
        Assert.Equal(ScheduleKind.Cosine, c.Training.Schedule);
        Assert.Equal(ClassBalance.Sampling, c.Training.Balance);
        Assert.Equal(MonitorMetric.Loss, c.Training.Monitor);
        Assert.Equal(0.5f, c.Training.LossWeights.ArousalBinary);
        Assert.Equal(AuxiliaryHeads.ArousalBinary, c.Model.Auxiliary);
        Assert.Equal(32, c.Model.Parameters["hidden"]!.GetValue<double>());
        Assert.Equal(new[] { 1, 3 }, c.Protocol.Folds);
        Assert.Equal(["01", "02"], c.Corpora[0].Speakers!);
        Assert.Equal("13", c.Features.Parameters["n_mfcc"]);
    }

    [Fact]
    public void ListsEveryProblemWithItsLine()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse($$"""
            name: bad
            colour: blue
            corpora:
              - name: ravdess
                root: {{Root}}
            features:
              set: lld
            model:
              architecture: functionals-mlp
              parameters: { hidden: many }
              auxiliary: [valence]
            training:
              epochs: lots
              optimizer: rmsprop
            protocol:
              kind: random
            """, Path.GetTempPath()));
        var p = e.Problems;
        Assert.Contains(p, x => x.StartsWith("line 2:") && x.Contains("colour"));
        Assert.Contains(p, x => x.StartsWith("line 10:") && x.Contains("'hidden'"));
        Assert.Contains(p, x => x.StartsWith("line 13:") && x.Contains("epochs"));
        Assert.Contains(p, x => x.StartsWith("line 14:") && x.Contains("rmsprop"));
        Assert.Contains(p, x => x.Contains("one vector per utterance")); // vector model on frame features
        Assert.Contains(p, x => x.Contains("dimensional labels"));       // regression head without IEMOCAP
        Assert.Contains(p, x => x.Contains("auxiliary"));                // functionals-mlp has no heads
    }

    [Fact]
    public void RefusesMissingRequiredPartsAndBadYaml()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse("name: x\n", Path.GetTempPath()));
        Assert.Contains(e.Problems, x => x.Contains("corpora"));
        Assert.Contains(e.Problems, x => x.Contains("features"));
        Assert.Contains(e.Problems, x => x.Contains("model"));
        var y = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse("name: [unclosed\n", Path.GetTempPath()));
        Assert.Contains("line", y.Problems[0]);
        var f = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse("""
            name: x
            corpora: [{ name: ravdess, root: /no/such/folder }]
            features: { set: nosuchset }
            model: { architecture: cnn-lstm-2d }
            """, Path.GetTempPath()));
        Assert.Contains(f.Problems, x => x.Contains("does not exist"));
        Assert.Contains(f.Problems, x => x.Contains("nosuchset"));
        Assert.Contains(f.Problems, x => x.Contains("model.frames"));
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SpeechEmotion.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root");
    }
}
