using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>Reads one corpus from its official layout into utterances.</summary>
public interface ICorpusLoader
{
    /// <summary>Corpus tag given to every utterance ("ravdess", "emodb", ...).</summary>
    string Corpus { get; }

    /// <summary>The labels the corpus defines (empty for generic loaders); used to report empty classes.</summary>
    IReadOnlyCollection<Emotion> Labels { get; }

    /// <summary>
    /// Reads the corpus under <paramref name="root"/>. Throws <see cref="CorpusException"/> when the folder
    /// is missing or holds no usable file; every other problem is listed in <see cref="CorpusLoadResult.Issues"/>.
    /// </summary>
    CorpusLoadResult Load(string root);
}

/// <summary>Shared bookkeeping for loaders: file walking, ids, issues, duplicate detection.</summary>
internal sealed class LoadContext
{
    internal static readonly HashSet<string> AudioExtensions = new(StringComparer.OrdinalIgnoreCase)
    { ".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aif", ".aiff" };

    private readonly List<Utterance> _utterances = [];
    private readonly List<LoadIssue> _issues = [];
    private readonly Dictionary<string, string> _seenKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _excluded = new(StringComparer.Ordinal);

    public LoadContext(string corpus, string root, bool rootIsFile = false)
    {
        Corpus = corpus;
        Root = System.IO.Path.GetFullPath(root);
        if (rootIsFile ? !File.Exists(Root) : !Directory.Exists(Root))
            throw new CorpusException($"{corpus}: {(rootIsFile ? "file" : "folder")} '{Root}' does not exist.");
    }

    public string Corpus { get; }
    public string Root { get; }
    /// <summary>The folder ids are relative to: the root folder, or a manifest's folder.</summary>
    public string BaseDir => File.Exists(Root) ? System.IO.Path.GetDirectoryName(Root)! : Root;
    public int Ignored { get; set; }

    /// <summary>Text ids by file stem, read from the corpus's transcript files by a loader's Prepare step (empty when it has none).</summary>
    public Dictionary<string, string> TextIds { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Audio files under the root (recursively, ordinal order); other files are counted as ignored.</summary>
    public IEnumerable<string> AudioFiles(string? folder = null)
    {
        var files = Directory.EnumerateFiles(folder ?? Root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToList();
        foreach (var f in files)
        {
            var name = System.IO.Path.GetFileName(f);
            if (name.StartsWith('.') || !AudioExtensions.Contains(System.IO.Path.GetExtension(f))) { Ignored++; continue; }
            yield return f;
        }
    }

    /// <summary>"corpus:relative/path/stem".</summary>
    public string IdFor(string path)
    {
        var rel = System.IO.Path.GetRelativePath(BaseDir, path);
        var noExt = System.IO.Path.ChangeExtension(rel, null) ?? rel;
        return Corpus + ":" + noExt.Replace('\\', '/');
    }

    public void Issue(LoadIssueKind kind, string path, string message) => _issues.Add(new LoadIssue(kind, path, message));

    public void Exclude(string reason) => _excluded[reason] = _excluded.GetValueOrDefault(reason) + 1;

    /// <summary>
    /// Adds an utterance unless <paramref name="uniqueKey"/> (the corpus's natural identity, by default
    /// the file stem) was seen before, in which case a Duplicate issue names both files.
    /// </summary>
    public void Add(Utterance u, string? uniqueKey = null)
    {
        var key = uniqueKey ?? System.IO.Path.GetFileNameWithoutExtension(u.Path);
        if (_seenKeys.TryGetValue(key, out var first))
        {
            Issue(LoadIssueKind.Duplicate, u.Path, $"same utterance '{key}' as '{first}'; kept the first");
            return;
        }
        _seenKeys[key] = u.Path;
        _utterances.Add(u);
    }

    public CorpusLoadResult Finish(string expected)
    {
        if (_utterances.Count == 0 && _issues.Count == 0)
            throw new CorpusException($"{Corpus}: no audio files found under '{Root}' (expected {expected}).");
        if (_utterances.Count == 0)
            throw CorpusException.FromIssues(Corpus, Root, _issues);
        _utterances.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new CorpusLoadResult(Corpus, Root, _utterances.ToArray(), _issues.ToArray(), Ignored, new Dictionary<string, int>(_excluded));
    }
}

/// <summary>Base of loaders that parse one file name per utterance.</summary>
public abstract class FileNameCorpusLoader : ICorpusLoader
{
    /// <inheritdoc />
    public abstract string Corpus { get; }

    /// <inheritdoc />
    public abstract IReadOnlyCollection<Emotion> Labels { get; }

    /// <summary>A human description of the naming scheme, used in error messages.</summary>
    protected abstract string Expected { get; }

    /// <inheritdoc />
    public CorpusLoadResult Load(string root)
    {
        var ctx = new LoadContext(Corpus, root);
        Prepare(ctx);
        foreach (var file in ctx.AudioFiles()) Parse(ctx, file);
        return ctx.Finish(Expected);
    }

    /// <summary>Reads side files (e.g. transcripts) before the audio files are parsed; nothing by default.</summary>
    private protected virtual void Prepare(LoadContext ctx) { }

    private protected abstract void Parse(LoadContext ctx, string file);

    private protected static Match MatchStem(Regex regex, string file) =>
        regex.Match(System.IO.Path.GetFileNameWithoutExtension(file));
}
