namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Band-energy descriptors of one power spectrum (eGeMAPS): alpha ratio, Hammarberg index and the
/// regression slopes of the dB spectrum over 0–500 Hz and 500–1500 Hz. Stateless span kernels.
/// </summary>
public static class SpectralDescriptors
{
    /// <summary>Floor below which a power value counts as silence in the log spectrum.</summary>
    private const float PowerFloor = 1e-10f;

    /// <summary>
    /// Alpha ratio in dB: 10·log10 of the power summed over [1, 5] kHz divided by the power summed below 1 kHz
    /// (bins up to 5 kHz). 0 when there is no power below 1 kHz.
    /// </summary>
    /// <param name="power">Power spectrum |X|² bins 0..N/2.</param>
    /// <param name="binHz">Bin spacing (Hz).</param>
    public static float AlphaRatio(ReadOnlySpan<float> power, double binHz)
    {
        double low = 0, high = 0;
        for (int k = 0; k < power.Length; k++)
        {
            double f = k * binHz;
            if (f > 5000.0) break;
            if (f < 1000.0) low += power[k]; else high += power[k];
        }
        if (low <= 0) return 0f;
        return (float)(10.0 * Math.Log10(Math.Max(high, PowerFloor) / low));
    }

    /// <summary>
    /// Hammarberg index in dB: 10·log10 of the strongest bin below 2 kHz over the strongest bin in [2, 5] kHz.
    /// 0 when the upper band is empty.
    /// </summary>
    public static float Hammarberg(ReadOnlySpan<float> power, double binHz)
    {
        float maxLow = 0, maxHigh = 0;
        for (int k = 0; k < power.Length; k++)
        {
            double f = k * binHz;
            if (f > 5000.0) break;
            if (f < 2000.0) { if (power[k] > maxLow) maxLow = power[k]; }
            else if (power[k] > maxHigh) maxHigh = power[k];
        }
        if (maxHigh <= 0) return 0f;
        return (float)(10.0 * Math.Log10(Math.Max(maxLow, PowerFloor) / maxHigh));
    }

    /// <summary>
    /// Least-squares slope (dB per Hz) of the dB power spectrum between <paramref name="lowHz"/> and
    /// <paramref name="highHz"/>. The band's end bins are included with fractional weights; the point
    /// count of the normal equations is the bin distance of the band edges (the reference's convention).
    /// </summary>
    /// <param name="logPower">dB spectrum 10·log10(|X|²), bins 0..N/2.</param>
    /// <param name="binHz">Bin spacing (Hz).</param>
    /// <param name="lowHz">Band start (Hz).</param>
    /// <param name="highHz">Band end (Hz).</param>
    public static float Slope(ReadOnlySpan<float> logPower, double binHz, double lowHz, double highHz)
    {
        int n = logPower.Length;
        // First bin strictly above the lower edge; the bin before it enters with the covered fraction.
        int ii = 0;
        while (ii < n && ii * binHz <= lowHz) ii++;
        double wL = ii < n && ii > 0 ? (ii * binHz - lowHz) / binHz : 1.0;
        int iL = Math.Max(ii - 1, 0);
        int jj = 0;
        while (jj < n && jj * binHz < highHz) jj++;
        double wR = jj < n && jj > 0 ? (highHz - (jj - 1) * binHz) / binHz : 1.0;
        int iR = jj < n && jj * binHz == highHz ? jj : jj - 1;
        if (iR >= n) iR = n - 1;
        if (wL == 0) wL = 1;
        if (wR == 0) wR = 1;
        double count = iR - iL;
        double fL = iL * binHz, fR = iR * binHz;
        double sf = fL * wL, s2f = sf * sf, sa = fL * wL * logPower[iL], sb = wL * logPower[iL];
        for (int k = iL + 1; k < iR; k++)
        {
            double f = k * binHz;
            s2f += f * f; sf += f; sa += f * logPower[k]; sb += logPower[k];
        }
        s2f += fR * wR * fR * wR; sf += fR * wR; sa += fR * wR * logPower[iR]; sb += wR * logPower[iR];
        double den = count * s2f - sf * sf;
        return den != 0 ? (float)((count * sa - sf * sb) / den) : 0f;
    }

    /// <summary>
    /// Spectral flux: root mean square difference of consecutive magnitude spectra over the bins
    /// <paramref name="current"/> covers (eGeMAPS: 0 Hz up to the last bin below 5 kHz).
    /// </summary>
    public static float Flux(ReadOnlySpan<float> current, ReadOnlySpan<float> previous)
    {
        double acc = 0;
        for (int k = 0; k < current.Length; k++) { double d = current[k] - previous[k]; acc += d * d; }
        acc /= current.Length;
        return acc > 0 ? (float)Math.Sqrt(acc) : 0f;
    }
}
