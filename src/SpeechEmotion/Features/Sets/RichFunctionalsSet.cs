using SpeechEmotion.Audio;

namespace SpeechEmotion.Features;

/// <summary>
/// "rich-functionals": nine statistics over frames of any frame-level set (parameter "set", default "lld";
/// parameters prefixed "set." go to that set), of every descriptor and, with "deltas" (default true), of its
/// first-order delta (width 9): mean, population standard deviation, skewness, excess kurtosis, 10th / 50th /
/// 90th percentile, the 10–90 range and the linear slope over the utterance (value change from first to last
/// frame of the least-squares line). One row of 9·features (·2 with deltas) values named
/// "&lt;feature&gt;[_d]_&lt;statistic&gt;". With "trim_db" &gt; 0 (default 30 dB) leading and trailing audio more than
/// that far below the loudest frame is cut first (librosa's trim), so the statistics describe the speech and
/// not the silence around it. Everything is computed from the one utterance's own audio (inductive).
/// </summary>
internal sealed class RichFunctionalsSet : FeatureSetBase
{
    public const string SetName = "rich-functionals";
    public const int SetVersion = 1;
    private const string Prefix = "set.";
    private const int DeltaWidth = 9;

    /// <summary>Statistic suffixes in column order (per descriptor).</summary>
    public static readonly string[] Statistics = ["mean", "std", "skew", "kurt", "p10", "p50", "p90", "range", "slope"];

    private readonly IFeatureSet _inner;
    private readonly bool _deltas;
    private readonly double _trimDb;

    private RichFunctionalsSet(IFeatureSet inner, bool deltas, double trimDb, IReadOnlyDictionary<string, string> canonical)
        : base(SetName, SetVersion, inner.SampleRate, canonical)
    {
        _inner = inner; _deltas = deltas; _trimDb = trimDb;
    }

    public static RichFunctionalsSet Create(IReadOnlyDictionary<string, string>? parameters)
    {
        parameters ??= new Dictionary<string, string>();
        var own = parameters.Where(kv => !kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var innerParams = parameters.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value);
        var p = new FeatureParameters(SetName, own);
        var innerName = p.String("set", "lld");
        var deltas = p.Bool("deltas", true);
        var trim = p.Double("trim_db", 30, 0, 200);
        p.Require(innerName != SetName && innerName != FunctionalsSet.SetName, $"rich-functionals need a frame-level set, not '{innerName}'");
        p.ThrowIfInvalid();
        var inner = FeatureSets.Create(innerName, innerParams);
        var canonical = new SortedDictionary<string, string>(p.Canonical.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal) { ["set_json"] = inner.ToJson() };
        foreach (var kv in innerParams) canonical[Prefix + kv.Key] = kv.Value;
        return new RichFunctionalsSet(inner, deltas, trim, canonical);
    }

    public static IFeatureSet FromJson(string json)
    {
        var ps = FeatureSets.ParseCanonicalJson(json, SetName, SetVersion);
        if (!ps.TryGetValue("set_json", out var innerJson))
            throw new InvalidOptionsException("feature set JSON", ["rich-functionals JSON lacks 'set_json'"]);
        var inner = FeatureSets.FromJson(innerJson);
        var p = new FeatureParameters(SetName, ps.Where(kv => kv.Key is "deltas" or "trim_db" or "set").ToDictionary(kv => kv.Key, kv => kv.Value));
        p.String("set", "lld");
        var deltas = p.Bool("deltas", true);
        var trim = p.Double("trim_db", 30, 0, 200);
        p.ThrowIfInvalid();
        return new RichFunctionalsSet(inner, deltas, trim, new SortedDictionary<string, string>(ps, StringComparer.Ordinal));
    }

    protected override FeatureMatrix ExtractCore(ReadOnlySpan<float> samples)
    {
        FeatureMatrix m;
        if (_trimDb > 0)
        {
            var iv = Trimmer.FindInterval(samples, new TrimOptions { TopDb = _trimDb });
            // a trimmed clip too short for the inner set (deltas need frames) falls back to the whole clip
            try { m = _inner.Extract(iv.Length > 0 ? samples.Slice(iv.Start, iv.Length) : samples, SampleRate); }
            catch (Dsp.InvalidSignalException) { m = _inner.Extract(samples, SampleRate); }
        }
        else m = _inner.Extract(samples, SampleRate);
        if (m.Frames == 0) throw new Dsp.InvalidSignalException("No frames to summarise.");
        if (!_deltas) return Summarise(m, m.FeatureNames);
        var d = m.Frames >= 3 ? Delta.Compute(m, Math.Min(DeltaWidth, m.Frames % 2 == 1 ? m.Frames : m.Frames - 1)) : new FeatureMatrix(m.Frames, m.Features, new float[m.Data.Length], m.FeatureNames);
        int f = m.Features, n = m.Frames;
        var data = new float[n * 2 * f];
        for (int t = 0; t < n; t++)
        {
            m.Row(t).CopyTo(data.AsSpan(t * 2 * f, f));
            d.Row(t).CopyTo(data.AsSpan(t * 2 * f + f, f));
        }
        var names = m.FeatureNames.Concat(m.FeatureNames.Select(s => s + "_d")).ToArray();
        return Summarise(new FeatureMatrix(n, 2 * f, data, names), names);
    }

    /// <summary>The nine statistics of each column of <paramref name="m"/>, descriptor-major
    /// (all statistics of column 0, then of column 1, ...).</summary>
    public static FeatureMatrix Summarise(FeatureMatrix m, IReadOnlyList<string> columnNames)
    {
        int f = m.Features, n = m.Frames, s = Statistics.Length;
        var data = new float[f * s];
        var names = new string[f * s];
        var col = new double[n];
        var sorted = new double[n];
        // slope against a centred time axis scaled to [-0.5, 0.5]: the fitted change over the whole utterance
        double tMean = (n - 1) / 2.0, tVar = 0;
        for (int t = 0; t < n; t++) tVar += (t - tMean) * (t - tMean);
        for (int j = 0; j < f; j++)
        {
            double mean = 0;
            for (int t = 0; t < n; t++) { col[t] = m.Data[t * f + j]; mean += col[t]; }
            mean /= n;
            double m2 = 0, m3 = 0, m4 = 0, cov = 0;
            for (int t = 0; t < n; t++)
            {
                double dv = col[t] - mean, d2 = dv * dv;
                m2 += d2; m3 += d2 * dv; m4 += d2 * d2; cov += dv * (t - tMean);
            }
            m2 /= n; m3 /= n; m4 /= n;
            double std = Math.Sqrt(m2);
            bool flat = m2 <= 1e-20 * Math.Max(1, mean * mean);
            col.AsSpan(0, n).CopyTo(sorted);
            Array.Sort(sorted, 0, n);
            double p10 = Percentile(sorted, n, 0.1), p50 = Percentile(sorted, n, 0.5), p90 = Percentile(sorted, n, 0.9);
            var o = data.AsSpan(j * s, s);
            o[0] = (float)mean; o[1] = (float)std;
            o[2] = flat ? 0 : (float)(m3 / (m2 * std));
            o[3] = flat ? 0 : (float)(m4 / (m2 * m2) - 3);
            o[4] = (float)p10; o[5] = (float)p50; o[6] = (float)p90; o[7] = (float)(p90 - p10);
            o[8] = tVar > 0 ? (float)(cov / tVar * (n - 1)) : 0;
            for (int k = 0; k < s; k++) names[j * s + k] = columnNames[j] + "_" + Statistics[k];
        }
        return new FeatureMatrix(1, f * s, data, names);
    }

    // linear interpolation between order statistics (numpy's default)
    private static double Percentile(double[] sorted, int n, double q)
    {
        double pos = q * (n - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, n - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
