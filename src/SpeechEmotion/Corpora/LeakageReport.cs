using System.Text;

namespace SpeechEmotion.Corpora;

/// <summary>What kind of leak a finding is.</summary>
public enum LeakageKind
{
    /// <summary>A speaker has utterances on both sides.</summary>
    SharedSpeaker,
    /// <summary>The same utterance id is on both sides.</summary>
    SameUtterance,
    /// <summary>Two files decode to identical samples (content hash).</summary>
    IdenticalAudio,
    /// <summary>Two files are near-identical copies (fingerprint similarity above the threshold).</summary>
    NearIdenticalAudio,
    /// <summary>An augmented copy and its source (or two copies of one source) are on different sides.</summary>
    AugmentedAcrossSplit,
    /// <summary>The test part contains augmented copies (augmentation applied before splitting).</summary>
    AugmentedInTest,
    /// <summary>The same text is spoken on both sides (expected in acted corpora with few sentences).</summary>
    SharedText,
    /// <summary>A speed-, tempo- or pitch-altered copy of a clip is on the other side (<see cref="WarpFingerprint"/> similarity above the threshold).</summary>
    AlteredCopyAudio,
}

/// <summary>How serious a finding is.</summary>
public enum LeakageSeverity
{
    /// <summary>Informational: reported, does not make the split leaky.</summary>
    Warning,
    /// <summary>The split leaks test information into training; training refuses it without an explicit allow flag.</summary>
    Blocking,
}

/// <summary>One leak: the fold, the two sides, the items concerned and a sentence.</summary>
/// <param name="Fold">Fold name.</param>
/// <param name="Kind">Kind of leak.</param>
/// <param name="Severity">Blocking or warning.</param>
/// <param name="Sides">The two parts involved, e.g. "train/test", "train/validation".</param>
/// <param name="A">Item on the first side (utterance id, speaker or text).</param>
/// <param name="B">Item on the second side (null when the same item is on both).</param>
/// <param name="Similarity">Fingerprint similarity for near-identical audio; null otherwise.</param>
public sealed record LeakageFinding(string Fold, LeakageKind Kind, LeakageSeverity Severity, string Sides, string A, string? B, double? Similarity = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"[{Severity}] {Fold} {Sides} {Kind}: {A}{(B is null ? "" : " ~ " + B)}{(Similarity is { } s ? $" (similarity {s:F3})" : "")}";
}

/// <summary>
/// The result of a leakage audit. <see cref="IsLeaky"/> when any blocking finding exists; every report made
/// for a leaky split that was used anyway carries <see cref="LeakageAllowed"/> = true and says so in its text.
/// </summary>
public sealed record LeakageReport
{
    /// <summary>Protocol of the audited split set.</summary>
    public required string Protocol { get; init; }

    /// <summary>All findings (complete; <see cref="ToText"/> abbreviates long lists).</summary>
    public required IReadOnlyList<LeakageFinding> Findings { get; init; }

    /// <summary>Whether audio content was compared (false: only metadata checks ran).</summary>
    public bool AudioChecked { get; init; }

    /// <summary>Files that could not be decoded for the audio checks, with the reason.</summary>
    public IReadOnlyList<string> Undecodable { get; init; } = [];

    /// <summary>Clips recognised as augmented copies by their file names (<see cref="AugmentedCopyNames"/>) rather than by metadata.</summary>
    public int CopiesNamedByFile { get; init; }

    /// <summary>True when the user explicitly allowed a leaky split (<c>--allow-leakage</c>).</summary>
    public bool LeakageAllowed { get; init; }

    /// <summary>True when at least one blocking finding exists.</summary>
    public bool IsLeaky => Findings.Any(f => f.Severity == LeakageSeverity.Blocking);

    /// <summary>Number of findings per kind.</summary>
    public IReadOnlyDictionary<LeakageKind, int> Counts =>
        Findings.GroupBy(f => f.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A human-readable report (at most <paramref name="perKind"/> lines per kind).</summary>
    public string ToText(int perKind = 10)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Leakage audit of {Protocol}: {(IsLeaky ? "LEAKY" : "clean")}{(LeakageAllowed ? " — LEAKAGE ALLOWED by the user (--allow-leakage); results are not speaker/clip independent" : "")}");
        sb.AppendLine($"  audio compared: {(AudioChecked ? "yes" : "no (metadata only)")}{(Undecodable.Count > 0 ? $", {Undecodable.Count} file(s) could not be decoded" : "")}");
        if (CopiesNamedByFile > 0) sb.AppendLine($"  {CopiesNamedByFile} clip(s) recognised as augmented copies by their file names");
        foreach (var g in Findings.GroupBy(f => (f.Kind, f.Severity)).OrderByDescending(g => g.Key.Severity).ThenBy(g => g.Key.Kind))
        {
            sb.AppendLine($"  {g.Key.Kind} ({g.Key.Severity}): {g.Count()}");
            foreach (var f in g.Take(perKind)) sb.AppendLine("    " + f);
            if (g.Count() > perKind) sb.AppendLine($"    ... and {g.Count() - perKind} more");
        }
        foreach (var u in Undecodable.Take(perKind)) sb.AppendLine("  undecodable: " + u);
        return sb.ToString();
    }

    /// <summary>
    /// One line per fold of <paramref name="set"/>: its sizes and speakers, whether it is leaky, and the number of
    /// findings per kind (blocking first, then warnings) — the per-fold view of an experiment audit.
    /// </summary>
    public string FoldSummary(SplitSet set)
    {
        var sb = new StringBuilder();
        foreach (var fold in set.Folds)
        {
            var mine = Findings.Where(f => f.Fold == fold.Name).ToArray();
            var blocking = mine.Where(f => f.Severity == LeakageSeverity.Blocking).GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}").ToArray();
            var warnings = mine.Where(f => f.Severity == LeakageSeverity.Warning).GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}").ToArray();
            var (tr, va, te) = fold.Speakers;
            sb.Append($"  {fold.Name}: train {fold.Train.Count} ({tr.Count} spk), validation {fold.Validation.Count} ({va.Count} spk), test {fold.Test.Count} ({te.Count} spk): ")
              .Append(blocking.Length == 0 ? "clean" : "LEAKY (" + string.Join(", ", blocking) + ")");
            if (warnings.Length > 0) sb.Append("; warnings: ").Append(string.Join(", ", warnings));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}

/// <summary>Thrown when training is asked to use a leaky split without the explicit allow flag.</summary>
public sealed class LeakageException : SpeechEmotionException
{
    /// <summary>Creates the exception carrying the report.</summary>
    public LeakageException(LeakageReport report)
        : base("The split leaks information from test into training; refusing it. Pass --allow-leakage (allowLeakage: true) to use it anyway; every report will then say so.\n" + report.ToText(5))
    {
        Report = report;
    }

    /// <summary>The audit that found the leak.</summary>
    public LeakageReport Report { get; }
}
