using System.Runtime.CompilerServices;

namespace SpeechEmotion.Features.Compare;

/// <summary>
/// The feature sets "compare16" (the 6373 ComParE 2016 functionals, one row) and "compare16-lld" (65 smoothed
/// descriptors and their deltas per 10 ms frame), named as openSMILE names them. Parameter: <c>sample_rate</c>
/// (Hz, default 16000, 8000–384000).
/// </summary>
public static class CompareFeatureSets
{
    /// <summary>Name of the functionals set.</summary>
    public const string FunctionalsName = "compare16";
    /// <summary>Name of the frame-level set.</summary>
    public const string LldName = "compare16-lld";
    /// <summary>Recipe version of both sets.</summary>
    public const int Version = 1;

    private static int _registered;

    /// <summary>Adds both sets to <see cref="FeatureSets"/> (idempotent; also done when the library loads).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        FeatureSets.Register(FunctionalsName, p => CompareSet.Create(FunctionalsName, p), j => CompareSet.FromJson(FunctionalsName, j));
        FeatureSets.Register(LldName, p => CompareSet.Create(LldName, p), j => CompareSet.FromJson(LldName, j));
    }

    /// <summary>
    /// The 6373 functionals of <paramref name="samples"/>: the descriptors of <see cref="CompareLldExtractor"/>
    /// summarised by <see cref="CompareFunctionals"/> over every frame but the last (as openSMILE does).
    /// </summary>
    public static float[] Functionals(ReadOnlySpan<float> samples, int sampleRate)
    {
        var lld = new CompareLldExtractor().Extract(samples, sampleRate, out int frames);
        var result = new float[CompareFunctionals.Count];
        CompareFunctionals.Compute(lld, Math.Max(frames - 1, Math.Min(frames, 1)), result);
        return result;
    }

#pragma warning disable CA2255 // The registry must know these sets before any caller asks for them by name.
    [ModuleInitializer]
    internal static void RegisterOnLoad() => Register();
#pragma warning restore CA2255
}

internal sealed class CompareSet : FeatureSetBase
{
    private readonly bool _functionals;

    private CompareSet(string name, int sampleRate, IReadOnlyDictionary<string, string> canonical)
        : base(name, CompareFeatureSets.Version, sampleRate, canonical)
    {
        _functionals = name == CompareFeatureSets.FunctionalsName;
    }

    public static CompareSet Create(string name, IReadOnlyDictionary<string, string>? parameters)
    {
        var p = new FeatureParameters(name, parameters);
        int sr = p.Int("sample_rate", 16000, 8000, 384000);
        p.ThrowIfInvalid();
        return new CompareSet(name, sr, p.Canonical);
    }

    public static CompareSet FromJson(string name, string json) => Create(name, FeatureSets.ParseCanonicalJson(json, name, CompareFeatureSets.Version));

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        if (_functionals)
            return new FeatureMatrix(1, CompareFunctionals.Count, CompareFeatureSets.Functionals(samples, SampleRate), CompareNames.Functionals);
        var data = new CompareLldExtractor().Extract(samples, SampleRate, out int frames);
        return new FeatureMatrix(frames, CompareLldExtractor.Columns, data, CompareNames.Llds);
    }
}
