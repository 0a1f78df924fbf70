using System.Numerics.Tensors;

namespace SpeechEmotion.Features;

/// <summary>librosa.power_to_db / amplitude_to_db on whole arrays (top_db clips against the array's maximum).</summary>
public static class Decibels
{
    /// <summary>
    /// In place: x ← 10·log10(max(amin, x)) − 10·log10(max(amin, refValue)); then, when
    /// <paramref name="topDb"/> is given, x ← max(x, max(x) − topDb) over the whole span.
    /// </summary>
    /// <exception cref="InvalidOptionsException">amin ≤ 0 or topDb &lt; 0.</exception>
    public static void PowerToDb(Span<float> x, double refValue = 1.0, double amin = 1e-10, double? topDb = 80.0)
    {
        Check(amin, topDb);
        ToDbNoClip(x, refValue, amin);
        if (topDb is double t) ClipTop(x, t);
    }

    /// <summary>power_to_db(x²): in place, with ref and amin squared as librosa's amplitude_to_db (default amin 1e-5).</summary>
    public static void AmplitudeToDb(Span<float> x, double refValue = 1.0, double amin = 1e-5, double? topDb = 80.0)
    {
        Check(amin, topDb);
        TensorPrimitives.Abs(x, x);
        TensorPrimitives.Multiply(x, x, x);
        PowerToDb(x, refValue * refValue, amin * amin, topDb);
    }

    /// <summary>In place: x ← 10·log10(max(amin, x)) − 10·log10(max(amin, ref)), no clipping.</summary>
    public static void ToDbNoClip(Span<float> x, double refValue, double amin)
    {
        var aminF = (float)amin;
        var offset = (float)(10.0 * Math.Log10(Math.Max(amin, Math.Abs(refValue))));
        TensorPrimitives.Max(x, aminF, x);
        TensorPrimitives.Log10(x, x);
        TensorPrimitives.Multiply(x, 10f, x);
        if (offset != 0) TensorPrimitives.Subtract(x, offset, x);
    }

    /// <summary>In place: x ← max(x, max(x) − topDb).</summary>
    public static void ClipTop(Span<float> x, double topDb)
    {
        if (x.IsEmpty) return;
        var floor = (float)(TensorPrimitives.Max(x) - topDb);
        TensorPrimitives.Max(x, floor, x);
    }

    private static void Check(double amin, double? topDb)
    {
        var p = new Problems();
        p.Require(amin > 0 && double.IsFinite(amin), $"amin must be strictly positive (got {amin})");
        p.Require(topDb is null || topDb >= 0, $"top_db must be non-negative (got {topDb})");
        p.ThrowIfAny("decibel conversion");
    }
}
