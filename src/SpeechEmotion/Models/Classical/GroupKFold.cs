namespace SpeechEmotion.Models.Classical;

/// <summary>How distinct groups (speakers) are dealt to folds.</summary>
public enum GroupFoldAssignment
{
    /// <summary>
    /// Distinct group ids sorted ascending and cut into contiguous blocks: the group of rank r (0-based,
    /// G groups) goes to fold ⌊r·folds / G⌋. RAVDESS actors 1–20 in 5 folds: 1–4, 5–8, 9–12, 13–16, 17–20.
    /// </summary>
    Contiguous,

    /// <summary>Sorted distinct group ids dealt in turn: rank r goes to fold r mod folds.</summary>
    RoundRobin,
}

/// <summary>
/// Speaker-independent (group-aware) fold assignment: every sample of a group lands in the same fold,
/// so no speaker is both trained on and tested on. Deterministic: depends only on the group ids.
/// </summary>
/// <remarks>
/// The RAVDESS reporting protocol (actors 01–20, 5 folds of 4 actors) is defined once, in
/// <c>SpeechEmotion.Corpora.Protocols.Ravdess5Fold</c> (per actor: <c>Protocols.Ravdess5FoldOfActor</c>); experiments
/// reach classical models through <c>SpeechEmotion.Training.ClassicalRunner</c> with that split.
/// </remarks>
public static class GroupKFold
{
    /// <summary>Fold index in [0, <paramref name="folds"/>) per sample.</summary>
    /// <param name="groups">Group (speaker) id per sample.</param>
    /// <param name="folds">Number of folds (≥ 2, at most the number of distinct groups).</param>
    /// <param name="assignment">How groups are dealt to folds.</param>
    /// <exception cref="ClassifierInputException">Too few distinct groups, empty input, or folds &lt; 2.</exception>
    public static int[] Assign(ReadOnlySpan<int> groups, int folds, GroupFoldAssignment assignment = GroupFoldAssignment.Contiguous)
    {
        if (groups.Length == 0) throw new ClassifierInputException("GroupKFold: no samples to split.");
        if (folds < 2) throw new ClassifierInputException($"GroupKFold: folds must be at least 2, got {folds}.");
        var distinct = new SortedSet<int>();
        foreach (var g in groups) distinct.Add(g);
        if (distinct.Count < folds)
            throw new ClassifierInputException($"GroupKFold: {distinct.Count} distinct groups cannot fill {folds} folds.");
        var rank = new Dictionary<int, int>();
        foreach (var g in distinct) rank[g] = rank.Count;
        var result = new int[groups.Length];
        for (var i = 0; i < groups.Length; i++)
        {
            var r = rank[groups[i]];
            result[i] = assignment == GroupFoldAssignment.Contiguous ? (int)((long)r * folds / distinct.Count) : r % folds;
        }
        return result;
    }

    /// <summary>Training and test row indices (ascending) of <paramref name="fold"/>.</summary>
    public static (int[] Train, int[] Test) Split(ReadOnlySpan<int> foldOfSample, int fold)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (var i = 0; i < foldOfSample.Length; i++) (foldOfSample[i] == fold ? test : train).Add(i);
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>Copies rows <paramref name="rows"/> of the [n, d] array <paramref name="x"/>.</summary>
    public static float[] TakeRows(ReadOnlySpan<float> x, int d, ReadOnlySpan<int> rows)
    {
        var result = new float[rows.Length * d];
        for (var t = 0; t < rows.Length; t++) x.Slice(rows[t] * d, d).CopyTo(result.AsSpan(t * d, d));
        return result;
    }

    /// <summary>Picks <paramref name="rows"/> of <paramref name="values"/>.</summary>
    public static T[] Take<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> rows)
    {
        var result = new T[rows.Length];
        for (var t = 0; t < rows.Length; t++) result[t] = values[rows[t]];
        return result;
    }
}
