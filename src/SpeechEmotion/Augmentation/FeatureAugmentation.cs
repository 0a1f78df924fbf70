using System.Numerics.Tensors;

namespace SpeechEmotion.Augmentation;

/// <summary>What masked feature cells are set to.</summary>
public enum MaskValue
{
    /// <summary>The mean of the whole matrix (for log-mel features zero is not silence; the mean is neutral).</summary>
    Mean,
    /// <summary>Zero (right for mean-normalised features).</summary>
    Zero,
}

/// <summary>
/// SpecAugment masking (Park et al. 2019) on a [frames, features] matrix: <see cref="FrequencyMasks"/>
/// bands of width uniform in 0..<see cref="FrequencyMaskWidth"/> features and <see cref="TimeMasks"/>
/// spans of width uniform in 0..min(<see cref="TimeMaskWidth"/>, <see cref="MaxTimeFraction"/>·frames)
/// frames, each at a uniform position; before masking, optional time warping (<see cref="TimeWarp"/>) moves a
/// random frame c to c + w (w uniform in −W..W) and stretches the two sides linearly to fit.
/// </summary>
public sealed record SpecAugmentOptions
{
    /// <summary>Probability in [0, 1] that an utterance is masked in a given epoch. Default 1.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Number of frequency (feature) masks, 0–16. Default 2.</summary>
    public int FrequencyMasks { get; init; } = 2;

    /// <summary>Largest frequency mask width in features (F), >= 0. Default 8 (of 64 mel bands).</summary>
    public int FrequencyMaskWidth { get; init; } = 8;

    /// <summary>Number of time masks, 0–64. Default 2.</summary>
    public int TimeMasks { get; init; } = 2;

    /// <summary>Largest time mask width in frames (T), >= 0. Default 20 (0.2 s at a 10 ms hop).</summary>
    public int TimeMaskWidth { get; init; } = 20;

    /// <summary>Upper bound of one time mask as a fraction of the frames (p), (0, 1]. Default 0.2.</summary>
    public double MaxTimeFraction { get; init; } = 0.2;

    /// <summary>Time-warp parameter W in frames, 0–1000: the anchor frame moves by up to W frames (capped at
    /// (frames − 2) / 2). Default 0 (off): tempo carries emotion, so warping is opt-in.</summary>
    public int TimeWarp { get; init; }

    /// <summary>Value written into masked cells. Default <see cref="Augmentation.MaskValue.Mean"/>.</summary>
    public MaskValue MaskValue { get; init; } = MaskValue.Mean;

    internal void Validate(Problems p, string where)
    {
        p.Require(Probability is >= 0 and <= 1, $"{where}: p must lie within [0, 1] (got {Probability})");
        p.Require(FrequencyMasks is >= 0 and <= 16, $"{where}: freq_masks must lie within [0, 16] (got {FrequencyMasks})");
        p.Require(FrequencyMaskWidth >= 0, $"{where}: freq_width must not be negative (got {FrequencyMaskWidth})");
        p.Require(TimeMasks is >= 0 and <= 64, $"{where}: time_masks must lie within [0, 64] (got {TimeMasks})");
        p.Require(TimeMaskWidth >= 0, $"{where}: time_width must not be negative (got {TimeMaskWidth})");
        p.Require(MaxTimeFraction is > 0 and <= 1, $"{where}: max_time_fraction must lie within (0, 1] (got {MaxTimeFraction})");
        p.Require(TimeWarp is >= 0 and <= 1000, $"{where}: time_warp must lie within [0, 1000] (got {TimeWarp})");
        p.Require(Enum.IsDefined(MaskValue), $"{where}: {(int)MaskValue} is not a MaskValue");
    }
}

/// <summary>Mixup (Zhang et al. 2018): convex combinations of pairs of examples and of their label distributions.</summary>
public sealed record MixupOptions
{
    /// <summary>Probability in [0, 1] that a batch is mixed. Default 1.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>λ ~ Beta(α, α); α in (0, 10]. Default 0.2 (λ mostly near 0 or 1).</summary>
    public double Alpha { get; init; } = 0.2;

    internal void Validate(Problems p, string where)
    {
        p.Require(Probability is >= 0 and <= 1, $"{where}: p must lie within [0, 1] (got {Probability})");
        p.Require(Alpha is > 0 and <= 10, $"{where}: alpha must lie within (0, 10] (got {Alpha})");
    }
}

/// <summary>Feature-space augmentation kernels: SpecAugment masking and mixup.</summary>
public static class FeatureAugmentation
{
    /// <summary>
    /// Masks <paramref name="data"/> ([frames, features], row-major) in place as <paramref name="options"/>
    /// says (the probability is the caller's business). Returns a description of the masks.
    /// </summary>
    public static string SpecAugment(Span<float> data, int frames, int features, SpecAugmentOptions options, AugmentationRandom rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (frames < 0 || features < 0 || data.Length != (long)frames * features)
            throw new ArgumentException($"Data has {data.Length} values; expected {frames}×{features}.", nameof(data));
        if (data.IsEmpty) return "specaugment()";
        var parts = new List<string>();
        // Warp first (Park et al.), so masks land on the warped time axis; no draw at all when off keeps old seeds' results.
        var maxWarp = Math.Min(options.TimeWarp, (frames - 2) / 2);
        if (maxWarp > 0)
        {
            var c = maxWarp + rng.NextInt(frames - 2 * maxWarp);
            var d = Math.Clamp(c + rng.NextInt(2 * maxWarp + 1) - maxWarp, 1, frames - 2);
            TimeWarp(data, frames, features, c, d);
            if (c != d) parts.Add($"warp({c}->{d})");
        }
        var value = options.MaskValue == MaskValue.Mean ? TensorPrimitives.Sum(data) / data.Length : 0f;
        for (var m = 0; m < options.FrequencyMasks; m++)
        {
            var w = rng.NextInt(Math.Min(options.FrequencyMaskWidth, features) + 1);
            var f0 = rng.NextInt(features - w + 1);
            for (var t = 0; t < frames; t++) data.Slice(t * features + f0, w).Fill(value);
            if (w > 0) parts.Add($"f[{f0},{f0 + w})");
        }
        var maxT = Math.Min(options.TimeMaskWidth, (int)Math.Floor(options.MaxTimeFraction * frames));
        for (var m = 0; m < options.TimeMasks; m++)
        {
            var w = rng.NextInt(maxT + 1);
            var t0 = rng.NextInt(frames - w + 1);
            data.Slice(t0 * features, w * features).Fill(value);
            if (w > 0) parts.Add($"t[{t0},{t0 + w})");
        }
        return $"specaugment({string.Join(" ", parts)})";
    }

    /// <summary>
    /// Piecewise-linear time warp of <paramref name="data"/> ([frames, features], in place): output frame
    /// <paramref name="to"/> takes input frame <paramref name="from"/>, frames 0 and frames − 1 stay, and the
    /// frames between are linearly interpolated from the stretched or squeezed sides.
    /// </summary>
    /// <param name="data">Row-major features.</param>
    /// <param name="frames">Rows (>= 3).</param>
    /// <param name="features">Columns.</param>
    /// <param name="from">Anchor frame of the input, 1..frames − 2.</param>
    /// <param name="to">Where the anchor lands, 1..frames − 2.</param>
    public static void TimeWarp(Span<float> data, int frames, int features, int from, int to)
    {
        if (frames < 3 || data.Length != (long)frames * features || from < 1 || from > frames - 2 || to < 1 || to > frames - 2)
            throw new ArgumentException($"Time warp {from}->{to} needs 3+ frames and anchors within 1..frames-2 (frames {frames}, data {data.Length}).");
        if (from == to) return;
        var copy = System.Buffers.ArrayPool<float>.Shared.Rent(data.Length);
        try
        {
            data.CopyTo(copy);
            var src = copy.AsSpan(0, data.Length);
            for (var t = 1; t < frames - 1; t++)
            {
                var pos = t <= to ? (double)t * from / to : from + (double)(t - to) * (frames - 1 - from) / (frames - 1 - to);
                var i0 = Math.Min((int)pos, frames - 2);
                var frac = (float)(pos - i0);
                var row = data.Slice(t * features, features);
                // row = a + frac·(b − a)
                TensorPrimitives.Subtract(src.Slice((i0 + 1) * features, features), src.Slice(i0 * features, features), row);
                TensorPrimitives.MultiplyAdd(row, frac, src.Slice(i0 * features, features), row);
            }
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(copy); }
    }

    /// <summary>Draws the mixing weight λ ~ Beta(α, α).</summary>
    public static double SampleLambda(double alpha, AugmentationRandom rng) => rng.NextBeta(alpha, alpha);

    /// <summary>dst = λ·a + (1 − λ)·b, element-wise (SIMD).</summary>
    public static void Mix(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float lambda, Span<float> destination)
    {
        if (a.Length != b.Length || destination.Length != a.Length) throw new ArgumentException("Mixup operands and destination must have equal lengths.");
        // λa + (1−λ)b = b + λ(a − b)
        TensorPrimitives.Subtract(a, b, destination);
        TensorPrimitives.MultiplyAdd(destination, lambda, b, destination);
    }

    /// <summary>Scalar twin of <see cref="Mix"/>.</summary>
    public static void MixScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float lambda, Span<float> destination)
    {
        if (a.Length != b.Length || destination.Length != a.Length) throw new ArgumentException("Mixup operands and destination must have equal lengths.");
        for (var i = 0; i < a.Length; i++) destination[i] = b[i] + lambda * (a[i] - b[i]);
    }

    /// <summary>One-hot distribution of <paramref name="label"/> over <paramref name="classes"/> classes.</summary>
    public static float[] OneHot(int label, int classes)
    {
        if (classes < 1 || label < 0 || label >= classes) throw new ArgumentOutOfRangeException(nameof(label), $"label {label} is outside 0..{classes - 1}");
        var y = new float[classes];
        y[label] = 1;
        return y;
    }

    /// <summary>
    /// Mixes a batch: row i of the output is λ·x[i] + (1 − λ)·x[π(i)] with one λ ~ Beta(α, α) for the batch and a
    /// random permutation π, and the label rows likewise (labels are one-hot or soft distributions, so
    /// mixed rows still sum to 1). Inputs stay untouched; no allocation.
    /// </summary>
    /// <param name="x">Inputs, [n, d] row-major.</param>
    /// <param name="y">Label distributions, [n, c] row-major.</param>
    /// <param name="n">Batch size.</param>
    /// <param name="alpha">Beta parameter.</param>
    /// <param name="xOut">Mixed inputs, [n, d].</param>
    /// <param name="yOut">Mixed labels, [n, c].</param>
    /// <param name="permutation">Receives π (n entries).</param>
    /// <param name="rng">Random source.</param>
    /// <returns>λ.</returns>
    public static float MixBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int n, double alpha,
        Span<float> xOut, Span<float> yOut, Span<int> permutation, AugmentationRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1 || x.Length % n != 0 || y.Length % n != 0 || xOut.Length != x.Length || yOut.Length != y.Length || permutation.Length != n)
            throw new ArgumentException($"Batch shapes disagree: n={n}, x {x.Length}, y {y.Length}, xOut {xOut.Length}, yOut {yOut.Length}, permutation {permutation.Length}.");
        int d = x.Length / n, c = y.Length / n;
        var lambda = (float)SampleLambda(alpha, rng);
        for (var i = 0; i < n; i++) permutation[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        for (var i = 0; i < n; i++)
        {
            var j = permutation[i];
            Mix(x.Slice(i * d, d), x.Slice(j * d, d), lambda, xOut.Slice(i * d, d));
            Mix(y.Slice(i * c, c), y.Slice(j * c, c), lambda, yOut.Slice(i * c, c));
        }
        return lambda;
    }
}
