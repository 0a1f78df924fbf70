using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Corpora;

/// <summary>
/// Counts and problems of a loaded corpus: utterances per label, speaker and gender, labels the corpus defines
/// but that have no utterance, and every issue (misnamed, unknown label, duplicate id or identical audio,
/// unreadable audio). What <c>ser datasets inspect</c> prints.
/// </summary>
public sealed record DatasetInspection
{
    /// <summary>Corpus tag.</summary>
    public required string Corpus { get; init; }

    /// <summary>Root folder or manifest read.</summary>
    public required string Root { get; init; }

    /// <summary>Utterances loaded.</summary>
    public int Utterances { get; init; }

    /// <summary>Utterances per label name.</summary>
    public required IReadOnlyDictionary<string, int> PerLabel { get; init; }

    /// <summary>Utterances per speaker.</summary>
    public required IReadOnlyDictionary<string, int> PerSpeaker { get; init; }

    /// <summary>Utterances per gender.</summary>
    public required IReadOnlyDictionary<string, int> PerGender { get; init; }

    /// <summary>Labels the corpus defines that have no utterance.</summary>
    public required IReadOnlyList<string> EmptyClasses { get; init; }

    /// <summary>Every problem: loader issues plus, when audio was decoded, unreadable files and identical audio.</summary>
    public required IReadOnlyList<LoadIssue> Issues { get; init; }

    /// <summary>Files left out on purpose by loader options, with counts.</summary>
    public required IReadOnlyDictionary<string, int> Excluded { get; init; }

    /// <summary>Non-audio files not looked at.</summary>
    public int IgnoredFiles { get; init; }

    /// <summary>Whether audio was decoded.</summary>
    public bool AudioDecoded { get; init; }

    /// <summary>Total decoded duration in seconds (0 when not decoded).</summary>
    public double TotalSeconds { get; init; }

    /// <summary>Inspects <paramref name="result"/>; with <paramref name="decode"/> every file is decoded and hashed.</summary>
    public static DatasetInspection Run(CorpusLoadResult result, IReadOnlyCollection<Emotion> definedLabels, bool decode = true)
    {
        var issues = new List<LoadIssue>(result.Issues);
        double seconds = 0;
        if (decode)
        {
            var hashes = new ConcurrentDictionary<string, (string Hash, double Seconds)>();
            var bad = new ConcurrentBag<LoadIssue>();
            Parallel.ForEach(result.Utterances, u =>
            {
                try
                {
                    var a = AudioReader.Read(u.Path);
                    hashes[u.Path] = (AudioHash.Of(a.Samples, a.SampleRate), a.Duration);
                }
                catch (SpeechEmotionException ex) { bad.Add(new LoadIssue(LoadIssueKind.Unreadable, u.Path, ex.Message)); }
            });
            issues.AddRange(bad.OrderBy(i => i.Path, StringComparer.Ordinal));
            seconds = hashes.Values.Sum(h => h.Seconds);
            foreach (var g in hashes.GroupBy(kv => kv.Value.Hash).Where(g => g.Count() > 1))
            {
                var paths = g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
                foreach (var p in paths.Skip(1))
                    issues.Add(new LoadIssue(LoadIssueKind.Duplicate, p, $"identical audio to '{paths[0]}'"));
            }
        }
        var us = result.Utterances;
        static SortedDictionary<string, int> Count(IEnumerable<string> keys) =>
            new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
        return new DatasetInspection
        {
            Corpus = result.Corpus, Root = result.Root, Utterances = us.Count,
            PerLabel = Count(us.Select(u => u.Label.Name())), PerSpeaker = Count(us.Select(u => u.Speaker)),
            PerGender = Count(us.Select(u => u.Gender.ToString().ToLowerInvariant())),
            EmptyClasses = definedLabels.Distinct().Where(l => us.All(u => u.Label != l)).Order().Select(l => l.Name()).ToArray(),
            Issues = issues, Excluded = result.Excluded, IgnoredFiles = result.IgnoredFiles, AudioDecoded = decode, TotalSeconds = seconds,
        };
    }

    /// <summary>Plain-text report; at most <paramref name="maxIssues"/> issues are listed (all are counted).</summary>
    public string ToText(int maxIssues = 50)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Corpus} at {Root}: {Utterances} utterances{(AudioDecoded ? $", {TotalSeconds / 60:F1} min of audio" : "")}");
        void Table(string title, IReadOnlyDictionary<string, int> d)
        {
            sb.AppendLine($"{title}:");
            foreach (var (k, v) in d) sb.AppendLine($"  {k,-16} {v,6}");
        }
        Table("per label", PerLabel);
        Table("per speaker", PerSpeaker);
        Table("per gender", PerGender);
        if (EmptyClasses.Count > 0) sb.AppendLine($"classes with no utterance: {string.Join(", ", EmptyClasses)}");
        foreach (var (reason, n) in Excluded) sb.AppendLine($"excluded by option: {reason}: {n}");
        if (IgnoredFiles > 0) sb.AppendLine($"non-audio files ignored: {IgnoredFiles}");
        if (Issues.Count == 0) sb.AppendLine("problems: none");
        else
        {
            sb.AppendLine($"problems: {Issues.Count} ({string.Join(", ", Issues.GroupBy(i => i.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))})");
            foreach (var i in Issues.Take(maxIssues)) sb.AppendLine("  " + i);
            if (Issues.Count > maxIssues) sb.AppendLine($"  ... and {Issues.Count - maxIssues} more (use --json for all)");
        }
        return sb.ToString();
    }

    /// <summary>The inspection as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    });
}
