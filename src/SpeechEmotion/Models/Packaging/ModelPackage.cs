using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Models.Packaging;

/// <summary>A model file that cannot be used: corrupt, truncated, tampered, from a newer format, or inconsistent.</summary>
public sealed class ModelFormatException : SpeechEmotionException
{
    /// <summary>Creates the exception; the message names the file and the problem.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the cause.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A loaded <c>.sermodel</c>: its manifest and named weights.</summary>
/// <param name="Manifest">What the model is.</param>
/// <param name="StateDict">Named weights, shapes as stored.</param>
public sealed record LoadedModelPackage(ModelManifest Manifest, IReadOnlyDictionary<string, Tensor> StateDict);

/// <summary>
/// Reads and writes <c>.sermodel</c> files. Layout (little-endian): magic "SERMODEL", int32 format
/// version, int32 manifest length, manifest UTF-8 JSON, int32 tensor count, per tensor (uint16 name
/// length, UTF-8 name, uint8 rank, int32 dims, float32 data), then the SHA-256 of everything before it.
/// The file holds data only: loading never runs anything from it.
/// </summary>
public static class ModelPackage
{
    private static ReadOnlySpan<byte> Magic => "SERMODEL"u8;

    /// <summary>Largest file accepted (models are a few MB; this bounds what a hostile header can make us read).</summary>
    public const long MaxFileBytes = 1L << 30;

    private const int MaxManifestBytes = 16 << 20;
    private const int MaxTensors = 100_000;
    private const int MaxRank = 8;
    private const int HashBytes = 32;

    /// <summary>Writes the model atomically (temp file + rename) to <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The manifest is inconsistent or a tensor holds NaN/Inf.</exception>
    public static void Save(string path, ModelManifest manifest, IReadOnlyDictionary<string, Tensor> stateDict)
    {
        Validate(manifest, path);
        using var body = new MemoryStream();
        body.Write(Magic);
        WriteInt(body, manifest.FormatVersion);
        var json = Encoding.UTF8.GetBytes(manifest.ToJsonNode().ToJsonString());
        WriteInt(body, json.Length);
        body.Write(json);
        WriteInt(body, stateDict.Count);
        Span<byte> two = stackalloc byte[2];
        foreach (var (name, tensor) in stateDict.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var data = tensor.Span;
            foreach (var v in data)
                if (!float.IsFinite(v)) throw new ModelFormatException($"{path}: weight '{name}' holds NaN or Inf; refusing to save it.");
            var nameBytes = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(two, checked((ushort)nameBytes.Length));
            body.Write(two);
            body.Write(nameBytes);
            body.WriteByte(checked((byte)tensor.Rank));
            foreach (var d in tensor.Shape) WriteInt(body, d);
            var bytes = new byte[data.Length * 4];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
            body.Write(bytes);
        }
        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        body.Write(hash);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                body.Position = 0;
                body.CopyTo(f);
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads and validates the model file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">Missing, corrupt, truncated, tampered, newer or inconsistent file.</exception>
    public static LoadedModelPackage Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ModelFormatException($"{path}: model file not found.");
            if (info.Length > MaxFileBytes) throw new ModelFormatException($"{path}: {info.Length} bytes is larger than any model this build accepts ({MaxFileBytes}).");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e) { throw new ModelFormatException($"{path}: cannot read the model file: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new ModelFormatException($"{path}: cannot read the model file: {e.Message}", e); }
        return Read(bytes, path);
    }

    /// <summary>Reads and validates a model from its bytes; <paramref name="source"/> names it in errors.</summary>
    public static LoadedModelPackage Read(ReadOnlySpan<byte> bytes, string source = "model")
    {
        if (bytes.Length < Magic.Length + 12 + HashBytes || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new ModelFormatException($"{source}: not a SpeechEmotion model file (no SERMODEL header, or too short: {bytes.Length} bytes).");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[Magic.Length..]);
        if (version > ModelManifest.CurrentFormatVersion)
            throw new ModelFormatException($"{source}: model format version {version} is newer than this build reads ({ModelManifest.CurrentFormatVersion}); update SpeechEmotion.");
        if (version < 1) throw new ModelFormatException($"{source}: invalid model format version {version}.");
        var body = bytes[..^HashBytes];
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(bytes[^HashBytes..]))
            throw new ModelFormatException($"{source}: checksum mismatch: the file is truncated, corrupt or was modified.");

        var r = new Reader(body, source) { Pos = Magic.Length + 4 };
        int manifestLength = r.Int("manifest length", 1, MaxManifestBytes);
        var manifestJson = Encoding.UTF8.GetString(r.Bytes(manifestLength, "manifest"));
        var manifest = ParseManifest(manifestJson, source);
        int count = r.Int("tensor count", 0, MaxTensors);
        var state = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (int t = 0; t < count; t++)
        {
            int nameLength = r.UShort();
            var name = Encoding.UTF8.GetString(r.Bytes(nameLength, "tensor name"));
            int rank = r.Byte();
            if (rank is < 1 or > MaxRank) throw new ModelFormatException($"{source}: tensor '{name}' has rank {rank} (1..{MaxRank} allowed).");
            var shape = new int[rank];
            long elements = 1;
            for (int i = 0; i < rank; i++)
            {
                shape[i] = r.Int($"dimension {i} of '{name}'", 1, int.MaxValue);
                elements *= shape[i];
                if (elements * 4 > r.Remaining) throw new ModelFormatException($"{source}: tensor '{name}' claims more data than the file holds.");
            }
            var raw = r.Bytes((int)elements * 4, $"data of '{name}'");
            var data = new float[elements];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                if (!float.IsFinite(data[i])) throw new ModelFormatException($"{source}: tensor '{name}' holds NaN or Inf.");
            }
            if (!state.TryAdd(name, Tensor.FromArray(data, shape)))
                throw new ModelFormatException($"{source}: tensor '{name}' appears twice.");
        }
        if (r.Remaining != 0) throw new ModelFormatException($"{source}: {r.Remaining} unexpected bytes after the last tensor.");
        return new LoadedModelPackage(manifest, state);
    }

    private static ModelManifest ParseManifest(string json, string source)
    {
        JsonObject o;
        try { o = JsonNode.Parse(json) as JsonObject ?? throw new ModelFormatException($"{source}: the manifest is not a JSON object."); }
        catch (JsonException e) { throw new ModelFormatException($"{source}: the manifest is not valid JSON: {e.Message}", e); }
        try
        {
            var labels = (o["labels"] as JsonArray ?? throw new ModelFormatException($"{source}: the manifest has no labels."))
                .Select(n => n?.GetValue<string>() ?? throw new ModelFormatException($"{source}: a label is null.")).ToArray();
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (o["metrics"] is JsonObject m) foreach (var (k, v) in m) metrics[k] = v?.GetValue<double>() ?? double.NaN;
            var manifest = new ModelManifest
            {
                FormatVersion = o["formatVersion"]?.GetValue<int>() ?? 0,
                Labels = labels,
                FeatureSet = (o["featureSet"] ?? throw new ModelFormatException($"{source}: the manifest has no feature set.")).ToJsonString(),
                Preparation = ParsePreparation(o["preparation"] as JsonObject ?? throw new ModelFormatException($"{source}: the manifest has no input preparation.")),
                Spec = ModelSpec.FromJsonNode(o["spec"] as JsonObject ?? throw new ModelFormatException($"{source}: the manifest has no model spec.")),
                Seed = o["seed"]?.GetValue<ulong>() ?? 0,
                Temperature = o["temperature"]?.GetValue<double>() ?? 1.0,
                TrainingData = o["trainingData"]?.GetValue<string>() ?? "",
                Protocol = o["protocol"]?.GetValue<string>() ?? "",
                Metrics = metrics,
                Licence = o["licence"]?.GetValue<string>() ?? "",
                CreatedUtc = o["createdUtc"] is JsonNode c ? DateTimeOffset.Parse(c.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : default,
                ToolVersion = o["toolVersion"]?.GetValue<string>() ?? "",
            };
            Validate(manifest, source);
            return manifest;
        }
        catch (ModelFormatException) { throw; }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or SpeechEmotionException or NotSupportedException)
        {
            throw new ModelFormatException($"{source}: invalid manifest: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the preparation written by <see cref="ModelManifest.ToJsonNode"/> field by field: the reflection-based
    /// serializer costs ~0.1 s of start-up in a one-clip <c>ser predict</c>. Enums may be numbers or names.
    /// </summary>
    private static InputPreparation ParsePreparation(JsonObject p)
    {
        static T Enum<T>(JsonNode? n) where T : struct, System.Enum
        {
            if (n is null) return default;
            var v = n.AsValue();
            if (v.TryGetValue<int>(out int i))
                return System.Enum.IsDefined(typeof(T), i) ? (T)(object)i : throw new FormatException($"{i} is not a {typeof(T).Name}");
            var text = v.GetValue<string>().Replace("-", "");
            return System.Enum.TryParse<T>(text, ignoreCase: true, out var e) && System.Enum.IsDefined(e) ? e : throw new FormatException($"'{text}' is not a {typeof(T).Name}");
        }
        static float[] Floats(JsonNode? n) =>
            (n as JsonArray ?? throw new FormatException("mean/std must be arrays")).Select(x => x?.GetValue<float>() ?? throw new FormatException("null statistic")).ToArray();
        return new InputPreparation
        {
            Layout = Enum<InputLayout>(p["Layout"]),
            Mode = Enum<LengthMode>(p["Mode"]),
            Frames = p["Frames"]?.GetValue<int>() ?? 0,
            Features = p["Features"]?.GetValue<int>() ?? throw new FormatException("preparation has no Features"),
            Mean = Floats(p["Mean"]),
            Std = Floats(p["Std"]),
            Crop = Enum<CropPosition>(p["Crop"]),
            Transpose = p["Transpose"]?.GetValue<bool>() ?? false,
        };
    }

    /// <summary>Checks that the manifest's parts agree with each other.</summary>
    private static void Validate(ModelManifest m, string source)
    {
        var p = new Problems();
        p.Require(m.FormatVersion is >= 1 and <= ModelManifest.CurrentFormatVersion, $"format version {m.FormatVersion} is not 1..{ModelManifest.CurrentFormatVersion}");
        p.Require(m.Labels.Count >= 2, $"a classifier needs at least 2 labels, got {m.Labels.Count}");
        p.Require(m.Labels.Distinct(StringComparer.Ordinal).Count() == m.Labels.Count, "labels repeat");
        p.Require(m.Labels.All(l => !string.IsNullOrWhiteSpace(l)), "a label is empty");
        p.Require(m.Spec.Classes == m.Labels.Count, $"the model has {m.Spec.Classes} classes but {m.Labels.Count} labels");
        p.Require(double.IsFinite(m.Temperature) && m.Temperature > 0, $"temperature must be > 0, got {m.Temperature}");
        p.Require(m.Preparation.Mean.Length == m.Preparation.Features && m.Preparation.Std.Length == m.Preparation.Features,
            $"normalisation statistics have {m.Preparation.Mean.Length}/{m.Preparation.Std.Length} values for {m.Preparation.Features} features");
        p.Require(m.Preparation.Mean.All(float.IsFinite) && m.Preparation.Std.All(s => float.IsFinite(s) && s > 0), "normalisation statistics hold NaN, Inf or non-positive deviations");
        p.Require(m.Spec.Features == m.Preparation.ModelFeatures,
            $"the network takes {m.Spec.Features} features but the input preparation produces {m.Preparation.ModelFeatures}");
        try
        {
            var set = Features.FeatureSets.FromJson(m.FeatureSet);
            int width = FeatureWidth(set);
            p.Require(width == m.Preparation.Features,
                $"the feature set '{set.Name}' produces {width} features per frame but the model was trained on {m.Preparation.Features} (mismatched feature definition)");
        }
        catch (SpeechEmotionException e) { p.Add($"feature set: {e.Message}"); }
        if (!p.IsEmpty)
        {
            try { p.ThrowIfAny("model manifest"); }
            catch (InvalidOptionsException e) { throw new ModelFormatException($"{source}: {e.Message}", e); }
        }
    }

    /// <summary>
    /// Width the feature set really produces, measured on 1 s of a seeded synthetic voiced signal (a 140 Hz
    /// harmonic tone with noise): catches a definition whose parameters disagree with the stored statistics.
    /// </summary>
    private static int FeatureWidth(Features.IFeatureSet set)
    {
        int sr = set.SampleRate, n = sr;
        var x = new float[n];
        uint state = 12345;
        for (int i = 0; i < n; i++)
        {
            state = state * 1664525 + 1013904223;
            double t = (double)i / sr, noise = (state >> 8) / (double)(1 << 24) - 0.5;
            x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 140 * t) + 0.1 * Math.Sin(2 * Math.PI * 280 * t) + 0.02 * noise);
        }
        return set.Extract(x, sr).Features;
    }

    private static void WriteInt(Stream s, int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        s.Write(b);
    }

    private ref struct Reader(ReadOnlySpan<byte> data, string source)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        public int Pos;
        public readonly int Remaining => _data.Length - Pos;

        public ReadOnlySpan<byte> Bytes(int n, string what)
        {
            if (n < 0 || n > Remaining) throw new ModelFormatException($"{source}: the file ends inside the {what}.");
            var s = _data.Slice(Pos, n);
            Pos += n;
            return s;
        }

        public int Int(string what, int min, int max)
        {
            int v = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, what));
            if (v < min || v > max) throw new ModelFormatException($"{source}: {what} {v} is outside {min}..{max}.");
            return v;
        }

        public int UShort() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, "tensor name length"));
        public int Byte() => Bytes(1, "tensor rank")[0];
    }
}
