using System.Collections.Concurrent;

namespace SpeechEmotion.Corpora;

/// <summary>Decodes an audio file to mono samples; throws on failure.</summary>
public delegate (float[] Samples, int SampleRate) AudioDecoder(string path);

/// <summary>Options of <see cref="LeakageAudit"/>.</summary>
public sealed record LeakageAuditOptions
{
    /// <summary>Decode audio and compare content hashes and fingerprints. Default true.</summary>
    public bool CheckAudio { get; init; } = true;

    /// <summary>
    /// Fingerprint similarity in (0.5, 1] from which two clips count as near-identical. Default 0.70: on RAVDESS,
    /// distinct takes (same actor, same sentence) reach at most about 0.63 and the full 1200-file protocol audit
    /// finds no pair across speakers; copies with a gain change, white noise at 15–20 dB SNR or a shift up to
    /// 0.2 s score 0.78 or more, 10 dB SNR about 0.73–0.82, and 10 dB SNR combined with a sub-frame shift can
    /// come down to about 0.71. Copies at 5 dB SNR (0.68–0.75) are only partly caught.
    /// </summary>
    public double NearDuplicateThreshold { get; init; } = 0.70;

    /// <summary>Largest time shift (s) searched between two clips. Default 0.2.</summary>
    public double MaxShiftSeconds { get; init; } = 0.2;

    /// <summary>How audio is decoded; null: <see cref="DefaultDecoder"/> (<see cref="SpeechEmotion.Audio.AudioReader"/>, mono, native rate).</summary>
    public AudioDecoder? Decoder { get; init; }

    /// <summary>
    /// Compare every pair of clips instead of only the candidates found by the fingerprint index. Quadratic in
    /// the number of clips (minutes for 10,000); the index finds the same copies in the tested conditions. Default false.
    /// </summary>
    public bool Exhaustive { get; init; }

    /// <summary>Also look for speed-, tempo- or pitch-altered copies across the split with <see cref="WarpFingerprint"/> (needs <see cref="CheckAudio"/>). Default true.</summary>
    public bool CheckAlteredCopies { get; init; } = true;

    /// <summary>
    /// <see cref="WarpFingerprint.Similarity"/> from which a clip of another speaker (or of unknown speaker) counts as an
    /// altered copy. Default 0.73: on RAVDESS actors 01–04, copies made with ±10 % speed, ±2 semitones of pitch shift or
    /// ±10 % time stretch score 0.76–0.98, while the 21,600 pairs of different actors score at most 0.70.
    /// </summary>
    public double AlteredCopyThreshold { get; init; } = 0.73;

    /// <summary>
    /// The same threshold for two clips of one speaker. Default 0.90: repetitions of one sentence by one actor reach 0.87,
    /// so only speed-perturbed copies (0.94 or more) are told apart from them; the shared speaker is a blocking leak anyway.
    /// </summary>
    public double AlteredCopySameSpeakerThreshold { get; init; } = 0.90;

    /// <summary>Altered-copy candidates scored per clip: the clips of the same label whose loudness envelopes align best. Default 32.</summary>
    public int AlteredCopyCandidates { get; init; } = 32;

    /// <summary>Also check train against validation (findings there are warnings). Default true.</summary>
    public bool CheckValidation { get; init; } = true;

    /// <summary>The decoder used when <see cref="Decoder"/> is null: <see cref="SpeechEmotion.Audio.AudioReader"/>, mixed to mono.</summary>
    public static AudioDecoder DefaultDecoder { get; } = path =>
    {
        var buffer = SpeechEmotion.Audio.AudioReader.Read(path);
        return (buffer.Samples, buffer.SampleRate);
    };

    /// <summary>Validates the options; throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public LeakageAuditOptions Validate()
    {
        new Problems()
            .Require(NearDuplicateThreshold is > 0.5 and <= 1, $"NearDuplicateThreshold must be in (0.5, 1], got {NearDuplicateThreshold}")
            .Require(MaxShiftSeconds is >= 0 and <= 5, $"MaxShiftSeconds must be in [0, 5], got {MaxShiftSeconds}")
            .Require(AlteredCopyThreshold is > 0 and <= 1, $"AlteredCopyThreshold must be in (0, 1], got {AlteredCopyThreshold}")
            .Require(AlteredCopySameSpeakerThreshold is > 0 and <= 1, $"AlteredCopySameSpeakerThreshold must be in (0, 1], got {AlteredCopySameSpeakerThreshold}")
            .Require(AlteredCopyCandidates >= 1, $"AlteredCopyCandidates must be at least 1, got {AlteredCopyCandidates}")
            .ThrowIfAny(nameof(LeakageAuditOptions));
        return this;
    }
}

/// <summary>
/// Audits splits for leaks between training (and validation) and test: shared speakers, the same utterance,
/// identical audio (hash of decoded samples), near-identical audio (<see cref="AudioFingerprint"/>), speed-, tempo- or
/// pitch-altered copies (<see cref="WarpFingerprint"/>), augmented copies whose source is on the other side (from
/// <see cref="Utterance.SourceUtterance"/>, or from file names: <see cref="AugmentedCopyNames"/>), augmented copies in
/// test, and shared text (a warning).
/// </summary>
public static class LeakageAudit
{
    /// <summary>Audits every fold of <paramref name="set"/>.</summary>
    public static LeakageReport Audit(SplitSet set, LeakageAuditOptions? options = null)
    {
        var o = (options ?? new LeakageAuditOptions()).Validate();
        // Copies recognised by name count as if their metadata named the source.
        var all = set.Folds.SelectMany(f => f.Train.Concat(f.Validation).Concat(f.Test)).DistinctBy(u => u.Id).ToArray();
        var inferred = AugmentedCopyNames.InferSources(all);
        if (inferred.Count > 0) set = set with { Folds = set.Folds.Select(f => f with { Train = WithSources(f.Train, inferred), Validation = WithSources(f.Validation, inferred), Test = WithSources(f.Test, inferred) }).ToArray() };
        var findings = new List<LeakageFinding>();
        var undecodable = new List<string>();
        AudioIndex? audio = null;
        if (o.CheckAudio)
        {
            var decoder = o.Decoder ?? LeakageAuditOptions.DefaultDecoder;
            var items = set.Folds.SelectMany(f => f.Train.Concat(f.Validation).Concat(f.Test)).DistinctBy(u => u.Path).ToArray();
            audio = AudioIndex.Build(items, decoder, undecodable, o.CheckAlteredCopies);
            if (!o.Exhaustive) audio.FindCandidates(o.MaxShiftSeconds);
            if (o.CheckAlteredCopies) audio.FindWarpCandidates(items, o.AlteredCopyCandidates);
        }
        // Folds share most pairs (each cross-fold pair straddles two folds): compute each similarity once.
        var pairCache = new ConcurrentDictionary<long, double>();
        foreach (var fold in set.Folds)
        {
            var trainSide = fold.Train;
            AuditPair(fold.Name, "train+validation/test", trainSide.Concat(fold.Validation).ToArray(), fold.Test, LeakageSeverity.Blocking, o, audio, pairCache, findings);
            if (o.CheckValidation)
                AuditPair(fold.Name, "train/validation", trainSide, fold.Validation, LeakageSeverity.Warning, o, audio, pairCache, findings);
            var augmentedTest = fold.Test.Where(u => u.SourceUtterance is not null).ToArray();
            if (augmentedTest.Length > 0)
                findings.Add(new LeakageFinding(fold.Name, LeakageKind.AugmentedInTest, LeakageSeverity.Warning, "test",
                    $"{augmentedTest.Length} augmented copies in test (augment after splitting, training side only)", augmentedTest[0].Id));
        }
        return new LeakageReport
        {
            Protocol = set.Protocol, Findings = findings, AudioChecked = audio is not null, Undecodable = undecodable,
            CopiesNamedByFile = inferred.Count,
        };
    }

    private static Utterance[] WithSources(IReadOnlyList<Utterance> part, IReadOnlyDictionary<string, string> inferred) =>
        part.Select(u => inferred.TryGetValue(u.Id, out var source) ? u with { SourceUtterance = source } : u).ToArray();

    /// <summary>Audits one split.</summary>
    public static LeakageReport Audit(Split split, LeakageAuditOptions? options = null) =>
        Audit(new SplitSet { Protocol = split.Name, Folds = [split] }, options);

    /// <summary>
    /// Audits <paramref name="set"/> and refuses (throws <see cref="LeakageException"/>) when it is leaky unless
    /// <paramref name="allowLeakage"/>; a leaky set used with the flag returns a report with
    /// <see cref="LeakageReport.LeakageAllowed"/> = true that must travel with every result.
    /// </summary>
    public static LeakageReport EnsureClean(SplitSet set, bool allowLeakage, LeakageAuditOptions? options = null)
    {
        var report = Audit(set, options);
        if (!report.IsLeaky) return report;
        if (!allowLeakage) throw new LeakageException(report);
        return report with { LeakageAllowed = true };
    }

    private static void AuditPair(string fold, string sides, IReadOnlyList<Utterance> a, IReadOnlyList<Utterance> b, LeakageSeverity severity,
        LeakageAuditOptions o, AudioIndex? audio, ConcurrentDictionary<long, double> pairCache, List<LeakageFinding> findings)
    {
        var speakersA = a.Select(u => u.SpeakerKey).ToHashSet();
        foreach (var s in b.Select(u => u.SpeakerKey).Distinct().Where(speakersA.Contains).Order(StringComparer.Ordinal))
            findings.Add(new LeakageFinding(fold, LeakageKind.SharedSpeaker, severity, sides, s, null));

        var idsA = a.Select(u => u.Id).ToHashSet();
        foreach (var u in b.Where(u => idsA.Contains(u.Id)))
            findings.Add(new LeakageFinding(fold, LeakageKind.SameUtterance, severity, sides, u.Id, null));

        // Augmented copies: any two items descending from the same original must be on one side.
        var rootsA = a.GroupBy(u => u.RootId).ToDictionary(g => g.Key, g => g.First());
        foreach (var u in b)
            if (rootsA.TryGetValue(u.RootId, out var other) && (u.SourceUtterance is not null || other.SourceUtterance is not null))
                findings.Add(new LeakageFinding(fold, LeakageKind.AugmentedAcrossSplit, severity, sides, other.Id, u.Id));

        var textsA = a.Where(u => u.TextId is not null).Select(u => (u.Corpus, u.TextId!)).ToHashSet();
        foreach (var t in b.Where(u => u.TextId is not null).Select(u => (u.Corpus, u.TextId!)).Distinct().Where(textsA.Contains).Order())
            findings.Add(new LeakageFinding(fold, LeakageKind.SharedText, LeakageSeverity.Warning, sides, $"{t.Item1}:{t.Item2}", null));

        if (audio is null) return;
        var byHash = a.Where(u => audio.Hash.ContainsKey(u.Path)).GroupBy(u => audio.Hash[u.Path]).ToDictionary(g => g.Key, g => g.First());
        var identical = new HashSet<(string, string)>();
        foreach (var u in b)
            if (audio.Hash.TryGetValue(u.Path, out var h) && byHash.TryGetValue(h, out var other) && other.Id != u.Id)
            {
                findings.Add(new LeakageFinding(fold, LeakageKind.IdenticalAudio, severity, sides, other.Id, u.Id, 1));
                identical.Add((other.Path, u.Path));
            }

        var aByIndex = a.Where(u => audio.Fingerprints.ContainsKey(u.Path)).DistinctBy(u => u.Path).ToDictionary(u => audio.Index[u.Path]);
        var bFp = b.Where(u => audio.Fingerprints.ContainsKey(u.Path)).DistinctBy(u => u.Path).ToArray();
        var near = new ConcurrentBag<LeakageFinding>();
        Parallel.ForEach(bFp, ub =>
        {
            int ib = audio.Index[ub.Path];
            var fb = audio.Fingerprints[ub.Path];
            IEnumerable<int> others = audio.Candidates is { } c ? c[ib].Where(aByIndex.ContainsKey) : aByIndex.Keys;
            foreach (var ia in others)
            {
                var ua = aByIndex[ia];
                if (ua.Id == ub.Id || identical.Contains((ua.Path, ub.Path))) continue;
                var fa = audio.Fingerprints[ua.Path];
                // A copy differs in length by at most the shift (plus a little padding): skip the rest cheaply.
                if (Math.Abs(fa.Duration - fb.Duration) > o.MaxShiftSeconds + 0.05 * Math.Max(fa.Duration, fb.Duration)) continue;
                var key = ia < ib ? ((long)ia << 32) | (uint)ib : ((long)ib << 32) | (uint)ia;
                if (!pairCache.TryGetValue(key, out var sim))
                {
                    sim = AudioFingerprint.Similarity(fa, fb, o.MaxShiftSeconds);
                    pairCache.TryAdd(key, sim);
                }
                if (sim >= o.NearDuplicateThreshold)
                    near.Add(new LeakageFinding(fold, LeakageKind.NearIdenticalAudio, severity, sides, ua.Id, ub.Id, Math.Round(sim, 4)));
            }
        });
        findings.AddRange(near.OrderBy(f => f.A, StringComparer.Ordinal).ThenBy(f => f.B, StringComparer.Ordinal));

        if (audio.WarpCandidates is not { } warpCandidates) return;
        var already = findings.Where(f => f.Fold == fold && f.Sides == sides && f.Kind is LeakageKind.NearIdenticalAudio or LeakageKind.IdenticalAudio or LeakageKind.AugmentedAcrossSplit)
            .Select(f => (f.A, f.B)).ToHashSet();
        var altered = new ConcurrentBag<LeakageFinding>();
        Parallel.ForEach(bFp, ub =>
        {
            int ib = audio.Index[ub.Path];
            if (!audio.Warp.TryGetValue(ub.Path, out var wb)) return;
            foreach (var ia in warpCandidates[ib])
            {
                if (!aByIndex.TryGetValue(ia, out var ua) || ua.Id == ub.Id || ua.RootId == ub.RootId || already.Contains((ua.Id, ub.Id))
                    || identical.Contains((ua.Path, ub.Path)) || !audio.Warp.TryGetValue(ua.Path, out var wa)) continue;
                var key = ia < ib ? ((long)ia << 32) | (uint)ib : ((long)ib << 32) | (uint)ia;
                var sim = audio.WarpScores.GetOrAdd(key, _ => WarpFingerprint.Similarity(wa, wb));
                var threshold = ua.SpeakerKey == ub.SpeakerKey ? o.AlteredCopySameSpeakerThreshold : o.AlteredCopyThreshold;
                if (sim >= threshold)
                    altered.Add(new LeakageFinding(fold, LeakageKind.AlteredCopyAudio, severity, sides, ua.Id, ub.Id, Math.Round(sim, 4)));
            }
        });
        // A copy of one take also resembles the speaker's other repetitions of that sentence (up to 0.87 on RAVDESS), so
        // only mutual best matches are reported: the copy and its source pick each other, a sibling take loses to the source.
        var nearPairs = near.Select(f => (f.A, f.B)).ToHashSet();
        var candidates = altered.Where(f => !nearPairs.Contains((f.A, f.B!))).ToArray();
        var bestOfA = candidates.GroupBy(f => f.A).ToDictionary(g => g.Key, g => g.MaxBy(f => f.Similarity)!.B);
        var bestOfB = candidates.GroupBy(f => f.B!).ToDictionary(g => g.Key, g => g.MaxBy(f => f.Similarity)!.A);
        findings.AddRange(candidates.Where(f => bestOfA[f.A] == f.B && bestOfB[f.B!] == f.A)
            .OrderBy(f => f.A, StringComparer.Ordinal).ThenBy(f => f.B, StringComparer.Ordinal));
    }

    private sealed class AudioIndex
    {
        public required Dictionary<string, string> Hash { get; init; }
        public required Dictionary<string, AudioFingerprint> Fingerprints { get; init; }
        public required Dictionary<string, int> Index { get; init; }

        /// <summary>Per item index, the items the fingerprint index proposes; null: compare everything.</summary>
        public HashSet<int>[]? Candidates { get; private set; }

        public Dictionary<string, WarpFingerprint> Warp { get; init; } = [];

        /// <summary>Per item index, the items scored for altered copies; null when that check is off.</summary>
        public HashSet<int>[]? WarpCandidates { get; private set; }

        public ConcurrentDictionary<long, double> WarpScores { get; } = new();

        // Copies keep their source's label: within each label, the clips whose envelopes align best (symmetrised).
        public void FindWarpCandidates(IReadOnlyList<Utterance> items, int perItem)
        {
            var sets = Enumerable.Range(0, Index.Count).Select(_ => new HashSet<int>()).ToArray();
            foreach (var group in items.Where(u => Warp.ContainsKey(u.Path)).GroupBy(u => u.Label))
            {
                var members = group.Select(u => (Index: Index[u.Path], Fp: Warp[u.Path])).Where(m => m.Fp.IsValid).ToArray();
                var lists = new int[members.Length][];
                Parallel.For(0, members.Length, i =>
                {
                    var scores = new (double Score, int Item)[members.Length - 1];
                    for (int j = 0, k = 0; j < members.Length; j++)
                        if (j != i) scores[k++] = (WarpFingerprint.EnvelopeAlignment(members[i].Fp, members[j].Fp), members[j].Index);
                    lists[i] = scores.OrderByDescending(s => s.Score).ThenBy(s => s.Item).Take(perItem).Select(s => s.Item).ToArray();
                });
                for (int i = 0; i < members.Length; i++)
                    foreach (var j in lists[i]) { sets[members[i].Index].Add(j); sets[j].Add(members[i].Index); }
            }
            WarpCandidates = sets;
        }

        public void FindCandidates(double maxShiftSeconds)
        {
            var byIndex = new AudioFingerprint[Index.Count];
            var empty = AudioFingerprint.Compute([], 16000);
            foreach (var (path, i) in Index) byIndex[i] = Fingerprints.GetValueOrDefault(path) ?? empty;
            var index = new FingerprintIndex(byIndex, maxShiftSeconds);
            var lists = new List<int>[byIndex.Length];
            Parallel.For(0, byIndex.Length, () => new Dictionary<int, int>(), (i, _, votes) =>
            {
                lists[i] = index.Candidates(i, votes);
                return votes;
            }, _ => { });
            var sets = Enumerable.Range(0, byIndex.Length).Select(_ => new HashSet<int>()).ToArray();
            // Votes are symmetric in principle, but capped keys can make them differ: keep a pair if either side proposes it.
            for (int i = 0; i < lists.Length; i++)
                foreach (var j in lists[i]) { sets[i].Add(j); sets[j].Add(i); }
            Candidates = sets;
        }

        public static AudioIndex Build(IReadOnlyList<Utterance> items, AudioDecoder decoder, List<string> undecodable, bool warp)
        {
            var hashes = new ConcurrentDictionary<string, string>();
            var fps = new ConcurrentDictionary<string, AudioFingerprint>();
            var warps = new ConcurrentDictionary<string, WarpFingerprint>();
            var bad = new ConcurrentBag<string>();
            Parallel.ForEach(items, u =>
            {
                try
                {
                    var (samples, rate) = decoder(u.Path);
                    hashes[u.Path] = AudioHash.Of(samples, rate);
                    fps[u.Path] = AudioFingerprint.Compute(samples, rate);
                    if (warp) warps[u.Path] = WarpFingerprint.Compute(samples, rate);
                }
                catch (Exception ex) when (ex is SpeechEmotionException or IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
                {
                    bad.Add($"{u.Path}: {ex.Message}");
                }
            });
            undecodable.AddRange(bad.Order(StringComparer.Ordinal));
            var index = items.Select((u, i) => (u.Path, i)).ToDictionary(t => t.Path, t => t.i);
            return new AudioIndex { Hash = new(hashes), Fingerprints = new(fps), Index = index, Warp = new(warps) };
        }
    }
}
