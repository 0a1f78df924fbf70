using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechEmotion.Models.Classical;

/// <summary>
/// Saves and loads fitted <see cref="ClassicalPipeline"/>s as JSON. Every field is named; large float
/// arrays (support vectors, stored training rows, scaler statistics) are base64 of little-endian
/// float32 so they round-trip bit-exactly and stay compact; double coefficients are JSON numbers
/// (shortest round-trip form). Writes are atomic (temporary file, then rename).
/// </summary>
public static class ClassicalModelFile
{
    /// <summary>Value of the "format" field.</summary>
    public const string FormatName = "speechemotion-classical";

    /// <summary>Current file version.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serialises a fitted pipeline to JSON text.</summary>
    /// <exception cref="ClassifierInputException">The classifier is not fitted or of an unknown type.</exception>
    public static string ToJson(ClassicalPipeline pipeline)
    {
        var c = pipeline.Classifier;
        if (!c.IsFitted) throw new ClassifierInputException("ClassicalModelFile: cannot save an unfitted classifier.");
        ClassifierDto dto = c switch
        {
            Svm s => new SvmDto
            {
                Options = s.Options,
                Classes = s.Classes,
                Dimensions = s.Dimensions,
                Gamma = s.EffectiveGamma,
                SupportVectors = Encode(s.SupportVectors),
                Present = s.PresentClasses.ToArray(),
                Machines = s.Machines.ToArray(),
            },
            LogisticRegression l => new LogisticDto
            {
                Options = l.Options, Classes = l.Classes, Dimensions = l.Dimensions, Weights = l.Weights, Bias = l.Bias,
            },
            KNearestNeighbours k => new KnnDto
            {
                Options = k.Options, Classes = k.Classes, Dimensions = k.Dimensions,
                Features = Encode(k.TrainingFeatures), Labels = k.TrainingLabels, VoteWeights = k.VoteWeights,
            },
            _ => throw new ClassifierInputException($"ClassicalModelFile: cannot save a {c.GetType().Name}."),
        };
        var file = new FileDto
        {
            Format = FormatName,
            Version = FormatVersion,
            ClassNames = pipeline.ClassNames?.ToArray(),
            FeatureSet = pipeline.FeatureSet,
            Scaler = pipeline.Scaler is null ? null : new ScalerDto { Mean = Encode(pipeline.Scaler.Mean), Scale = Encode(pipeline.Scaler.Scale) },
            Classifier = dto,
        };
        return JsonSerializer.Serialize(file, Json);
    }

    /// <summary>Reads a pipeline from JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFormatException">Malformed JSON, wrong format/version, or inconsistent arrays.</exception>
    public static ClassicalPipeline FromJson(string json, string source = "<json>")
    {
        FileDto? file;
        try { file = JsonSerializer.Deserialize<FileDto>(json, Json); }
        catch (JsonException e) { throw new ModelFormatException($"{source}: not a classical model file ({e.Message}).", e); }
        catch (NotSupportedException e) { throw new ModelFormatException($"{source}: not a classical model file ({e.Message}).", e); }
        if (file is null || file.Format != FormatName)
            throw new ModelFormatException($"{source}: the format field is '{file?.Format}', expected '{FormatName}'.");
        if (file.Version != FormatVersion)
            throw new ModelFormatException($"{source}: file version {file.Version} is not supported (expected {FormatVersion}).");
        if (file.Classifier is null) throw new ModelFormatException($"{source}: the classifier is missing.");
        try
        {
            var scaler = file.Scaler is null ? null : new StandardScaler(Decode(file.Scaler.Mean), Decode(file.Scaler.Scale));
            IClassifier classifier = file.Classifier switch
            {
                SvmDto s => LoadSvm(s),
                LogisticDto l => LoadLogistic(l),
                KnnDto k => LoadKnn(k),
                _ => throw new ModelFormatException("unknown classifier kind"),
            };
            if (scaler is not null && scaler.Dimensions != classifier.Dimensions)
                throw new ModelFormatException($"the scaler has {scaler.Dimensions} features, the classifier {classifier.Dimensions}");
            if (file.ClassNames is not null && file.ClassNames.Length != classifier.Classes)
                throw new ModelFormatException($"{file.ClassNames.Length} class names for {classifier.Classes} classes");
            return new ClassicalPipeline(classifier, scaler, file.ClassNames, file.FeatureSet);
        }
        catch (Exception e) when (e is ModelFormatException or InvalidOptionsException or FormatException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            throw new ModelFormatException($"{source}: inconsistent classical model ({e.Message}).", e);
        }
    }

    /// <summary>Writes <paramref name="pipeline"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, ClassicalPipeline pipeline)
    {
        var json = ToJson(pipeline);
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, json);
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Loads a pipeline saved by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, unreadable or malformed.</exception>
    public static ClassicalPipeline Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (IOException e) { throw new ModelFormatException($"{path}: cannot read the model file ({e.Message}).", e); }
        catch (UnauthorizedAccessException e) { throw new ModelFormatException($"{path}: cannot read the model file ({e.Message}).", e); }
        return FromJson(json, path);
    }

    private static Svm LoadSvm(SvmDto s)
    {
        var svm = new Svm(s.Options);
        var sv = Decode(s.SupportVectors);
        Require(s.Classes >= 2 && s.Dimensions >= 1 && sv.Length % s.Dimensions == 0, "SVM shape");
        Require(s.Present.Length == s.Classes, "SVM present-class mask");
        var nsv = sv.Length / s.Dimensions;
        foreach (var m in s.Machines)
        {
            Require(m.SupportVectors.Length == m.Coefficients.Length, "SVM machine coefficients");
            Require(m.SupportVectors.All(v => v >= 0 && v < nsv), "SVM support-vector index");
            Require(m.PositiveClass >= 0 && m.PositiveClass < s.Classes && m.NegativeClass >= -1 && m.NegativeClass < s.Classes, "SVM machine classes");
        }
        Require(s.Machines.Length > 0, "SVM machines");
        svm.Install(s.Classes, s.Dimensions, s.Gamma, sv, s.Machines, s.Present);
        return svm;
    }

    private static LogisticRegression LoadLogistic(LogisticDto l)
    {
        Require(l.Classes >= 2 && l.Dimensions >= 1 && l.Weights.Length == l.Classes * l.Dimensions && l.Bias.Length == l.Classes, "logistic shape");
        var model = new LogisticRegression(l.Options);
        model.Install(l.Classes, l.Dimensions, l.Weights, l.Bias);
        return model;
    }

    private static KNearestNeighbours LoadKnn(KnnDto k)
    {
        var x = Decode(k.Features);
        Require(k.Classes >= 2 && k.Dimensions >= 1 && k.Labels.Length > 0 && x.Length == k.Labels.Length * k.Dimensions
                && k.VoteWeights.Length == k.Labels.Length && k.Labels.All(c => c >= 0 && c < k.Classes), "kNN shape");
        var model = new KNearestNeighbours(k.Options);
        model.Install(k.Classes, k.Dimensions, x, k.Labels, k.VoteWeights);
        return model;
    }

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new ModelFormatException($"{what} is inconsistent");
    }

    private static string Encode(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Convert.ToBase64String(bytes);
    }

    private static float[] Decode(string text)
    {
        var bytes = Convert.FromBase64String(text);
        if (bytes.Length % 4 != 0) throw new ModelFormatException("a float array's byte length is not a multiple of 4");
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    private sealed class FileDto
    {
        public string Format { get; set; } = "";
        public int Version { get; set; }
        public string[]? ClassNames { get; set; }
        public string? FeatureSet { get; set; }
        public ScalerDto? Scaler { get; set; }
        public ClassifierDto? Classifier { get; set; }
    }

    private sealed class ScalerDto
    {
        public string Mean { get; set; } = "";
        public string Scale { get; set; } = "";
    }

    [JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
    [JsonDerivedType(typeof(SvmDto), "svm")]
    [JsonDerivedType(typeof(LogisticDto), "logistic-regression")]
    [JsonDerivedType(typeof(KnnDto), "knn")]
    private abstract class ClassifierDto
    {
        public int Classes { get; set; }
        public int Dimensions { get; set; }
    }

    private sealed class SvmDto : ClassifierDto
    {
        public SvmOptions Options { get; set; } = new();
        public double Gamma { get; set; }
        public bool[] Present { get; set; } = [];
        public string SupportVectors { get; set; } = "";
        public SvmBinaryModel[] Machines { get; set; } = [];
    }

    private sealed class LogisticDto : ClassifierDto
    {
        public LogisticRegressionOptions Options { get; set; } = new();
        public double[] Weights { get; set; } = [];
        public double[] Bias { get; set; } = [];
    }

    private sealed class KnnDto : ClassifierDto
    {
        public KNearestNeighboursOptions Options { get; set; } = new();
        public string Features { get; set; } = "";
        public int[] Labels { get; set; } = [];
        public double[] VoteWeights { get; set; } = [];
    }
}
