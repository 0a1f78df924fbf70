using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>
/// A folder per label: <c>root/&lt;label&gt;/**/file.wav</c>. Folder names are parsed with
/// <see cref="EmotionNames"/> (or <see cref="LabelNames"/>). The speaker comes from the named group
/// "speaker" of <see cref="SpeakerPattern"/> applied to the file name; without it every file gets
/// speaker "unknown" and speaker-independent splits will refuse the data.
/// </summary>
public sealed class FolderPerLabelLoader : ICorpusLoader
{
    /// <inheritdoc />
    public IReadOnlyCollection<Emotion> Labels => [];

    /// <summary>Corpus tag. Default "folder".</summary>
    public string Corpus { get; init; } = "folder";

    /// <summary>Regex with a named group "speaker" matched against the file stem; null: speaker "unknown".</summary>
    public Regex? SpeakerPattern { get; init; }

    /// <summary>Folder name → emotion overrides, checked before the built-in synonyms.</summary>
    public IReadOnlyDictionary<string, Emotion>? LabelNames { get; init; }

    /// <inheritdoc />
    public CorpusLoadResult Load(string root)
    {
        var ctx = new LoadContext(Corpus, root);
        foreach (var file in ctx.AudioFiles())
        {
            var rel = System.IO.Path.GetRelativePath(ctx.Root, file);
            var parts = rel.Split(System.IO.Path.DirectorySeparatorChar);
            if (parts.Length < 2) { ctx.Issue(LoadIssueKind.Misnamed, file, "file is directly in the root; expected root/<label>/file"); continue; }
            var folder = parts[0];
            Emotion label = default;
            if (!(LabelNames?.TryGetValue(folder, out label) ?? false) && !EmotionNames.TryParse(folder, out label))
            {
                ctx.Issue(LoadIssueKind.UnknownLabel, file, $"folder '{folder}' is not a known emotion name");
                continue;
            }
            var speaker = "unknown";
            if (SpeakerPattern is not null)
            {
                var m = SpeakerPattern.Match(System.IO.Path.GetFileNameWithoutExtension(file));
                if (!m.Success || !m.Groups["speaker"].Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"file name does not match speaker pattern '{SpeakerPattern}'"); continue; }
                speaker = m.Groups["speaker"].Value;
            }
            ctx.Add(new Utterance { Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = folder, Speaker = speaker }, rel);
        }
        return ctx.Finish("root/<label>/<file>.wav with label folders such as 'angry', 'neutral'");
    }
}

/// <summary>Manifest file formats.</summary>
public enum ManifestFormat
{
    /// <summary>Decide from the extension: .csv, .tsv/.tab, .jsonl/.ndjson.</summary>
    Auto,
    /// <summary>Comma-separated with a header row; RFC 4180 quoting.</summary>
    Csv,
    /// <summary>Tab-separated with a header row.</summary>
    Tsv,
    /// <summary>One JSON object per line.</summary>
    JsonLines,
}

/// <summary>
/// Reads a CSV/TSV/JSONL manifest with configurable column names. Paths are relative to the manifest's folder
/// unless absolute. Every row that cannot be used is listed with its line number.
/// </summary>
public sealed class ManifestLoader : ICorpusLoader
{
    /// <inheritdoc />
    public IReadOnlyCollection<Emotion> Labels => [];

    /// <summary>Corpus tag. Default "manifest".</summary>
    public string Corpus { get; init; } = "manifest";

    /// <summary>File format. Default <see cref="ManifestFormat.Auto"/>.</summary>
    public ManifestFormat Format { get; init; } = ManifestFormat.Auto;

    /// <summary>Column with the audio path. Default "path".</summary>
    public string PathColumn { get; init; } = "path";

    /// <summary>Column with the label. Default "label".</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>Column with the speaker. Default "speaker"; a manifest without it gets speaker "unknown".</summary>
    public string SpeakerColumn { get; init; } = "speaker";

    /// <summary>Optional gender column ("m"/"male"/"f"/"female"). Default "gender" (used when present).</summary>
    public string? GenderColumn { get; init; } = "gender";

    /// <summary>Optional text column. Default "text" (used when present).</summary>
    public string? TextColumn { get; init; } = "text";

    /// <summary>Optional session column. Default "session" (used when present).</summary>
    public string? SessionColumn { get; init; } = "session";

    /// <summary>Optional valence column. Default "valence" (used when present).</summary>
    public string? ValenceColumn { get; init; } = "valence";

    /// <summary>Optional arousal column. Default "arousal" (used when present).</summary>
    public string? ArousalColumn { get; init; } = "arousal";

    /// <summary>Optional dominance column. Default "dominance" (used when present).</summary>
    public string? DominanceColumn { get; init; } = "dominance";

    /// <summary>Optional column naming the original of an augmented copy (<c>ser augment</c> manifests). Default
    /// "source_utterance" (used when present): the leakage audit keeps a copy on its original's side.</summary>
    public string? SourceColumn { get; init; } = "source_utterance";

    /// <summary>Raw label → emotion overrides, checked before the built-in synonyms.</summary>
    public IReadOnlyDictionary<string, Emotion>? LabelNames { get; init; }

    /// <inheritdoc />
    public CorpusLoadResult Load(string manifestPath)
    {
        var ctx = new LoadContext(Corpus, manifestPath, rootIsFile: true);
        var format = Format != ManifestFormat.Auto ? Format : System.IO.Path.GetExtension(ctx.Root).ToLowerInvariant() switch
        {
            ".csv" => ManifestFormat.Csv,
            ".tsv" or ".tab" => ManifestFormat.Tsv,
            ".jsonl" or ".ndjson" => ManifestFormat.JsonLines,
            var ext => throw new CorpusException($"manifest '{ctx.Root}': cannot tell the format from extension '{ext}'; use .csv, .tsv or .jsonl or set Format."),
        };
        var rows = format == ManifestFormat.JsonLines ? ReadJsonLines(ctx) : ReadDelimited(ctx, format == ManifestFormat.Csv ? ',' : '\t');
        foreach (var (line, row) in rows) AddRow(ctx, line, row);
        return ctx.Finish($"a manifest with columns '{PathColumn}', '{LabelColumn}', '{SpeakerColumn}'");
    }

    private void AddRow(LoadContext ctx, int line, Dictionary<string, string> row)
    {
        var where = $"{ctx.Root}:{line}";
        string? Get(string? col) => col is not null && row.TryGetValue(col, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var rawPath = Get(PathColumn);
        var rawLabel = Get(LabelColumn);
        if (rawPath is null || rawLabel is null) { ctx.Issue(LoadIssueKind.BadMetadata, where, $"row has no '{(rawPath is null ? PathColumn : LabelColumn)}' value"); return; }
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(ctx.BaseDir, rawPath));
        Emotion label = default;
        if (!(LabelNames?.TryGetValue(rawLabel, out label) ?? false) && !EmotionNames.TryParse(rawLabel, out label))
        { ctx.Issue(LoadIssueKind.UnknownLabel, where, $"label '{rawLabel}' is not a known emotion name (file {rawPath})"); return; }
        if (!File.Exists(path)) { ctx.Issue(LoadIssueKind.Missing, where, $"audio file '{path}' does not exist"); return; }
        double? Num(string? col, out bool bad)
        {
            bad = false;
            var s = Get(col);
            if (s is null) return null;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            bad = true;
            return null;
        }
        var v = Num(ValenceColumn, out var b1); var a = Num(ArousalColumn, out var b2); var d = Num(DominanceColumn, out var b3);
        if (b1 || b2 || b3) { ctx.Issue(LoadIssueKind.BadMetadata, where, "valence/arousal/dominance is not a finite number"); return; }
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(path), Path = path, Corpus = Corpus, Label = label, OriginalLabel = rawLabel,
            Speaker = Get(SpeakerColumn) ?? "unknown",
            Gender = Get(GenderColumn)?.ToLowerInvariant() switch { "m" or "male" => Gender.Male, "f" or "female" => Gender.Female, _ => Gender.Unknown },
            TextId = Get(TextColumn), Session = Get(SessionColumn), Valence = v, Arousal = a, Dominance = d, SourceUtterance = Get(SourceColumn),
        }, path);
    }

    private static IEnumerable<(int Line, Dictionary<string, string> Row)> ReadDelimited(LoadContext ctx, char sep)
    {
        var records = Delimited.Parse(File.ReadAllText(ctx.Root), sep);
        if (records.Count == 0) yield break;
        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        for (int i = 1; i < records.Count; i++)
        {
            var (line, fields) = records[i];
            if (fields.Length == 1 && fields[0].Length == 0) continue;
            if (fields.Length != header.Length)
            {
                ctx.Issue(LoadIssueKind.BadMetadata, $"{ctx.Root}:{line}", $"row has {fields.Length} fields, header has {header.Length}");
                continue;
            }
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int c = 0; c < header.Length; c++) row[header[c]] = fields[c];
            yield return (line, row);
        }
    }

    private static IEnumerable<(int Line, Dictionary<string, string> Row)> ReadJsonLines(LoadContext ctx)
    {
        int n = 0;
        foreach (var text in File.ReadLines(ctx.Root))
        {
            n++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            Dictionary<string, string>? row = null;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var p in doc.RootElement.EnumerateObject())
                        row[p.Name] = p.Value.ValueKind switch
                        {
                            JsonValueKind.String => p.Value.GetString() ?? "",
                            JsonValueKind.Null => "",
                            _ => p.Value.GetRawText(),
                        };
                }
            }
            catch (JsonException) { }
            if (row is null) { ctx.Issue(LoadIssueKind.BadMetadata, $"{ctx.Root}:{n}", "line is not a JSON object"); continue; }
            yield return (n, row);
        }
    }
}

/// <summary>Minimal RFC 4180 reader: quoted fields, doubled quotes, separators and newlines inside quotes.</summary>
internal static class Delimited
{
    public static List<(int Line, string[] Fields)> Parse(string text, char sep)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        int line = 1, recordLine = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; sb.Append(c); }
                continue;
            }
            if (c == '"' && sb.Length == 0) quoted = true;
            else if (c == sep) { fields.Add(sb.ToString()); sb.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n')
            {
                fields.Add(sb.ToString()); sb.Clear();
                records.Add((recordLine, fields.ToArray())); fields.Clear();
                line++; recordLine = line;
            }
            else sb.Append(c);
        }
        if (sb.Length > 0 || fields.Count > 0) { fields.Add(sb.ToString()); records.Add((recordLine, fields.ToArray())); }
        return records;
    }
}
