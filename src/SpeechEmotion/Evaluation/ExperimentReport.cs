using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechEmotion.Evaluation;

/// <summary>One point of a learning curve.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Training loss.</param>
/// <param name="ValidationLoss">Validation loss.</param>
/// <param name="TrainUa">Training UA (during the epoch).</param>
/// <param name="ValidationUa">Validation UA.</param>
/// <param name="LearningRate">Learning rate of the epoch.</param>
public sealed record CurvePoint(int Epoch, double TrainLoss, double ValidationLoss, double TrainUa, double ValidationUa, double LearningRate);

/// <summary>The outcome of one fold.</summary>
public sealed record FoldOutcome
{
    /// <summary>Fold name.</summary>
    public required string Fold { get; init; }

    /// <summary>Test-set scores (the test fold was never seen during training or model selection).</summary>
    public required ClassificationReport Test { get; init; }

    /// <summary>Utterances in train / validation / test.</summary>
    public required int[] Sizes { get; init; }

    /// <summary>Speakers in the test part.</summary>
    public IReadOnlyList<string> TestSpeakers { get; init; } = [];

    /// <summary>Epoch restored (best validation score).</summary>
    public int BestEpoch { get; init; }

    /// <summary>Epochs run.</summary>
    public int Epochs { get; init; }

    /// <summary>True when early stopping ended training.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Validation UA of the restored epoch.</summary>
    public double ValidationUa { get; init; }

    /// <summary>Training wall time in seconds (feature extraction excluded).</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Learning curve.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; init; } = [];

    /// <summary>Binary arousal / valence accuracy of the auxiliary heads on the test set, when present.</summary>
    public IReadOnlyDictionary<string, double>? Auxiliary { get; init; }
}

/// <summary>
/// Everything an experiment reports: what was run, whether the split was leaky, per-fold scores and
/// mean ± std. Written as JSON, Markdown and HTML by <see cref="ReportWriter"/>.
/// </summary>
public sealed record ExperimentReport
{
    /// <summary>Experiment name.</summary>
    public required string Name { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>Architecture name.</summary>
    public required string Architecture { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>Feature-set name.</summary>
    public required string FeatureSet { get; init; }

    /// <summary>Protocol description.</summary>
    public required string Protocol { get; init; }

    /// <summary>Label mapping name.</summary>
    public string Labels { get; init; } = "identity";

    /// <summary>Seed.</summary>
    public int Seed { get; init; }

    /// <summary>Class names in index order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>True when a leaky split was used (allowed explicitly): results are NOT speaker-independent evidence.</summary>
    public bool Leaky { get; init; }

    /// <summary>Leakage audit summary text.</summary>
    public string LeakageSummary { get; init; } = "";

    /// <summary>Per-fold outcomes.</summary>
    public required IReadOnlyList<FoldOutcome> Folds { get; init; }

    /// <summary>Mean ± std over folds, pooled confusion.</summary>
    public required CrossValidationSummary Summary { get; init; }

    /// <summary>UTC time the report was made.</summary>
    public DateTime Created { get; init; } = DateTime.UtcNow;

    /// <summary>Tool version.</summary>
    public string ToolVersion { get; init; } = typeof(ExperimentReport).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>The experiment YAML as run.</summary>
    public string? Config { get; init; }

    /// <summary>Headline: "LEAKY " prefix when leaky.</summary>
    [JsonIgnore]
    public string Title => (Leaky ? "LEAKY SPLIT — " : "") + Name;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Machine-readable JSON (snake_case).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    public static ExperimentReport FromJson(string json) =>
        JsonSerializer.Deserialize<ExperimentReport>(json, Options) ?? throw new MetricsException("empty report");
}
