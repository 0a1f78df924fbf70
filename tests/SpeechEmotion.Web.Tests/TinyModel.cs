using SpeechEmotion.Features;
using SpeechEmotion.Inference;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Packaging;

namespace SpeechEmotion.Web.Tests;

/// <summary>
/// A real (untrained, seeded) .sermodel built in-test, served through the real <see cref="RecognizerEngine"/>:
/// the answers are whatever the random network says, so tests check shapes and consistency, not emotions.
/// </summary>
internal static class TinyModel
{
    private static readonly Lazy<string> LazyPath = new(Build);

    public static string Path => LazyPath.Value;

    public static RecognizerEngine Engine() => RecognizerEngine.Load(Path);

    private static string Build()
    {
        var set = FeatureSets.Create("functionals");
        int features = set.Extract(Wav.Tone(1.0), 16000).Features;
        string[] labels = ["neutral", "happy", "sad", "angry"];
        var spec = new ModelSpec { Architecture = "functionals-mlp", Features = features, Classes = labels.Length };
        var model = ModelZoo.Create(spec, seed: 11);
        var manifest = new ModelManifest
        {
            Labels = labels,
            FeatureSet = set.ToJson(),
            Preparation = new InputPreparation
            {
                Layout = InputLayout.Vector, Mode = LengthMode.Vector, Features = features,
                Mean = new float[features], Std = Enumerable.Repeat(10f, features).ToArray(),
            },
            Spec = spec,
            Seed = 11,
            TrainingData = "none (seeded untrained test model)",
            Licence = "CC0",
        };
        var dir = Directory.CreateTempSubdirectory("ser-web-model-").FullName;
        var path = System.IO.Path.Combine(dir, "tiny.sermodel");
        ModelPackage.Save(path, manifest, model.StateDict());
        return path;
    }
}
