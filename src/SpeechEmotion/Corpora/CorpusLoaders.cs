namespace SpeechEmotion.Corpora;

/// <summary>The corpora with a built-in loader.</summary>
public enum CorpusKind
{
    /// <summary>RAVDESS speech and song.</summary>
    Ravdess,
    /// <summary>CREMA-D.</summary>
    CremaD,
    /// <summary>Toronto Emotional Speech Set.</summary>
    Tess,
    /// <summary>Surrey Audio-Visual Expressed Emotion.</summary>
    Savee,
    /// <summary>Berlin EmoDB.</summary>
    EmoDb,
    /// <summary>IEMOCAP.</summary>
    Iemocap,
    /// <summary>Sharif Emotional Speech Database.</summary>
    Shemo,
    /// <summary>JL-Corpus.</summary>
    JlCorpus,
    /// <summary>Emotional Speech Dataset (ESD).</summary>
    Esd,
    /// <summary>A folder per label.</summary>
    Folder,
    /// <summary>A CSV/TSV/JSONL manifest.</summary>
    Manifest,
}

/// <summary>Creates loaders by kind or name.</summary>
public static class CorpusLoaders
{
    private static readonly Dictionary<string, CorpusKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ravdess"] = CorpusKind.Ravdess, ["crema-d"] = CorpusKind.CremaD, ["cremad"] = CorpusKind.CremaD, ["crema"] = CorpusKind.CremaD,
        ["tess"] = CorpusKind.Tess, ["savee"] = CorpusKind.Savee, ["emodb"] = CorpusKind.EmoDb, ["emo-db"] = CorpusKind.EmoDb,
        ["iemocap"] = CorpusKind.Iemocap, ["shemo"] = CorpusKind.Shemo, ["jl"] = CorpusKind.JlCorpus, ["jl-corpus"] = CorpusKind.JlCorpus,
        ["jlcorpus"] = CorpusKind.JlCorpus, ["esd"] = CorpusKind.Esd, ["folder"] = CorpusKind.Folder, ["manifest"] = CorpusKind.Manifest,
    };

    /// <summary>Names accepted by <see cref="ParseKind"/> (canonical ones).</summary>
    public static IReadOnlyList<string> KindNames { get; } = ["ravdess", "crema-d", "tess", "savee", "emodb", "iemocap", "shemo", "jl-corpus", "esd", "folder", "manifest"];

    /// <summary>Parses a corpus name such as "ravdess" or "crema-d"; throws <see cref="InvalidOptionsException"/> listing the known names.</summary>
    public static CorpusKind ParseKind(string name) =>
        Names.TryGetValue(name.Trim(), out var k) ? k
            : throw new InvalidOptionsException("corpus", [$"unknown corpus '{name}'; known: {string.Join(", ", KindNames)}"]);

    /// <summary>A loader with default options for <paramref name="kind"/>.</summary>
    public static ICorpusLoader Create(CorpusKind kind) => kind switch
    {
        CorpusKind.Ravdess => new RavdessLoader(),
        CorpusKind.CremaD => new CremaDLoader(),
        CorpusKind.Tess => new TessLoader(),
        CorpusKind.Savee => new SaveeLoader(),
        CorpusKind.EmoDb => new EmoDbLoader(),
        CorpusKind.Iemocap => new IemocapLoader(),
        CorpusKind.Shemo => new ShemoLoader(),
        CorpusKind.JlCorpus => new JlCorpusLoader(),
        CorpusKind.Esd => new EsdLoader(),
        CorpusKind.Folder => new FolderPerLabelLoader(),
        CorpusKind.Manifest => new ManifestLoader(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Loads <paramref name="root"/> with the default loader for <paramref name="kind"/>.</summary>
    public static CorpusLoadResult Load(CorpusKind kind, string root) => Create(kind).Load(root);
}
