namespace SpeechEmotion.Features;

/// <summary>
/// "functionals": mean and (population) standard deviation over frames of any frame-level set
/// (parameter "set", default "lld"; parameters prefixed "set." go to that set) → one row of
/// 2·features values named "&lt;feature&gt;_mean", "&lt;feature&gt;_std".
/// </summary>
internal sealed class FunctionalsSet : FeatureSetBase
{
    public const string SetName = "functionals";
    public const int SetVersion = 1;
    private const string Prefix = "set.";

    private readonly IFeatureSet _inner;

    private FunctionalsSet(IFeatureSet inner, IReadOnlyDictionary<string, string> canonical)
        : base(SetName, SetVersion, inner.SampleRate, canonical)
    {
        _inner = inner;
    }

    /// <summary>The frame-level set summarised.</summary>
    public IFeatureSet Inner => _inner;

    public static FunctionalsSet Create(IReadOnlyDictionary<string, string>? parameters)
    {
        parameters ??= new Dictionary<string, string>();
        var own = parameters.Where(kv => !kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var innerParams = parameters.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value);
        var p = new FeatureParameters(SetName, own);
        var innerName = p.String("set", "lld");
        p.Require(innerName != SetName, "functionals cannot summarise themselves");
        p.ThrowIfInvalid();
        var inner = FeatureSets.Create(innerName, innerParams);
        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["set"] = innerName };
        // the inner set's full canonical JSON pins its version and defaults
        canonical["set_json"] = inner.ToJson();
        foreach (var kv in innerParams) canonical[Prefix + kv.Key] = kv.Value;
        return new FunctionalsSet(inner, canonical);
    }

    public static IFeatureSet FromJson(string json)
    {
        var ps = FeatureSets.ParseCanonicalJson(json, SetName, SetVersion);
        if (!ps.TryGetValue("set_json", out var innerJson))
            throw new InvalidOptionsException("feature set JSON", ["functionals JSON lacks 'set_json'"]);
        var inner = FeatureSets.FromJson(innerJson);
        var canonical = new SortedDictionary<string, string>(ps, StringComparer.Ordinal);
        return new FunctionalsSet(inner, canonical);
    }

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples) => Summarise(_inner.Extract(samples, SampleRate));

    /// <summary>Mean and population standard deviation of each column of <paramref name="m"/>.</summary>
    public static FeatureMatrix Summarise(FeatureMatrix m)
    {
        int f = m.Features, n = m.Frames;
        if (n == 0) throw new SpeechEmotion.Dsp.InvalidSignalException("No frames to summarise.");
        var mean = new double[f];
        var sq = new double[f];
        for (var t = 0; t < n; t++)
        {
            var row = m.Row(t);
            for (var j = 0; j < f; j++) mean[j] += row[j];
        }
        for (var j = 0; j < f; j++) mean[j] /= n;
        for (var t = 0; t < n; t++)
        {
            var row = m.Row(t);
            for (var j = 0; j < f; j++) { var d = row[j] - mean[j]; sq[j] += d * d; }
        }
        var data = new float[2 * f];
        var names = new string[2 * f];
        for (var j = 0; j < f; j++)
        {
            data[j] = (float)mean[j];
            data[f + j] = (float)Math.Sqrt(sq[j] / n);
            names[j] = m.FeatureNames[j] + "_mean";
            names[f + j] = m.FeatureNames[j] + "_std";
        }
        return new FeatureMatrix(1, 2 * f, data, names);
    }
}
