using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpeechEmotion.Corpora;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Training;

/// <summary>A trained fold model as the trainer leaves it in its run folder.</summary>
/// <param name="Spec">Network spec (rebuild with <see cref="ModelZoo.Create"/>).</param>
/// <param name="Preparation">Input preparation fitted on the training fold.</param>
/// <param name="Classes">Class names in index order.</param>
/// <param name="FeatureSetJson">Feature-set definition (<c>IFeatureSet.ToJson</c>).</param>
/// <param name="State">Weights and buffers by state-dict name.</param>
public sealed record TrainedModel(ModelSpec Spec, InputPreparation Preparation, IReadOnlyList<string> Classes, string FeatureSetJson, IReadOnlyDictionary<string, Tensor> State)
{
    /// <summary>True when the inputs were standardised per speaker (transductive; not deployable on single clips).</summary>
    public bool SpeakerNormalised { get; init; }

    /// <summary>Rebuilds the network with the saved weights, in eval mode.</summary>
    public EmotionModel Build()
    {
        var m = ModelZoo.Create(Spec, 0);
        m.LoadStateDict(State);
        m.Eval();
        return m;
    }
}

/// <summary>
/// The run folder's model file ("model.json": spec, preparation, classes, feature set and base64 float32
/// tensors with a SHA-256), written atomically. The portable, versioned package for inference is
/// <c>.sermodel</c> (<c>SpeechEmotion.Models.Packaging.ModelPackage</c>); this file is what <c>ser evaluate</c> re-scores.
/// </summary>
public static class TrainedModelFile
{
    private const int FormatVersion = 1;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, TrainedModel model)
    {
        var tensors = new JsonObject();
        foreach (var (k, t) in model.State.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            tensors[k] = new JsonObject
            {
                ["shape"] = new JsonArray(t.Shape.ToArray().Select(d => (JsonNode?)d).ToArray()),
                ["data"] = Convert.ToBase64String(MemoryMarshal.AsBytes(t.Span)),
            };
        var body = new JsonObject
        {
            ["format"] = "speechemotion-trained-model",
            ["version"] = FormatVersion,
            ["spec"] = model.Spec.ToJsonNode(),
            ["preparation"] = JsonNode.Parse(model.Preparation.ToJson()),
            ["classes"] = new JsonArray(model.Classes.Select(c => (JsonNode?)c).ToArray()),
            ["feature_set"] = JsonNode.Parse(model.FeatureSetJson),
            ["tensors"] = tensors,
        };
        if (model.SpeakerNormalised) body["speaker_normalised"] = true;
        var text = body.ToJsonString();
        var sha = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        AtomicFile.WriteAllText(path, new JsonObject { ["sha256"] = sha, ["model"] = JsonNode.Parse(text) }.ToJsonString());
    }

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointException">Missing, corrupt, tampered with, or another version.</exception>
    public static TrainedModel Load(string path)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CheckpointException($"'{path}' is not a model file.");
            var body = root["model"] as JsonObject ?? throw new CheckpointException($"'{path}' is not a model file.");
            var text = body.ToJsonString();
            if (root["sha256"]?.GetValue<string>() != Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))))
                throw new CheckpointException($"'{path}' is corrupt or was modified (checksum mismatch).");
            if (body["version"]?.GetValue<int>() != FormatVersion) throw new CheckpointException($"'{path}' has format version {body["version"]}, this tool reads {FormatVersion}.");
            var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (k, v) in (JsonObject)body["tensors"]!)
            {
                var shape = ((JsonArray)v!["shape"]!).Select(d => d!.GetValue<int>()).ToArray();
                var bytes = Convert.FromBase64String(v["data"]!.GetValue<string>());
                state[k] = Tensor.FromArray(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
            }
            return new TrainedModel(ModelSpec.FromJsonNode((JsonObject)body["spec"]!), InputPreparation.FromJson(body["preparation"]!.ToJsonString()),
                ((JsonArray)body["classes"]!).Select(c => c!.GetValue<string>()).ToArray(), body["feature_set"]!.ToJsonString(), state)
            { SpeakerNormalised = body["speaker_normalised"]?.GetValue<bool>() ?? false };
        }
        catch (Exception e) when (e is JsonException or IOException or FormatException or InvalidOperationException or NullReferenceException or InvalidCastException or ShapeException)
        {
            throw new CheckpointException($"'{path}' cannot be read as a model file: {e.Message}");
        }
    }
}
