namespace SpeechEmotion.Corpora;

/// <summary>Combines several loaded corpora into one training set with a common label map.</summary>
public static class CorpusCombiner
{
    /// <summary>
    /// Concatenates the corpora (each utterance keeps its <see cref="Utterance.Corpus"/> tag, and speakers stay
    /// apart through <see cref="Utterance.SpeakerKey"/>) and applies <paramref name="map"/>. The same corpus tag
    /// loaded from two different roots is refused, since ids and speakers would collide.
    /// </summary>
    public static LabelMapResult Combine(IEnumerable<CorpusLoadResult> parts, LabelMap? map = null)
    {
        var list = parts.ToList();
        if (list.Count == 0) throw new CorpusException("no corpus to combine.");
        var clash = list.GroupBy(p => p.Corpus).Where(g => g.Select(p => p.Root).Distinct().Count() > 1).ToArray();
        if (clash.Length > 0)
            throw new CorpusException("corpus tag(s) loaded from more than one root: " +
                string.Join("; ", clash.Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Root).Distinct())}")) +
                ". Give each a distinct tag (e.g. the manifest or folder loader's Corpus property).");
        var all = list.DistinctBy(p => (p.Corpus, p.Root)).SelectMany(p => p.Utterances).ToArray();
        return (map ?? LabelMap.Identity).Apply(all);
    }
}
