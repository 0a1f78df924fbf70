namespace SpeechEmotion.Corpora;

/// <summary>Options shared by the split generators.</summary>
public sealed record SplitOptions
{
    /// <summary>Seed for every random choice; the same seed and input give the same split. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Share of the training speakers (of the training utterances when there is a single training speaker)
    /// moved to validation, in (0, 0.5]. Default 0.15.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Validates the options; throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public SplitOptions Validate()
    {
        new Problems()
            .Require(ValidationFraction is > 0 and <= 0.5, $"ValidationFraction must be in (0, 0.5], got {ValidationFraction}")
            .ThrowIfAny(nameof(SplitOptions));
        return this;
    }
}

/// <summary>
/// Split generators. All are deterministic for a seed, group by <see cref="Utterance.SpeakerKey"/> where they
/// say so, and carve validation from the training side. A class missing from a fold's training part is an
/// error; one missing from its test or validation part is a warning on the fold.
/// </summary>
public static class Splits
{
    /// <summary>
    /// Hold-out split stratified by label. Speaker-independent by default: whole speakers are assigned to the
    /// test side so that label proportions stay as close as possible to the whole. With
    /// <paramref name="speakerIndependent"/> false the split is per utterance (the leakage audit will then
    /// report the shared speakers).
    /// </summary>
    public static SplitSet StratifiedHoldOut(IReadOnlyList<Utterance> utterances, double testFraction = 0.2, SplitOptions? options = null, bool speakerIndependent = true)
    {
        var o = (options ?? new SplitOptions()).Validate();
        new Problems().Require(testFraction is > 0 and < 1, $"testFraction must be in (0, 1), got {testFraction}").ThrowIfAny("StratifiedHoldOut");
        RequireData(utterances);
        Split split;
        if (speakerIndependent)
        {
            var k = Math.Max(2, (int)Math.Round(1 / testFraction));
            var folds = GroupAssigner.Assign(utterances, u => u.SpeakerKey, k, o.Seed, "hold-out");
            split = Make("holdout", utterances, u => folds[u.SpeakerKey] == 0, o);
        }
        else
        {
            var test = StratifiedSample(utterances, testFraction, o.Seed);
            split = Make("holdout", utterances, test.Contains, o, groupValidation: false);
        }
        return Finish($"stratified-holdout test={testFraction}{(speakerIndependent ? " speaker-independent" : " per-utterance")}", o.Seed, [split], utterances);
    }

    /// <summary>
    /// Speaker-independent k-fold: speakers are dealt to k folds so that each fold's label distribution is as
    /// close as possible to the whole (greedy, largest speakers first, ties by a seeded shuffle).
    /// </summary>
    public static SplitSet SpeakerKFold(IReadOnlyList<Utterance> utterances, int k, SplitOptions? options = null)
    {
        var o = (options ?? new SplitOptions()).Validate();
        RequireData(utterances);
        var speakers = utterances.Select(u => u.SpeakerKey).Distinct().Count();
        if (k < 2) throw new InvalidOptionsException("SpeakerKFold", [$"k must be at least 2, got {k}"]);
        if (speakers < k + 1)
            throw new SplitException($"speaker-independent {k}-fold needs at least {k + 1} speakers (k test groups plus training speakers); the data has {speakers}: {string.Join(", ", utterances.Select(u => u.SpeakerKey).Distinct().Order())}.");
        var folds = GroupAssigner.Assign(utterances, u => u.SpeakerKey, k, o.Seed, "speaker k-fold");
        var splits = Enumerable.Range(0, k).Select(f => Make($"fold{f + 1}", utterances, u => folds[u.SpeakerKey] == f, o)).ToArray();
        return Finish($"speaker-kfold k={k}", o.Seed, splits, utterances);
    }

    /// <summary>Leave-one-speaker-out: one fold per speaker key.</summary>
    public static SplitSet LeaveOneSpeakerOut(IReadOnlyList<Utterance> utterances, SplitOptions? options = null)
    {
        var o = (options ?? new SplitOptions()).Validate();
        RequireData(utterances);
        var speakers = utterances.Select(u => u.SpeakerKey).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (speakers.Length < 3) throw new SplitException($"leave-one-speaker-out needs at least 3 speakers (test, training, validation); the data has {speakers.Length}: {string.Join(", ", speakers)}.");
        var splits = speakers.Select(s => Make($"test-{s}", utterances, u => u.SpeakerKey == s, o)).ToArray();
        return Finish("leave-one-speaker-out", o.Seed, splits, utterances);
    }

    /// <summary>Leave-one-session-out (IEMOCAP style): one fold per (corpus, session).</summary>
    public static SplitSet LeaveOneSessionOut(IReadOnlyList<Utterance> utterances, SplitOptions? options = null)
    {
        var o = (options ?? new SplitOptions()).Validate();
        RequireData(utterances);
        var missing = utterances.Where(u => u.Session is null).ToArray();
        if (missing.Length > 0)
            throw new SplitException($"leave-one-session-out: {missing.Length} utterance(s) have no session, e.g. {string.Join(", ", missing.Take(5).Select(u => u.Id))}.");
        static string Key(Utterance u) => u.Corpus + "/" + u.Session;
        var sessions = utterances.Select(Key).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (sessions.Length < 2) throw new SplitException($"leave-one-session-out needs at least 2 sessions; the data has {sessions.Length}.");
        var splits = sessions.Select(s => Make($"test-{s}", utterances, u => Key(u) == s, o)).ToArray();
        // A speaker recorded in two sessions would straddle the split; the audit reports it, here we refuse.
        foreach (var sp in splits)
        {
            var shared = sp.Speakers.Train.Intersect(sp.Speakers.Test).ToArray();
            if (shared.Length > 0) throw new SplitException($"leave-one-session-out {sp.Name}: speaker(s) {string.Join(", ", shared)} occur in several sessions.");
        }
        return Finish("leave-one-session-out", o.Seed, splits, utterances);
    }

    /// <summary>Cross-corpus: train (and validate) on <paramref name="trainCorpora"/>, test on <paramref name="testCorpora"/>.</summary>
    public static SplitSet CrossCorpus(IReadOnlyList<Utterance> utterances, IReadOnlyCollection<string> trainCorpora, IReadOnlyCollection<string> testCorpora, SplitOptions? options = null)
    {
        var o = (options ?? new SplitOptions()).Validate();
        RequireData(utterances);
        var present = utterances.Select(u => u.Corpus).ToHashSet();
        var problems = new Problems();
        foreach (var c in trainCorpora.Concat(testCorpora).Where(c => !present.Contains(c)))
            problems.Add($"corpus '{c}' has no utterance (present: {string.Join(", ", present.Order())})");
        foreach (var c in trainCorpora.Intersect(testCorpora)) problems.Add($"corpus '{c}' is on both sides");
        problems.Require(trainCorpora.Count > 0 && testCorpora.Count > 0, "both a training and a test corpus are needed");
        problems.ThrowIfAny("CrossCorpus");
        var pool = utterances.Where(u => trainCorpora.Contains(u.Corpus) || testCorpora.Contains(u.Corpus)).ToArray();
        var split = Make($"train-{string.Join("+", trainCorpora)}_test-{string.Join("+", testCorpora)}", pool, u => testCorpora.Contains(u.Corpus), o);
        var left = utterances.Count - pool.Length;
        return Finish($"cross-corpus train={string.Join("+", trainCorpora)} test={string.Join("+", testCorpora)}" +
                      (left > 0 ? $" ({left} utterance(s) of other corpora left out)" : ""), o.Seed, [split], pool);
    }

    /// <summary>
    /// Fixed lists of utterance ids. Unknown ids and ids listed twice are errors (all listed); an empty
    /// validation list is filled from the training speakers.
    /// </summary>
    public static SplitSet Fixed(IReadOnlyList<Utterance> utterances, IReadOnlyCollection<string> trainIds, IReadOnlyCollection<string>? validationIds, IReadOnlyCollection<string> testIds, SplitOptions? options = null)
    {
        var o = (options ?? new SplitOptions()).Validate();
        RequireData(utterances);
        var byId = new Dictionary<string, Utterance>(StringComparer.Ordinal);
        foreach (var u in utterances) byId.TryAdd(u.Id, u);
        var problems = new Problems();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        List<Utterance> Resolve(IEnumerable<string> ids, string part)
        {
            var list = new List<Utterance>();
            var unknown = new List<string>();
            foreach (var id in ids)
            {
                if (!byId.TryGetValue(id, out var u)) { unknown.Add(id); continue; }
                if (seen.TryGetValue(id, out var other)) { problems.Add($"'{id}' is listed in {other} and {part}"); continue; }
                seen[id] = part;
                list.Add(u);
            }
            if (unknown.Count > 0) problems.Add($"{unknown.Count} {part} id(s) not in the data: {string.Join(", ", unknown.Take(10))}{(unknown.Count > 10 ? ", ..." : "")}");
            return list;
        }
        var train = Resolve(trainIds, "train");
        var val = Resolve(validationIds ?? [], "validation");
        var test = Resolve(testIds, "test");
        problems.Require(train.Count > 0, "the training list is empty").Require(test.Count > 0, "the test list is empty");
        problems.ThrowIfAny("Fixed split");
        Split split;
        if (val.Count == 0)
        {
            var testSet = test.ToHashSet();
            split = Make("fixed", train.Concat(test).ToArray(), testSet.Contains, o);
        }
        else split = Check(new Split { Name = "fixed", Train = train, Validation = val, Test = test }, utterances);
        var unlisted = utterances.Count - seen.Count;
        return Finish("fixed-lists" + (unlisted > 0 ? $" ({unlisted} utterance(s) in no list left out)" : ""), o.Seed, [split], utterances);
    }

    /// <summary>
    /// Moves part of <paramref name="pool"/> to validation: whole speakers (stratified as far as possible) when
    /// there are at least two speakers, otherwise a stratified share of the utterances.
    /// </summary>
    public static (IReadOnlyList<Utterance> Train, IReadOnlyList<Utterance> Validation) CarveValidation(IReadOnlyList<Utterance> pool, SplitOptions? options = null)
    {
        var o = (options ?? new SplitOptions()).Validate();
        var speakers = pool.Select(u => u.SpeakerKey).Distinct().Count();
        if (speakers >= 2)
        {
            var k = Math.Clamp((int)Math.Round(1 / o.ValidationFraction), 2, speakers);
            var folds = GroupAssigner.Assign(pool, u => u.SpeakerKey, k, o.Seed, "validation");
            var classes = pool.Select(u => u.Label).ToHashSet();
            // Take the first group of speakers whose removal still leaves every class in training.
            for (int f = 0; f < k; f++)
            {
                var train = pool.Where(u => folds[u.SpeakerKey] != f).ToArray();
                if (train.Select(u => u.Label).ToHashSet().SetEquals(classes))
                    return (train, pool.Where(u => folds[u.SpeakerKey] == f).ToArray());
            }
        }
        var val = StratifiedSample(pool, o.ValidationFraction, o.Seed);
        return (pool.Where(u => !val.Contains(u)).ToArray(), pool.Where(val.Contains).ToArray());
    }

    private static Split Make(string name, IReadOnlyList<Utterance> all, Func<Utterance, bool> isTest, SplitOptions o, bool groupValidation = true)
    {
        var test = all.Where(isTest).ToArray();
        var pool = all.Where(u => !isTest(u)).ToArray();
        IReadOnlyList<Utterance> train, val;
        if (groupValidation) (train, val) = CarveValidation(pool, o);
        else
        {
            var v = StratifiedSample(pool, o.ValidationFraction, o.Seed + 1);
            (train, val) = (pool.Where(u => !v.Contains(u)).ToArray(), pool.Where(v.Contains).ToArray());
        }
        return Check(new Split { Name = name, Train = train, Validation = val, Test = test }, all);
    }

    private static Split Check(Split s, IReadOnlyList<Utterance> all)
    {
        var classes = all.Select(u => u.Label).Distinct().Order().ToArray();
        var warnings = new List<string>(s.Warnings);
        string Missing(IReadOnlyList<Utterance> part) => string.Join(", ", classes.Except(part.Select(u => u.Label)).Select(e => e.Name()));
        var mt = Missing(s.Train);
        if (mt.Length > 0)
            throw new SplitException($"{s.Name}: no training utterance of class(es) {mt}; the model could never learn them. " +
                                     $"Test speakers: {string.Join(", ", s.Speakers.Test.Order())}.");
        var mv = Missing(s.Validation);
        if (mv.Length > 0) warnings.Add($"validation has no utterance of {mv}");
        var ms = Missing(s.Test);
        if (ms.Length > 0) warnings.Add($"test has no utterance of {ms}; its recall is undefined and is left out of UA");
        if (s.Validation.Count == 0) warnings.Add("validation is empty");
        var sharedValidation = s.Speakers.Train.Intersect(s.Speakers.Validation).Count();
        if (sharedValidation > 0)
            warnings.Add($"validation shares {sharedValidation} speaker(s) with training (too few training speakers to hold whole speakers out); validation scores are optimistic");
        return s with { Warnings = warnings };
    }

    private static SplitSet Finish(string protocol, int seed, IReadOnlyList<Split> folds, IReadOnlyList<Utterance> all) =>
        new() { Protocol = protocol, Seed = seed, Folds = folds };

    private static void RequireData(IReadOnlyList<Utterance> utterances)
    {
        if (utterances.Count == 0) throw new SplitException("no utterances to split.");
        var dup = utterances.GroupBy(u => u.Id).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToArray();
        if (dup.Length > 0) throw new SplitException($"utterance id(s) occur more than once: {string.Join(", ", dup)}.");
    }

    internal static HashSet<Utterance> StratifiedSample(IReadOnlyList<Utterance> pool, double fraction, int seed)
    {
        var rng = new Random(seed);
        var chosen = new HashSet<Utterance>(ReferenceEqualityComparer.Instance as IEqualityComparer<Utterance>);
        foreach (var g in pool.GroupBy(u => u.Label).OrderBy(g => g.Key))
        {
            var items = g.OrderBy(u => u.Id, StringComparer.Ordinal).ToArray();
            rng.Shuffle(items);
            var n = (int)Math.Round(items.Length * fraction);
            if (n == 0 && items.Length > 1) n = 1;
            foreach (var u in items.Take(n)) chosen.Add(u);
        }
        return chosen;
    }
}

/// <summary>
/// Deals groups (speakers) to k folds so that every fold's label distribution stays close to the whole:
/// groups are taken largest first (ties broken by a seeded shuffle) and each goes to the fold where it
/// lowers the squared deviation from the target proportions most, ties to the smallest fold.
/// </summary>
internal static class GroupAssigner
{
    public static Dictionary<string, int> Assign(IReadOnlyList<Utterance> utterances, Func<Utterance, string> group, int k, int seed, string what)
    {
        var labels = utterances.Select(u => u.Label).Distinct().Order().ToArray();
        var li = labels.Select((l, i) => (l, i)).ToDictionary(t => t.l, t => t.i);
        var groups = utterances.GroupBy(group).Select(g => (Key: g.Key, Counts: Count(g, li, labels.Length), Size: g.Count()))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        if (groups.Length < k) throw new SplitException($"{what}: {groups.Length} group(s) cannot fill {k} folds.");
        new Random(seed).Shuffle(groups);
        groups = groups.OrderByDescending(g => g.Size).ToArray(); // stable: the shuffle breaks ties
        var totals = new double[labels.Length];
        foreach (var g in groups) for (int c = 0; c < labels.Length; c++) totals[c] += g.Counts[c];
        var fold = new double[k, labels.Length];
        var sizes = new int[k];
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int gi = 0; gi < groups.Length; gi++)
        {
            var g = groups[gi];
            // Every fold must get at least one group: the last groups go to still-empty folds.
            int empties = sizes.Count(s => s == 0);
            bool mustFillEmpty = empties > 0 && groups.Length - gi <= empties;
            int best = -1;
            double bestCost = double.MaxValue;
            for (int f = 0; f < k; f++)
            {
                if (mustFillEmpty && sizes[f] != 0) continue;
                double cost = 0;
                for (int c = 0; c < labels.Length; c++)
                {
                    if (totals[c] == 0) continue;
                    for (int f2 = 0; f2 < k; f2++)
                    {
                        var share = (fold[f2, c] + (f2 == f ? g.Counts[c] : 0)) / totals[c] - 1.0 / k;
                        cost += share * share;
                    }
                }
                // Keeping fold sizes even matters as much as label balance: penalise by relative size too.
                var n = (double)utterances.Count;
                for (int f2 = 0; f2 < k; f2++)
                {
                    var share = (sizes[f2] + (f2 == f ? g.Size : 0)) / n - 1.0 / k;
                    cost += share * share;
                }
                if (cost < bestCost - 1e-12 || (Math.Abs(cost - bestCost) <= 1e-12 && sizes[f] < sizes[best]))
                {
                    best = f;
                    bestCost = cost;
                }
            }
            result[g.Key] = best;
            sizes[best] += g.Size;
            for (int c = 0; c < labels.Length; c++) fold[best, c] += g.Counts[c];
        }
        return result;
    }

    private static double[] Count(IEnumerable<Utterance> g, Dictionary<Emotion, int> li, int n)
    {
        var c = new double[n];
        foreach (var u in g) c[li[u.Label]]++;
        return c;
    }
}
