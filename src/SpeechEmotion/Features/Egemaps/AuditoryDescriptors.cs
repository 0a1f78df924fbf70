using System.Numerics.Tensors;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Loudness and MFCC from mel band powers (eGeMAPS): loudness sums equal-loudness weighted,
/// cube-root compressed band powers (Hermansky 1990); MFCCs are the liftered DCT-II of log band powers on
/// the 16-bit sample scale (HTK conventions).
/// </summary>
public static class AuditoryDescriptors
{
    /// <summary>Equal-loudness weight of Hermansky's PLP (scaled so its maximum is about 1).</summary>
    /// <param name="hz">Frequency (Hz).</param>
    public static double EqualLoudnessWeight(double hz)
    {
        double w = 2.0 * Math.PI * hz;
        double w2 = w * w;
        double c = w2 + 6.3e6;
        return 1e32 * ((w2 + 56.8e6) * w2 * w2) / (c * c * (w2 + 0.38e9) * (w2 * w2 * w2 * w + 1.7e31));
    }

    /// <summary>
    /// <see cref="Loudness(ReadOnlySpan{float}, ReadOnlySpan{float})"/> with the floor, weights and power
    /// taken over all bands at once (vector code); <paramref name="scratch"/> holds as many values as bands.
    /// </summary>
    /// <param name="bandPower">Mel band powers (samples in [-1, 1]).</param>
    /// <param name="weights">Equal-loudness weight of each band's centre.</param>
    /// <param name="scratch">Scratch of at least bandPower.Length values.</param>
    public static float Loudness(ReadOnlySpan<float> bandPower, ReadOnlySpan<float> weights, Span<float> scratch)
    {
        int m = bandPower.Length;
        if (m == 0) return 0f;
        var v = scratch[..m];
        TensorPrimitives.Max(bandPower, 1e-8f, v);
        TensorPrimitives.Multiply(v, weights[..m], v);
        TensorPrimitives.Pow(v, 0.33f, v);
        double sum = 0;
        for (int i = 0; i < m; i++) sum += v[i];
        return (float)(sum / m);
    }

    /// <summary>Loudness: mean over bands of (max(band, floor) · weight)^0.33.</summary>
    /// <param name="bandPower">Mel band powers (samples in [-1, 1]).</param>
    /// <param name="weights">Equal-loudness weight of each band's centre.</param>
    public static float Loudness(ReadOnlySpan<float> bandPower, ReadOnlySpan<float> weights)
    {
        double sum = 0;
        for (int i = 0; i < bandPower.Length; i++)
        {
            float v = MathF.Max(bandPower[i], 1e-8f) * weights[i];
            sum += MathF.Pow(v, 0.33f);
        }
        return bandPower.Length > 0 ? (float)(sum / bandPower.Length) : 0f;
    }

    /// <summary>
    /// MFCC <paramref name="first"/>..first+dest.Length−1: √(2/M)·Σ ln(max(32767²·band, 1))·cos(πi(m+½)/M),
    /// liftered by 1 + L/2·sin(πi/L).
    /// </summary>
    /// <param name="bandPower">Mel band powers (samples in [-1, 1]).</param>
    /// <param name="first">Index of the first coefficient.</param>
    /// <param name="lifter">Cepstral lifter L (22 in eGeMAPS).</param>
    /// <param name="logScratch">Scratch of bandPower.Length values.</param>
    /// <param name="dest">Coefficients.</param>
    public static void Mfcc(ReadOnlySpan<float> bandPower, int first, double lifter, Span<float> logScratch, Span<float> dest)
        => Mfcc(bandPower, MfccTable(bandPower.Length, first, dest.Length, lifter), logScratch, dest);

    /// <summary>
    /// The liftered, scaled DCT-II rows used by <see cref="Mfcc(ReadOnlySpan{float}, float[], Span{float}, Span{float})"/>:
    /// [count, bands] row-major.
    /// </summary>
    public static float[] MfccTable(int bands, int first, int count, double lifter)
    {
        var table = new float[count * bands];
        double factor = Math.Sqrt(2.0 / bands);
        for (int k = 0; k < count; k++)
        {
            int i = first + k;
            double lift = lifter > 0 ? 1.0 + lifter / 2.0 * Math.Sin(Math.PI * i / lifter) : 1.0;
            for (int j = 0; j < bands; j++) table[k * bands + j] = (float)(Math.Cos(Math.PI * i / bands * (j + 0.5)) * factor * lift);
        }
        return table;
    }

    /// <summary>MFCCs with a precomputed <see cref="MfccTable"/>.</summary>
    public static void Mfcc(ReadOnlySpan<float> bandPower, float[] table, Span<float> logScratch, Span<float> dest)
    {
        int m = bandPower.Length;
        const float scale = 32767f * 32767f;
        var logs = logScratch[..m];
        TensorPrimitives.Multiply(bandPower, scale, logs);
        TensorPrimitives.Max(logs, 1f, logs);
        TensorPrimitives.Log(logs, logs);
        for (int k = 0; k < dest.Length; k++)
        {
            float acc = 0;
            var row = table.AsSpan(k * m, m);
            for (int j = 0; j < m; j++) acc += logScratch[j] * row[j];
            dest[k] = acc;
        }
    }
}
