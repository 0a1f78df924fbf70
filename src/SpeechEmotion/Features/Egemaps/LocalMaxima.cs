using System.Numerics;
using System.Runtime.Intrinsics;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Interior local maxima of a sequence: indices i in 1..n−2 with x[i−1] &lt; x[i] and x[i] &gt; x[i+1]
/// (or x[i] ≥ x[i+1] when the right side is not strict), ascending. The vector version compares eight
/// neighbours at once and walks the set bits of the mask: spectra have peaks at random places, which
/// makes the scalar branches mispredict. NaN is never a maximum nor beaten.
/// </summary>
internal static class LocalMaxima
{
    /// <summary>Writes the maxima of <paramref name="x"/> to <paramref name="positions"/> (room for n/2 + 1) and returns their count.</summary>
    public static int Find(ReadOnlySpan<float> x, bool strictRight, Span<int> positions)
    {
        int n = x.Length;
        if (n < 3) return 0;
        if (!Vector256.IsHardwareAccelerated) return FindScalar(x, strictRight, positions);
        int count = 0, i = 1;
        for (; i + 8 < n; i += 8)
        {
            var mid = Vector256.Create(x.Slice(i, 8));
            var left = Vector256.Create(x.Slice(i - 1, 8));
            var right = Vector256.Create(x.Slice(i + 1, 8));
            var isMax = Vector256.GreaterThan(mid, left) & (strictRight ? Vector256.GreaterThan(mid, right) : Vector256.GreaterThanOrEqual(mid, right));
            uint bits = isMax.ExtractMostSignificantBits();
            while (bits != 0)
            {
                positions[count++] = i + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
        for (; i < n - 1; i++)
            if (x[i] > x[i - 1] && (strictRight ? x[i] > x[i + 1] : x[i] >= x[i + 1])) positions[count++] = i;
        return count;
    }

    /// <summary>Plain scalar version of <see cref="Find"/> (the reference the tests compare with).</summary>
    public static int FindScalar(ReadOnlySpan<float> x, bool strictRight, Span<int> positions)
    {
        int count = 0;
        for (int i = 1; i < x.Length - 1; i++)
            if (x[i] > x[i - 1] && (strictRight ? x[i] > x[i + 1] : x[i] >= x[i + 1])) positions[count++] = i;
        return count;
    }
}
