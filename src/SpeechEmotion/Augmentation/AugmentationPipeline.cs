using SpeechEmotion.Dsp;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// A whole augmentation recipe: waveform transforms applied in order (each with its own probability),
/// optional SpecAugment on features and optional mixup on batches, under one base seed. Immutable;
/// load it from YAML with <see cref="AugmentationYaml"/> or take <see cref="AugmentationRecipes.Default"/>.
/// </summary>
public sealed record AugmentationPipelineOptions
{
    /// <summary>Base seed; every draw derives from (seed, epoch, utterance id). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Waveform transforms, applied in this order. Default none.</summary>
    public IReadOnlyList<WaveformTransformOptions> Waveform { get; init; } = [];

    /// <summary>SpecAugment masking of features; null (default) for none.</summary>
    public SpecAugmentOptions? SpecAugment { get; init; }

    /// <summary>Mixup of batches; null (default) for none.</summary>
    public MixupOptions? Mixup { get; init; }

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value of every transform.</summary>
    public AugmentationPipelineOptions Validate()
    {
        var p = new Problems();
        if (Waveform is null) p.Add("waveform list is null");
        else
            for (var i = 0; i < Waveform.Count; i++)
            {
                if (Waveform[i] is null) p.Add($"waveform[{i}] is null");
                else Waveform[i].Validate(p, $"waveform[{i}] ({Waveform[i].Type})");
            }
        SpecAugment?.Validate(p, "specaugment");
        Mixup?.Validate(p, "mixup");
        p.ThrowIfAny(nameof(AugmentationPipelineOptions));
        return this;
    }
}

/// <summary>One augmented utterance: the samples and what was done to produce them.</summary>
/// <param name="Samples">Mono samples in [-1, 1] (length may differ from the input after speed or time stretch).</param>
/// <param name="SampleRate">Hz (unchanged).</param>
/// <param name="UtteranceId">The training utterance it came from.</param>
/// <param name="Epoch">The epoch (or offline copy index) it was drawn for.</param>
/// <param name="Seed">The per-utterance seed, f(base seed, epoch, id).</param>
/// <param name="Applied">Description of each transform that fired, in order (e.g. "noise(kind=pink, snr_db=12.3)").</param>
public sealed record AugmentedAudio(float[] Samples, int SampleRate, string UtteranceId, int Epoch, ulong Seed, IReadOnlyList<string> Applied)
{
    /// <summary>All applied transforms joined by "; " ("none" when nothing fired).</summary>
    public string Description => Applied.Count == 0 ? "none" : string.Join("; ", Applied);
}

/// <summary>
/// Applies a recipe to the utterances of one <see cref="TrainingPart"/>, on the fly (per epoch) or to make
/// offline copies (<see cref="AugmentationMaterializer"/>). Any utterance outside the training part is refused
/// with <see cref="AugmentationLeakageException"/>. Every draw of utterance u in epoch e comes from a
/// generator seeded with f(options.Seed, e, u) (and one sub-stream per transform), so results do not depend on
/// thread scheduling or processing order. Thread-safe.
/// </summary>
public sealed class AugmentationPipeline
{
    private const int SpecAugmentStream = 1000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NoiseFolder> _folders = new(StringComparer.Ordinal);

    /// <summary>Builds the pipeline; <paramref name="options"/> are validated (all problems at once).</summary>
    public AugmentationPipeline(AugmentationPipelineOptions options, TrainingPart training)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        Options = options.Validate();
        Training = training;
        // Resolve noise folders now so a bad folder fails before training starts.
        foreach (var n in options.Waveform.OfType<NoiseOptions>())
            if (n.Kinds.Contains(NoiseKind.File)) Folder(n.Folder!);
    }

    /// <summary>The validated recipe.</summary>
    public AugmentationPipelineOptions Options { get; }

    /// <summary>The training part this pipeline may touch.</summary>
    public TrainingPart Training { get; }

    /// <summary>Augments training utterance <paramref name="utteranceId"/>, reading its audio at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="AugmentationLeakageException">The utterance is not in the training part.</exception>
    public AugmentedAudio Apply(string utteranceId, int epoch, int sampleRate)
    {
        var item = Training.Get(utteranceId);
        return Run(item, item.Load(sampleRate), sampleRate, epoch);
    }

    /// <summary>Augments training utterance <paramref name="utteranceId"/> whose audio the caller already holds.</summary>
    /// <param name="utteranceId">Id of a training utterance.</param>
    /// <param name="samples">Its mono samples (finite; not modified).</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="epoch">Epoch (0-based), or copy index for offline copies.</param>
    /// <exception cref="AugmentationLeakageException">The utterance is not in the training part.</exception>
    /// <exception cref="InvalidSignalException">The samples hold NaN or infinity.</exception>
    public AugmentedAudio Apply(string utteranceId, ReadOnlySpan<float> samples, int sampleRate, int epoch)
    {
        var item = Training.Get(utteranceId);
        return Run(item, samples.ToArray(), sampleRate, epoch);
    }

    /// <summary>
    /// SpecAugment on the features of training utterance <paramref name="utteranceId"/> ([frames, features], in place),
    /// drawn from its own sub-stream of the (seed, epoch, id) generator. Returns the description, or null when
    /// the recipe has no SpecAugment or it did not fire.
    /// </summary>
    public string? ApplyFeatures(string utteranceId, int epoch, Span<float> data, int frames, int features)
    {
        Training.Get(utteranceId);
        if (Options.SpecAugment is not { } sa) return null;
        var rng = new AugmentationRandom(AugmentationSeed.Derive(AugmentationSeed.For(Options.Seed, epoch, utteranceId), SpecAugmentStream));
        if (!rng.Chance(sa.Probability)) return null;
        return FeatureAugmentation.SpecAugment(data, frames, features, sa, rng);
    }

    /// <summary>SpecAugment on <paramref name="features"/> in place (see <see cref="ApplyFeatures(string, int, Span{float}, int, int)"/>).</summary>
    public string? ApplyFeatures(string utteranceId, int epoch, SpeechEmotion.Features.FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return ApplyFeatures(utteranceId, epoch, features.Data, features.Frames, features.Features);
    }

    /// <summary>
    /// Mixup of training batch <paramref name="batchIndex"/> of <paramref name="epoch"/> (see
    /// <see cref="FeatureAugmentation.MixBatch"/>); when the recipe has no mixup or it does not fire, the batch is
    /// copied unchanged, π is the identity, and 1 is returned. The caller must only pass batches of training
    /// utterances (this pipeline's <see cref="Training"/>): every id in <paramref name="utteranceIds"/> is checked.
    /// </summary>
    public float MixBatch(IReadOnlyList<string> utteranceIds, int epoch, int batchIndex,
        ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> xOut, Span<float> yOut, Span<int> permutation)
    {
        ArgumentNullException.ThrowIfNull(utteranceIds);
        foreach (var id in utteranceIds) Training.Get(id);
        var n = utteranceIds.Count;
        var rng = new AugmentationRandom(AugmentationSeed.ForBatch(Options.Seed, epoch, batchIndex));
        if (Options.Mixup is { } m && rng.Chance(m.Probability))
            return FeatureAugmentation.MixBatch(x, y, n, m.Alpha, xOut, yOut, permutation, rng);
        x.CopyTo(xOut); y.CopyTo(yOut);
        for (var i = 0; i < permutation.Length; i++) permutation[i] = i;
        return 1f;
    }

    private AugmentedAudio Run(AudioItem item, float[] y, int sampleRate, int epoch)
    {
        if (y.Length > 0) Signals.Validate(y, $"audio of '{item.Id}'");
        var seed = AugmentationSeed.For(Options.Seed, epoch, item.Id);
        var ctx = new TransformContext(item, Training, Training.Babble, Folder);
        var applied = new List<string>();
        var transforms = Options.Waveform;
        for (var i = 0; i < transforms.Count; i++)
        {
            var rng = new AugmentationRandom(AugmentationSeed.Derive(seed, i));
            if (!rng.Chance(transforms[i].Probability)) continue;
            y = transforms[i].Apply(y, sampleRate, rng, ctx, out var description);
            applied.Add(description);
        }
        if (applied.Count == 0) y = (float[])y.Clone();
        NoiseMixer.PeakLimit(y);
        return new AugmentedAudio(y, sampleRate, item.Id, epoch, seed, applied);
    }

    private NoiseFolder Folder(string path) => _folders.GetOrAdd(path, p => new NoiseFolder(p));
}
