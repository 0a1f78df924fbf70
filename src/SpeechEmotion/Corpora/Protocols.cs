using System.Globalization;

namespace SpeechEmotion.Corpora;

/// <summary>Named, fixed evaluation protocols the project reports on.</summary>
public static class Protocols
{
    /// <summary>Name of <see cref="Ravdess5Fold"/> as written into split files and reports.</summary>
    public const string Ravdess5FoldName = "ravdess-actors01-20-5fold";

    /// <summary>Folds of <see cref="Ravdess5Fold"/>.</summary>
    public const int Ravdess5FoldCount = 5;

    /// <summary>
    /// Test fold (0-based) of RAVDESS actor <paramref name="actor"/> (1–20) under <see cref="Ravdess5Fold"/>:
    /// ⌊(actor − 1) / 4⌋. The one definition of the rule; code that works on feature tables keyed by actor
    /// number (the classical-model reference tests) uses it too.
    /// </summary>
    /// <exception cref="SplitException">The actor is outside 1–20.</exception>
    public static int Ravdess5FoldOfActor(int actor) =>
        actor is >= 1 and <= 20 ? (actor - 1) / 4 : throw new SplitException($"{Ravdess5FoldName}: actor {actor} is outside 01–20.");

    /// <summary>
    /// The project's reporting protocol: RAVDESS speech, actors 01–20, 5 speaker-independent folds of 4
    /// consecutive actors (fold i tests actors 4i+1…4i+4). Validation is the first two actors of the next fold
    /// (cyclically: one male, one female), training the other 14 actors. Fully deterministic, no seed.
    /// Utterances of other corpora or actors 21–24 are left out; all 20 actors must be present.
    /// </summary>
    public static SplitSet Ravdess5Fold(IReadOnlyList<Utterance> utterances)
    {
        var pool = utterances.Where(u => u.Corpus == "ravdess" && int.TryParse(u.Speaker, NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a is >= 1 and <= 20).ToArray();
        var present = pool.Select(u => int.Parse(u.Speaker, CultureInfo.InvariantCulture)).ToHashSet();
        var missing = Enumerable.Range(1, 20).Where(a => !present.Contains(a)).ToArray();
        if (missing.Length > 0)
            throw new SplitException($"{Ravdess5FoldName}: actor(s) {string.Join(", ", missing.Select(a => a.ToString("00", CultureInfo.InvariantCulture)))} have no utterance; the protocol needs RAVDESS actors 01–20.");
        var folds = new List<Split>();
        for (int f = 0; f < Ravdess5FoldCount; f++)
        {
            var test = Enumerable.Range(1, 20).Where(a => Ravdess5FoldOfActor(a) == f).ToHashSet();
            var next = (f + 1) % Ravdess5FoldCount;
            var val = Enumerable.Range(1, 20).Where(a => Ravdess5FoldOfActor(a) == next).Take(2).ToHashSet();
            int A(Utterance u) => int.Parse(u.Speaker, CultureInfo.InvariantCulture);
            var split = new Split
            {
                Name = $"fold{f + 1}",
                Train = pool.Where(u => !test.Contains(A(u)) && !val.Contains(A(u))).ToArray(),
                Validation = pool.Where(u => val.Contains(A(u))).ToArray(),
                Test = pool.Where(u => test.Contains(A(u))).ToArray(),
            };
            var classes = pool.Select(u => u.Label).Distinct().ToArray();
            var warnings = new List<string>();
            foreach (var (part, name) in new[] { (split.Train, "train"), (split.Validation, "validation"), (split.Test, "test") })
            {
                var absent = classes.Except(part.Select(u => u.Label)).Select(e => e.Name()).ToArray();
                if (absent.Length == 0) continue;
                if (name == "train") throw new SplitException($"{Ravdess5FoldName} fold{f + 1}: no training utterance of {string.Join(", ", absent)}.");
                warnings.Add($"{name} has no utterance of {string.Join(", ", absent)}");
            }
            folds.Add(split with { Warnings = warnings });
        }
        var left = utterances.Count - pool.Length;
        return new SplitSet { Protocol = Ravdess5FoldName + (left > 0 ? $" ({left} utterance(s) outside RAVDESS actors 01-20 left out)" : ""), Seed = 0, Folds = folds };
    }
}

/// <summary>Split protocols selectable by name (CLI, configuration files).</summary>
public enum SplitProtocol
{
    /// <summary><see cref="Protocols.Ravdess5Fold"/>: the project's reporting protocol.</summary>
    Ravdess5Fold,
    /// <summary><see cref="Splits.SpeakerKFold"/>.</summary>
    SpeakerKFold,
    /// <summary><see cref="Splits.LeaveOneSpeakerOut"/>.</summary>
    LeaveOneSpeakerOut,
    /// <summary><see cref="Splits.LeaveOneSessionOut"/>.</summary>
    LeaveOneSessionOut,
    /// <summary><see cref="Splits.StratifiedHoldOut"/>, speaker-independent, 20 % test.</summary>
    HoldOut,
}

/// <summary>Builds a <see cref="SplitSet"/> from a <see cref="SplitProtocol"/>.</summary>
public static class SplitProtocols
{
    /// <summary>Names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ravdess5", "kfold", "loso", "session", "holdout"];

    /// <summary>Parses "ravdess5", "kfold", "loso", "session" or "holdout".</summary>
    public static SplitProtocol Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "ravdess5" or "ravdess-5fold" or Protocols.Ravdess5FoldName => SplitProtocol.Ravdess5Fold,
        "kfold" or "speaker-kfold" => SplitProtocol.SpeakerKFold,
        "loso" or "leave-one-speaker-out" => SplitProtocol.LeaveOneSpeakerOut,
        "session" or "leave-one-session-out" => SplitProtocol.LeaveOneSessionOut,
        "holdout" => SplitProtocol.HoldOut,
        _ => throw new InvalidOptionsException("protocol", [$"unknown protocol '{name}'; known: {string.Join(", ", Names)}"]),
    };

    /// <summary>Makes the split; <paramref name="folds"/> is used by <see cref="SplitProtocol.SpeakerKFold"/> only.</summary>
    public static SplitSet Make(SplitProtocol protocol, IReadOnlyList<Utterance> utterances, int folds = 5, SplitOptions? options = null) => protocol switch
    {
        SplitProtocol.Ravdess5Fold => Protocols.Ravdess5Fold(utterances),
        SplitProtocol.SpeakerKFold => Splits.SpeakerKFold(utterances, folds, options),
        SplitProtocol.LeaveOneSpeakerOut => Splits.LeaveOneSpeakerOut(utterances, options),
        SplitProtocol.LeaveOneSessionOut => Splits.LeaveOneSessionOut(utterances, options),
        SplitProtocol.HoldOut => Splits.StratifiedHoldOut(utterances, 0.2, options),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };
}
