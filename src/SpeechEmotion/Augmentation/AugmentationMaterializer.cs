using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// An offline augmented copy of a training utterance, as listed in an augmentation manifest. It remembers
/// its source so that the corpora leakage audit can keep a copy on the same side of every split as its
/// original (the corpora's <c>Utterance.SourceUtterance</c> takes <see cref="SourceUtterance"/>).
/// </summary>
public sealed record AugmentedCopy
{
    /// <summary>Id of the copy: "&lt;source id&gt;#aug&lt;copy&gt;".</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>Audio file of the copy, relative to the manifest's folder.</summary>
    [JsonPropertyName("path")] public required string Path { get; init; }

    /// <summary>Id of the original (never augmented) utterance.</summary>
    [JsonPropertyName("source_utterance")] public required string SourceUtterance { get; init; }

    /// <summary>Audio file of the utterance it was made from, when it came from a file.</summary>
    [JsonPropertyName("source_path")] public string? SourcePath { get; init; }

    /// <summary>Copy index k (the draw used epoch k).</summary>
    [JsonPropertyName("copy")] public int Copy { get; init; }

    /// <summary>The per-utterance seed f(base seed, k, source id), as decimal text (JSON numbers lose 64-bit precision).</summary>
    [JsonPropertyName("seed")] public required string Seed { get; init; }

    /// <summary>What was done ("noise(kind=pink, snr_db=12.3); gain(db=-2)"; "none").</summary>
    [JsonPropertyName("transforms")] public required string Transforms { get; init; }

    /// <summary>The source's metadata (label, speaker, gender, ...), copied so the manifest loads as a corpus.</summary>
    [JsonPropertyName("metadata")] public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// Writes augmented copies of a training part to disk: for each training utterance and k in 0..copies-1 a
/// WAV file drawn with epoch k, and a JSON-lines manifest (<see cref="ManifestName"/>) with one
/// <see cref="AugmentedCopy"/> per line plus the source's metadata flattened as columns ("label", "speaker",
/// ...), so a manifest loader reads it as a corpus. Files and manifest are written atomically; the result
/// does not depend on the degree of parallelism.
/// </summary>
public static class AugmentationMaterializer
{
    /// <summary>File name of the manifest inside the output folder.</summary>
    public const string ManifestName = "augmented.jsonl";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Materialises <paramref name="copies"/> copies of every training utterance of <paramref name="pipeline"/>.</summary>
    /// <param name="pipeline">Recipe and training part.</param>
    /// <param name="outputFolder">Created if missing.</param>
    /// <param name="copies">Copies per utterance, 1–1000.</param>
    /// <param name="sampleRate">Rate the audio is read and written at (Hz).</param>
    /// <param name="format">WAV sample format; default 16-bit PCM.</param>
    /// <param name="maxParallelism">Worker threads; -1 for all cores.</param>
    /// <returns>The copies, in training-part order then copy order (the manifest's order).</returns>
    public static IReadOnlyList<AugmentedCopy> Materialize(AugmentationPipeline pipeline, string outputFolder, int copies, int sampleRate,
        WavSampleFormat format = WavSampleFormat.Pcm16, int maxParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(outputFolder);
        new Problems()
            .Require(copies is >= 1 and <= 1000, $"copies must lie within [1, 1000] (got {copies})")
            .Require(sampleRate is >= 1000 and <= 768_000, $"sample rate {sampleRate} Hz is outside 1000–768000 Hz")
            .ThrowIfAny("materialisation");
        Directory.CreateDirectory(outputFolder);
        var items = pipeline.Training.Items;
        var result = new AugmentedCopy[items.Count * copies];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism }, i =>
        {
            var item = items[i];
            var source = item.Load(sampleRate);
            for (var k = 0; k < copies; k++)
            {
                var a = pipeline.Apply(item.Id, source, sampleRate, k);
                var name = $"{FileStem(item.Id)}__aug{k}.wav";
                WavWriter.Write(Path.Combine(outputFolder, name), a.Samples, sampleRate, format);
                result[i * copies + k] = new AugmentedCopy
                {
                    Id = $"{item.Id}#aug{k}", Path = name, SourceUtterance = item.RootId,
                    SourcePath = item.Path is null ? null : Path.GetFullPath(item.Path),
                    Copy = k, Seed = a.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Transforms = a.Description, Metadata = item.Metadata,
                };
            }
        });
        WriteManifest(Path.Combine(outputFolder, ManifestName), result);
        return result;
    }

    /// <summary>Writes <paramref name="copies"/> as JSON lines, atomically (temporary file, then rename).</summary>
    public static void WriteManifest(string path, IEnumerable<AugmentedCopy> copies)
    {
        var sb = new StringBuilder();
        foreach (var c in copies)
        {
            var node = JsonSerializer.SerializeToNode(c, Json)!.AsObject();
            // Flatten metadata to top-level columns for manifest loaders; our own fields win on a clash.
            node.Remove("metadata");
            if (c.Metadata is not null)
                foreach (var (k, v) in c.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    if (!node.ContainsKey(k)) node[k] = v;
            sb.Append(node.ToJsonString()).Append('\n');
        }
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, sb.ToString(), new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Reads a manifest written by <see cref="WriteManifest"/>; unknown columns become metadata.</summary>
    /// <exception cref="AugmentationException">A line is not a valid copy record (its line number is named).</exception>
    public static IReadOnlyList<AugmentedCopy> ReadManifest(string path)
    {
        var list = new List<AugmentedCopy>();
        var own = new HashSet<string>(["id", "path", "source_utterance", "source_path", "copy", "seed", "transforms"]);
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                var c = JsonSerializer.Deserialize<AugmentedCopy>(text, Json)
                    ?? throw new AugmentationException($"{path}:{line}: not a JSON object");
                using var doc = JsonDocument.Parse(text);
                var meta = doc.RootElement.EnumerateObject().Where(p => !own.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!);
                list.Add(c with { Metadata = meta.Count > 0 ? meta : null });
            }
            catch (JsonException e)
            {
                throw new AugmentationException($"{path}:{line}: not an augmented-copy record: {e.Message}");
            }
        }
        return list;
    }

    /// <summary>A file-system-safe stem for an utterance id, with a hash suffix so distinct ids never collide.</summary>
    internal static string FileStem(string id)
    {
        var sb = new StringBuilder(id.Length);
        foreach (var ch in id) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '_' ? ch : '_');
        var stem = sb.ToString().Trim('.');
        if (stem.Length > 100) stem = stem[^100..];
        return $"{stem}_{AugmentationSeed.Fnv1a(id) & 0xFFFFFFFF:x8}";
    }
}
