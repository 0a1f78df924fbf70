using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechEmotion.Corpora;

/// <summary>
/// Saves and loads <see cref="SplitSet"/>s as self-contained JSON ("speechemotion-split/1"): every utterance's
/// metadata once, then per fold the ids of its train/validation/test parts. A split file alone is enough to
/// retrain, re-evaluate or audit an experiment.
/// </summary>
public static class SplitFile
{
    /// <summary>Format tag written into every file.</summary>
    public const string FormatTag = "speechemotion-split/1";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes <paramref name="set"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(SplitSet set, string path) => AtomicFile.WriteAllText(path, ToJson(set));

    /// <summary>The JSON text of <paramref name="set"/>.</summary>
    public static string ToJson(SplitSet set)
    {
        var utterances = set.Folds.SelectMany(f => f.Train.Concat(f.Validation).Concat(f.Test))
            .DistinctBy(u => u.Id).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var dto = new FileDto
        {
            Format = FormatTag, Protocol = set.Protocol, Seed = set.Seed, Classes = set.Classes?.Select(c => c.Name()).ToList(),
            Utterances = utterances,
            Folds = set.Folds.Select(f => new FoldDto
            {
                Name = f.Name, Train = f.Train.Select(u => u.Id).ToList(), Validation = f.Validation.Select(u => u.Id).ToList(),
                Test = f.Test.Select(u => u.Id).ToList(), Warnings = f.Warnings.Count > 0 ? f.Warnings.ToList() : null,
            }).ToList(),
        };
        return JsonSerializer.Serialize(dto, Options);
    }

    /// <summary>Reads a split file; a wrong format, unknown ids or malformed JSON give a <see cref="SplitException"/> naming the file.</summary>
    public static SplitSet Load(string path)
    {
        if (!File.Exists(path)) throw new SplitException($"split file '{path}' does not exist.");
        try { return FromJson(File.ReadAllText(path)); }
        catch (SplitException ex) { throw new SplitException($"split file '{path}': {ex.Message}"); }
    }

    /// <summary>Parses the JSON text of a split file.</summary>
    public static SplitSet FromJson(string json)
    {
        FileDto? dto;
        try { dto = JsonSerializer.Deserialize<FileDto>(json, Options); }
        catch (JsonException ex) { throw new SplitException($"not a valid split file: {ex.Message}"); }
        if (dto is null || dto.Format != FormatTag) throw new SplitException($"format is '{dto?.Format}', expected '{FormatTag}'.");
        var byId = new Dictionary<string, Utterance>(StringComparer.Ordinal);
        foreach (var u in dto.Utterances ?? [])
            if (!byId.TryAdd(u.Id, u)) throw new SplitException($"utterance '{u.Id}' is listed twice.");
        var unknown = new List<string>();
        IReadOnlyList<Utterance> Resolve(List<string>? ids)
        {
            var list = new List<Utterance>();
            foreach (var id in ids ?? [])
                if (byId.TryGetValue(id, out var u)) list.Add(u); else unknown.Add(id);
            return list;
        }
        var folds = (dto.Folds ?? []).Select(f => new Split
        {
            Name = f.Name ?? "fold", Train = Resolve(f.Train), Validation = Resolve(f.Validation), Test = Resolve(f.Test),
            Warnings = f.Warnings ?? [],
        }).ToList();
        if (unknown.Count > 0) throw new SplitException($"{unknown.Count} fold id(s) are not among the file's utterances: {string.Join(", ", unknown.Take(10))}.");
        if (folds.Count == 0) throw new SplitException("the file has no fold.");
        List<Emotion>? classes = null;
        if (dto.Classes is not null)
            classes = dto.Classes.Select(c => EmotionNames.TryParse(c, out var e) ? e : throw new SplitException($"class '{c}' is not an emotion name.")).ToList();
        return new SplitSet { Protocol = dto.Protocol ?? "", Seed = dto.Seed, Classes = classes, Folds = folds };
    }

    private sealed class FileDto
    {
        public string? Format { get; set; }
        public string? Protocol { get; set; }
        public int Seed { get; set; }
        public List<string>? Classes { get; set; }
        public List<Utterance>? Utterances { get; set; }
        public List<FoldDto>? Folds { get; set; }
    }

    private sealed class FoldDto
    {
        public string? Name { get; set; }
        public List<string>? Train { get; set; }
        public List<string>? Validation { get; set; }
        public List<string>? Test { get; set; }
        public List<string>? Warnings { get; set; }
    }
}
