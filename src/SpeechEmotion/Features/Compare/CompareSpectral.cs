namespace SpeechEmotion.Features.Compare;

/// <summary>
/// Spectral shape descriptors of one magnitude spectrum, in the ComParE order: band energies 250–650 Hz and
/// 1–4 kHz, roll-off 25/50/75/90 % (Hz), flux, centroid (Hz), entropy, variance, skewness, kurtosis, slope,
/// psychoacoustic sharpness and harmonicity.
/// </summary>
internal sealed class CompareSpectral
{
    private const double SlopeScale = 65283.98;
    private readonly int _bins;
    private readonly double _binHz;
    private readonly double[] _sharpWeight;

    public CompareSpectral(int bins, double binHz)
    {
        _bins = bins; _binHz = binHz;
        _sharpWeight = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            double f = k * binHz;
            double z = 13 * Math.Atan(0.00076 * f) + 3.5 * Math.Atan(Math.Pow(f / 7500.0, 2)); // bark
            _sharpWeight[k] = z * (z < 15.8 ? 1 : 0.066 * Math.Exp(0.171 * z));
        }
    }

    public void Compute(ReadOnlySpan<float> mag, ReadOnlySpan<float> pow, ReadOnlySpan<float> prev, Span<float> r)
    {
        double total = 0, totalPow = 0;
        for (int k = 1; k < _bins; k++) { total += mag[k]; totalPow += pow[k]; }
        r[0] = (float)BandEnergy(pow, 250, 650);
        r[1] = (float)BandEnergy(pow, 1000, 4000);
        ReadOnlySpan<double> ro = [0.25, 0.5, 0.75, 0.9];
        for (int q = 0; q < 4; q++)
        {
            double target = ro[q] * totalPow, acc = 0;
            int k = 1;
            for (; k < _bins; k++) { acc += pow[k]; if (acc >= target) break; }
            r[2 + q] = (float)(Math.Min(k, _bins - 1) * _binHz);
        }
        double flux = 0;
        if (!prev.IsEmpty)
        {
            for (int k = 1; k < _bins; k++) { double d = mag[k] - prev[k]; flux += d * d; }
            flux = Math.Sqrt(flux);
        }
        r[6] = (float)flux;
        double c = 0, ent = 0;
        // The centroid and the moments weight frequencies by power.
        if (totalPow > 0)
        {
            for (int k = 1; k < _bins; k++) c += k * _binHz * pow[k];
            c /= totalPow;
        }
        r[7] = (float)c;
        double m2 = 0, m3 = 0, m4 = 0;
        if (totalPow > 0)
            for (int k = 1; k < _bins; k++)
            {
                double p = pow[k] / totalPow;
                if (p > 0) ent -= p * Math.Log2(p);
            }
        if (totalPow > 0)
            for (int k = 1; k < _bins; k++)
            {
                double p = pow[k] / totalPow, d = k * _binHz - c;
                m2 += p * d * d; m3 += p * d * d * d; m4 += p * d * d * d * d;
            }
        r[8] = (float)ent;
        r[9] = (float)m2;
        r[10] = m2 > 0 ? (float)(m3 / Math.Pow(m2, 1.5)) : 0f;
        r[11] = m2 > 0 ? (float)(m4 / (m2 * m2)) : 0f;
        // Slope of the power spectrum against frequency (least squares, per Hz).
        double sf = 0, sm = 0, sff = 0, sfm = 0; int n = _bins - 1;
        for (int k = 1; k < _bins; k++) { double f = k * _binHz; sf += f; sm += pow[k]; sff += f * f; sfm += f * pow[k]; }
        double den = n * sff - sf * sf;
        // openSMILE's slope is this least-squares slope (per Hz) times a constant measured on its reference LLDs
        // (r = 1.000 before scaling; the constant is the same on every clip to 7 digits).
        r[12] = den > 0 ? (float)(SlopeScale * (n * sfm - sf * sm) / den) : 0f;
        double sw = 0;
        for (int k = 1; k < _bins; k++) sw += _sharpWeight[k] * pow[k];
        r[13] = totalPow > 0 ? (float)(0.11 * sw / totalPow) : 0f;
        // Harmonicity: mean depth of the valleys between adjacent spectral peaks relative to the peaks.
        double h = 0; int peaks = 0; float lastMin = mag[1];
        for (int k = 2; k + 1 < _bins; k++)
        {
            if (mag[k] < mag[k - 1] && mag[k] <= mag[k + 1]) lastMin = mag[k];
            if (mag[k] > mag[k - 1] && mag[k] >= mag[k + 1] && mag[k] > 0) { h += (mag[k] - lastMin) / mag[k]; peaks++; }
        }
        r[14] = peaks > 0 ? (float)(h / peaks) : 0f;
    }

    private double BandEnergy(ReadOnlySpan<float> pow, double lo, double hi)
    {
        double s = 0;
        int a = (int)Math.Ceiling(lo / _binHz), b = Math.Min((int)Math.Floor(hi / _binHz), _bins - 1);
        for (int k = a; k <= b; k++) s += pow[k];
        return s;
    }
}
