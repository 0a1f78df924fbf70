using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Models;

/// <summary>Auxiliary outputs a model may carry next to its emotion logits (flags).</summary>
[Flags]
public enum AuxiliaryHeads
{
    /// <summary>Emotion logits only.</summary>
    None = 0,
    /// <summary>Binary arousal (high vs low) logit derived from the emotion label.</summary>
    ArousalBinary = 1,
    /// <summary>Binary valence (positive vs negative) logit derived from the emotion label.</summary>
    ValenceBinary = 2,
    /// <summary>Dimensional arousal regression (corpora that provide values).</summary>
    ArousalRegression = 4,
    /// <summary>Dimensional valence regression (corpora that provide values).</summary>
    ValenceRegression = 8,
}

/// <summary>How a model expects its input batch laid out.</summary>
public enum InputLayout
{
    /// <summary>[B, features]: one vector per utterance (functionals).</summary>
    Vector,
    /// <summary>[B, frames, features]: a sequence of frame vectors.</summary>
    Sequence,
    /// <summary>[B, 1, features, frames]: a one-channel image (spectrogram, mel bands as height).</summary>
    Image,
}

/// <summary>
/// Everything needed to rebuild a network through <see cref="ModelZoo.Create"/>: architecture name,
/// its hyper-parameters, the input shape and the outputs. Saved into model packages as JSON.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>Architecture name, one of <see cref="ModelZoo.Architectures"/> (e.g. "attention-bilstm").</summary>
    public required string Architecture { get; init; }

    /// <summary>Architecture hyper-parameters (names as in the experiment YAML, e.g. "hidden": 128);
    /// missing entries take the architecture's documented defaults, unknown ones are refused.</summary>
    public JsonObject Parameters { get; init; } = new();

    /// <summary>Input frames for fixed-length models; 0 for vector or variable-length (masked) input.</summary>
    public int Frames { get; init; }

    /// <summary>Features per frame (or per vector).</summary>
    public required int Features { get; init; }

    /// <summary>Number of emotion classes (≥ 2).</summary>
    public required int Classes { get; init; }

    /// <summary>Auxiliary heads (only architectures that support them accept any).</summary>
    public AuxiliaryHeads Auxiliary { get; init; }

    /// <summary>Canonical JSON (architecture, parameters, frames, features, classes, auxiliary heads).</summary>
    public string ToJson() => ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>The spec as a JSON object (a fresh tree).</summary>
    public JsonObject ToJsonNode() => new()
    {
        ["architecture"] = Architecture,
        ["parameters"] = Parameters.DeepClone(),
        ["frames"] = Frames,
        ["features"] = Features,
        ["classes"] = Classes,
        ["auxiliary"] = new JsonArray(AuxiliaryNames(Auxiliary).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
    };

    /// <summary>Parses <see cref="ToJson"/>'s output; throws <see cref="InvalidOptionsException"/> on any problem.</summary>
    public static ModelSpec FromJson(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidOptionsException(nameof(ModelSpec), [$"not valid JSON: {e.Message}"]); }
        return FromJsonNode(node as JsonObject ?? throw new InvalidOptionsException(nameof(ModelSpec), ["expected a JSON object"]));
    }

    /// <summary>Reads a spec from a JSON object.</summary>
    public static ModelSpec FromJsonNode(JsonObject o)
    {
        var p = new Problems();
        string? arch = null; int frames = 0, features = 0, classes = 0;
        var aux = AuxiliaryHeads.None;
        try { arch = o["architecture"]?.GetValue<string>(); } catch (Exception e) when (e is InvalidOperationException or FormatException) { }
        p.Require(!string.IsNullOrWhiteSpace(arch), "'architecture' must be a non-empty string");
        int Int(string name)
        {
            try { return o[name]?.GetValue<int>() ?? 0; }
            catch (Exception e) when (e is InvalidOperationException or FormatException) { p.Add($"'{name}' must be an integer"); return 0; }
        }
        frames = Int("frames"); features = Int("features"); classes = Int("classes");
        if (o["auxiliary"] is JsonArray arr)
            foreach (var a in arr)
            {
                var name = a?.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
                if (name is not null && TryParseAuxiliary(name, out var h)) aux |= h;
                else p.Add($"unknown auxiliary head '{a}'; known: {string.Join(", ", AuxiliaryNames(AllAuxiliary))}");
            }
        var parameters = o["parameters"] switch
        {
            null => new JsonObject(),
            JsonObject po => (JsonObject)po.DeepClone(),
            _ => null,
        };
        p.Require(parameters is not null, "'parameters' must be an object");
        foreach (var key in o.Select(kv => kv.Key))
            p.Require(key is "architecture" or "parameters" or "frames" or "features" or "classes" or "auxiliary", $"unknown key '{key}'");
        p.ThrowIfAny(nameof(ModelSpec));
        return new ModelSpec { Architecture = arch!, Parameters = parameters!, Frames = frames, Features = features, Classes = classes, Auxiliary = aux };
    }

    /// <summary>Every auxiliary head.</summary>
    public const AuxiliaryHeads AllAuxiliary = AuxiliaryHeads.ArousalBinary | AuxiliaryHeads.ValenceBinary | AuxiliaryHeads.ArousalRegression | AuxiliaryHeads.ValenceRegression;

    /// <summary>Names of the set flags ("arousal-binary", "valence-binary", "arousal", "valence").</summary>
    public static IEnumerable<string> AuxiliaryNames(AuxiliaryHeads heads)
    {
        if (heads.HasFlag(AuxiliaryHeads.ArousalBinary)) yield return "arousal-binary";
        if (heads.HasFlag(AuxiliaryHeads.ValenceBinary)) yield return "valence-binary";
        if (heads.HasFlag(AuxiliaryHeads.ArousalRegression)) yield return "arousal";
        if (heads.HasFlag(AuxiliaryHeads.ValenceRegression)) yield return "valence";
    }

    /// <summary>Parses one auxiliary head name (see <see cref="AuxiliaryNames"/>).</summary>
    public static bool TryParseAuxiliary(string name, out AuxiliaryHeads head)
    {
        head = name.Trim().ToLowerInvariant() switch
        {
            "arousal-binary" => AuxiliaryHeads.ArousalBinary,
            "valence-binary" => AuxiliaryHeads.ValenceBinary,
            "arousal" => AuxiliaryHeads.ArousalRegression,
            "valence" => AuxiliaryHeads.ValenceRegression,
            _ => AuxiliaryHeads.None,
        };
        return head != AuxiliaryHeads.None;
    }
}
