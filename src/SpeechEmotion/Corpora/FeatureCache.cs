using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SpeechEmotion.Audio;
using SpeechEmotion.Features;

namespace SpeechEmotion.Corpora;

/// <summary>Hit/miss counters of a <see cref="FeatureCache"/> instance.</summary>
/// <param name="Hits">Entries read from disk.</param>
/// <param name="Misses">Entries computed (absent or discarded).</param>
/// <param name="CorruptDiscarded">Entries found damaged (bad checksum, truncated, wrong key), deleted and recomputed.</param>
public readonly record struct FeatureCacheStats(long Hits, long Misses, long CorruptDiscarded);

/// <summary>
/// On-disk cache of features keyed by (content hash of the decoded audio, canonical JSON of the feature set),
/// shared by every experiment that points at the same folder. Entries carry a SHA-256 checksum and both keys,
/// are written atomically (temporary file + rename), and a damaged entry is detected, deleted and recomputed,
/// so an interrupted run or a corrupted disk never yields wrong features. Thread-safe.
/// Layout: <c>DIR/&lt;set-name&gt;-&lt;16 hex of set hash&gt;/featureset.json</c> and <c>…/&lt;2 hex&gt;/&lt;audio hash&gt;.sfc</c>.
/// </summary>
public sealed class FeatureCache
{
    private static readonly byte[] Magic = "SERFC001"u8.ToArray();
    private const int HashBytes = 32;
    private const int HeaderBytes = 8 + HashBytes + HashBytes + 4 + 4 + 4;
    private long _hits, _misses, _corrupt;

    /// <summary>Opens (and creates) a cache in <paramref name="directory"/>.</summary>
    public FeatureCache(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new InvalidOptionsException(nameof(FeatureCache), ["cache directory is empty"]);
        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>Absolute cache folder.</summary>
    public string Directory { get; }

    /// <summary>Counters since this instance was created.</summary>
    public FeatureCacheStats Stats => new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _corrupt));

    /// <summary>
    /// The default folder: <c>$SER_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/speechemotion/features</c>, else
    /// <c>~/.cache/speechemotion/features</c>.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("SER_CACHE_DIR");
            if (!string.IsNullOrWhiteSpace(env)) return env;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return System.IO.Path.Combine(baseDir, "speechemotion", "features");
        }
    }

    /// <summary>
    /// Features of the file at <paramref name="audioPath"/> for <paramref name="set"/>: decoded (mono, resampled to
    /// <see cref="IFeatureSet.SampleRate"/>), hashed, then read from the cache or extracted and stored.
    /// </summary>
    public FeatureMatrix GetOrCompute(string audioPath, IFeatureSet set)
    {
        var audio = AudioReader.Read(audioPath, new AudioReadOptions { TargetSampleRate = set.SampleRate });
        return GetOrCompute(audio.Samples, audio.SampleRate, set);
    }

    /// <summary>Features of mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz for <paramref name="set"/>.</summary>
    public FeatureMatrix GetOrCompute(float[] samples, int sampleRate, IFeatureSet set) =>
        GetOrCompute(AudioHash.Of(samples, sampleRate), set, () => set.Extract(samples, sampleRate));

    /// <summary>
    /// The entry for (<paramref name="audioHash"/>, <paramref name="set"/>), computed by <paramref name="compute"/>
    /// and stored when absent or damaged.
    /// </summary>
    /// <param name="audioHash">Lower-case hex SHA-256 from <see cref="AudioHash.Of"/>.</param>
    /// <param name="set">The feature set; its <see cref="IFeatureSet.ToJson"/> is the second key.</param>
    /// <param name="compute">Extraction run on a miss.</param>
    public FeatureMatrix GetOrCompute(string audioHash, IFeatureSet set, Func<FeatureMatrix> compute)
    {
        var json = set.ToJson();
        if (TryGet(audioHash, set.Name, json, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        var m = compute();
        Put(audioHash, set.Name, json, m);
        return m;
    }

    /// <summary>Reads an entry; false when absent. A damaged entry is deleted, counted and reported as absent.</summary>
    public bool TryGet(string audioHash, IFeatureSet set, out FeatureMatrix matrix) => TryGet(audioHash, set.Name, set.ToJson(), out matrix);

    /// <summary>Stores an entry atomically (an existing one is replaced).</summary>
    public void Put(string audioHash, IFeatureSet set, FeatureMatrix matrix) => Put(audioHash, set.Name, set.ToJson(), matrix);

    private bool TryGet(string audioHash, string setName, string setJson, out FeatureMatrix matrix)
    {
        matrix = null!;
        var path = EntryPath(audioHash, setName, setJson);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        var decoded = Decode(bytes, SetHash(setJson), HashFromHex(audioHash));
        if (decoded is null)
        {
            Interlocked.Increment(ref _corrupt);
            try { File.Delete(path); } catch (IOException) { }
            return false;
        }
        matrix = decoded;
        return true;
    }

    private void Put(string audioHash, string setName, string setJson, FeatureMatrix m)
    {
        var setDir = SetDirectory(setName, setJson);
        var setFile = System.IO.Path.Combine(setDir, "featureset.json");
        if (!File.Exists(setFile)) AtomicFile.WriteAllText(setFile, setJson);
        AtomicFile.WriteAllBytes(EntryPath(audioHash, setName, setJson), Encode(m, SetHash(setJson), HashFromHex(audioHash)));
    }

    private string SetDirectory(string setName, string setJson)
    {
        var safe = new string(setName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return System.IO.Path.Combine(Directory, $"{safe}-{Convert.ToHexStringLower(SetHash(setJson))[..16]}");
    }

    private string EntryPath(string audioHash, string setName, string setJson) =>
        System.IO.Path.Combine(SetDirectory(setName, setJson), audioHash[..2], audioHash + ".sfc");

    private static byte[] SetHash(string json) => SHA256.HashData(Encoding.UTF8.GetBytes(json));

    private static byte[] HashFromHex(string hex)
    {
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigitLower))
            throw new InvalidOptionsException(nameof(FeatureCache), [$"audio hash '{hex}' is not 64 lower-case hex digits (use AudioHash.Of)"]);
        return Convert.FromHexString(hex);
    }

    internal static byte[] Encode(FeatureMatrix m, byte[] setHash, byte[] audioHash)
    {
        var names = Encoding.UTF8.GetBytes(string.Join('\n', m.FeatureNames));
        var dataBytes = (long)m.Data.Length * 4;
        var total = HeaderBytes + names.Length + dataBytes + HashBytes;
        var buf = new byte[total];
        var span = buf.AsSpan();
        Magic.CopyTo(span);
        setHash.CopyTo(span[8..]);
        audioHash.CopyTo(span[(8 + HashBytes)..]);
        int p = 8 + 2 * HashBytes;
        BinaryPrimitives.WriteInt32LittleEndian(span[p..], m.Frames);
        BinaryPrimitives.WriteInt32LittleEndian(span[(p + 4)..], m.Features);
        BinaryPrimitives.WriteInt32LittleEndian(span[(p + 8)..], names.Length);
        p += 12;
        names.CopyTo(span[p..]);
        p += names.Length;
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(m.Data.AsSpan()).CopyTo(span[p..]);
        else for (int i = 0; i < m.Data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(p + 4 * i)..], m.Data[i]);
        p += (int)dataBytes;
        SHA256.HashData(span[..p], span[p..]);
        return buf;
    }

    /// <summary>Null when the bytes are not a valid entry for these keys.</summary>
    internal static FeatureMatrix? Decode(byte[] bytes, byte[]? setHash, byte[]? audioHash)
    {
        var span = bytes.AsSpan();
        if (bytes.Length < HeaderBytes + HashBytes || !span[..8].SequenceEqual(Magic)) return null;
        var body = span[..^HashBytes];
        Span<byte> check = stackalloc byte[HashBytes];
        SHA256.HashData(body, check);
        if (!check.SequenceEqual(span[^HashBytes..])) return null;
        if (setHash is not null && !span.Slice(8, HashBytes).SequenceEqual(setHash)) return null;
        if (audioHash is not null && !span.Slice(8 + HashBytes, HashBytes).SequenceEqual(audioHash)) return null;
        int p = 8 + 2 * HashBytes;
        int frames = BinaryPrimitives.ReadInt32LittleEndian(span[p..]), features = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 4)..]);
        int namesLen = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 8)..]);
        p += 12;
        if (frames < 0 || features < 0 || namesLen < 0 || (long)HeaderBytes + namesLen + (long)frames * features * 4 + HashBytes != bytes.Length) return null;
        var names = features == 0 ? [] : Encoding.UTF8.GetString(span.Slice(p, namesLen)).Split('\n');
        if (names.Length != features) return null;
        p += namesLen;
        var data = new float[frames * features];
        if (BitConverter.IsLittleEndian) span.Slice(p, data.Length * 4).CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
        else for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(p + 4 * i)..]);
        return new FeatureMatrix(frames, features, data, names);
    }

    /// <summary>Describes the cache in <paramref name="directory"/>; with <paramref name="verify"/> every entry's checksum is checked.</summary>
    public static FeatureCacheInfo Inspect(string directory, bool verify = false)
    {
        var dir = System.IO.Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir)) return new FeatureCacheInfo(dir, false, [], 0);
        var sets = new List<FeatureCacheSetInfo>();
        foreach (var setDir in System.IO.Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            var jsonPath = System.IO.Path.Combine(setDir, "featureset.json");
            var json = File.Exists(jsonPath) ? File.ReadAllText(jsonPath) : null;
            int entries = 0, corrupt = 0;
            long bytes = 0;
            foreach (var f in System.IO.Directory.EnumerateFiles(setDir, "*.sfc", SearchOption.AllDirectories))
            {
                entries++;
                bytes += new FileInfo(f).Length;
                if (verify && Decode(File.ReadAllBytes(f), json is null ? null : SetHash(json), null) is null) corrupt++;
            }
            sets.Add(new FeatureCacheSetInfo(System.IO.Path.GetFileName(setDir), json, entries, bytes, verify ? corrupt : null));
        }
        var temps = System.IO.Directory.EnumerateFiles(dir, "*.tmp", SearchOption.AllDirectories).Count();
        return new FeatureCacheInfo(dir, true, sets, temps);
    }

    /// <summary>
    /// Deletes every entry (or only the sets whose folder starts with <paramref name="featureSetName"/>), plus
    /// leftovers of interrupted writes. Returns the number of files and bytes removed.
    /// </summary>
    public static (int Files, long Bytes) Clear(string directory, string? featureSetName = null)
    {
        var dir = System.IO.Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir)) return (0, 0);
        int files = 0;
        long bytes = 0;
        foreach (var setDir in System.IO.Directory.EnumerateDirectories(dir))
        {
            var name = System.IO.Path.GetFileName(setDir);
            if (featureSetName is not null && !name.StartsWith(featureSetName + "-", StringComparison.Ordinal)) continue;
            foreach (var f in System.IO.Directory.EnumerateFiles(setDir, "*", SearchOption.AllDirectories)) { files++; bytes += new FileInfo(f).Length; }
            System.IO.Directory.Delete(setDir, recursive: true);
        }
        foreach (var f in System.IO.Directory.EnumerateFiles(dir, "*.tmp", SearchOption.TopDirectoryOnly)) { files++; bytes += new FileInfo(f).Length; File.Delete(f); }
        return (files, bytes);
    }
}

/// <summary>One feature set's part of the cache.</summary>
/// <param name="Folder">Folder name ("logmel-0123456789abcdef").</param>
/// <param name="DefinitionJson">The feature set's canonical JSON, when its featureset.json is there.</param>
/// <param name="Entries">Number of cached matrices.</param>
/// <param name="Bytes">Their total size in bytes.</param>
/// <param name="Corrupt">Entries failing verification (null when not verified).</param>
public sealed record FeatureCacheSetInfo(string Folder, string? DefinitionJson, int Entries, long Bytes, int? Corrupt);

/// <summary>The result of <see cref="FeatureCache.Inspect"/>.</summary>
/// <param name="Directory">Absolute cache folder.</param>
/// <param name="Exists">Whether the folder exists.</param>
/// <param name="Sets">Per feature set.</param>
/// <param name="TemporaryFiles">Leftovers of interrupted writes (harmless; removed by clear).</param>
public sealed record FeatureCacheInfo(string Directory, bool Exists, IReadOnlyList<FeatureCacheSetInfo> Sets, int TemporaryFiles)
{
    /// <summary>Total entries.</summary>
    public int Entries => Sets.Sum(s => s.Entries);

    /// <summary>Total bytes of entries.</summary>
    public long Bytes => Sets.Sum(s => s.Bytes);
}
