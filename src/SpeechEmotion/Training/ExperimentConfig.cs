using System.Text.Json.Nodes;
using SpeechEmotion.Corpora;
using SpeechEmotion.Models;

namespace SpeechEmotion.Training;

/// <summary>One corpus of an experiment.</summary>
/// <param name="Kind">Loader.</param>
/// <param name="Root">Absolute folder (relative paths in YAML resolve against the YAML file's folder).</param>
/// <param name="Speakers">Only these speaker ids (corpus spelling, e.g. "01"); null for all.</param>
public sealed record CorpusSelection(CorpusKind Kind, string Root, IReadOnlyList<string>? Speakers);

/// <summary>Evaluation protocol.</summary>
public enum ProtocolKind
{
    /// <summary>RAVDESS actors 01–20, 5 speaker-independent folds of 4 actors (<see cref="Protocols.Ravdess5Fold"/>).</summary>
    Ravdess5Fold,
    /// <summary>Speaker-independent k-fold.</summary>
    SpeakerKFold,
    /// <summary>Leave one speaker out.</summary>
    Loso,
    /// <summary>Speaker-independent stratified hold-out.</summary>
    Holdout,
    /// <summary>Per-utterance random stratified hold-out: speakers (and augmented copies) on both sides — leaky, the seed recipes' original protocol.</summary>
    Random,
}

/// <summary>How the experiment is split and audited.</summary>
public sealed record ProtocolConfig
{
    /// <summary>Protocol. Default <see cref="ProtocolKind.Ravdess5Fold"/>.</summary>
    public ProtocolKind Kind { get; init; } = ProtocolKind.Ravdess5Fold;

    /// <summary>Folds for speaker k-fold. Default 5.</summary>
    public int K { get; init; } = 5;

    /// <summary>Test share for hold-out protocols. Default 0.2.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Validation share carved from the training side (generic protocols). Default 0.15.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>1-based fold numbers run by <c>ser cv</c>; null for all.</summary>
    public IReadOnlyList<int>? Folds { get; init; }

    /// <summary>1-based fold trained by <c>ser train</c>. Default 1.</summary>
    public int Fold { get; init; } = 1;

    /// <summary>Let the leakage audit decode audio to find identical and near-identical recordings. Default true.</summary>
    public bool AuditAudio { get; init; } = true;

    /// <summary>Accept a leaky split (the report is then labelled LEAKY everywhere). Default false; <c>--allow-leakage</c> sets it.</summary>
    public bool AllowLeakage { get; init; }
}

/// <summary>Feature extraction of an experiment.</summary>
public sealed record FeatureConfig
{
    /// <summary>Feature-set name (see <c>FeatureSets.Names</c>).</summary>
    public required string Set { get; init; }

    /// <summary>Set parameters as strings.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Further utterance-level (one-frame) sets concatenated after <see cref="Set"/> (e.g. eGeMAPS + LLD functionals).</summary>
    public IReadOnlyList<(string Set, IReadOnlyDictionary<string, string> Parameters)> Extra { get; init; } = [];

    /// <summary>Standardise features per speaker over all of that speaker's recordings (transductive for test
    /// speakers: no labels used, but their unlabelled audio is). Default false.</summary>
    public bool SpeakerNormalise { get; init; }

    /// <summary>Standardise utterance-level features per fold with the training utterances of the utterance's
    /// gender, predicted from its own features for validation and test (strictly inductive, see
    /// <see cref="GenderNormalisation"/>). Default false; excludes <see cref="SpeakerNormalise"/>.</summary>
    public bool GenderNormalise { get; init; }

    /// <summary>Cache folder; null uses <see cref="FeatureCache.DefaultDirectory"/>; empty disables caching.</summary>
    public string? Cache { get; init; }
}

/// <summary>The model and its input preparation.</summary>
public sealed record ModelConfig
{
    /// <summary>Architecture (see <see cref="ModelZoo.Architectures"/>).</summary>
    public required string Architecture { get; init; }

    /// <summary>Architecture hyper-parameters.</summary>
    public JsonObject Parameters { get; init; } = new();

    /// <summary>Fixed length (fixed models) or cap (masked models) in frames; 0 = no cap (masked) / required (fixed).</summary>
    public int Frames { get; init; }

    /// <summary>Crop position.</summary>
    public CropPosition Crop { get; init; } = CropPosition.Start;

    /// <summary>Seed-recipe transposition (see <see cref="InputPreparation.Transpose"/>).</summary>
    public bool Transpose { get; init; }

    /// <summary>Standardise features with training-fold statistics. Default true.</summary>
    public bool Normalise { get; init; } = true;

    /// <summary>Auxiliary heads.</summary>
    public AuxiliaryHeads Auxiliary { get; init; }

    /// <summary>Networks trained per fold (1–64, default 1), member k with seed <c>seed + k</c>; their test
    /// probabilities are averaged. Each member sees only the fold's training and validation data.</summary>
    public int Ensemble { get; init; } = 1;
}

/// <summary>A whole experiment, as read from YAML by <see cref="ExperimentYaml"/>.</summary>
public sealed record ExperimentConfig
{
    /// <summary>Experiment name (used for the output folder and reports).</summary>
    public required string Name { get; init; }

    /// <summary>Free text shown in reports.</summary>
    public string? Description { get; init; }

    /// <summary>Seed of splits, weights, shuffling and dropout. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Corpora, combined.</summary>
    public required IReadOnlyList<CorpusSelection> Corpora { get; init; }

    /// <summary>Label mapping.</summary>
    public LabelMap Labels { get; init; } = LabelMap.Identity;

    /// <summary>Name of the label mapping for reports ("identity", "calm-as-neutral", "four-class", "custom").</summary>
    public string LabelsName { get; init; } = "identity";

    /// <summary>Features.</summary>
    public required FeatureConfig Features { get; init; }

    /// <summary>The augmentation section (recipe, copies, placement), or null for none.</summary>
    public AugmentationConfig? Augmentation { get; init; }

    /// <summary>Model.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>Optimisation.</summary>
    public TrainerOptions Training { get; init; } = new();

    /// <summary>Protocol.</summary>
    public ProtocolConfig Protocol { get; init; } = new();

    /// <summary>Output folder (absolute).</summary>
    public required string Output { get; init; }

    /// <summary>Path of the YAML file it came from, or null.</summary>
    public string? SourcePath { get; init; }
}
