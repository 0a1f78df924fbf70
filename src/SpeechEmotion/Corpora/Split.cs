namespace SpeechEmotion.Corpora;

/// <summary>
/// One train/validation/test partition (one fold). The validation part is always drawn from the training
/// side (never from the test speakers), so model selection never sees the test fold.
/// </summary>
public sealed record Split
{
    /// <summary>Name of the fold ("fold1", "test-ravdess/01", ...).</summary>
    public required string Name { get; init; }

    /// <summary>Training utterances.</summary>
    public required IReadOnlyList<Utterance> Train { get; init; }

    /// <summary>Validation utterances (model selection, early stopping), drawn from the training side.</summary>
    public required IReadOnlyList<Utterance> Validation { get; init; }

    /// <summary>Test utterances: used once, for the reported figures.</summary>
    public required IReadOnlyList<Utterance> Test { get; init; }

    /// <summary>Non-fatal findings (a class absent from the test or validation part, ...), one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Speaker keys of each part.</summary>
    public (IReadOnlySet<string> Train, IReadOnlySet<string> Validation, IReadOnlySet<string> Test) Speakers =>
        (Train.Select(u => u.SpeakerKey).ToHashSet(), Validation.Select(u => u.SpeakerKey).ToHashSet(), Test.Select(u => u.SpeakerKey).ToHashSet());
}

/// <summary>A set of folds produced by one protocol with one seed; what split files hold.</summary>
public sealed record SplitSet
{
    /// <summary>Protocol description ("speaker-kfold k=5", "ravdess-5fold-actors01-20", ...).</summary>
    public required string Protocol { get; init; }

    /// <summary>Seed used (0 for deterministic protocols without randomness).</summary>
    public int Seed { get; init; }

    /// <summary>Class list in index order, when a label map fixed it; null otherwise.</summary>
    public IReadOnlyList<Emotion>? Classes { get; init; }

    /// <summary>The folds.</summary>
    public required IReadOnlyList<Split> Folds { get; init; }

    /// <summary>Every warning of every fold, prefixed with the fold name.</summary>
    public IEnumerable<string> Warnings => Folds.SelectMany(f => f.Warnings.Select(w => $"{f.Name}: {w}"));
}

/// <summary>A split cannot be made or read: too few speakers, a class absent from training, unknown ids, ...</summary>
public sealed class SplitException : SpeechEmotionException
{
    /// <summary>Creates the exception with a message naming the fold, labels or ids concerned.</summary>
    public SplitException(string message) : base(message) { }
}
