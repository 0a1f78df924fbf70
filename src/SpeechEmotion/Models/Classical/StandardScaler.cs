using System.Numerics.Tensors;

namespace SpeechEmotion.Models.Classical;

/// <summary>
/// Per-feature standardisation z = (x − mean) / std with statistics from the training fold only
/// (population std, 1/n). A feature with zero variance in the training fold keeps scale 1, so it
/// becomes x − mean (0 on the training fold) instead of a division by zero.
/// </summary>
public sealed class StandardScaler
{
    /// <summary>Creates an unfitted scaler.</summary>
    public StandardScaler() { }

    /// <summary>Creates a fitted scaler from saved statistics (both of length d; scale &gt; 0).</summary>
    /// <exception cref="ModelFormatException">Lengths differ or a value is not finite/positive.</exception>
    public StandardScaler(float[] mean, float[] scale)
    {
        if (mean.Length == 0 || mean.Length != scale.Length)
            throw new ModelFormatException($"StandardScaler: mean has {mean.Length} values, scale has {scale.Length}.");
        for (var j = 0; j < mean.Length; j++)
            if (!float.IsFinite(mean[j]) || !(scale[j] > 0) || !float.IsFinite(scale[j]))
                throw new ModelFormatException($"StandardScaler: feature {j} has mean {mean[j]} and scale {scale[j]}.");
        Mean = (float[])mean.Clone();
        Scale = (float[])scale.Clone();
    }

    /// <summary>Per-feature training mean, length d (empty before fitting).</summary>
    public float[] Mean { get; private set; } = [];

    /// <summary>Per-feature divisor: training std, or 1 where the std is 0. Length d.</summary>
    public float[] Scale { get; private set; } = [];

    /// <summary>Feature dimension d (0 before fitting).</summary>
    public int Dimensions => Mean.Length;

    /// <summary>Fits mean and scale on <paramref name="x"/> (row-major [n, d], finite), in double precision.</summary>
    /// <exception cref="ClassifierInputException">Empty input, a length that is not a multiple of d, or a non-finite value.</exception>
    public StandardScaler Fit(ReadOnlySpan<float> x, int d)
    {
        if (d < 1) throw new ClassifierInputException($"StandardScaler: d must be at least 1, got {d}.");
        if (x.Length == 0 || x.Length % d != 0)
            throw new ClassifierInputException($"StandardScaler: {x.Length} values is not a non-empty multiple of d = {d}.");
        InputChecks.CheckFinite("StandardScaler", x, d, "training");
        var n = x.Length / d;
        var sum = new double[d];
        for (var i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            for (var j = 0; j < d; j++) sum[j] += row[j];
        }
        var mean = new double[d];
        for (var j = 0; j < d; j++) mean[j] = sum[j] / n;
        // Two-pass variance: no cancellation when the mean is large relative to the spread.
        var ss = new double[d];
        for (var i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                var dv = row[j] - mean[j];
                ss[j] += dv * dv;
            }
        }
        var m = new float[d];
        var s = new float[d];
        for (var j = 0; j < d; j++)
        {
            m[j] = (float)mean[j];
            var std = Math.Sqrt(ss[j] / n);
            // Relative threshold: a "constant" feature stored as float still shows rounding-level spread.
            s[j] = std > 1e-7 * Math.Max(1.0, Math.Abs(mean[j])) ? (float)std : 1f;
        }
        Mean = m;
        Scale = s;
        return this;
    }

    /// <summary>Writes standardised <paramref name="x"/> ([n, d]) into <paramref name="destination"/> (same length; may alias).</summary>
    /// <exception cref="ClassifierInputException">Not fitted, or lengths do not match.</exception>
    public void Transform(ReadOnlySpan<float> x, Span<float> destination)
    {
        var d = Dimensions;
        if (d == 0) throw new ClassifierInputException("StandardScaler: Transform was called before Fit.");
        if (x.Length % d != 0) throw new ClassifierInputException($"StandardScaler: {x.Length} values is not a multiple of d = {d}.");
        if (destination.Length != x.Length)
            throw new ClassifierInputException($"StandardScaler: destination has {destination.Length} values, input {x.Length}.");
        for (var i = 0; i < x.Length; i += d)
        {
            var dst = destination.Slice(i, d);
            TensorPrimitives.Subtract(x.Slice(i, d), Mean, dst);
            TensorPrimitives.Divide(dst, Scale, dst);
        }
    }

    /// <summary>Returns a standardised copy of <paramref name="x"/> ([n, d]).</summary>
    public float[] Transform(ReadOnlySpan<float> x)
    {
        var result = new float[x.Length];
        Transform(x, result);
        return result;
    }
}
