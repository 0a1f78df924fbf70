using SpeechEmotion.Audio;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// One utterance as augmentation sees it: an identity, where its audio is (a file or samples in
/// memory), and what ties it to other utterances (speaker, source). Corpora map their
/// <c>Utterance</c> records onto this (Id, Path, Speaker key, SourceUtterance).
/// </summary>
public sealed record AudioItem
{
    /// <summary>Stable utterance id (the corpora's "corpus:relative/path"); seeds derive from it.</summary>
    public required string Id { get; init; }

    /// <summary>Audio file; null when <see cref="Samples"/> holds the audio.</summary>
    public string? Path { get; init; }

    /// <summary>Mono samples in [-1, 1] at <see cref="SampleRate"/>; null to read <see cref="Path"/>.</summary>
    public float[]? Samples { get; init; }

    /// <summary>Rate of <see cref="Samples"/> in Hz (ignored for files).</summary>
    public int SampleRate { get; init; }

    /// <summary>Speaker key unique across corpora; babble never mixes a speaker with himself. Null if unknown.</summary>
    public string? Speaker { get; init; }

    /// <summary>For an augmented copy, the id of the original utterance; null for originals.</summary>
    public string? SourceUtterance { get; init; }

    /// <summary>Metadata copied verbatim into offline-copy manifests (e.g. "label", "speaker", "gender").</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The original utterance this one stands for.</summary>
    public string RootId => SourceUtterance ?? Id;

    /// <summary>
    /// The mono audio at <paramref name="sampleRate"/> Hz: <see cref="Samples"/> (resampled when its rate
    /// differs) or the decoded file.
    /// </summary>
    /// <exception cref="AudioFormatException">The file cannot be read.</exception>
    public float[] Load(int sampleRate)
    {
        if (Samples is not null)
        {
            if (SampleRate <= 0) throw new InvalidOptionsException(nameof(AudioItem), [$"item '{Id}' has samples but no sample rate"]);
            return SampleRate == sampleRate ? Samples : Resampler.Resample(Samples, SampleRate, sampleRate);
        }
        if (Path is null) throw new InvalidOptionsException(nameof(AudioItem), [$"item '{Id}' has neither a path nor samples"]);
        return AudioReader.Read(Path, new AudioReadOptions { TargetSampleRate = sampleRate }).Samples;
    }
}

/// <summary>
/// Babble noise made of other utterances. Built by <see cref="TrainingPart"/> from its own items for
/// training, or by the caller from a test fold for robustness tests (<see cref="RobustnessCorruption"/>).
/// Decoded audio is cached (bounded); thread-safe.
/// </summary>
public sealed class BabbleSource
{
    private readonly AudioItem[] _items;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int), float[]> _cache = new();

    /// <summary>Creates a source over <paramref name="items"/> (the talkers), caching at most <paramref name="maxCached"/> decoded items.</summary>
    public BabbleSource(IEnumerable<AudioItem> items, int maxCached = 512)
    {
        ArgumentNullException.ThrowIfNull(items);
        // Sorted by id so that the draw does not depend on the order the caller listed them in.
        _items = items.OrderBy(i => i.Id, StringComparer.Ordinal).ToArray();
        MaxCached = maxCached;
    }

    /// <summary>Number of talkers available.</summary>
    public int Count => _items.Length;

    /// <summary>Upper bound of the decoded utterances kept in memory.</summary>
    public int MaxCached { get; }

    /// <summary>
    /// Babble of <paramref name="length"/> samples at <paramref name="sampleRate"/>: <paramref name="talkers"/>
    /// distinct utterances, each at unit RMS, looped from a random offset and summed. Never uses the
    /// utterance <paramref name="exclude"/> itself (nor another copy of it); avoids its speaker while other
    /// speakers remain.
    /// </summary>
    /// <param name="length">Samples wanted.</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="talkers">Number of voices (>= 1; fewer when fewer utterances qualify).</param>
    /// <param name="exclude">The utterance being corrupted (its RootId and Speaker are avoided).</param>
    /// <param name="rng">Random source.</param>
    /// <param name="used">Ids of the utterances used.</param>
    /// <exception cref="AugmentationException">No other utterance is available.</exception>
    public float[] Make(int length, int sampleRate, int talkers, AudioItem exclude, AugmentationRandom rng, out IReadOnlyList<string> used)
    {
        ArgumentNullException.ThrowIfNull(exclude);
        var candidates = _items.Where(i => i.RootId != exclude.RootId).ToArray();
        var otherSpeakers = exclude.Speaker is null ? candidates : candidates.Where(i => i.Speaker != exclude.Speaker).ToArray();
        if (otherSpeakers.Length > 0) candidates = otherSpeakers;
        if (candidates.Length == 0)
            throw new AugmentationException($"Babble for '{exclude.Id}' needs at least one other utterance; the babble source has {Count}.");
        var k = Math.Min(Math.Max(1, talkers), candidates.Length);
        // Partial Fisher–Yates: k distinct talkers.
        var order = Enumerable.Range(0, candidates.Length).ToArray();
        var mix = new double[length];
        var ids = new List<string>(k);
        for (var j = 0; j < k; j++)
        {
            var r = j + rng.NextInt(order.Length - j);
            (order[j], order[r]) = (order[r], order[j]);
            var item = candidates[order[j]];
            ids.Add(item.Id);
            var audio = Audio(item, sampleRate);
            var rms = NoiseMixer.Rms(audio);
            var offset = rng.NextInt(Math.Max(1, audio.Length));
            if (rms == 0) continue;
            var looped = NoiseMixer.Loop(audio, length, offset);
            for (var i = 0; i < length; i++) mix[i] += looped[i] / rms;
        }
        used = ids;
        var o = new float[length];
        for (var i = 0; i < length; i++) o[i] = (float)mix[i];
        return o;
    }

    private float[] Audio(AudioItem item, int sampleRate)
    {
        if (_cache.TryGetValue((item.Id, sampleRate), out var a)) return a;
        a = item.Load(sampleRate);
        if (_cache.Count < MaxCached) _cache.TryAdd((item.Id, sampleRate), a);
        return a;
    }
}

/// <summary>
/// Noise recordings from a folder (WAV, and FLAC/MP3/OGG when ffmpeg is available), for
/// <see cref="NoiseKind.File"/>. Files are listed once in ordinal order (so draws are reproducible) and
/// decoded on first use; thread-safe.
/// </summary>
public sealed class NoiseFolder
{
    private static readonly string[] Extensions = [".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a"];
    private readonly string[] _files;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int), float[]> _cache = new();

    /// <summary>Lists the audio files under <paramref name="folder"/> (recursively).</summary>
    /// <exception cref="AugmentationException">The folder does not exist or holds no audio file.</exception>
    public NoiseFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new AugmentationException($"Noise folder '{folder}' does not exist.");
        Folder = System.IO.Path.GetFullPath(folder);
        _files = Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (_files.Length == 0) throw new AugmentationException($"Noise folder '{Folder}' holds no audio file ({string.Join(", ", Extensions)}).");
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Folder { get; }

    /// <summary>The noise files, ordinal order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>A random file's audio looped from a random offset to <paramref name="length"/> samples at <paramref name="sampleRate"/>.</summary>
    public float[] Excerpt(int length, int sampleRate, AugmentationRandom rng, out string file)
    {
        var f = rng.NextInt(_files.Length);
        file = _files[f];
        var audio = _cache.GetOrAdd((f, sampleRate), key =>
            Audio.AudioReader.Read(_files[key.Item1], new Audio.AudioReadOptions { TargetSampleRate = key.Item2 }).Samples);
        if (audio.Length == 0) throw new AugmentationException($"Noise file '{file}' is empty.");
        return NoiseMixer.Loop(audio, length, rng.NextInt(audio.Length));
    }
}
