using System.Buffers.Binary;
using System.Security.Cryptography;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Packaging;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Inference;

public sealed class ModelPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ser-pkg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Features per vector of the default "functionals" set (measured once).</summary>
    internal static readonly int FunctionalsWidth = FeatureSets.Create("functionals").Extract(Tone(16_000, 1.0), 16_000).Features;

    /// <summary>A seeded voiced-like test signal: 140 Hz harmonics with a slow amplitude wobble and a little noise.</summary>
    internal static float[] Tone(int sampleRate, double seconds, double f0 = 140, double amplitude = 0.3, int seed = 1)
    {
        var rng = new Random(seed);
        var x = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / sampleRate, env = 0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t);
            x[i] = (float)(amplitude * env * (Math.Sin(2 * Math.PI * f0 * t) + 0.5 * Math.Sin(4 * Math.PI * f0 * t)) + 0.01 * (rng.NextDouble() - 0.5));
        }
        return x;
    }

    internal static (ModelManifest Manifest, Dictionary<string, Tensor> State) TinyModel(int? width = null, string[]? labels = null)
    {
        int features = width ?? FunctionalsWidth;
        labels ??= ["neutral", "happy", "angry"];
        var spec = new ModelSpec { Architecture = "functionals-mlp", Features = features, Classes = labels.Length };
        var model = ModelZoo.Create(spec, seed: 7);
        var manifest = new ModelManifest
        {
            Labels = labels,
            FeatureSet = FeatureSets.Create("functionals").ToJson(),
            Preparation = new InputPreparation
            {
                Layout = InputLayout.Vector, Mode = LengthMode.Vector, Features = features,
                Mean = Enumerable.Range(0, features).Select(i => i * 0.5f).ToArray(),
                Std = Enumerable.Repeat(2f, features).ToArray(),
            },
            Spec = spec,
            Seed = 7,
            Temperature = 1.5,
            TrainingData = "unit test",
            Protocol = "none",
            Metrics = new Dictionary<string, double> { ["ua"] = 0.5, ["wa"] = 0.6 },
            Licence = "CC0",
        };
        return (manifest, model.StateDict());
    }

    private string SaveTiny(out ModelManifest manifest, out Dictionary<string, Tensor> state)
    {
        (manifest, state) = TinyModel();
        var path = Path.Combine(_dir, "m.sermodel");
        ModelPackage.Save(path, manifest, state);
        return path;
    }

    [Fact]
    public void RoundTripKeepsManifestAndEveryWeightExactly()
    {
        var path = SaveTiny(out var manifest, out var state);
        var loaded = ModelPackage.Load(path);
        Assert.Equal(manifest.Labels, loaded.Manifest.Labels);
        Assert.Equal(manifest.FeatureSet, loaded.Manifest.FeatureSet);
        Assert.Equal(manifest.Preparation.Mean, loaded.Manifest.Preparation.Mean);
        Assert.Equal(manifest.Preparation.Std, loaded.Manifest.Preparation.Std);
        Assert.Equal(manifest.Spec.ToJson(), loaded.Manifest.Spec.ToJson());
        Assert.Equal(1.5, loaded.Manifest.Temperature);
        Assert.Equal(0.5, loaded.Manifest.Metrics["ua"]);
        Assert.Equal("CC0", loaded.Manifest.Licence);
        Assert.Equal(state.Keys.Order(), loaded.StateDict.Keys.Order());
        foreach (var (name, t) in state)
        {
            Assert.Equal(t.Shape.ToArray(), loaded.StateDict[name].Shape.ToArray());
            Assert.Equal(t.ToArray(), loaded.StateDict[name].ToArray());
        }
        // The weights load strictly into a freshly built network of the same spec.
        var rebuilt = ModelZoo.Create(loaded.Manifest.Spec, loaded.Manifest.Seed + 1);
        Assert.True(rebuilt.LoadStateDict(loaded.StateDict, strict: true).IsClean);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void EveryTruncationIsRefusedWithATypedError()
    {
        var path = SaveTiny(out _, out _);
        var bytes = File.ReadAllBytes(path);
        for (int cut = 0; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 300))
        {
            var ex = Assert.Throws<ModelFormatException>(() => ModelPackage.Read(bytes.AsSpan(0, cut), "m.sermodel"));
            Assert.Contains("m.sermodel", ex.Message);
        }
    }

    [Fact]
    public void AnyFlippedByteIsDetected()
    {
        var path = SaveTiny(out _, out _);
        var bytes = File.ReadAllBytes(path);
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
            Assert.Throws<ModelFormatException>(() => ModelPackage.Read(copy));
        }
    }

    [Fact]
    public void FutureFormatVersionIsRefusedByName()
    {
        var path = SaveTiny(out _, out _);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), ModelManifest.CurrentFormatVersion + 1);
        Rehash(bytes);
        var ex = Assert.Throws<ModelFormatException>(() => ModelPackage.Read(bytes));
        Assert.Contains("newer", ex.Message);
    }

    [Fact]
    public void HugeClaimedTensorIsRefusedWithoutAllocating()
    {
        var path = SaveTiny(out _, out _);
        var bytes = File.ReadAllBytes(path);
        int manifestLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        int pos = 16 + manifestLength + 4;
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos));
        int dimPos = pos + 2 + nameLength + 1;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(dimPos), 1_000_000_000);
        Rehash(bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => ModelPackage.Read(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10 * bytes.Length + (1 << 20));
        Assert.Contains("more data than the file holds", ex.Message);
    }

    [Fact]
    public void InconsistentManifestIsRefusedOnSaveListingEveryProblem()
    {
        var (manifest, state) = TinyModel();
        var bad = manifest with { Labels = ["a", "a"], Temperature = 0 };
        var ex = Assert.Throws<ModelFormatException>(() => ModelPackage.Save(Path.Combine(_dir, "x.sermodel"), bad, state));
        Assert.Contains("3 classes but 2 labels", ex.Message);
        Assert.Contains("labels repeat", ex.Message);
        Assert.Contains("temperature", ex.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "x.sermodel")));
    }

    [Fact]
    public void UnknownFeatureSetIsRefused()
    {
        var (manifest, state) = TinyModel();
        var bad = manifest with { FeatureSet = """{"name":"no-such-set","version":1}""" };
        var ex = Assert.Throws<ModelFormatException>(() => ModelPackage.Save(Path.Combine(_dir, "y.sermodel"), bad, state));
        Assert.Contains("feature set", ex.Message);
    }

    [Fact]
    public void MismatchedFeatureDefinitionIsRefused()
    {
        // Weights and statistics for 5 features, but the stored feature set produces FunctionalsWidth of them.
        var (manifest, state) = TinyModel(width: 5);
        var ex = Assert.Throws<ModelFormatException>(() => ModelPackage.Save(Path.Combine(_dir, "z.sermodel"), manifest, state));
        Assert.Contains("mismatched feature definition", ex.Message);
        Assert.Contains($"produces {FunctionalsWidth} features", ex.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "z.sermodel")));
    }

    [Fact]
    public void NonModelFilesAreRefused()
    {
        var wav = Path.Combine(_dir, "not-a-model.sermodel");
        File.WriteAllBytes(wav, "RIFF\0\0\0\0WAVEfmt "u8.ToArray());
        Assert.Contains("not a SpeechEmotion model", Assert.Throws<ModelFormatException>(() => ModelPackage.Load(wav)).Message);
        Assert.Contains("not found", Assert.Throws<ModelFormatException>(() => ModelPackage.Load(Path.Combine(_dir, "missing.sermodel"))).Message);
    }

    private static void Rehash(byte[] bytes) =>
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes.AsSpan(bytes.Length - 32));
}
