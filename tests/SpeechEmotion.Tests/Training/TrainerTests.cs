using System.Text.Json.Nodes;
using SpeechEmotion.Corpora;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;
using SpeechEmotion.Training;

namespace SpeechEmotion.Tests.Training;

public class TrainerTests
{
    private static readonly Emotion[] Classes = [Emotion.Angry, Emotion.Sad, Emotion.Happy];

    // Three Gaussian clusters in 6 dimensions (vector set) or as short sequences (frame set).
    internal static LabelledSet Synthetic(int n, ulong seed, int frames = 1, float spread = 1f)
    {
        var rng = new SplitMix(seed);
        var names = FeatureMatrix.Numbered("f", 6);
        var feats = new List<FeatureMatrix>();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int y = i % 3;
            labels[i] = y;
            int t = frames == 1 ? 1 : frames - (int)(rng.NextULong() % 3);
            var data = new float[t * 6];
            for (int k = 0; k < data.Length; k++) data[k] = (float)rng.NextGaussian() * spread + (k % 6 == y ? 2.5f : 0f) + 10f;
            feats.Add(new FeatureMatrix(t, 6, data, names));
        }
        return new LabelledSet(feats, labels, labels.Select(l => Classes[l]).ToArray(), ids: Enumerable.Range(0, n).Select(i => $"u{i}").ToArray());
    }

    private static (EmotionModel, InputPreparation) Build(LabelledSet train, string arch, ulong seed, AuxiliaryHeads aux = AuxiliaryHeads.None)
    {
        var info = ModelZoo.Info(arch);
        var prep = InputPreparation.Fit(train.Features, info.Layout, info.Masked ? LengthMode.Masked : info.Layout == InputLayout.Vector ? LengthMode.Vector : LengthMode.Fixed, info.Layout == InputLayout.Vector ? 0 : 8);
        var spec = new ModelSpec
        {
            Architecture = arch, Features = prep.ModelFeatures, Frames = prep.ModelFrames, Classes = 3, Auxiliary = aux,
            Parameters = arch == "functionals-mlp" ? new JsonObject { ["hidden"] = new JsonArray(16) } : new JsonObject { ["hidden"] = 8, ["attention"] = 8, ["conv_channels"] = 8 },
        };
        return (ModelZoo.Create(spec, seed), prep);
    }

    [Fact]
    public void LearnsSeparableClassesAndRestoresBestEpoch()
    {
        var train = Synthetic(90, 1); var val = Synthetic(30, 2);
        var (model, prep) = Build(train, "functionals-mlp", 3);
        var r = Trainer.Fit(model, prep, train, val, new TrainerOptions { Epochs = 15, BatchSize = 16, LearningRate = 0.01f, Patience = 5 });
        var (pred, _, _) = Trainer.Predict(model, prep, val, 3);
        double acc = pred.Zip(val.Labels).Count(p => p.First == p.Second) / 30.0;
        Assert.True(acc > 0.9, $"accuracy {acc}");
        var best = r.History.Single(h => h.Epoch == r.BestEpoch);
        Assert.Equal(r.History.Max(h => h.ValidationUa), best.ValidationUa);
        Assert.Equal(best.ValidationUa, SpeechEmotion.Evaluation.ClassificationMetrics.Compute(val.Labels, pred, 3).UnweightedAverageRecall, 9);
    }

    [Fact]
    public void ResumeAfterKillGivesTheSameModel()
    {
        var train = Synthetic(60, 4, frames: 8); var val = Synthetic(18, 5, frames: 8);
        var dir = Directory.CreateTempSubdirectory("ser-train-").FullName;
        try
        {
            var o = new TrainerOptions { Epochs = 4, BatchSize = 8, Patience = 0, Schedule = ScheduleKind.Plateau, PlateauPatience = 0, Seed = 9 };
            var (full, prep) = Build(train, "perception-multitask", 7, AuxiliaryHeads.ArousalBinary | AuxiliaryHeads.ValenceBinary);
            var rFull = Trainer.Fit(full, prep, train, val, o, Path.Combine(dir, "a.ckpt"));

            var ck = Path.Combine(dir, "b.ckpt");
            using var cts = new CancellationTokenSource();
            var (killed, _) = Build(train, "perception-multitask", 7, AuxiliaryHeads.ArousalBinary | AuxiliaryHeads.ValenceBinary);
            Assert.Throws<OperationCanceledException>(() => Trainer.Fit(killed, prep, train, val, o, ck, observer: new CancelAfter(2, cts), cancel: cts.Token));
            Assert.Equal(2, Checkpoint.Load(ck).Epoch);
            var (resumed, _) = Build(train, "perception-multitask", 7, AuxiliaryHeads.ArousalBinary | AuxiliaryHeads.ValenceBinary);
            var rRes = Trainer.Fit(resumed, prep, train, val, o, ck, resume: true);

            Assert.Equal(rFull.History.Select(h => h.TrainLoss), rRes.History.Select(h => h.TrainLoss));
            Assert.Equal(rFull.BestEpoch, rRes.BestEpoch);
            var a = full.StateDict(); var b = resumed.StateDict();
            foreach (var (k, t) in a) Assert.Equal(t.ToArray(), b[k].ToArray());

            // A damaged checkpoint is refused with a clear error, not loaded.
            var bytes = File.ReadAllBytes(ck);
            bytes[bytes.Length / 2] ^= 0x5A;
            File.WriteAllBytes(ck, bytes);
            var (again, _) = Build(train, "perception-multitask", 7, AuxiliaryHeads.ArousalBinary | AuxiliaryHeads.ValenceBinary);
            Assert.Throws<CheckpointException>(() => Trainer.Fit(again, prep, train, val, o, ck, resume: true));
        }
        finally { Directory.Delete(dir, true); }
    }

    private sealed class CancelAfter(int epochs, CancellationTokenSource cts) : ITrainingObserver
    {
        public void OnBatch(int epoch, int batch, int batches, double loss, double ua) { }
        public void OnEpoch(EpochRecord record, int total) { if (record.Epoch >= epochs) cts.Cancel(); }
    }
}
