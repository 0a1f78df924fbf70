using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>Harmonic-structure descriptors of one voiced frame.</summary>
/// <param name="HnrDb">Harmonics-to-noise ratio from the autocorrelation at the pitch lag (dB, 0 when unvoiced).</param>
/// <param name="H1H2">H1 − H2 (dB).</param>
/// <param name="H1A3">H1 − A3, A3 = strongest harmonic near F3 (dB).</param>
/// <param name="A1">Strongest harmonic near F1 relative to H1 (dB).</param>
/// <param name="A2">Strongest harmonic near F2 relative to H1 (dB).</param>
/// <param name="A3">Strongest harmonic near F3 relative to H1 (dB).</param>
public readonly record struct HarmonicValues(float HnrDb, float H1H2, float H1A3, float A1, float A2, float A3);

/// <summary>
/// Harmonic descriptors from the 60 ms magnitude spectrum and the final F0 (eGeMAPS): HNR from the
/// autocorrelation (inverse FFT of the power spectrum) at the peak nearest the pitch lag; the first 100
/// harmonics located as spectral peaks near k·F0 (parabolically refined); H1−H2, H1−A3 and the formant
/// amplitudes (strongest harmonic within ±20 % of each formant) in dB relative to H1. One instance per thread.
/// </summary>
public sealed class HarmonicDescriptors
{
    private const int Harmonics = 100;
    /// <summary>Value of the formant amplitudes for unvoiced frames.</summary>
    public const float UnvoicedAmplitude = -201f;

    private readonly int _bins;
    private readonly double _binHz, _sampleRate;
    private readonly RealFft _ifft;
    private readonly float[] _pre, _pim, _acf;
    private readonly int[] _bin = new int[Harmonics];
    private readonly float[] _freq = new float[Harmonics], _mag = new float[Harmonics], _magI = new float[Harmonics], _logRel = new float[Harmonics];

    /// <summary>Creates the analyser for spectra of <paramref name="bins"/> bins (FFT of 2·(bins−1) points) at <paramref name="sampleRate"/>.</summary>
    public HarmonicDescriptors(int bins, int sampleRate)
    {
        _bins = bins;
        int n = (bins - 1) * 2;
        _binHz = (double)sampleRate / n;
        _sampleRate = (bins - 1) * _binHz * 2.0;
        _ifft = new RealFft(n);
        _pre = new float[bins]; _pim = new float[bins]; _acf = new float[n];
    }

    /// <summary>Analyses one frame.</summary>
    /// <param name="magnitude">Magnitude spectrum (bins).</param>
    /// <param name="f0">Final F0 (Hz), 0 = unvoiced.</param>
    /// <param name="formantHz">Formant frequencies (at least 3; 0 = none).</param>
    public HarmonicValues Analyze(ReadOnlySpan<float> magnitude, float f0, ReadOnlySpan<float> formantHz)
    {
        if (!(f0 > 0)) return new HarmonicValues(0f, 0f, 0f, UnvoicedAmplitude, UnvoicedAmplitude, UnvoicedAmplitude);
        float hnr = Hnr(magnitude, f0);
        FindHarmonics(magnitude, f0);
        // Relative dB of each harmonic to the first (raw) harmonic magnitude.
        bool rel = _mag[0] != 0f;
        double m0 = rel ? Math.Log10(_mag[0]) : 0;
        _logRel[0] = 0f;
        for (int i = 1; i < Harmonics; i++)
        {
            if (rel)
            {
                if (_magI[i] > 0) _logRel[i] = (float)Math.Max(20.0 * (Math.Log10(_magI[i]) - m0), -200.0);
                else _logRel[i] = -200f;
            }
            else _logRel[i] = -201f;
            if (_bin[i] == _bin[i - 1])
            {
                // A harmonic that landed on the previous one's peak is dropped.
                _bin[i] = 0; _freq[i] = 0; _mag[i] = 0; _magI[i] = 0; _logRel[i] = -201f;
            }
        }
        Span<int> fa = stackalloc int[3];
        for (int f = 0; f < 3; f++)
        {
            float fc = f < formantHz.Length ? formantHz[f] : 0f;
            float lo = 0.8f * fc, hi = 1.2f * fc;
            int best = -1; float bestMag = 0f;
            for (int h = 0; h < Harmonics; h++)
                if (_freq[h] >= lo && _freq[h] <= hi && _mag[h] > bestMag) { best = h; bestMag = _mag[h]; }
            fa[f] = best;
        }
        // The reference's configuration names harmonics by array index ("H1" is entry 1, the second
        // harmonic), so "H1-H2" compares entries 1 and 2.
        float h1h2 = Math.Clamp(_logRel[1] - _logRel[2], -201f, 201f);
        float h1a3 = fa[2] >= 0 ? Math.Clamp(_logRel[1] - _logRel[fa[2]], -201f, 201f) : Math.Clamp(_logRel[1] - 201f, -201f, 201f);
        return new HarmonicValues(hnr, h1h2, h1a3,
            fa[0] >= 0 ? _logRel[fa[0]] : 0f, fa[1] >= 0 ? _logRel[fa[1]] : 0f, fa[2] >= 0 ? _logRel[fa[2]] : 0f);
    }

    private float Hnr(ReadOnlySpan<float> magnitude, float f0)
    {
        for (int k = 0; k < _bins; k++) { _pre[k] = magnitude[k] * magnitude[k]; _pim[k] = 0f; }
        _ifft.Inverse(_pre, _pim, _acf);
        // Only the first `bins` lags are used; their common scale cancels in the ratio.
        int lag = (int)Math.Floor(_sampleRate / f0);
        if (lag <= 0) return 0f;
        var a = _acf.AsSpan(0, _bins);
        for (int i = 0; i < a.Length; i++) a[i] = MathF.Abs(a[i]);
        int t = ClosestPeak(a, lag);
        if (t <= 0) return 0f;
        double num = a[t], den = a[0] - a[t];
        double r = den == 0 ? 1e11 : num / den;
        if (r > 1e11) return (float)(10 * Math.Log10(1e11));
        if (r < 1e-9) return (float)(10 * Math.Log10(1e-9));
        return (float)(10 * Math.Log10(r));
    }

    private static bool IsPeak(ReadOnlySpan<float> x, int n)
    {
        int N = x.Length;
        if (n >= N || n < 0) return false;
        if (n + 1 < N)
        {
            if (n > 0) return x[n] > x[n - 1] && x[n] > x[n + 1];
            return x[0] > x[1];
        }
        return n > 0 && x[n] > x[n - 1];
    }

    private static int ClosestPeak(ReadOnlySpan<float> x, int idx)
    {
        int N = x.Length;
        if (idx >= N) idx = N - 1;
        if (IsPeak(x, idx)) return idx;
        for (int o = 1; idx - o > 0 || idx + o < N - 1; o++)
        {
            if (idx - o > 0 && IsPeak(x, idx - o)) return idx - o;
            if (idx + o < N - 1 && IsPeak(x, idx + o)) return idx + o;
        }
        if (x[0] > x[idx] && x[N - 1] <= x[idx]) return 0;
        if (x[0] <= x[idx] && x[N - 1] > x[idx]) return N - 1;
        if (x[0] > x[idx] && x[N - 1] > x[idx]) return idx < N / 2 ? 0 : N - 1;
        return idx;
    }

    // Nearest bin to a frequency, searching upwards from startBin; 0 when beyond the spectrum.
    private int FreqToBin(double f, int startBin)
    {
        for (int b = Math.Max(startBin, 1); b < _bins; b++)
        {
            double fb = b * _binHz;
            if (fb > f) return fb - f > f - (b - 1) * _binHz ? b - 1 : b;
        }
        return 0;
    }

    private void FindHarmonics(ReadOnlySpan<float> mag, float f0)
    {
        int lastBin = FreqToBin(0.5 * f0, 1);
        int firstBin = FreqToBin(0.5 * f0, lastBin);
        for (int i = 0; i < Harmonics; i++)
        {
            int cand = FreqToBin((i + 1) * (double)f0, lastBin);
            int peak = -1;
            if (IsPeak(mag, cand)) peak = cand;
            else
            {
                int l = cand - 1, r = cand + 1;
                int lower = FreqToBin((i + 0.5) * f0, lastBin);
                int upper = FreqToBin((i + 1.5) * f0, cand);
                while ((l >= lower || r <= upper) && peak == -1)
                {
                    if (r <= upper) { if (IsPeak(mag, r)) { peak = r; break; } r++; }
                    if (l >= lower) { if (IsPeak(mag, l)) { peak = l; break; } l--; }
                }
            }
            if (peak >= firstBin && peak < _bins - 1 && peak >= 1)
            {
                _bin[i] = peak;
                _mag[i] = mag[peak];
                double fx = ShsPitch.ParabolaVertex((peak - 1) * _binHz, mag[peak - 1], peak * _binHz, mag[peak], (peak + 1) * _binHz, mag[peak + 1], out double my);
                _freq[i] = (float)fx;
                _magI[i] = (float)my;
            }
            else
            {
                _bin[i] = cand; _mag[i] = 0; _freq[i] = 0; _magI[i] = 0;
            }
            lastBin = cand;
        }
    }
}
