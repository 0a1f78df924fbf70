using System.Numerics;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Formant frequencies and bandwidths from the roots of an order-11 LPC polynomial (eGeMAPS): the
/// complex spectrum of a 20 ms Hamming frame is band-limited and inverse-transformed onto an 11 kHz
/// time grid, LPC coefficients come from its autocorrelation (Levinson–Durbin), and each root pair in
/// 50–5450 Hz gives a formant (frequency = angle·fs/2π, bandwidth = −ln|r|·fs/π). One instance per thread.
/// </summary>
public sealed class FormantTracker
{
    /// <summary>LPC order.</summary>
    public const int Order = 11;
    /// <summary>Number of formants reported.</summary>
    public const int Formants = 5;
    private const double TargetRate = 11000, MinF = 50, MaxF = 5450;

    private readonly int _nIn, _nOut, _kMax;
    private readonly float[] _cos, _sin;   // [nOut, kMax/2 - 1]
    private readonly float[] _signal;
    private readonly double[] _r = new double[Order + 1], _a = new double[Order];
    private readonly Complex[] _roots = new Complex[Order];

    /// <summary>Creates the tracker for FFTs of <paramref name="nfft"/> points of frames of <paramref name="frameLength"/> samples at <paramref name="sampleRate"/>.</summary>
    public FormantTracker(int nfft, int frameLength, int sampleRate)
    {
        _nIn = nfft;
        double ratio = TargetRate / sampleRate;
        // The output covers the frame's own length (not the zero padding) on the target grid.
        double padRatio = (double)frameLength / nfft;
        _nOut = (int)Math.Round(nfft * ratio * padRatio);
        // The ratio is rounded so that the frame maps onto a whole number of target samples.
        double newRatio = _nOut / (nfft * padRatio);
        double nd = nfft * newRatio;
        SampleRate = sampleRate * newRatio;
        _kMax = Math.Min(_nIn, _nOut) & ~1;
        int nk = _kMax / 2;
        _cos = new float[_nOut * nk];
        _sin = new float[_nOut * nk];
        for (int i = 0; i < _nOut; i++)
            for (int k = 1; k < nk; k++)
            {
                double arg = 2.0 * Math.PI * k * i / nd;
                _cos[i * nk + k] = (float)Math.Cos(arg);
                _sin[i * nk + k] = (float)Math.Sin(arg);
            }
        _signal = new float[_nOut];
    }

    /// <summary>Sample rate of the resampled frame (Hz).</summary>
    public double SampleRate { get; }

    /// <summary>
    /// Computes formants of one frame from its FFT (bins 0..N/2, numpy sign convention).
    /// </summary>
    /// <param name="re">Real part.</param>
    /// <param name="im">Imaginary part.</param>
    /// <param name="frequency">5 frequencies (Hz) ascending, 0 = none.</param>
    /// <param name="bandwidth">5 bandwidths (Hz).</param>
    public void Analyze(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> frequency, Span<float> bandwidth)
    {
        int nk = _kMax / 2;
        float scale = 1f / (_nIn / 2);
        for (int i = 0; i < _nOut; i++)
        {
            float acc = re[0];
            int o = i * nk;
            // The reference's real DFT keeps +sin for the imaginary part; numpy's is −sin.
            for (int k = 1; k < nk; k++) acc += re[k] * _cos[o + k] - im[k] * _sin[o + k];
            _signal[i] = acc * scale;
        }
        for (int lag = 0; lag <= Order; lag++)
        {
            double s = 0;
            for (int n = 0; n + lag < _nOut; n++) s += _signal[n] * (double)_signal[n + lag];
            _r[lag] = s;
        }
        frequency[..Formants].Clear();
        bandwidth[..Formants].Clear();
        if (!(_r[0] > 0)) return;
        Levinson(_r, _a);
        // Polynomial z^p + a1 z^(p-1) + ... + ap.
        Span<double> poly = stackalloc double[Order + 1];
        poly[0] = 1;
        for (int i = 0; i < Order; i++) poly[i + 1] = -_a[i];
        PolynomialRoots.Solve(poly, _roots);
        int found = 0;
        double T = 1.0 / SampleRate;
        for (int i = 0; i < Order && found < Formants; i++)
        {
            var z = _roots[i];
            if (z.Imaginary < 0) continue;
            if (z.Magnitude > 1) z = 1.0 / Complex.Conjugate(z);
            double f = Math.Abs(Math.Atan2(z.Imaginary, z.Real)) / (2 * Math.PI * T);
            if (f < MinF || f > MaxF) continue;
            frequency[found] = (float)f;
            bandwidth[found] = (float)(-Math.Log(z.Magnitude) / (Math.PI * T));
            found++;
        }
        // Ascending by frequency.
        for (int i = 0; i < found; i++)
            for (int j = i + 1; j < found; j++)
                if (frequency[j] < frequency[i])
                {
                    (frequency[i], frequency[j]) = (frequency[j], frequency[i]);
                    (bandwidth[i], bandwidth[j]) = (bandwidth[j], bandwidth[i]);
                }
    }

    /// <summary>Levinson–Durbin: error-filter coefficients a (A(z) = 1 + Σ a_i z^−i) from autocorrelation r.</summary>
    internal static void Levinson(ReadOnlySpan<double> r, Span<double> a)
    {
        int p = a.Length;
        a.Clear();
        Span<double> tmp = stackalloc double[p];
        double e = r[0];
        for (int m = 1; m <= p; m++)
        {
            double acc = r[m];
            for (int i = 1; i < m; i++) acc += a[i - 1] * r[m - i];
            double k = -acc / e;
            a[..(m - 1)].CopyTo(tmp);
            a[m - 1] = k;
            for (int i = 1; i < m; i++) a[i - 1] = tmp[i - 1] + k * tmp[m - i - 1];
            e *= 1 - k * k;
            if (e <= 0) break;
        }
    }
}

/// <summary>Roots of a real polynomial by the Aberth–Ehrlich iteration.</summary>
internal static class PolynomialRoots
{
    /// <summary>Finds the roots of Σ c_i z^(n−i) (c[0] = leading coefficient ≠ 0).</summary>
    public static void Solve(ReadOnlySpan<double> c, Span<Complex> roots)
    {
        int n = c.Length - 1;
        // Initial guesses on a circle of the Cauchy bound's radius, off the real axis.
        double bound = 0;
        for (int i = 1; i <= n; i++) bound = Math.Max(bound, Math.Abs(c[i] / c[0]));
        double radius = Math.Min(1 + bound, 2.0);
        for (int i = 0; i < n; i++) roots[i] = Complex.FromPolarCoordinates(radius * 0.9, 2 * Math.PI * i / n + 0.4);
        for (int iter = 0; iter < 200; iter++)
        {
            double maxStep = 0;
            for (int i = 0; i < n; i++)
            {
                var z = roots[i];
                Complex p = c[0], dp = 0;
                for (int k = 1; k <= n; k++) { dp = dp * z + p; p = p * z + c[k]; }
                if (p == Complex.Zero) continue;
                var ratio = p / dp;
                Complex sum = 0;
                for (int j = 0; j < n; j++) if (j != i) sum += 1.0 / (z - roots[j]);
                var w = ratio / (1.0 - ratio * sum);
                roots[i] = z - w;
                maxStep = Math.Max(maxStep, w.Magnitude);
            }
            if (maxStep < 1e-12) break;
        }
    }
}
