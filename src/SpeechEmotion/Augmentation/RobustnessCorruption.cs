namespace SpeechEmotion.Augmentation;

/// <summary>One corrupted test condition: a noise kind at an SNR.</summary>
/// <param name="Kind">Pink, White, Brown or Babble.</param>
/// <param name="SnrDb">Target SNR in dB.</param>
public sealed record RobustnessCondition(NoiseKind Kind, double SnrDb)
{
    /// <summary>"babble-10dB", "pink-0dB".</summary>
    public string Name => $"{Kind.ToString().ToLowerInvariant()}-{SnrDb.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}dB";
}

/// <summary>
/// Evaluation-side corruption for robustness tables (this is NOT augmentation, and nothing it makes
/// may be trained on): a test set is copied with noise added at a fixed SNR, deterministically — the
/// noise of utterance u under condition c depends only on (seed, c, u), so clean-trained and
/// augmented-trained models are scored on identical corrupted audio.
/// Babble comes from a caller-supplied <see cref="BabbleSource"/>; use the other utterances of the
/// same test fold (other speakers are picked automatically) or a separate corpus, never training data
/// that a model saw.
/// </summary>
public static class RobustnessCorruption
{
    /// <summary>The standard table: babble and pink noise at 10 dB and 0 dB SNR.</summary>
    public static IReadOnlyList<RobustnessCondition> StandardConditions { get; } =
    [
        new(NoiseKind.Babble, 10), new(NoiseKind.Babble, 0), new(NoiseKind.Pink, 10), new(NoiseKind.Pink, 0),
    ];

    /// <summary>Babble voices used by <see cref="Corrupt"/>.</summary>
    public const int BabbleTalkers = 5;

    /// <summary>Default base seed of the corrupted test sets.</summary>
    public const ulong DefaultSeed = 20_260_101;

    /// <summary>
    /// Corrupts one test utterance: <paramref name="samples"/> plus noise of <paramref name="condition"/>
    /// at exactly its SNR (whole-utterance power), peak-limited to [-1, 1].
    /// </summary>
    /// <param name="item">The utterance (its id seeds the noise; its speaker and root are avoided in babble).</param>
    /// <param name="samples">Its samples.</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="condition">Noise kind and SNR.</param>
    /// <param name="babble">Babble talkers; required for <see cref="NoiseKind.Babble"/>.</param>
    /// <param name="seed">Base seed.</param>
    public static float[] Corrupt(AudioItem item, ReadOnlySpan<float> samples, int sampleRate, RobustnessCondition condition,
        BabbleSource? babble = null, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(condition);
        if (!double.IsFinite(condition.SnrDb)) throw new InvalidOptionsException(nameof(RobustnessCondition), [$"SNR must be finite (got {condition.SnrDb})"]);
        if (samples.IsEmpty) return [];
        Dsp.Signals.Validate(samples, $"audio of '{item.Id}'");
        // The condition enters the seed, so babble-10 and babble-0 use different talkers/offsets but each is fixed.
        var rng = new AugmentationRandom(AugmentationSeed.For(seed ^ AugmentationSeed.Fnv1a(condition.Name), 0, item.Id));
        float[] noise = condition.Kind switch
        {
            NoiseKind.Babble => (babble ?? throw new AugmentationException("Babble corruption needs a babble source (other test utterances or a separate corpus)."))
                .Make(samples.Length, sampleRate, BabbleTalkers, item, rng, out _),
            NoiseKind.White or NoiseKind.Pink or NoiseKind.Brown => NoiseMixer.Colored(condition.Kind, samples.Length, rng),
            _ => throw new InvalidOptionsException(nameof(RobustnessCondition), [$"kind {condition.Kind} is not supported for robustness tests (white, pink, brown, babble)"]),
        };
        return NoiseMixer.MixAtSnr(samples, noise, condition.SnrDb, out _);
    }

    /// <summary>
    /// Corrupts a whole test set under <paramref name="condition"/>, reading each item at
    /// <paramref name="sampleRate"/>; babble is drawn from the same set (other speakers first). Results are in
    /// item order and independent of <paramref name="maxParallelism"/>.
    /// </summary>
    public static IReadOnlyList<float[]> CorruptSet(IReadOnlyList<AudioItem> testItems, int sampleRate, RobustnessCondition condition,
        ulong seed = DefaultSeed, int maxParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(testItems);
        var babble = condition.Kind == NoiseKind.Babble ? new BabbleSource(testItems) : null;
        var result = new float[testItems.Count][];
        Parallel.For(0, testItems.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, i =>
            result[i] = Corrupt(testItems[i], testItems[i].Load(sampleRate), sampleRate, condition, babble, seed));
        return result;
    }

    /// <summary>
    /// Writes the corrupted copies of <paramref name="testItems"/> for every condition to
    /// <paramref name="outputFolder"/>/&lt;condition&gt;/ as 16-bit WAVs, each folder with a JSON-lines manifest
    /// (<see cref="AugmentationMaterializer.ManifestName"/>) whose records name their source utterance, so the
    /// evaluation can score them from files and audits can trace them. Returns the records per condition name.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<AugmentedCopy>> WriteSets(IReadOnlyList<AudioItem> testItems, int sampleRate,
        string outputFolder, IReadOnlyList<RobustnessCondition>? conditions = null, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(testItems);
        ArgumentNullException.ThrowIfNull(outputFolder);
        var result = new SortedDictionary<string, IReadOnlyList<AugmentedCopy>>(StringComparer.Ordinal);
        foreach (var c in conditions ?? StandardConditions)
        {
            var dir = Path.Combine(outputFolder, c.Name);
            Directory.CreateDirectory(dir);
            var audio = CorruptSet(testItems, sampleRate, c, seed);
            var records = new AugmentedCopy[testItems.Count];
            for (var i = 0; i < testItems.Count; i++)
            {
                var item = testItems[i];
                var name = $"{AugmentationMaterializer.FileStem(item.Id)}__{c.Name}.wav";
                Audio.WavWriter.Write(Path.Combine(dir, name), audio[i], sampleRate, Audio.WavSampleFormat.Pcm16);
                records[i] = new AugmentedCopy
                {
                    Id = $"{item.Id}#{c.Name}", Path = name, SourceUtterance = item.RootId,
                    SourcePath = item.Path is null ? null : Path.GetFullPath(item.Path), Copy = 0,
                    Seed = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Transforms = $"robustness(kind={c.Kind.ToString().ToLowerInvariant()}, snr_db={c.SnrDb.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
                    Metadata = item.Metadata,
                };
            }
            AugmentationMaterializer.WriteManifest(Path.Combine(dir, AugmentationMaterializer.ManifestName), records);
            result[c.Name] = records;
        }
        return result;
    }
}

/// <summary>Ready-made recipes.</summary>
public static class AugmentationRecipes
{
    /// <summary>
    /// The default recipe, meant for acted-emotion corpora (RAVDESS-like, 16 kHz): it adds the conditions
    /// real users bring — noise (pink/white/brown/babble at 5–20 dB SNR, p 0.5), level changes (±6 dB, p 0.5),
    /// room reverberation (RT60 0.2–0.8 s, p 0.3), small misalignment (±0.1 s, p 0.3), mild speed
    /// perturbation (0.95–1.05, p 0.2), telephone channels (p 0.1) — and SpecAugment (2 × 8 mel bands,
    /// 2 × 20 frames). It leaves pitch and tempo essentially alone: both carry emotion (anger and joy raise
    /// F0 and rate), so large pitch shifts or time stretches would blur the very cues being learned; they are
    /// available but off by default. Mixup is off (it changes the loss; the trainer opts in).
    /// </summary>
    public static AugmentationPipelineOptions Default { get; } = new()
    {
        Seed = 0,
        Waveform =
        [
            new SpeedOptions { Probability = 0.2, Factor = new(0.95, 1.05) },
            new TimeShiftOptions { Probability = 0.3, ShiftSeconds = new(-0.1, 0.1) },
            new ReverbOptions { Probability = 0.3, Rt60Seconds = new(0.2, 0.8), DirectToReverberantDb = new(0, 10) },
            new NoiseOptions { Probability = 0.5, Kinds = [NoiseKind.Pink, NoiseKind.White, NoiseKind.Brown, NoiseKind.Babble], SnrDb = new(5, 20) },
            new TelephoneOptions { Probability = 0.1, MuLawProbability = 0.5 },
            new GainOptions { Probability = 0.5, GainDb = new(-6, 6) },
        ],
        SpecAugment = new SpecAugmentOptions(),
    };

    /// <summary>The default recipe as YAML (what <see cref="AugmentationYaml.Parse"/> turns into <see cref="Default"/>).</summary>
    public const string DefaultYaml = """
        seed: 0
        waveform:
          - {type: speed, p: 0.2, factor: [0.95, 1.05]}
          - {type: time_shift, p: 0.3, shift_s: [-0.1, 0.1]}
          - {type: reverb, p: 0.3, rt60_s: [0.2, 0.8], drr_db: [0, 10]}
          - {type: noise, p: 0.5, kinds: [pink, white, brown, babble], snr_db: [5, 20]}
          - {type: telephone, p: 0.1, mu_law_p: 0.5}
          - {type: gain, p: 0.5, gain_db: [-6, 6]}
        specaugment: {p: 1, freq_masks: 2, freq_width: 8, time_masks: 2, time_width: 20, max_time_fraction: 0.2, mask_value: mean}
        """;
}
