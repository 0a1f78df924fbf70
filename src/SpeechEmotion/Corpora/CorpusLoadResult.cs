namespace SpeechEmotion.Corpora;

/// <summary>Kinds of problems a loader or an inspection reports.</summary>
public enum LoadIssueKind
{
    /// <summary>A file name does not follow the corpus naming scheme.</summary>
    Misnamed,
    /// <summary>The name parses but carries a label the corpus mapping does not know.</summary>
    UnknownLabel,
    /// <summary>The same utterance identity (or identical audio) occurs more than once.</summary>
    Duplicate,
    /// <summary>The audio file cannot be decoded.</summary>
    Unreadable,
    /// <summary>An expected file (annotation, audio for an annotated turn) is missing.</summary>
    Missing,
    /// <summary>A metadata row (manifest, annotation) is malformed.</summary>
    BadMetadata,
}

/// <summary>One problem found while loading: the file or row, and what is wrong with it.</summary>
/// <param name="Kind">The category of the problem.</param>
/// <param name="Path">The file (or "file:line") concerned.</param>
/// <param name="Message">One sentence saying what is wrong.</param>
public sealed record LoadIssue(LoadIssueKind Kind, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Path}: {Message}";
}

/// <summary>
/// What a loader read: the utterances it kept and every file it could not use. Nothing is dropped
/// without an entry in <see cref="Issues"/>.
/// </summary>
public sealed class CorpusLoadResult
{
    /// <summary>Creates a result.</summary>
    public CorpusLoadResult(string corpus, string root, IReadOnlyList<Utterance> utterances, IReadOnlyList<LoadIssue> issues, int ignoredFiles = 0,
        IReadOnlyDictionary<string, int>? excluded = null)
    {
        Excluded = excluded ?? new Dictionary<string, int>();
        Corpus = corpus;
        Root = root;
        Utterances = utterances;
        Issues = issues;
        IgnoredFiles = ignoredFiles;
    }

    /// <summary>Corpus tag.</summary>
    public string Corpus { get; }

    /// <summary>Absolute root folder (or manifest path) that was read.</summary>
    public string Root { get; }

    /// <summary>Utterances kept, in a deterministic order (sorted by <see cref="Utterance.Id"/>).</summary>
    public IReadOnlyList<Utterance> Utterances { get; }

    /// <summary>Every file or row that was not turned into an utterance, with the reason.</summary>
    public IReadOnlyList<LoadIssue> Issues { get; }

    /// <summary>Files that are not audio (text, csv, images, ...) and were not looked at.</summary>
    public int IgnoredFiles { get; }

    /// <summary>
    /// Well-formed files left out on purpose by a loader option (e.g. "song (IncludeSong=false)": 1012),
    /// with their counts, so nothing disappears without a trace.
    /// </summary>
    public IReadOnlyDictionary<string, int> Excluded { get; }

    /// <summary>Throws <see cref="CorpusException"/> listing every issue when there is at least one.</summary>
    public CorpusLoadResult ThrowIfIssues()
    {
        if (Issues.Count > 0) throw CorpusException.FromIssues(Corpus, Root, Issues);
        return this;
    }
}

/// <summary>A corpus cannot be read (missing folder, no usable file) or a strict load found problems.</summary>
public sealed class CorpusException : SpeechEmotionException
{
    /// <summary>Creates the exception.</summary>
    public CorpusException(string message) : base(message) { }

    /// <summary>Creates the exception with the issues that caused it.</summary>
    public CorpusException(string message, IReadOnlyList<LoadIssue> issues) : base(message) { Issues = issues; }

    /// <summary>The individual problems, if any.</summary>
    public IReadOnlyList<LoadIssue> Issues { get; } = [];

    internal static CorpusException FromIssues(string corpus, string root, IReadOnlyList<LoadIssue> issues)
    {
        const int shown = 20;
        var lines = issues.Take(shown).Select(i => "  " + i);
        var more = issues.Count > shown ? $"\n  ... and {issues.Count - shown} more" : "";
        return new CorpusException($"{corpus} at '{root}': {issues.Count} problem(s):\n{string.Join("\n", lines)}{more}", issues);
    }
}
