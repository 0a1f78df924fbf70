namespace SpeechEmotion.Augmentation;

/// <summary>
/// The training side of one split, and the only door to augmentation: an <see cref="AugmentationPipeline"/>
/// is built on a TrainingPart and augments nothing but its items, and its babble is made of nothing but
/// them. Creating one requires the validation and test parts too, and fails when any training item is,
/// or is a copy of, a held-out utterance — so "augment only training data" is enforced by construction,
/// not by convention.
/// </summary>
public sealed class TrainingPart
{
    private readonly Dictionary<string, AudioItem> _byId;
    private readonly Lazy<BabbleSource> _babble;

    private TrainingPart(string name, AudioItem[] items)
    {
        Name = name;
        Items = items;
        _byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        _babble = new Lazy<BabbleSource>(() => new BabbleSource(Items));
    }

    /// <summary>Name of the fold, for messages ("fold1").</summary>
    public string Name { get; }

    /// <summary>The training utterances, in the caller's order.</summary>
    public IReadOnlyList<AudioItem> Items { get; }

    /// <summary>Babble talkers: the training utterances only.</summary>
    public BabbleSource Babble => _babble.Value;

    /// <summary>True when <paramref name="utteranceId"/> is one of the training utterances.</summary>
    public bool Contains(string utteranceId) => _byId.ContainsKey(utteranceId);

    /// <summary>The training item with id <paramref name="utteranceId"/>.</summary>
    /// <exception cref="AugmentationLeakageException">It is not a training utterance.</exception>
    public AudioItem Get(string utteranceId) => _byId.TryGetValue(utteranceId, out var item)
        ? item
        : throw new AugmentationLeakageException(
            $"Utterance '{utteranceId}' is not in the training part of '{Name}'; augmentation is only ever applied to training data.");

    /// <summary>
    /// Declares the training part of a split.
    /// </summary>
    /// <param name="name">Fold name.</param>
    /// <param name="train">Training utterances (ids unique).</param>
    /// <param name="validation">Validation utterances of the same fold.</param>
    /// <param name="test">Test utterances of the same fold.</param>
    /// <exception cref="AugmentationLeakageException">A training item (or the original it was copied from) is also
    /// in validation or test; every such item is named.</exception>
    /// <exception cref="InvalidOptionsException">Duplicate training ids.</exception>
    public static TrainingPart Create(string name, IEnumerable<AudioItem> train, IEnumerable<AudioItem> validation, IEnumerable<AudioItem> test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        var items = train.ToArray();
        var dupes = items.GroupBy(i => i.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (dupes.Length > 0)
            throw new InvalidOptionsException(nameof(TrainingPart), dupes.Select(d => $"training id '{d}' appears more than once").ToArray());
        var heldOut = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in validation) { heldOut.TryAdd(v.Id, "validation"); heldOut.TryAdd(v.RootId, "validation"); }
        foreach (var t in test) { heldOut.TryAdd(t.Id, "test"); heldOut.TryAdd(t.RootId, "test"); }
        var leaks = new List<string>();
        foreach (var i in items)
        {
            if (heldOut.TryGetValue(i.Id, out var part) || heldOut.TryGetValue(i.RootId, out part))
                leaks.Add(i.RootId == i.Id ? $"'{i.Id}' is also in {part}" : $"'{i.Id}' is a copy of '{i.RootId}', which is in {part}");
        }
        if (leaks.Count > 0)
            throw new AugmentationLeakageException($"Training part of '{name}' overlaps held-out data ({leaks.Count}): " + string.Join("; ", leaks.Take(20)) + (leaks.Count > 20 ? "; ..." : ""));
        return new TrainingPart(name, items);
    }
}
