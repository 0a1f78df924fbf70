using System.Numerics;
using SpeechEmotion.Dsp;

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

    private readonly int _nIn, _nOut, _kMax, _period;
    private readonly RealFft? _ifft;
    private readonly float[] _bre, _bim, _full;
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
        // The band-limited inverse DFT over a period of nd samples is an inverse FFT of that length
        // (nd is a whole number for the usual rates; otherwise the generic sum is used).
        _period = (int)Math.Round(nd);
        if (Math.Abs(nd - _period) < 1e-9 && _period >= _nOut) _ifft = new RealFft(_period);
        else _period = 0;
        _bre = new float[Math.Max(_period, 2) / 2 + 1];
        _bim = new float[Math.Max(_period, 2) / 2 + 1];
        _full = new float[Math.Max(_period, 1)];
        _nd = nd;
        _signal = new float[_nOut];
    }

    private readonly double _nd;
    private bool _haveRoots;

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
        Resample(re, im);
        // Single-precision accumulation in the reference's order: the (ill-conditioned) polynomial's
        // roots follow these rounding details closely.
        for (int lag = 0; lag <= Order; lag++)
        {
            float s = 0;
            for (int n = lag; n < _nOut; n++) s += _signal[n] * _signal[n - lag];
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
        // Roots move little from one frame to the next: the previous frame's roots are a close start.
        PolynomialRoots.Solve(poly, _roots, _haveRoots);
        _haveRoots = true;
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

    // x[i] = (Re0 + Σ_{k=1}^{kMax/2−1} (Re_k cos(2πki/nd) − Im_k sin(2πki/nd))) / (N/2), i < nOut: the reference's
    // band-limited inverse real DFT onto the target grid (its transform keeps +sin for the imaginary part).
    private void Resample(ReadOnlySpan<float> re, ReadOnlySpan<float> im)
    {
        int nk = _kMax / 2;
        float scale = 1f / (_nIn / 2);
        if (_ifft is not null)
        {
            Array.Clear(_bre); Array.Clear(_bim);
            // Inverse FFT computes (1/n)·Σ over the Hermitian spectrum: DC once, other bins twice.
            _bre[0] = re[0] * _period * scale;
            for (int k = 1; k < nk; k++)
            {
                _bre[k] = re[k] * _period * 0.5f * scale;
                _bim[k] = im[k] * _period * 0.5f * scale;
            }
            _ifft.Inverse(_bre, _bim, _full);
            _full.AsSpan(0, _nOut).CopyTo(_signal);
            return;
        }
        for (int i = 0; i < _nOut; i++)
        {
            double acc = re[0];
            for (int k = 1; k < nk; k++)
            {
                double arg = 2.0 * Math.PI * k * i / _nd;
                acc += re[k] * Math.Cos(arg) - im[k] * Math.Sin(arg);
            }
            _signal[i] = (float)acc * scale;
        }
    }

    /// <summary>Levinson–Durbin: error-filter coefficients a (A(z) = 1 + Σ a_i z^−i) from autocorrelation r.</summary>
    internal static void Levinson(ReadOnlySpan<double> r, Span<double> a)
    {
        int p = a.Length;
        Span<float> af = stackalloc float[p];
        af.Clear();
        float e = (float)r[0];
        for (int m = 1; m <= p; m++)
        {
            float acc = (float)r[m];
            for (int i = 1; i < m; i++) acc += af[i - 1] * (float)r[m - i];
            float k = (-1f / e) * acc;
            af[m - 1] = k;
            for (int i = 1; i <= m / 2; i++)
            {
                float x = af[i - 1];
                af[i - 1] += k * af[m - i - 1];
                if (i < m / 2 || (m & 1) == 1) af[m - i - 1] += k * x;
            }
            e *= 1f - k * k;
            if (e == 0f) break;
        }
        for (int i = 0; i < p; i++) a[i] = af[i];
    }
}

/// <summary>Roots of a real polynomial by the Aberth–Ehrlich iteration.</summary>
internal static class PolynomialRoots
{
    /// <summary>Finds the roots of Σ c_i z^(n−i) (c[0] = leading coefficient ≠ 0).</summary>
    /// <param name="c">Coefficients, highest power first.</param>
    /// <param name="roots">Destination (n roots); with <paramref name="warmStart"/> its contents are the initial guesses.</param>
    /// <param name="warmStart">Start from the values already in <paramref name="roots"/>.</param>
    public static void Solve(ReadOnlySpan<double> c, Span<Complex> roots, bool warmStart = false)
    {
        int n = c.Length - 1;
        bool usable = warmStart;
        for (int i = 0; i < n && usable; i++)
        {
            if (!double.IsFinite(roots[i].Real) || !double.IsFinite(roots[i].Imaginary)) usable = false;
            for (int j = 0; j < i && usable; j++) if ((roots[i] - roots[j]).Magnitude < 1e-6) usable = false;
        }
        if (!usable)
        {
            // Initial guesses on a circle of about the Cauchy bound's radius, off the real axis.
            double bound = 0;
            for (int i = 1; i <= n; i++) bound = Math.Max(bound, Math.Abs(c[i] / c[0]));
            double radius = Math.Min(1 + bound, 2.0);
            for (int i = 0; i < n; i++) roots[i] = Complex.FromPolarCoordinates(radius * 0.9, 2 * Math.PI * i / n + 0.4);
        }
        // The iteration on separate real and imaginary parts: System.Numerics.Complex's overflow-safe
        // division and hypot-based magnitude cost more than the whole update, and the values here are
        // bounded (roots inside radius 2, coefficients of a stable LPC filter).
        Span<double> re = stackalloc double[n], im = stackalloc double[n];
        for (int i = 0; i < n; i++) { re[i] = roots[i].Real; im[i] = roots[i].Imaginary; }
        Span<bool> done = stackalloc bool[n];
        done.Clear();
        for (int iter = 0; iter < 100; iter++)
        {
            int active = 0;
            for (int i = 0; i < n; i++)
            {
                if (done[i]) continue;
                active++;
                double zr = re[i], zi = im[i];
                // Horner for p(z) and p'(z).
                double pr = c[0], pi = 0, dr = 0, di = 0;
                for (int k = 1; k <= n; k++)
                {
                    double ndr = dr * zr - di * zi + pr, ndi = dr * zi + di * zr + pi;
                    dr = ndr; di = ndi;
                    double npr = pr * zr - pi * zi + c[k], npi = pr * zi + pi * zr;
                    pr = npr; pi = npi;
                }
                if (pr == 0 && pi == 0) { done[i] = true; continue; }
                double dd = dr * dr + di * di;
                if (!(dd > 0) || !double.IsFinite(dd)) { done[i] = true; continue; }
                // ratio = p / p'
                double rr = (pr * dr + pi * di) / dd, ri = (pi * dr - pr * di) / dd;
                double sr = 0, si = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double ur = zr - re[j], ui = zi - im[j];
                    double uu = ur * ur + ui * ui;
                    sr += ur / uu; si -= ui / uu;
                }
                // w = ratio / (1 − ratio·sum)
                double qr = 1 - (rr * sr - ri * si), qi = -(rr * si + ri * sr);
                double qq = qr * qr + qi * qi;
                double wr = (rr * qr + ri * qi) / qq, wi = (ri * qr - rr * qi) / qq;
                re[i] = zr - wr; im[i] = zi - wi;
                double zz = zr * zr + zi * zi;
                if (wr * wr + wi * wi <= 1e-26 * Math.Max(1.0, zz)) done[i] = true;
            }
            if (active == 0) break;
        }
        for (int i = 0; i < n; i++) roots[i] = new Complex(re[i], im[i]);
    }
}
