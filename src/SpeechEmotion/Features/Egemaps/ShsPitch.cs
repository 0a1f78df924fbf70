using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Pitch candidates by subharmonic summation (Hermes 1988) as eGeMAPS configures it: the magnitude
/// spectrum is peak-enhanced, smoothed, resampled by a natural cubic spline onto a log2-frequency axis
/// (25 Hz .. Nyquist, as many points as FFT bins), weighted by an auditory sensitivity curve; 15 octave-shifted
/// copies are summed with weights 0.85^(h−1); the 6 highest peaks (parabolically refined) in 55–1000 Hz are
/// the candidates, with voicing 1 − mean/peak. One instance per thread (holds scratch).
/// </summary>
public sealed class ShsPitch
{
    /// <summary>Number of candidates reported per frame.</summary>
    public const int Candidates = 6;
    private const int Harmonics = 15;
    private const double Compression = 0.85;
    private const double MinPitch = 55, MaxPitch = 1000, MinFrequency = 25;

    private readonly int _n;
    private readonly double[] _srcX;      // log2 frequency of each FFT bin
    private readonly int[] _seg;          // spline segment of each target point
    private readonly double[] _a, _b, _h2; // interpolation weights per target point
    private readonly double[] _ca, _cb;    // curvature weights (a³−a)·h²/6 and (b³−b)·h²/6
    private readonly double[] _diag, _upper; // factored tridiagonal system of the natural spline
    private readonly double[] _invH, _invDiag, _negLoInv, _negUpper;
    private readonly double[] _audWeight;
    private readonly int[] _shift;
    private readonly double _fMinT, _stepT;
    private readonly double[] _y, _y2, _rhs;
    private readonly float[] _scaled, _sum, _enhanced;
    private readonly int[] _peaks;

    /// <summary>Creates the analyser for magnitude spectra of <paramref name="bins"/> bins spaced <paramref name="binHz"/>.</summary>
    public ShsPitch(int bins, double binHz)
    {
        if (bins < 8) throw new ArgumentOutOfRangeException(nameof(bins));
        _n = bins;
        double maxF = binHz * (bins - 1);
        _fMinT = Math.Log2(MinFrequency);
        double fMaxT = Math.Log2(maxF);
        _stepT = (fMaxT - _fMinT) / (bins - 1);
        _srcX = new double[bins];
        for (int i = 1; i < bins; i++) _srcX[i] = Math.Log2(i * binHz);
        _srcX[0] = 2 * _srcX[1] - _srcX[2];

        // Natural spline: tridiagonal system for the second derivatives at interior knots, factored once.
        _diag = new double[bins];
        _upper = new double[bins];
        for (int i = 1; i < bins - 1; i++)
        {
            double lo = (_srcX[i] - _srcX[i - 1]) / 6.0, mid = (_srcX[i + 1] - _srcX[i - 1]) / 3.0, up = (_srcX[i + 1] - _srcX[i]) / 6.0;
            double d = i == 1 ? mid : mid - lo * _upper[i - 1];
            _diag[i] = d;
            _upper[i] = up / d;
        }
        _invH = new double[bins]; _invDiag = new double[bins]; _negLoInv = new double[bins]; _negUpper = new double[bins];
        for (int i = 0; i < bins - 1; i++) _invH[i] = 1.0 / (_srcX[i + 1] - _srcX[i]);
        for (int i = 1; i < bins - 1; i++)
        {
            _invDiag[i] = 1.0 / _diag[i];
            _negLoInv[i] = -(_srcX[i] - _srcX[i - 1]) / 6.0 * _invDiag[i];
            _negUpper[i] = -_upper[i];
        }
        _seg = new int[bins]; _a = new double[bins]; _b = new double[bins]; _h2 = new double[bins];
        int k = 0;
        for (int i = 0; i < bins; i++)
        {
            double x = _fMinT + i * _stepT;
            while (k < bins - 2 && _srcX[k + 1] < x) k++;
            double h = _srcX[k + 1] - _srcX[k];
            _seg[i] = k;
            _a[i] = (_srcX[k + 1] - x) / h;
            _b[i] = (x - _srcX[k]) / h;
            _h2[i] = h * h / 6.0;
        }
        _ca = new double[bins]; _cb = new double[bins];
        for (int i = 0; i < bins; i++)
        {
            _ca[i] = (_a[i] * _a[i] * _a[i] - _a[i]) * _h2[i];
            _cb[i] = (_b[i] * _b[i] * _b[i] - _b[i]) * _h2[i];
        }
        double octaves = Math.Log2(maxF / MinFrequency);
        PointsPerOctave = (float)(bins / octaves);
        double atanS = PointsPerOctave * Math.Log2(65.0 / 50.0) - 1.0;
        _audWeight = new double[bins];
        for (int i = 0; i < bins; i++) _audWeight[i] = 0.5 + Math.Atan(3.0 * (i + 1 - atanS) / PointsPerOctave) / Math.PI;
        _shift = new int[Harmonics + 1];
        for (int h = 2; h <= Harmonics; h++) _shift[h] = (int)Math.Floor(PointsPerOctave * Math.Log2(h));
        _y = new double[bins]; _y2 = new double[bins]; _rhs = new double[bins];
        _scaled = new float[bins]; _sum = new float[bins]; _enhanced = new float[bins];
        _peaks = new int[bins / 2 + 2];
    }

    /// <summary>Points per octave of the log-frequency axis.</summary>
    public float PointsPerOctave { get; }

    /// <summary>
    /// Finds the pitch candidates of one magnitude spectrum.
    /// </summary>
    /// <param name="magnitude">FFT magnitudes (bins).</param>
    /// <param name="f0">Candidate frequencies (Hz), 6 values, best score first, 0 = none.</param>
    /// <param name="voicing">Candidate voicing in [0, 1), 6 values.</param>
    /// <returns>Number of candidates found.</returns>
    public int Analyze(ReadOnlySpan<float> magnitude, Span<float> f0, Span<float> voicing)
    {
        int n = _n;
        var m = _enhanced.AsSpan(0, n);
        magnitude[..n].CopyTo(m);
        EnhancePeaks(m, _peaks);
        var y = _y.AsSpan(0, n);
        Smooth121(m, y);
        // Spline second derivatives: forward elimination and back substitution of the factored
        // tridiagonal system, each step one fused multiply-add on the dependency chain.
        var y2 = _y2.AsSpan(0, n); var rhs = _rhs.AsSpan(0, n);
        var invH = _invH.AsSpan(0, n); var invDiag = _invDiag.AsSpan(0, n); var negLoInv = _negLoInv.AsSpan(0, n); var negUpper = _negUpper.AsSpan(0, n);
        y2[0] = 0; y2[n - 1] = 0;
        double prevSlope = (y[1] - y[0]) * invH[0];
        double acc = 0;
        rhs[0] = 0;
        for (int i = 1; i < n - 1; i++)
        {
            double slope = (y[i + 1] - y[i]) * invH[i];
            acc = Math.FusedMultiplyAdd(negLoInv[i], acc, (slope - prevSlope) * invDiag[i]);
            rhs[i] = acc;
            prevSlope = slope;
        }
        acc = 0;
        for (int i = n - 2; i >= 1; i--)
        {
            acc = Math.FusedMultiplyAdd(negUpper[i], acc, rhs[i]);
            y2[i] = acc;
        }
        var s = _scaled.AsSpan(0, n);
        EvaluateSpline(y, y2, s);
        // Subharmonic summation.
        var ss = _sum.AsSpan(0, n);
        s.CopyTo(ss);
        float scale = (float)Compression;
        for (int h = 2; h <= Harmonics; h++)
        {
            int shift = _shift[h];
            if (shift < n)
            {
                var dst = ss[..(n - shift)];
                TensorPrimitives.MultiplyAdd(s[shift..], scale, dst, dst);
            }
            scale *= (float)Compression;
        }
        TensorPrimitives.Divide(ss, (float)Harmonics, ss);
        // Negative sums become 0 (NaN stays, as in the plain comparison).
        TensorPrimitives.Max(ss, 0f, ss);
        double mean = Sum(ss) / n;

        Span<float> idx = stackalloc float[Candidates];
        Span<float> score = stackalloc float[Candidates];
        idx.Clear(); score.Clear();
        int count = 0;
        int maxima = LocalMaxima.Find(ss, strictRight: true, _peaks);
        for (int p = 0; p < maxima; p++)
        {
            int i = _peaks[p];
            float v = ss[i];
            // A full list only takes a maximum above its last score.
            if (count == Candidates && !(score[Candidates - 1] < v)) continue;
            for (int j = 0; j < Candidates; j++)
            {
                if (score[j] == 0f || score[j] < v)
                {
                    for (int jj = Candidates - 1; jj > j; jj--) { score[jj] = score[jj - 1]; idx[jj] = idx[jj - 1]; }
                    idx[j] = i; score[j] = v;
                    if (count < Candidates) count++;
                    break;
                }
            }
        }
        f0[..Candidates].Clear(); voicing[..Candidates].Clear();
        Span<float> sc = stackalloc float[Candidates];
        sc.Clear();
        for (int c = 0; c < count; c++)
        {
            int j = (int)idx[c];
            float x1 = (float)(j * _stepT + _fMinT), x2 = (float)((j + 1) * _stepT + _fMinT), x0 = (float)((j - 1) * _stepT + _fMinT);
            double vx = ParabolaVertex(x0, ss[j - 1], x1, ss[j], x2, ss[j + 1], out double vy);
            f0[c] = (float)Math.Pow(2.0, vx);
            sc[c] = (float)vy;
            voicing[c] = vy > 0 && vy > mean ? (float)(1.0 - mean / vy) : 0f;
        }
        // Drop candidates outside the pitch range, keeping order.
        int kept = 0;
        int total = count;
        for (int c = 0; c < Candidates; c++)
        {
            bool inRange = f0[c] <= MaxPitch && f0[c] >= MinPitch;
            if (c < total && inRange)
            {
                f0[kept] = f0[c]; voicing[kept] = voicing[c]; sc[kept] = sc[c]; kept++;
            }
        }
        for (int c = kept; c < Candidates; c++) { f0[c] = 0; voicing[c] = 0; sc[c] = 0; }
        // Best score first (swap, as the reference does).
        int best = 0;
        for (int c = 1; c < Candidates; c++) if (sc[c] > sc[best]) best = c;
        if (best > 0)
        {
            (f0[0], f0[best]) = (f0[best], f0[0]);
            (voicing[0], voicing[best]) = (voicing[best], voicing[0]);
        }
        return kept;
    }

    /// <summary>
    /// The spline at the log-frequency points, weighted, negative values 0. Gathers four points per
    /// vector (the branch on the sign mispredicts in the scalar loop); same operations in the same order
    /// as <see cref="EvaluateSplineScalar"/>, so the results are equal bit for bit.
    /// </summary>
    internal unsafe void EvaluateSpline(ReadOnlySpan<double> y, ReadOnlySpan<double> y2, Span<float> s)
    {
        int n = Math.Min(s.Length, _n), i = 0;
        if (Avx2.IsSupported && y.Length >= _n && y2.Length >= _n)
        {
            fixed (double* py = y, py2 = y2, pa = _a, pb = _b, pca = _ca, pcb = _cb, paud = _audWeight)
            fixed (int* pseg = _seg)
            fixed (float* ps = s)
            {
                var one = Vector128.Create(1);
                for (; i + 4 <= n; i += 4)
                {
                    var k = Sse2.LoadVector128(pseg + i);
                    var k1 = Sse2.Add(k, one);
                    var yk = Avx2.GatherVector256(py, k, 8); var yk1 = Avx2.GatherVector256(py, k1, 8);
                    var y2k = Avx2.GatherVector256(py2, k, 8); var y2k1 = Avx2.GatherVector256(py2, k1, 8);
                    var v = Avx.LoadVector256(pa + i) * yk + Avx.LoadVector256(pb + i) * yk1 + (Avx.LoadVector256(pca + i) * y2k + Avx.LoadVector256(pcb + i) * y2k1);
                    var fv = Avx.ConvertToVector128Single(v);
                    var weighted = Avx.ConvertToVector128Single(Avx.ConvertToVector256Double(fv) * Avx.LoadVector256(paud + i));
                    Sse.Store(ps + i, Sse.And(weighted, Sse.CompareGreaterThan(fv, Vector128<float>.Zero)));
                }
            }
        }
        for (; i < n; i++) s[i] = SplinePoint(y, y2, i);
    }

    /// <summary>Plain scalar version of <see cref="EvaluateSpline"/> (the reference the tests compare with).</summary>
    internal void EvaluateSplineScalar(ReadOnlySpan<double> y, ReadOnlySpan<double> y2, Span<float> s)
    {
        for (int i = 0; i < Math.Min(s.Length, _n); i++) s[i] = SplinePoint(y, y2, i);
    }

    private float SplinePoint(ReadOnlySpan<double> y, ReadOnlySpan<double> y2, int i)
    {
        int k = _seg[i];
        double v = _a[i] * y[k] + _b[i] * y[k + 1] + (_ca[i] * y2[k] + _cb[i] * y2[k + 1]);
        float fv = (float)v;
        return fv > 0 ? (float)(fv * _audWeight[i]) : 0f;
    }

    /// <summary>
    /// Zeroes the values farther than two bins from every local maximum (between consecutive maxima);
    /// maxima are x[i] &gt; x[i−1] and x[i] ≥ x[i+1], the ends count when above their neighbour.
    /// </summary>
    internal static void EnhancePeaks(Span<float> a, Span<int> scratch)
    {
        int n = a.Length;
        int np = 0;
        bool first = a[0] > a[1], last = a[n - 1] > a[n - 2];
        if (first) scratch[np++] = 0;
        np += LocalMaxima.Find(a, strictRight: false, scratch[np..]);
        if (last) scratch[np++] = n - 1;
        if (np == 0) return;
        if (np == 1)
        {
            // The reference reads the (zero) second slot here, which clears everything from bin 3 on.
            if (n > 3) a[3..].Clear();
            return;
        }
        for (int i = 1; i < np; i++)
        {
            int from = scratch[i - 1] + 3, to = scratch[i] - 3;
            if (to >= from) a[from..(to + 1)].Clear();
        }
    }

    /// <summary>y[i] = (x[i−1] + 2·x[i] + x[i+1]) / 4 in double (x[−1] = 0), the last value copied.</summary>
    internal static void Smooth121(ReadOnlySpan<float> x, Span<double> y)
    {
        int n = x.Length;
        y[0] = (0.0 + 2.0 * x[0] + x[1]) / 4.0;
        int i = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var two = Vector256.Create(2.0); var quarter = Vector256.Create(0.25);
            for (; i + 9 <= n; i += 8)
            {
                var (l0, l1) = Vector256.Widen(Vector256.Create(x.Slice(i - 1, 8)));
                var (c0, c1) = Vector256.Widen(Vector256.Create(x.Slice(i, 8)));
                var (r0, r1) = Vector256.Widen(Vector256.Create(x.Slice(i + 1, 8)));
                ((l0 + two * c0 + r0) * quarter).CopyTo(y.Slice(i, 4));
                ((l1 + two * c1 + r1) * quarter).CopyTo(y.Slice(i + 4, 4));
            }
        }
        for (; i < n - 1; i++) y[i] = ((double)x[i - 1] + 2.0 * x[i] + x[i + 1]) / 4.0;
        y[n - 1] = x[n - 1];
    }

    /// <summary>Plain scalar version of <see cref="Smooth121"/> (the reference the tests compare with).</summary>
    internal static void Smooth121Scalar(ReadOnlySpan<float> x, Span<double> y)
    {
        int n = x.Length;
        double prev = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double cur = x[i];
            y[i] = (prev + 2.0 * cur + x[i + 1]) / 4.0;
            prev = cur;
        }
        y[n - 1] = x[n - 1];
    }

    // Sum in double with four accumulators (the values are floats, so the order changes only the last bits).
    private static double Sum(ReadOnlySpan<float> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= x.Length; i += 4) { s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]; }
        for (; i < x.Length; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Vertex of the parabola through three points (falls back to the highest point).</summary>
    internal static double ParabolaVertex(double x1, double y1, double x2, double y2, double x3, double y3, out double y)
    {
        double den = (x1 - x2) * (x1 - x3) * (x2 - x3);
        if (den != 0)
        {
            double a = (x3 * (y2 - y1) + x2 * (y1 - y3) + x1 * (y3 - y2)) / den;
            double b = (x3 * x3 * (y1 - y2) + x2 * x2 * (y3 - y1) + x1 * x1 * (y2 - y3)) / den;
            double c = (x2 * x3 * (x2 - x3) * y1 + x3 * x1 * (x3 - x1) * y2 + x1 * x2 * (x1 - x2) * y3) / den;
            if (a != 0)
            {
                double xv = -b / (2 * a);
                y = c - b * b / (4 * a);
                return xv;
            }
        }
        if (y1 >= y2 && y1 >= y3) { y = y1; return x1; }
        if (y2 >= y3) { y = y2; return x2; }
        y = y3; return x3;
    }
}
