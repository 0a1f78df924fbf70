using System.Collections.Concurrent;
using SpeechEmotion.Audio;
using SpeechEmotion.Corpora;
using SpeechEmotion.Features;

namespace SpeechEmotion.Training;

/// <summary>The utterances of an experiment after loading, label mapping and splitting, with the leakage verdict.</summary>
/// <param name="Classes">Class list in index order.</param>
/// <param name="Splits">Folds.</param>
/// <param name="Leakage">Leakage audit (with <see cref="LeakageReport.LeakageAllowed"/> when a leaky split was accepted).</param>
/// <param name="Utterances">All utterances after mapping.</param>
public sealed record ExperimentData(IReadOnlyList<Emotion> Classes, SplitSet Splits, LeakageReport Leakage, IReadOnlyList<Utterance> Utterances);

/// <summary>Loading, splitting, auditing and feature extraction for <see cref="ExperimentRunner"/>.</summary>
public static class ExperimentDataLoader
{
    /// <summary>Loads the corpora, maps labels, splits by the protocol and audits the split; a leaky split is
    /// refused (<see cref="LeakageException"/>) unless <see cref="ProtocolConfig.AllowLeakage"/>.</summary>
    public static ExperimentData Load(ExperimentConfig c)
    {
        var all = new List<Utterance>();
        foreach (var corpus in c.Corpora)
        {
            var loaded = CorpusLoaders.Load(corpus.Kind, corpus.Root).Utterances;
            if (corpus.Speakers is { } keep)
            {
                var set = keep.ToHashSet(StringComparer.Ordinal);
                loaded = loaded.Where(u => set.Contains(u.Speaker)).ToArray();
                var missing = keep.Where(s => !loaded.Any(u => u.Speaker == s)).ToArray();
                if (missing.Length > 0) throw new CorpusException($"{corpus.Kind} at '{corpus.Root}': no utterance of speaker(s) {string.Join(", ", missing)}.");
            }
            all.AddRange(loaded);
        }
        var mapped = c.Labels.Apply(all);
        var utterances = mapped.Utterances.OrderBy(u => u.Id, StringComparer.Ordinal).ToArray();
        if (c.Augmentation is { Placement: Training.AugmentationPlacement.BeforeSplit } aug)
        {
            // The seed recipes' protocol, on purpose: copies exist before the split, so the audit below sees them straddle it.
            var rate = FeatureSets.Create(c.Features.Set, c.Features.Parameters).SampleRate;
            var copies = ExperimentAugmentation.MaterialiseBeforeSplit(aug, utterances, Path.Combine(c.Output, "augmented-before-split"), rate);
            utterances = utterances.Concat(copies).OrderBy(u => u.Id, StringComparer.Ordinal).ToArray();
        }
        var so = new SplitOptions { Seed = c.Seed, ValidationFraction = Math.Min(0.5, c.Protocol.ValidationFraction) };
        var splits = c.Protocol.Kind switch
        {
            ProtocolKind.Ravdess5Fold => Protocols.Ravdess5Fold(utterances),
            ProtocolKind.SpeakerKFold => Corpora.Splits.SpeakerKFold(utterances, c.Protocol.K, so),
            ProtocolKind.Loso => Corpora.Splits.LeaveOneSpeakerOut(utterances, so),
            ProtocolKind.Holdout => Corpora.Splits.StratifiedHoldOut(utterances, c.Protocol.TestFraction, so),
            _ => Corpora.Splits.StratifiedHoldOut(utterances, c.Protocol.TestFraction, so, speakerIndependent: false),
        };
        var leakage = LeakageAudit.EnsureClean(splits, c.Protocol.AllowLeakage, new LeakageAuditOptions { CheckAudio = c.Protocol.AuditAudio });
        return new ExperimentData(mapped.Classes, splits, leakage, utterances);
    }

    /// <summary>Extracts (or reads from the feature cache) the features of <paramref name="utterances"/>, in parallel.</summary>
    /// <param name="set">Feature set.</param>
    /// <param name="utterances">Utterances.</param>
    /// <param name="cacheDirectory">Cache folder; null for the default; empty for no cache.</param>
    /// <param name="progress">Called with (done, total) from worker threads.</param>
    public static IReadOnlyDictionary<string, FeatureMatrix> Extract(IFeatureSet set, IReadOnlyList<Utterance> utterances, string? cacheDirectory,
        Action<int, int>? progress = null)
    {
        var cache = cacheDirectory == "" ? null : new FeatureCache(cacheDirectory ?? FeatureCache.DefaultDirectory);
        var result = new ConcurrentDictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        var paths = utterances.Select(u => u.Path).Distinct(StringComparer.Ordinal).ToArray();
        int done = 0;
        Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, path =>
        {
            var m = cache is not null ? cache.GetOrCompute(path, set) : Compute(path, set);
            result[path] = m;
            progress?.Invoke(Interlocked.Increment(ref done), paths.Length);
        });
        return result;
    }

    /// <summary>
    /// Per-speaker standardisation: every feature of every utterance is standardised with the mean and
    /// standard deviation over all frames of that speaker's utterances. Uses no labels, but it does use
    /// every recording of a test speaker (transductive): reports say so, and a deployed model must see
    /// several utterances of a speaker before it can apply the same normalisation.
    /// </summary>
    public static IReadOnlyDictionary<string, FeatureMatrix> SpeakerNormalise(IReadOnlyDictionary<string, FeatureMatrix> features, IReadOnlyList<Utterance> utterances)
    {
        var stats = SpeakerStatistics(features, utterances);
        var result = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        foreach (var u in utterances.Where(u => features.ContainsKey(u.Path)).DistinctBy(u => u.Path))
            result[u.Path] = SpeakerStats.Apply(features[u.Path], stats[u.SpeakerKey]);
        return result;
    }

    /// <summary>Per-speaker mean and standard deviation (population; 1 where constant) over all frames of each speaker's utterances.</summary>
    public static Dictionary<string, SpeakerStats> SpeakerStatistics(IReadOnlyDictionary<string, FeatureMatrix> features, IReadOnlyList<Utterance> utterances)
    {
        var result = new Dictionary<string, SpeakerStats>(StringComparer.Ordinal);
        foreach (var group in utterances.Where(u => features.ContainsKey(u.Path)).DistinctBy(u => u.Path).GroupBy(u => u.SpeakerKey))
            result[group.Key] = SpeakerStats.Of(group.Select(u => features[u.Path]).ToArray());
        return result;
    }

    private static FeatureMatrix Compute(string path, IFeatureSet set)
    {
        var audio = AudioReader.Read(path, new AudioReadOptions { TargetSampleRate = set.SampleRate });
        return set.Extract(audio.Samples, audio.SampleRate);
    }

    /// <summary>The labelled set of <paramref name="part"/> with class indices from <paramref name="classes"/>
    /// and dimensional targets standardised with <paramref name="arousal"/> / <paramref name="valence"/> statistics (training fold).</summary>
    public static LabelledSet ToSet(IReadOnlyList<Utterance> part, IReadOnlyList<Emotion> classes, IReadOnlyDictionary<string, FeatureMatrix> features,
        (double Mean, double Std)? arousal = null, (double Mean, double Std)? valence = null)
    {
        var index = classes.Select((e, i) => (e, i)).ToDictionary(p => p.e, p => p.i);
        float[]? Dim(Func<Utterance, double?> get, (double Mean, double Std)? stats) =>
            stats is { } s ? part.Select(u => get(u) is { } v ? (float)((v - s.Mean) / s.Std) : float.NaN).ToArray() : null;
        return new LabelledSet(part.Select(u => features[u.Path]).ToArray(), part.Select(u => index[u.Label]).ToArray(), part.Select(u => u.Label).ToArray(),
            Dim(u => u.Arousal, arousal), Dim(u => u.Valence, valence), part.Select(u => u.Id).ToArray());
    }

    /// <summary>Mean and standard deviation of the known values of <paramref name="get"/> over <paramref name="part"/>; null when none.</summary>
    public static (double Mean, double Std)? DimensionStats(IReadOnlyList<Utterance> part, Func<Utterance, double?> get)
    {
        var v = part.Select(get).Where(x => x.HasValue).Select(x => x!.Value).ToArray();
        if (v.Length < 2) return null;
        double m = v.Average(), s = Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
        return (m, s > 0 ? s : 1);
    }
}

/// <summary>Mean and standard deviation per feature over all frames of one speaker's recordings.</summary>
/// <param name="Mean">Per-feature mean.</param>
/// <param name="Std">Per-feature population standard deviation (1 where constant).</param>
/// <param name="Frames">Frames they were computed over.</param>
public sealed record SpeakerStats(double[] Mean, double[] Std, long Frames)
{
    /// <summary>Statistics of <paramref name="mats"/> (same width, at least one frame in all).</summary>
    public static SpeakerStats Of(IReadOnlyList<FeatureMatrix> mats)
    {
        int d = mats[0].Features;
        var sum = new double[d]; var sq = new double[d];
        long n = 0;
        foreach (var m in mats)
            for (int t = 0; t < m.Frames; t++, n++)
            {
                var row = m.Row(t);
                for (int j = 0; j < d; j++) { sum[j] += row[j]; sq[j] += (double)row[j] * row[j]; }
            }
        var mean = sum.Select(v => v / n).ToArray();
        var std = sq.Select((v, j) => Math.Sqrt(Math.Max(0, v / n - mean[j] * mean[j]))).Select(v => v > 1e-8 ? v : 1).ToArray();
        return new SpeakerStats(mean, std, n);
    }

    /// <summary><paramref name="m"/> standardised with these statistics (a new matrix).</summary>
    public static FeatureMatrix Apply(FeatureMatrix m, SpeakerStats s)
    {
        int d = m.Features;
        var data = new float[m.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = (float)((m.Data[i] - s.Mean[i % d]) / s.Std[i % d]);
        return new FeatureMatrix(m.Frames, d, data, m.FeatureNames);
    }
}
