using SpeechEmotion.Evaluation;
using SpeechEmotion.Models.Packaging;

namespace SpeechEmotion.Training;

/// <summary>
/// Turns a trainer's run-folder model (<see cref="TrainedModelFile"/>) into the portable <c>.sermodel</c>
/// package inference loads, with provenance and the cross-validated scores of the same experiment.
/// </summary>
public static class ModelExport
{
    /// <summary>Packages <paramref name="trainedModelPath"/> (a fold's model.json) as <paramref name="outputPath"/>.</summary>
    /// <param name="trainedModelPath">model.json written by <c>ser train</c>/<c>ser cv</c>.</param>
    /// <param name="outputPath">The .sermodel to write (atomically).</param>
    /// <param name="cvReport">Optional report.json of <c>ser cv</c> on the same config: its mean scores become the manifest's metrics.</param>
    /// <param name="trainingData">Who/what the weights were trained on.</param>
    /// <param name="licence">Licence of the training data that applies to the weights.</param>
    /// <param name="temperature">Softmax temperature fitted on validation data (1 = uncalibrated).</param>
    /// <returns>The manifest written.</returns>
    public static ModelManifest Package(string trainedModelPath, string outputPath, string? cvReport, string trainingData, string licence, double temperature = 1.0)
    {
        var trained = TrainedModelFile.Load(trainedModelPath);
        if (trained.SpeakerNormalised)
            throw new InvalidOptionsException("model export", [$"'{trainedModelPath}': {ExperimentRunner.SpeakerNormalisedNotDeployable}"]);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        string protocol = "";
        if (cvReport is not null)
        {
            var report = ExperimentReport.FromJson(File.ReadAllText(cvReport));
            if (report.Leaky) throw new InvalidOptionsException("model export", [$"'{cvReport}' comes from a leaky split; refusing to ship its scores"]);
            metrics["cv_wa"] = report.Summary.WeightedAccuracy.Mean;
            metrics["cv_ua"] = report.Summary.UnweightedAverageRecall.Mean;
            metrics["cv_macro_f1"] = report.Summary.MacroF1.Mean;
            metrics["cv_ua_std"] = report.Summary.UnweightedAverageRecall.Std;
            metrics["cv_folds"] = report.Folds.Count;
            protocol = $"{report.Protocol}; seed {report.Seed}; labels {report.Labels}";
        }
        var manifest = new ModelManifest
        {
            Labels = trained.Classes,
            FeatureSet = trained.FeatureSetJson,
            Preparation = trained.Preparation,
            Spec = trained.Spec,
            Seed = 0,
            Temperature = temperature,
            TrainingData = trainingData,
            Protocol = protocol,
            Metrics = metrics,
            Licence = licence,
        };
        ModelPackage.Save(outputPath, manifest, trained.State);
        return manifest;
    }
}
