using System.Collections.Concurrent;
using System.Text.Json;

namespace SpeechEmotion.Features;

/// <summary>
/// Registry of named feature sets. Built-in: "logmel", "mfcc", "zcr-rms-mfcc", "lld", "functionals".
/// Other areas add theirs with <see cref="Register"/>.
/// </summary>
public static class FeatureSets
{
    private sealed record Entry(Func<IReadOnlyDictionary<string, string>?, IFeatureSet> Factory, Func<string, IFeatureSet> FromJson);

    private static readonly ConcurrentDictionary<string, Entry> Registry = new(StringComparer.Ordinal);

    static FeatureSets()
    {
        BuiltInSets.RegisterAll();
    }

    /// <summary>Registered names, sorted.</summary>
    public static IReadOnlyList<string> Names => Registry.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Registers (or replaces) a feature set. <paramref name="factory"/> builds it from string parameters
    /// (null = defaults); <paramref name="fromJson"/> rebuilds it from its <see cref="IFeatureSet.ToJson"/> text.
    /// </summary>
    public static void Register(string name, Func<IReadOnlyDictionary<string, string>?, IFeatureSet> factory, Func<string, IFeatureSet> fromJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(fromJson);
        Registry[name] = new Entry(factory, fromJson);
    }

    /// <summary>Creates the set called <paramref name="name"/> with <paramref name="parameters"/> (unknown names or values throw).</summary>
    /// <exception cref="InvalidOptionsException">Unknown set name or invalid parameters.</exception>
    public static IFeatureSet Create(string name, IReadOnlyDictionary<string, string>? parameters = null)
    {
        if (!Registry.TryGetValue(name, out var e))
            throw new InvalidOptionsException("feature set", [$"unknown feature set '{name}' (known: {string.Join(", ", Names)})"]);
        return e.Factory(parameters);
    }

    /// <summary>Rebuilds a set from the JSON written by <see cref="IFeatureSet.ToJson"/>.</summary>
    /// <exception cref="InvalidOptionsException">Malformed JSON, unknown name or invalid parameters.</exception>
    public static IFeatureSet FromJson(string json)
    {
        string? name;
        try
        {
            using var doc = JsonDocument.Parse(json);
            name = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidOptionsException("feature set JSON", [$"not valid JSON: {ex.Message}"]);
        }
        if (name is null) throw new InvalidOptionsException("feature set JSON", ["missing string property 'name'"]);
        if (!Registry.TryGetValue(name, out var e))
            throw new InvalidOptionsException("feature set", [$"unknown feature set '{name}' (known: {string.Join(", ", Names)})"]);
        return e.FromJson(json);
    }

    /// <summary>
    /// Canonical JSON {"name","version","sample_rate","params":{sorted string values}} shared by the
    /// built-in sets; other sets may use it too.
    /// </summary>
    public static string CanonicalJson(string name, int version, int sampleRate, IReadOnlyDictionary<string, string> parameters)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("version", version);
            w.WriteNumber("sample_rate", sampleRate);
            w.WriteStartObject("params");
            foreach (var kv in parameters.OrderBy(k => k.Key, StringComparer.Ordinal)) w.WriteString(kv.Key, kv.Value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>
    /// Reads JSON written by <see cref="CanonicalJson"/>: checks the name and that the version is
    /// <paramref name="supportedVersion"/>, and returns the parameters.
    /// </summary>
    public static Dictionary<string, string> ParseCanonicalJson(string json, string expectedName, int supportedVersion)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var name = root.GetProperty("name").GetString();
            if (name != expectedName) throw new InvalidOptionsException("feature set JSON", [$"name is '{name}', expected '{expectedName}'"]);
            var version = root.GetProperty("version").GetInt32();
            if (version != supportedVersion)
                throw new InvalidOptionsException("feature set JSON", [$"'{name}' version {version} is not supported (this build has version {supportedVersion})"]);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("params", out var ps))
                foreach (var p in ps.EnumerateObject())
                    result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            return result;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidOptionsException("feature set JSON", [$"malformed feature set JSON: {ex.Message}"]);
        }
    }
}
