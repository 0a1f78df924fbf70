namespace SpeechEmotion.Dsp;

/// <summary>
/// Plain O(n²) discrete Fourier transform in double precision: the reference the fast transforms
/// are tested against. Not for production use.
/// </summary>
public static class ReferenceDft
{
    /// <summary>
    /// One-sided DFT of a real signal: X[k] = Σ x[t]·e^{-2πi kt/n} for k = 0..n/2, unnormalised.
    /// <paramref name="re"/> and <paramref name="im"/> must hold n/2+1 values.
    /// </summary>
    public static void RealForward(ReadOnlySpan<float> input, Span<double> re, Span<double> im)
    {
        var n = input.Length;
        for (var k = 0; k <= n / 2; k++)
        {
            double sr = 0, si = 0;
            for (var t = 0; t < n; t++)
            {
                // integer reduction keeps the angle exact for large k·t
                var a = -2.0 * Math.PI * ((long)k * t % n) / n;
                sr += input[t] * Math.Cos(a);
                si += input[t] * Math.Sin(a);
            }
            re[k] = sr; im[k] = si;
        }
    }

    /// <summary>Full complex DFT (forward, unnormalised) of <paramref name="re"/>/<paramref name="im"/>.</summary>
    public static (double[] Re, double[] Im) ComplexForward(ReadOnlySpan<double> re, ReadOnlySpan<double> im)
    {
        var n = re.Length;
        var or = new double[n]; var oi = new double[n];
        for (var k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (var t = 0; t < n; t++)
            {
                var a = -2.0 * Math.PI * ((long)k * t % n) / n;
                double c = Math.Cos(a), s = Math.Sin(a);
                sr += re[t] * c - im[t] * s;
                si += re[t] * s + im[t] * c;
            }
            or[k] = sr; oi[k] = si;
        }
        return (or, oi);
    }
}
