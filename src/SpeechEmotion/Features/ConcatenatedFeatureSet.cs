using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Features;

/// <summary>
/// Utterance-level feature sets side by side (e.g. eGeMAPS v02 + LLD functionals = 218 values): each part is
/// extracted (resampled to its own rate when it differs) and the one-frame results are concatenated in order.
/// Its JSON (<c>{"name":"concat","version":1,"sample_rate":R,"params":{},"parts":[...]}</c>) rebuilds it through
/// <see cref="FeatureSets.FromJson"/>, so experiments with <c>features.concat</c> can ship as a <c>.sermodel</c>.
/// </summary>
public sealed class ConcatenatedFeatureSet : IFeatureSet
{
    /// <summary>Registry name.</summary>
    public const string SetName = "concat";

    /// <summary>Combines <paramref name="parts"/> (two or more; all utterance-level).</summary>
    /// <exception cref="InvalidOptionsException">Fewer than two parts.</exception>
    public ConcatenatedFeatureSet(IReadOnlyList<IFeatureSet> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count < 2) throw new InvalidOptionsException("concat feature set", [$"needs at least two parts, got {parts.Count}"]);
        Parts = parts;
    }

    /// <summary>The sets, in column order.</summary>
    public IReadOnlyList<IFeatureSet> Parts { get; }

    /// <inheritdoc />
    public string Name => SetName;

    /// <inheritdoc />
    public int Version => 1;

    /// <summary>The first part's rate: audio is read at it, later parts resample when theirs differs.</summary>
    public int SampleRate => Parts[0].SampleRate;

    /// <inheritdoc />
    public string ToJson()
    {
        var node = JsonNode.Parse(FeatureSets.CanonicalJson(SetName, Version, SampleRate, new Dictionary<string, string>()))!.AsObject();
        node["parts"] = new JsonArray(Parts.Select(p => JsonNode.Parse(p.ToJson())).ToArray());
        return node.ToJsonString();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOptionsException">A part gives more than one frame.</exception>
    public FeatureMatrix Extract(ReadOnlySpan<float> samples, int sampleRate)
    {
        var mats = new FeatureMatrix[Parts.Count];
        var copy = samples.ToArray();
        for (int i = 0; i < Parts.Count; i++)
        {
            var p = Parts[i];
            var y = p.SampleRate == sampleRate ? copy : Audio.Resampler.Resample(copy, sampleRate, p.SampleRate);
            mats[i] = p.Extract(y, p.SampleRate);
            if (mats[i].Frames != 1)
                throw new InvalidOptionsException("concat feature set", [$"part '{p.Name}' gives {mats[i].Frames} frames; only utterance-level (one-frame) sets can be concatenated"]);
        }
        return FeatureMatrix.Concat(mats);
    }

    /// <summary>Rebuilds a set from <see cref="ToJson"/> text.</summary>
    public static ConcatenatedFeatureSet FromJson(string json)
    {
        try
        {
            var parts = JsonNode.Parse(json)?["parts"] as JsonArray ?? throw new InvalidOptionsException("concat feature set JSON", ["missing 'parts' array"]);
            return new ConcatenatedFeatureSet(parts.Select(p => FeatureSets.FromJson(p?.ToJsonString() ?? "null")).ToArray());
        }
        catch (JsonException e) { throw new InvalidOptionsException("concat feature set JSON", [$"not valid JSON: {e.Message}"]); }
    }

#pragma warning disable CA2255 // The registry must know this set before a model file asks for it by name.
    [ModuleInitializer]
    internal static void RegisterOnLoad() => FeatureSets.Register(SetName,
        _ => throw new InvalidOptionsException("feature set", ["'concat' is built from parts: use features.concat in an experiment, or its JSON"]),
        FromJson);
#pragma warning restore CA2255
}
