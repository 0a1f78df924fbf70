using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechEmotion.Corpora;

/// <summary>
/// Label configuration: merges (calm→neutral, excited→happy, …) applied first, then an optional class subset
/// that keeps only the listed classes (in that order, which is the class-index order models use).
/// Immutable; build from code or from JSON such as
/// <c>{"merge": {"calm": "neutral", "excited": "happy"}, "classes": ["neutral", "happy", "sad", "angry"]}</c>.
/// </summary>
public sealed record LabelMap
{
    /// <summary>Source → target merges. Chains are not followed: each label is merged at most once.</summary>
    public IReadOnlyDictionary<Emotion, Emotion> Merges { get; init; } = new Dictionary<Emotion, Emotion>();

    /// <summary>Classes kept, in class-index order; null keeps every label present after merging.</summary>
    public IReadOnlyList<Emotion>? Classes { get; init; }

    /// <summary>No merges, no subset.</summary>
    public static LabelMap Identity { get; } = new();

    /// <summary>RAVDESS 8 classes with calm merged into neutral (7 classes).</summary>
    public static LabelMap CalmAsNeutral { get; } = new() { Merges = new Dictionary<Emotion, Emotion> { [Emotion.Calm] = Emotion.Neutral } };

    /// <summary>
    /// The usual 4-class set neutral/happy/sad/angry with excited→happy and calm→neutral; everything else is
    /// dropped (and counted). For IEMOCAP this is the standard 5531-utterance set.
    /// </summary>
    public static LabelMap FourClass { get; } = new()
    {
        Merges = new Dictionary<Emotion, Emotion> { [Emotion.Excited] = Emotion.Happy, [Emotion.Calm] = Emotion.Neutral },
        Classes = [Emotion.Neutral, Emotion.Happy, Emotion.Sad, Emotion.Angry],
    };

    /// <summary>IEMOCAP 4-class (neutral, happy+excited, sad, angry): the same as <see cref="FourClass"/>.</summary>
    public static LabelMap Iemocap4 => FourClass;

    /// <summary>Maps one label: merged, then null when outside <see cref="Classes"/>.</summary>
    public Emotion? Map(Emotion label)
    {
        var m = Merges.TryGetValue(label, out var t) ? t : label;
        return Classes is null || Classes.Contains(m) ? m : null;
    }

    /// <summary>
    /// Applies the map: utterances get the mapped label (the original spelling stays in
    /// <see cref="Utterance.OriginalLabel"/>); those outside the subset are dropped and counted per label.
    /// </summary>
    public LabelMapResult Apply(IEnumerable<Utterance> utterances)
    {
        var kept = new List<Utterance>();
        var dropped = new SortedDictionary<Emotion, int>();
        foreach (var u in utterances)
        {
            var m = Map(u.Label);
            if (m is null) { dropped[u.Label] = dropped.GetValueOrDefault(u.Label) + 1; continue; }
            kept.Add(m == u.Label ? u : u with { Label = m.Value });
        }
        var classes = Classes ?? kept.Select(u => u.Label).Distinct().Order().ToArray();
        var counts = classes.ToDictionary(c => c, c => kept.Count(u => u.Label == c));
        var empty = counts.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToArray();
        if (empty.Length > 0)
            throw new CorpusException($"label map leaves class(es) with no utterance: {string.Join(", ", empty.Select(e => e.Name()))} " +
                                      $"(labels present: {string.Join(", ", counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key.Name()} {kv.Value}"))}).");
        return new LabelMapResult(kept, classes, dropped);
    }

    /// <summary>Canonical JSON (names in lower case).</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dto
    {
        Merge = Merges.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.Name(), kv => kv.Value.Name()),
        Classes = Classes?.Select(c => c.Name()).ToList(),
    }, DtoOptions);

    /// <summary>Parses the JSON form; unknown emotion names are all reported in one <see cref="InvalidOptionsException"/>.</summary>
    public static LabelMap FromJson(string json)
    {
        Dto? dto;
        try { dto = JsonSerializer.Deserialize<Dto>(json, DtoOptions); }
        catch (JsonException ex) { throw new InvalidOptionsException("LabelMap", [$"not valid JSON: {ex.Message}"]); }
        if (dto is null) throw new InvalidOptionsException("LabelMap", ["empty configuration"]);
        var problems = new Problems();
        var merges = new Dictionary<Emotion, Emotion>();
        foreach (var (from, to) in dto.Merge ?? [])
        {
            bool okFrom = EmotionNames.TryParse(from, out var f), okTo = EmotionNames.TryParse(to, out var t);
            problems.Require(okFrom, $"merge source '{from}' is not an emotion name");
            problems.Require(okTo, $"merge target '{to}' is not an emotion name");
            if (okFrom && okTo) merges[f] = t;
        }
        List<Emotion>? classes = null;
        if (dto.Classes is not null)
        {
            classes = [];
            foreach (var c in dto.Classes)
            {
                if (EmotionNames.TryParse(c, out var e)) { problems.Require(!classes.Contains(e), $"class '{c}' is listed twice"); classes.Add(e); }
                else problems.Add($"class '{c}' is not an emotion name");
            }
            problems.Require(classes.Count > 0 || dto.Classes.Count > 0, "classes is empty");
            foreach (var (from, to) in merges)
                problems.Require(!classes.Contains(from) || classes.Contains(to), $"'{from.Name()}' is merged away but listed as a class");
        }
        problems.ThrowIfAny("LabelMap");
        return new LabelMap { Merges = merges, Classes = classes };
    }

    private static readonly JsonSerializerOptions DtoOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private sealed class Dto
    {
        [JsonPropertyName("merge")] public Dictionary<string, string>? Merge { get; set; }
        [JsonPropertyName("classes")] public List<string>? Classes { get; set; }
    }
}

/// <summary>The outcome of <see cref="LabelMap.Apply"/>.</summary>
/// <param name="Utterances">Kept utterances with mapped labels.</param>
/// <param name="Classes">Class list in index order.</param>
/// <param name="Dropped">Utterances dropped per (pre-merge) label.</param>
public sealed record LabelMapResult(IReadOnlyList<Utterance> Utterances, IReadOnlyList<Emotion> Classes, IReadOnlyDictionary<Emotion, int> Dropped)
{
    /// <summary>Class index of <paramref name="label"/> (position in <see cref="Classes"/>), or -1.</summary>
    public int IndexOf(Emotion label) { for (int i = 0; i < Classes.Count; i++) if (Classes[i] == label) return i; return -1; }
}
