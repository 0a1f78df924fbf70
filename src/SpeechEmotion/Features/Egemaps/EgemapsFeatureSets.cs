using System.Runtime.CompilerServices;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// The feature sets "egemaps-v02" (the 88 functionals, one row) and "egemaps-v02-lld" (25 smoothed
/// descriptors per 10 ms frame). Parameter: <c>sample_rate</c> (Hz, default 16000, 8000–384000).
/// </summary>
public static class EgemapsFeatureSets
{
    /// <summary>Name of the functionals set.</summary>
    public const string FunctionalsName = "egemaps-v02";
    /// <summary>Name of the frame-level set.</summary>
    public const string LldName = "egemaps-v02-lld";
    /// <summary>Recipe version of both sets.</summary>
    public const int Version = 1;

    private static int _registered;

    /// <summary>Adds both sets to <see cref="FeatureSets"/> (idempotent; also done when the library loads).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        FeatureSets.Register(FunctionalsName, p => EgemapsSet.Create(FunctionalsName, p), j => EgemapsSet.FromJson(FunctionalsName, j));
        FeatureSets.Register(LldName, p => EgemapsSet.Create(LldName, p), j => EgemapsSet.FromJson(LldName, j));
    }

#pragma warning disable CA2255 // The registry must know these sets before any caller asks for them by name.
    [ModuleInitializer]
    internal static void RegisterOnLoad() => Register();
#pragma warning restore CA2255
}

internal sealed class EgemapsSet : FeatureSetBase
{
    private readonly bool _functionals;
    private readonly EgemapsExtractor _extractor = new();

    private EgemapsSet(string name, int sampleRate, IReadOnlyDictionary<string, string> canonical)
        : base(name, EgemapsFeatureSets.Version, sampleRate, canonical)
    {
        _functionals = name == EgemapsFeatureSets.FunctionalsName;
    }

    public static EgemapsSet Create(string name, IReadOnlyDictionary<string, string>? parameters)
    {
        var p = new FeatureParameters(name, parameters);
        int sr = p.Int("sample_rate", 16000, 8000, 384000);
        p.ThrowIfInvalid();
        return new EgemapsSet(name, sr, p.Canonical);
    }

    public static EgemapsSet FromJson(string name, string json) => Create(name, FeatureSets.ParseCanonicalJson(json, name, EgemapsFeatureSets.Version));

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        if (_functionals)
            return new FeatureMatrix(1, 88, _extractor.ExtractFunctionals(samples, SampleRate), EgemapsNames.Functionals);
        var data = _extractor.ExtractLld(samples, SampleRate, out int frames);
        return new FeatureMatrix(frames, EgemapsLld.Count, data, EgemapsNames.Llds);
    }
}
