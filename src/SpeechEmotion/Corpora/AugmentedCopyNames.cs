using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>
/// Recognises offline augmented copies by their file names when the metadata does not say so
/// (<see cref="Utterance.SourceUtterance"/> is null): a file whose name is another utterance's file name followed by
/// an augmentation suffix is taken for a copy of it. Two naming schemes are understood:
/// <list type="bullet">
/// <item>this toolkit's offline copies (<c>SpeechEmotion.Augmentation.AugmentationMaterializer</c> and the robustness
/// corruptions): <c>&lt;sanitised source id&gt;_&lt;8 hex&gt;__aug3.wav</c>, <c>..._&lt;8 hex&gt;__noise-10db.wav</c>;</item>
/// <item>common hand-made names: the source's file stem, a separator (<c>_ - . #</c>, or a double underscore) and a tail
/// whose first word names an augmentation (aug, augmented, copy, speed, sp, tempo, pitch, ps, shift, stretch, ts,
/// noise, noisy, gain, vol, volume, reverb, rir, perturb, telephone, clip), e.g. <c>03-01-05-01-02-01-12_speed1.1.wav</c>,
/// <c>F01A01-pitch+2.wav</c>.</item>
/// </list>
/// A name that merely starts with another file's stem without such a word (<c>take1</c> / <c>take10</c>) is not a copy.
/// </summary>
public static partial class AugmentedCopyNames
{
    [GeneratedRegex(@"^(?:__|[_\-.#])(?:aug|augmented|augment|copy|speed|sp|tempo|pitch|ps|shift|stretch|ts|noise|noisy|gain|vol|volume|reverb|rir|perturb|perturbed|telephone|clip|clipped)(?:$|[^a-z])", RegexOptions.IgnoreCase)]
    private static partial Regex Tail();

    [GeneratedRegex(@"^(.*_[0-9a-f]{8})__[A-Za-z0-9.+\-]+$")]
    private static partial Regex OwnCopy();

    /// <summary>
    /// For every utterance that looks like an augmented copy of another one by its file name (and has no
    /// <see cref="Utterance.SourceUtterance"/> of its own), the id of that source. Keys are copy ids.
    /// </summary>
    public static IReadOnlyDictionary<string, string> InferSources(IReadOnlyList<Utterance> utterances)
    {
        var byStem = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var byOwnStem = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var u in utterances.Where(u => u.SourceUtterance is null))
        {
            byStem.TryAdd(Path.GetFileNameWithoutExtension(u.Path), u.Id);
            byOwnStem.TryAdd(Augmentation.AugmentationMaterializer.FileStem(u.Id), u.Id);
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var u in utterances)
        {
            if (u.SourceUtterance is not null) continue;
            var stem = Path.GetFileNameWithoutExtension(u.Path);
            if (OwnCopy().Match(stem) is { Success: true } own && byOwnStem.TryGetValue(own.Groups[1].Value, out var ownSource) && ownSource != u.Id)
            {
                result[u.Id] = ownSource;
                continue;
            }
            // Shortest prefix first, so "a_speed1.1_noise" maps to the original "a", not to a copy named "a_speed1.1".
            for (int cut = 1; cut < stem.Length; cut++)
            {
                if (stem[cut] is not ('_' or '-' or '.' or '#')) continue;
                if (!byStem.TryGetValue(stem[..cut], out var source) || source == u.Id) continue;
                if (!Tail().IsMatch(stem[cut..])) continue;
                result[u.Id] = source;
                break;
            }
        }
        return result;
    }
}
