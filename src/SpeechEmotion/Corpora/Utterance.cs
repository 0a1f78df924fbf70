namespace SpeechEmotion.Corpora;

/// <summary>
/// One labelled recording. Immutable; loaders fill what their corpus documents and leave the rest null.
/// </summary>
public sealed record Utterance
{
    /// <summary>
    /// Stable identity used by split files and audits: "corpus:relative/path/without-extension" with '/'
    /// separators, so a split saved on one machine resolves on another.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Absolute path of the audio file.</summary>
    public required string Path { get; init; }

    /// <summary>The label in the common vocabulary (after any <see cref="LabelMap"/> was applied).</summary>
    public required Emotion Label { get; init; }

    /// <summary>The label exactly as the corpus spells it (e.g. "05", "W", "exc", "pleasant_surprise").</summary>
    public required string OriginalLabel { get; init; }

    /// <summary>Speaker identity inside the corpus (e.g. "01", "1001", "Ses01F"). See <see cref="SpeakerKey"/>.</summary>
    public required string Speaker { get; init; }

    /// <summary>Speaker gender where the corpus documents it.</summary>
    public Gender Gender { get; init; }

    /// <summary>Identity of the spoken text where the corpus knows it (statement code, sentence code, transcript); null otherwise.</summary>
    public string? TextId { get; init; }

    /// <summary>Emotional intensity as the corpus names it ("normal", "strong", "LO", "HI", ...); null if not given.</summary>
    public string? Intensity { get; init; }

    /// <summary>Recording session (IEMOCAP "Ses01", ...); null if the corpus has none.</summary>
    public string? Session { get; init; }

    /// <summary>How the emotion was elicited where the corpus distinguishes it ("improvised", "scripted" in IEMOCAP; "song" in RAVDESS); null otherwise.</summary>
    public string? Elicitation { get; init; }

    /// <summary>Corpus tag ("ravdess", "emodb", ...), kept when several corpora are combined.</summary>
    public required string Corpus { get; init; }

    /// <summary>Valence where the corpus gives dimensional labels (IEMOCAP: 1–5 scale); null otherwise.</summary>
    public double? Valence { get; init; }

    /// <summary>Arousal (activation) where given (IEMOCAP: 1–5 scale); null otherwise.</summary>
    public double? Arousal { get; init; }

    /// <summary>Dominance where given (IEMOCAP: 1–5 scale); null otherwise.</summary>
    public double? Dominance { get; init; }

    /// <summary>
    /// For an augmented copy: the <see cref="Id"/> of the utterance it was made from; null for originals.
    /// The leakage audit checks that a copy and its source never sit on different sides of a split.
    /// </summary>
    public string? SourceUtterance { get; init; }

    /// <summary>Speaker identity unique across corpora ("ravdess/01"); splits group on this.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string SpeakerKey => Corpus + "/" + Speaker;

    /// <summary>The original (un-augmented) utterance this one stands for: <see cref="SourceUtterance"/> or <see cref="Id"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string RootId => SourceUtterance ?? Id;
}
