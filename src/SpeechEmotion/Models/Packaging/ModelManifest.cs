using System.Text.Json.Nodes;

namespace SpeechEmotion.Models.Packaging;

/// <summary>
/// Everything a <c>.sermodel</c> file says about its model besides the weights: enough to rebuild the
/// network, turn audio into its input, name its outputs and tell a user where it came from.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The newest format version this build reads and the one it writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Format version of the file (1..<see cref="CurrentFormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Class labels in the order of the model's logits, e.g. "neutral", "happy".</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Canonical JSON of the feature set (<see cref="Features.IFeatureSet.ToJson"/>).</summary>
    public required string FeatureSet { get; init; }

    /// <summary>How a feature matrix becomes the model's input (normalisation, crop/pad or mask).</summary>
    public required InputPreparation Preparation { get; init; }

    /// <summary>The architecture and its hyper-parameters, rebuilt through <see cref="ModelZoo"/>.</summary>
    public required ModelSpec Spec { get; init; }

    /// <summary>Seed the network was built with (initial weights are overwritten by the stored ones).</summary>
    public ulong Seed { get; init; }

    /// <summary>Softmax temperature fitted on validation data (1 = uncalibrated); must be &gt; 0.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Training data and protocol, free-form but meant for people: corpora, split, seed.</summary>
    public string TrainingData { get; init; } = "";

    /// <summary>Evaluation protocol description, e.g. "RAVDESS 01-20, 5 speaker-independent folds".</summary>
    public string Protocol { get; init; } = "";

    /// <summary>Named scores (e.g. "ua" = 0.63), all in [0, 1] unless the name says otherwise.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Licence of the training data that applies to the weights (e.g. "CC BY-NC-SA 4.0").</summary>
    public string Licence { get; init; } = "";

    /// <summary>UTC time the file was made.</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Version of SpeechEmotion that wrote the file.</summary>
    public string ToolVersion { get; init; } = typeof(ModelManifest).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Canonical JSON of the manifest.</summary>
    public JsonObject ToJsonNode()
    {
        var metrics = new JsonObject();
        foreach (var (k, v) in Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)) metrics[k] = v;
        return new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["labels"] = new JsonArray(Labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
            ["featureSet"] = JsonNode.Parse(FeatureSet),
            ["preparation"] = System.Text.Json.JsonSerializer.SerializeToNode(Preparation),
            ["spec"] = Spec.ToJsonNode(),
            ["seed"] = Seed,
            ["temperature"] = Temperature,
            ["trainingData"] = TrainingData,
            ["protocol"] = Protocol,
            ["metrics"] = metrics,
            ["licence"] = Licence,
            ["createdUtc"] = CreatedUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["toolVersion"] = ToolVersion,
        };
    }
}
