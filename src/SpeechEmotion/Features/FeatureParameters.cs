using System.Globalization;

namespace SpeechEmotion.Features;

/// <summary>
/// Reads a feature set's string parameters (from the CLI's --param k=v or from JSON) against a
/// declared list, collecting every problem (unknown names, unparsable or out-of-range values) so
/// that one <see cref="InvalidOptionsException"/> reports them all.
/// </summary>
public sealed class FeatureParameters
{
    private readonly string _set;
    private readonly IReadOnlyDictionary<string, string> _given;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _canonical = new(StringComparer.Ordinal);
    private readonly Problems _problems = new();

    /// <summary>Starts reading <paramref name="given"/> (may be null) for feature set <paramref name="setName"/>.</summary>
    public FeatureParameters(string setName, IReadOnlyDictionary<string, string>? given)
    {
        _set = setName;
        _given = given ?? new Dictionary<string, string>();
    }

    /// <summary>Canonical values of every declared parameter (defaults filled in), sorted by name.</summary>
    public IReadOnlyDictionary<string, string> Canonical => _canonical;

    /// <summary>Records a problem found by the caller's own cross-checks.</summary>
    public void Require(bool ok, string message) => _problems.Require(ok, message);

    /// <summary>An integer parameter within [min, max].</summary>
    public int Int(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        _known.Add(name);
        var value = defaultValue;
        if (_given.TryGetValue(name, out var s) && !int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            _problems.Add($"parameter '{name}' must be an integer (got '{s}')");
            value = defaultValue;
        }
        else if (value < min || value > max)
        {
            _problems.Add($"parameter '{name}' must be in [{min}, {max}] (got {value})");
        }
        _canonical[name] = value.ToString(CultureInfo.InvariantCulture);
        return value;
    }

    /// <summary>A finite real parameter within [min, max].</summary>
    public double Double(string name, double defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        _known.Add(name);
        var value = defaultValue;
        if (_given.TryGetValue(name, out var s) && (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value)))
        {
            _problems.Add($"parameter '{name}' must be a finite number (got '{s}')");
            value = defaultValue;
        }
        else if (value < min || value > max)
        {
            _problems.Add($"parameter '{name}' must be in [{min}, {max}] (got {value})");
        }
        _canonical[name] = value.ToString("R", CultureInfo.InvariantCulture);
        return value;
    }

    /// <summary>An optional real parameter ("none" or empty means null).</summary>
    public double? OptionalDouble(string name, double? defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        _known.Add(name);
        var value = defaultValue;
        if (_given.TryGetValue(name, out var s))
        {
            if (s.Length == 0 || s.Equals("none", StringComparison.OrdinalIgnoreCase)) value = null;
            else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) value = v;
            else _problems.Add($"parameter '{name}' must be a finite number or 'none' (got '{s}')");
        }
        if (value is double d && (d < min || d > max)) _problems.Add($"parameter '{name}' must be in [{min}, {max}] (got {d})");
        _canonical[name] = value?.ToString("R", CultureInfo.InvariantCulture) ?? "none";
        return value;
    }

    /// <summary>A boolean parameter (true/false/1/0).</summary>
    public bool Bool(string name, bool defaultValue)
    {
        _known.Add(name);
        var value = defaultValue;
        if (_given.TryGetValue(name, out var s))
        {
            if (s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase)) value = true;
            else if (s is "0" || s.Equals("false", StringComparison.OrdinalIgnoreCase)) value = false;
            else _problems.Add($"parameter '{name}' must be true or false (got '{s}')");
        }
        _canonical[name] = value ? "true" : "false";
        return value;
    }

    /// <summary>An enum parameter, matched case-insensitively by name.</summary>
    public T Enum<T>(string name, T defaultValue) where T : struct, System.Enum
    {
        _known.Add(name);
        var value = defaultValue;
        if (_given.TryGetValue(name, out var s))
        {
            if (!System.Enum.TryParse(s, ignoreCase: true, out value) || !System.Enum.IsDefined(value) || int.TryParse(s, out _))
            {
                _problems.Add($"parameter '{name}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))} (got '{s}')");
                value = defaultValue;
            }
        }
        _canonical[name] = value.ToString().ToLowerInvariant();
        return value;
    }

    /// <summary>A string parameter restricted to <paramref name="allowed"/> when given.</summary>
    public string String(string name, string defaultValue, IReadOnlyCollection<string>? allowed = null)
    {
        _known.Add(name);
        var value = _given.TryGetValue(name, out var s) ? s : defaultValue;
        if (allowed is not null && !allowed.Contains(value))
        {
            _problems.Add($"parameter '{name}' must be one of {string.Join(", ", allowed)} (got '{value}')");
            value = defaultValue;
        }
        _canonical[name] = value;
        return value;
    }

    /// <summary>Reports unknown parameter names and every problem found; call after reading all parameters.</summary>
    public void ThrowIfInvalid()
    {
        foreach (var key in _given.Keys.OrderBy(k => k, StringComparer.Ordinal))
            if (!_known.Contains(key))
                _problems.Add($"unknown parameter '{key}' (known: {string.Join(", ", _known.Order(StringComparer.Ordinal))})");
        _problems.ThrowIfAny($"feature set '{_set}'");
    }
}
