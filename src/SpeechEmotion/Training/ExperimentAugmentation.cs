using SpeechEmotion.Audio;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Corpora;
using SpeechEmotion.Features;

namespace SpeechEmotion.Training;

/// <summary>When the waveform copies of an experiment are made.</summary>
public enum AugmentationPlacement
{
    /// <summary>Per fold, from that fold's training utterances only (babble from training talkers only); validation and
    /// test are never touched. The honest protocol and the default.</summary>
    PerFold,
    /// <summary>Offline copies of every utterance written to disk before the split, as the seed recipes did: copies of
    /// one recording can land on both sides of a random split. The leakage audit refuses it unless leakage is allowed,
    /// and then every report is labelled LEAKY.</summary>
    BeforeSplit,
}

/// <summary>The <c>augmentation:</c> section of an experiment.</summary>
public sealed record AugmentationConfig
{
    /// <summary>The recipe (waveform transforms, SpecAugment, mixup) and its seed.</summary>
    public required AugmentationPipelineOptions Recipe { get; init; }

    /// <summary>Offline waveform copies per training clip, 0–100 (0: only SpecAugment/mixup). Default 2.</summary>
    public int Copies { get; init; } = 2;

    /// <summary>Where the copies are made. Default <see cref="AugmentationPlacement.PerFold"/>.</summary>
    public AugmentationPlacement Placement { get; init; } = AugmentationPlacement.PerFold;

    /// <summary>Name of the preset the recipe started from ("default"), or null for an inline recipe.</summary>
    public string? Preset { get; init; }

    /// <summary>One line for reports: "augmentation default: 2 copies per training clip, per fold (+ specaugment)".</summary>
    public string Describe(bool frameLevel)
    {
        var online = new List<string>();
        if (Recipe.SpecAugment is not null) online.Add(frameLevel ? "specaugment" : "specaugment skipped: utterance-level features");
        if (Recipe.Mixup is not null) online.Add($"mixup α={Recipe.Mixup.Alpha}");
        var where = Placement == AugmentationPlacement.PerFold ? "made per fold from training clips only" : "made BEFORE the split (leaky recipe)";
        var copies = Recipe.Waveform.Count == 0 || Copies == 0 ? "no waveform copies" : $"{Copies} waveform cop{(Copies == 1 ? "y" : "ies")} per clip {where}";
        return $"augmentation {Preset ?? "inline"} (seed {Recipe.Seed}): {copies}{(online.Count > 0 ? "; " + string.Join(", ", online) : "")}";
    }
}

/// <summary>
/// Makes the augmented training material of an experiment. Offline copies, not on-the-fly waveform augmentation:
/// the costly part is feature extraction (eGeMAPS runs at a few hundred audio-seconds per second), and the
/// utterance-level models of the benchmark train for up to 120 epochs, so re-extracting every epoch would cost
/// 120× the copies. K copies per clip are extracted once per fold and, through the content-addressed
/// <see cref="FeatureCache"/>, once in all: a copy that drew no babble is identical in every fold that trains on it.
/// SpecAugment and mixup are cheap and run online in the trainer, per epoch.
/// </summary>
public static class ExperimentAugmentation
{
    /// <summary>Suffix of the id (and feature key) of copy k of an utterance: "&lt;id&gt;#aug&lt;k&gt;".</summary>
    public static string CopyId(string id, int k) => $"{id}#aug{k}";

    /// <summary>The augmentation item of an utterance.</summary>
    public static AudioItem Item(Utterance u) => new()
    {
        Id = u.Id, Path = u.Path, Speaker = u.SpeakerKey, SourceUtterance = u.SourceUtterance,
        Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["label"] = u.Label.Name(), ["original_label"] = u.OriginalLabel, ["speaker"] = u.Speaker, ["corpus"] = u.Corpus,
            ["gender"] = u.Gender.ToString().ToLowerInvariant(),
        },
    };

    /// <summary>The training part of <paramref name="fold"/> (checked against its validation and test parts).</summary>
    public static TrainingPart Part(Split fold) =>
        TrainingPart.Create(fold.Name, fold.Train.Select(Item), fold.Validation.Select(Item), fold.Test.Select(Item));

    /// <summary>
    /// The K copies of every training utterance of <paramref name="fold"/>, with their features (the main set then the
    /// concatenated ones, through the cache) keyed by <see cref="CopyId"/>. Copy k of utterance u uses the recipe's
    /// draw for epoch k, so the same seed gives the same copies. Returns the copies' utterance records (label and
    /// speaker of their source, <see cref="Utterance.SourceUtterance"/> set) in training order.
    /// </summary>
    public static IReadOnlyList<Utterance> MakeCopies(AugmentationConfig config, Split fold, IFeatureSet set, IReadOnlyList<IFeatureSet> extra,
        string? cacheDirectory, IDictionary<string, FeatureMatrix> into, Action<int, int>? progress = null)
    {
        if (config.Copies == 0 || config.Recipe.Waveform.Count == 0) return [];
        var pipeline = new AugmentationPipeline(config.Recipe, Part(fold));
        var cache = cacheDirectory == "" ? null : new FeatureCache(cacheDirectory ?? FeatureCache.DefaultDirectory);
        var train = fold.Train;
        var copies = new Utterance[train.Count * config.Copies];
        var features = new FeatureMatrix[copies.Length];
        int done = 0;
        Parallel.For(0, train.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var u = train[i];
            var source = AudioReader.Read(u.Path, new AudioReadOptions { TargetSampleRate = set.SampleRate }).Samples;
            for (int k = 0; k < config.Copies; k++)
            {
                var a = pipeline.Apply(u.Id, source, set.SampleRate, k);
                var id = CopyId(u.Id, k);
                features[i * config.Copies + k] = Extract(a.Samples, set.SampleRate, set, extra, cache);
                copies[i * config.Copies + k] = u with { Id = id, Path = id, SourceUtterance = u.RootId };
                progress?.Invoke(Interlocked.Increment(ref done), copies.Length);
            }
        });
        for (int i = 0; i < copies.Length; i++) into[copies[i].Path] = features[i];
        return copies;
    }

    /// <summary>Features of in-memory audio: <paramref name="set"/>, then each of <paramref name="extra"/> concatenated (one-frame sets).</summary>
    public static FeatureMatrix Extract(float[] samples, int sampleRate, IFeatureSet set, IReadOnlyList<IFeatureSet> extra, FeatureCache? cache)
    {
        FeatureMatrix One(IFeatureSet s)
        {
            var y = s.SampleRate == sampleRate ? samples : Resampler.Resample(samples, sampleRate, s.SampleRate);
            return cache is not null ? cache.GetOrCompute(y, s.SampleRate, s) : s.Extract(y, s.SampleRate);
        }
        var m = One(set);
        foreach (var e in extra) m = FeatureMatrix.Concat(m, One(e));
        return m;
    }

    /// <summary>
    /// The leaky recipe: writes <see cref="AugmentationConfig.Copies"/> copies of every utterance to
    /// <paramref name="folder"/> (WAV + manifest naming each copy's source) before any split, and returns their
    /// utterance records, which remember their source so the leakage audit sees copies that straddle a split.
    /// </summary>
    public static IReadOnlyList<Utterance> MaterialiseBeforeSplit(AugmentationConfig config, IReadOnlyList<Utterance> utterances, string folder, int sampleRate)
    {
        if (config.Copies == 0 || config.Recipe.Waveform.Count == 0) return [];
        var all = TrainingPart.Create("all utterances (before the split)", utterances.Select(Item), [], []);
        var written = AugmentationMaterializer.Materialize(new AugmentationPipeline(config.Recipe, all), folder, config.Copies, sampleRate);
        var byId = utterances.ToDictionary(u => u.Id, StringComparer.Ordinal);
        return written.Select(c =>
        {
            var source = byId[c.Id[..c.Id.LastIndexOf("#aug", StringComparison.Ordinal)]];
            return source with { Id = c.Id, Path = Path.GetFullPath(Path.Combine(folder, c.Path)), SourceUtterance = c.SourceUtterance };
        }).ToArray();
    }

    /// <summary>
    /// <c>ser augment</c>: writes <paramref name="copies"/> augmented copies of every utterance of a corpus to
    /// <paramref name="outputFolder"/> as 16-bit WAVs (atomically) with the manifest
    /// <see cref="AugmentationMaterializer.ManifestName"/>, whose rows name each copy's source utterance (the corpus
    /// id) and carry its label and speaker, so the folder loads as a <c>manifest</c> corpus and the leakage audit
    /// keeps every copy on its original's side. Augment training data only: the whole input is treated as training data.
    /// </summary>
    /// <param name="kind">Loader of the input corpus.</param>
    /// <param name="root">Corpus root (folder or manifest file).</param>
    /// <param name="outputFolder">Created if missing.</param>
    /// <param name="recipe">Recipe (its seed decides the copies).</param>
    /// <param name="copies">Copies per utterance, 1–1000.</param>
    /// <param name="sampleRate">Rate the copies are written at (Hz).</param>
    /// <param name="speakers">Only these speakers (corpus spelling); null for all.</param>
    public static IReadOnlyList<AugmentedCopy> AugmentCorpus(CorpusKind kind, string root, string outputFolder, AugmentationPipelineOptions recipe,
        int copies, int sampleRate = 16000, IReadOnlyCollection<string>? speakers = null)
    {
        var utterances = CorpusLoaders.Load(kind, root).Utterances.Where(u => speakers is null || speakers.Contains(u.Speaker)).ToArray();
        if (utterances.Length == 0) throw new CorpusException($"{kind} at '{root}': no utterance to augment{(speakers is null ? "" : " for the chosen speakers")}.");
        var part = TrainingPart.Create(Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), utterances.Select(Item), [], []);
        return AugmentationMaterializer.Materialize(new AugmentationPipeline(recipe, part), outputFolder, copies, sampleRate);
    }

    /// <summary>
    /// The pipeline the trainer uses online (SpecAugment, mixup) on the training part of <paramref name="fold"/> plus its
    /// copies; null when the recipe has neither.
    /// </summary>
    public static AugmentationPipeline? OnlinePipeline(AugmentationConfig config, Split fold, IReadOnlyList<Utterance> copies, bool frameLevel)
    {
        var recipe = config.Recipe with { Waveform = [], SpecAugment = frameLevel ? config.Recipe.SpecAugment : null };
        if (recipe.SpecAugment is null && recipe.Mixup is null) return null;
        var part = TrainingPart.Create(fold.Name, fold.Train.Concat(copies).Select(Item), fold.Validation.Select(Item), fold.Test.Select(Item));
        return new AugmentationPipeline(recipe, part);
    }

    /// <summary>Named recipes for <c>preset:</c> (and <c>ser augment --preset</c>).</summary>
    public static IReadOnlyDictionary<string, AugmentationPipelineOptions> Presets { get; } =
        new Dictionary<string, AugmentationPipelineOptions>(StringComparer.Ordinal) { ["default"] = AugmentationRecipes.Default };
}
