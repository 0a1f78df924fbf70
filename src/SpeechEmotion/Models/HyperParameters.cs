using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Models;

/// <summary>
/// Reads an architecture's hyper-parameters from a <see cref="ModelSpec.Parameters"/> object with
/// defaults and ranges, collecting every problem (wrong type, out of range, unknown key) so that
/// <see cref="ThrowIfInvalid"/> reports all of them at once.
/// </summary>
public sealed class HyperParameters
{
    private readonly JsonObject _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly string _architecture;

    /// <summary>Wraps <paramref name="values"/> of <paramref name="architecture"/>.</summary>
    public HyperParameters(string architecture, JsonObject values) => (_architecture, _values) = (architecture, values);

    /// <summary>Problems found so far.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records a problem.</summary>
    public void Fail(string message) => _problems.Add(message);

    /// <summary>An integer in [min, max].</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        if (!TryGet(name, out var node)) return fallback;
        if (Num(node, out var d) && d == Math.Floor(d) && d >= min && d <= max) return (int)d;
        Fail($"'{name}' must be an integer in {min}..{max}, got {node?.ToJsonString()}");
        return fallback;
    }

    /// <summary>A number in [min, max].</summary>
    public float Float(string name, float fallback, double min, double max)
    {
        if (!TryGet(name, out var node)) return fallback;
        if (Num(node, out var d) && d >= min && d <= max) return (float)d;
        Fail($"'{name}' must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got {node?.ToJsonString()}");
        return fallback;
    }

    /// <summary>A boolean.</summary>
    public bool Bool(string name, bool fallback)
    {
        if (!TryGet(name, out var node)) return fallback;
        if (node is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
        Fail($"'{name}' must be true or false, got {node?.ToJsonString()}");
        return fallback;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive).</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        if (!TryGet(name, out var node)) return fallback;
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && allowed.Contains(s, StringComparer.OrdinalIgnoreCase)) return s.ToLowerInvariant();
        Fail($"'{name}' must be one of {string.Join(", ", allowed)}, got {node?.ToJsonString()}");
        return fallback;
    }

    /// <summary>A list of integers, each in [min, max]; empty allowed when <paramref name="allowEmpty"/>.</summary>
    public int[] Ints(string name, int[] fallback, int min, int max, bool allowEmpty = false)
    {
        if (!TryGet(name, out var node)) return fallback;
        if (node is JsonArray arr && (allowEmpty || arr.Count > 0))
        {
            var r = new int[arr.Count];
            bool ok = true;
            for (int i = 0; i < r.Length && ok; i++)
            {
                ok = Num(arr[i], out var d) && d == Math.Floor(d) && d >= min && d <= max;
                if (ok) r[i] = (int)d;
            }
            if (ok) return r;
        }
        Fail($"'{name}' must be a {(allowEmpty ? "" : "non-empty ")}list of integers in {min}..{max}, got {node?.ToJsonString()}");
        return fallback;
    }

    /// <summary>Throws <see cref="InvalidOptionsException"/> naming every problem and every unknown key.</summary>
    public void ThrowIfInvalid()
    {
        foreach (var kv in _values)
            if (!_read.Contains(kv.Key)) Fail($"unknown hyper-parameter '{kv.Key}' for {_architecture}");
        if (_problems.Count > 0) throw new InvalidOptionsException($"model '{_architecture}'", _problems.ToArray());
    }

    private static bool Num(JsonNode? node, out double d)
    {
        d = 0;
        return node is JsonValue && node.GetValueKind() == JsonValueKind.Number
            && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d);
    }

    private bool TryGet(string name, out JsonNode? node)
    {
        _read.Add(name);
        if (_values.TryGetPropertyValue(name, out node) && node is not null)
        {
            if (node.GetValueKind() == JsonValueKind.Null) return false;
            return true;
        }
        return false;
    }
}
