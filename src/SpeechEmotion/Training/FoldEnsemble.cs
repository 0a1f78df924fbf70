using SpeechEmotion.Models;

namespace SpeechEmotion.Training;

/// <summary>
/// The extra members of a per-fold ensemble (<see cref="ModelConfig.Ensemble"/>): member k (1-based after the
/// fold's main model, which is member 0) is built and trained with seed <c>seed + k</c> on the same training and
/// validation data, saved to <c>member-k/model.json</c> next to the fold's model, and its test probabilities are
/// averaged with the others. No member sees the test fold before scoring.
/// </summary>
public static class FoldEnsemble
{
    /// <summary>Folder of member <paramref name="k"/> inside a fold folder.</summary>
    public static string MemberDirectory(string foldDirectory, int k) => Path.Combine(foldDirectory, $"member-{k}");

    /// <summary>Trains members 1..<paramref name="members"/>−1 and adds their test probabilities to
    /// <paramref name="probabilities"/> (row-major [test, classes], member 0's already there), then divides by
    /// the member count and returns the arg-max predictions and the members' training seconds. Members train with the
    /// same online <paramref name="augmentation"/> as the main model (null: none).</summary>
    public static (int[] Predicted, double Seconds) TrainAndAverage(ModelSpec spec, ulong seed, int members, InputPreparation prep, LabelledSet train, LabelledSet validation,
        LabelledSet test, TrainerOptions options, TrainedModel template, string foldDirectory, bool resume, ITrainingObserver? observer,
        float[] probabilities, CancellationToken cancel, Augmentation.AugmentationPipeline? augmentation = null)
    {
        double seconds = 0;
        for (int k = 1; k < members; k++)
        {
            var dir = MemberDirectory(foldDirectory, k);
            Directory.CreateDirectory(dir);
            var modelPath = Path.Combine(dir, "model.json");
            EmotionModel model;
            if (resume && File.Exists(modelPath)) model = TrainedModelFile.Load(modelPath).Build();
            else
            {
                model = ModelZoo.Create(spec, seed + (ulong)k);
                seconds += Trainer.Fit(model, prep, train, validation, options with { Seed = options.Seed + (ulong)k }, Path.Combine(dir, "checkpoint.bin"), resume, observer, cancel, augmentation).Seconds;
                TrainedModelFile.Save(modelPath, template with { State = model.StateDict() });
            }
            Add(model, prep, test, spec.Classes, options.BatchSize, probabilities);
        }
        return (Average(probabilities, members, spec.Classes), seconds);
    }

    /// <summary>Adds the test probabilities of every saved member (<c>member-k/model.json</c>, k ≥ 1) of
    /// <paramref name="foldDirectory"/> to <paramref name="probabilities"/> and returns the averaged arg-max
    /// predictions (for <c>ser evaluate</c>).</summary>
    public static int[] AverageSaved(string foldDirectory, InputPreparation prep, LabelledSet test, int classes, int batchSize, float[] probabilities)
    {
        int members = 1;
        for (int k = 1; File.Exists(Path.Combine(MemberDirectory(foldDirectory, k), "model.json")); k++, members++)
            Add(TrainedModelFile.Load(Path.Combine(MemberDirectory(foldDirectory, k), "model.json")).Build(), prep, test, classes, batchSize, probabilities);
        return Average(probabilities, members, classes);
    }

    private static void Add(EmotionModel model, InputPreparation prep, LabelledSet test, int classes, int batchSize, float[] probabilities)
    {
        var (_, p, _) = Trainer.Predict(model, prep, test, classes, batchSize);
        for (int i = 0; i < p.Length; i++) probabilities[i] += p[i];
    }

    private static int[] Average(float[] probabilities, int members, int classes)
    {
        int n = probabilities.Length / classes;
        var pred = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            for (int c = 0; c < classes; c++) row[c] /= members;
            int arg = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[arg]) arg = c;
            pred[i] = arg;
        }
        return pred;
    }
}
