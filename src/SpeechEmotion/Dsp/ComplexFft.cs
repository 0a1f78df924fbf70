using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpeechEmotion.Dsp;

/// <summary>
/// Complex FFT of any length on split (real, imaginary) T arrays, unnormalised, e^{-2πi nk/N}
/// kernel. Lengths whose prime factors are all small use a Stockham auto-sort mixed-radix
/// algorithm (radix 4, 2, 3, 5 and generic odd primes up to <see cref="MaxDirectPrime"/>); other
/// lengths use Bluestein's chirp-z transform over a power-of-two FFT. Holds scratch buffers:
/// not thread-safe.
/// </summary>
internal sealed class ComplexFft<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Above this prime the O(p) inner DFT of the generic butterfly costs more than Bluestein's
    // three power-of-two FFTs of length >= 2n.
    internal const int MaxDirectPrime = 47;

    private readonly int _n;
    private readonly Stage[] _stages = [];
    private readonly T[] _scratchRe;
    private readonly T[] _scratchIm;
    private readonly Bluestein? _bluestein;

    private sealed class Stage
    {
        public int Radix;
        public int M;      // sub-transform count n_cur / radix
        public int S;      // stride
        public T[] TwRe = [];
        public T[] TwIm = []; // [(k-1)*M + p] = exp(-2πi p k / (radix*M))
        public T[] RootRe = [];
        public T[] RootIm = []; // exp(-2πi j / radix), j < radix (generic radix only)
    }

    /// <summary>Creates a plan for length <paramref name="n"/> (n >= 1).</summary>
    public ComplexFft(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "FFT length must be at least 1.");
        _n = n;
        var radices = Factor(n);
        if (radices is null)
        {
            _bluestein = new Bluestein(n);
            _scratchRe = [];
            _scratchIm = [];
            return;
        }
        _scratchRe = new T[n];
        _scratchIm = new T[n];
        var stages = new List<Stage>();
        int ncur = n, s = 1;
        foreach (var r in radices)
        {
            var st = new Stage { Radix = r, M = ncur / r, S = s };
            st.TwRe = new T[(r - 1) * st.M];
            st.TwIm = new T[(r - 1) * st.M];
            for (var k = 1; k < r; k++)
                for (var p = 0; p < st.M; p++)
                {
                    // exact integer reduction of the angle keeps twiddles accurate for large n
                    long num = (long)p * k % ncur;
                    var ang = -2.0 * Math.PI * num / ncur;
                    st.TwRe[(k - 1) * st.M + p] = T.CreateTruncating(Math.Cos(ang));
                    st.TwIm[(k - 1) * st.M + p] = T.CreateTruncating(Math.Sin(ang));
                }
            if (r != 2 && r != 3 && r != 4 && r != 5)
            {
                st.RootRe = new T[r];
                st.RootIm = new T[r];
                for (var j = 0; j < r; j++)
                {
                    st.RootRe[j] = T.CreateTruncating(Math.Cos(-2.0 * Math.PI * j / r));
                    st.RootIm[j] = T.CreateTruncating(Math.Sin(-2.0 * Math.PI * j / r));
                }
            }
            stages.Add(st);
            ncur /= r;
            s *= r;
        }
        _stages = stages.ToArray();
    }

    /// <summary>Transform length.</summary>
    public int Length => _n;

    /// <summary>Radices used by the Stockham stages, or null for Bluestein lengths.</summary>
    internal static List<int>? Factor(int n)
    {
        var radices = new List<int>();
        var m = n;
        while (m % 4 == 0) { radices.Add(4); m /= 4; }
        while (m % 2 == 0) { radices.Add(2); m /= 2; }
        for (var p = 3; m > 1; p += 2)
        {
            if ((long)p * p > m) p = m; // m is now prime
            if (p > MaxDirectPrime) return null;
            while (m % p == 0) { radices.Add(p); m /= p; }
        }
        return radices;
    }

    /// <summary>In-place forward transform of <paramref name="re"/>/<paramref name="im"/> (length n each).</summary>
    public void Forward(Span<T> re, Span<T> im)
    {
        if (re.Length < _n || im.Length < _n) throw new ArgumentException("Buffers shorter than the FFT length.");
        if (_n == 1) return;
        if (_bluestein is not null) { _bluestein.Forward(re[.._n], im[.._n]); return; }
        Span<T> xr = re[.._n], xi = im[.._n], yr = _scratchRe, yi = _scratchIm;
        foreach (var st in _stages)
        {
            switch (st.Radix)
            {
                case 2: Radix2(st, xr, xi, yr, yi); break;
                case 3: Radix3(st, xr, xi, yr, yi); break;
                case 4: Radix4(st, xr, xi, yr, yi); break;
                case 5: Radix5(st, xr, xi, yr, yi); break;
                default: RadixGeneric(st, xr, xi, yr, yi); break;
            }
            var tr = xr; xr = yr; yr = tr;
            var ti = xi; xi = yi; yi = ti;
        }
        if (_stages.Length % 2 == 1)
        {
            xr.CopyTo(re);
            xi.CopyTo(im);
        }
    }

    /// <summary>In-place inverse transform, unnormalised (callers divide by n).</summary>
    public void InverseUnscaled(Span<T> re, Span<T> im)
    {
        // conj(FFT(conj(x))) is the unscaled inverse; negating the imaginary part twice does that.
        TensorNeg(im[.._n]);
        Forward(re, im);
        TensorNeg(im[.._n]);
    }

    private static void TensorNeg(Span<T> x) => TensorPrimitives.Negate<T>(x, x);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix2(Stage st, Span<T> xr, Span<T> xi, Span<T> yr, Span<T> yi)
    {
        int m = st.M, s = st.S;
        ref T twr = ref MemoryMarshal.GetArrayDataReference(st.TwRe);
        ref T twi = ref MemoryMarshal.GetArrayDataReference(st.TwIm);
        for (var p = 0; p < m; p++)
        {
            T wr = Unsafe.Add(ref twr, p), wi = Unsafe.Add(ref twi, p);
            var a0 = s * p; var a1 = s * (p + m); var b0 = s * 2 * p; var b1 = b0 + s;
            var q = 0;
            if (Vector.IsHardwareAccelerated && s >= Vector<T>.Count)
            {
                var vwr = new Vector<T>(wr); var vwi = new Vector<T>(wi);
                for (; q <= s - Vector<T>.Count; q += Vector<T>.Count)
                {
                    var ar = Ld(xr, a0 + q); var ai = Ld(xi, a0 + q);
                    var br = Ld(xr, a1 + q); var bi = Ld(xi, a1 + q);
                    St(yr, b0 + q, ar + br); St(yi, b0 + q, ai + bi);
                    var dr = ar - br; var di = ai - bi;
                    St(yr, b1 + q, dr * vwr - di * vwi); St(yi, b1 + q, dr * vwi + di * vwr);
                }
            }
            for (; q < s; q++)
            {
                T ar = xr[a0 + q], ai = xi[a0 + q], br = xr[a1 + q], bi = xi[a1 + q];
                yr[b0 + q] = ar + br; yi[b0 + q] = ai + bi;
                T dr = ar - br, di = ai - bi;
                yr[b1 + q] = dr * wr - di * wi; yi[b1 + q] = dr * wi + di * wr;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix4(Stage st, Span<T> xr, Span<T> xi, Span<T> yr, Span<T> yi)
    {
        int m = st.M, s = st.S;
        var twr = st.TwRe; var twi = st.TwIm;
        for (var p = 0; p < m; p++)
        {
            T w1r = twr[p], w1i = twi[p], w2r = twr[m + p], w2i = twi[m + p], w3r = twr[2 * m + p], w3i = twi[2 * m + p];
            int a0 = s * p, a1 = s * (p + m), a2 = s * (p + 2 * m), a3 = s * (p + 3 * m);
            int b0 = s * 4 * p, b1 = b0 + s, b2 = b1 + s, b3 = b2 + s;
            var q = 0;
            if (Vector.IsHardwareAccelerated && s >= Vector<T>.Count)
            {
                Vector<T> v1r = new(w1r), v1i = new(w1i), v2r = new(w2r), v2i = new(w2i), v3r = new(w3r), v3i = new(w3i);
                for (; q <= s - Vector<T>.Count; q += Vector<T>.Count)
                {
                    var x0r = Ld(xr, a0 + q); var x0i = Ld(xi, a0 + q);
                    var x1r = Ld(xr, a1 + q); var x1i = Ld(xi, a1 + q);
                    var x2r = Ld(xr, a2 + q); var x2i = Ld(xi, a2 + q);
                    var x3r = Ld(xr, a3 + q); var x3i = Ld(xi, a3 + q);
                    var t0r = x0r + x2r; var t0i = x0i + x2i;
                    var t1r = x0r - x2r; var t1i = x0i - x2i;
                    var t2r = x1r + x3r; var t2i = x1i + x3i;
                    var t3r = x1r - x3r; var t3i = x1i - x3i;
                    // -i * t3
                    var u3r = t3i; var u3i = -t3r;
                    St(yr, b0 + q, t0r + t2r); St(yi, b0 + q, t0i + t2i);
                    var c1r = t1r + u3r; var c1i = t1i + u3i;
                    var c2r = t0r - t2r; var c2i = t0i - t2i;
                    var c3r = t1r - u3r; var c3i = t1i - u3i;
                    St(yr, b1 + q, c1r * v1r - c1i * v1i); St(yi, b1 + q, c1r * v1i + c1i * v1r);
                    St(yr, b2 + q, c2r * v2r - c2i * v2i); St(yi, b2 + q, c2r * v2i + c2i * v2r);
                    St(yr, b3 + q, c3r * v3r - c3i * v3i); St(yi, b3 + q, c3r * v3i + c3i * v3r);
                }
            }
            for (; q < s; q++)
            {
                T x0r = xr[a0 + q], x0i = xi[a0 + q], x1r = xr[a1 + q], x1i = xi[a1 + q];
                T x2r = xr[a2 + q], x2i = xi[a2 + q], x3r = xr[a3 + q], x3i = xi[a3 + q];
                T t0r = x0r + x2r, t0i = x0i + x2i, t1r = x0r - x2r, t1i = x0i - x2i;
                T t2r = x1r + x3r, t2i = x1i + x3i, t3r = x1r - x3r, t3i = x1i - x3i;
                T u3r = t3i, u3i = -t3r;
                yr[b0 + q] = t0r + t2r; yi[b0 + q] = t0i + t2i;
                T c1r = t1r + u3r, c1i = t1i + u3i, c2r = t0r - t2r, c2i = t0i - t2i, c3r = t1r - u3r, c3i = t1i - u3i;
                yr[b1 + q] = c1r * w1r - c1i * w1i; yi[b1 + q] = c1r * w1i + c1i * w1r;
                yr[b2 + q] = c2r * w2r - c2i * w2i; yi[b2 + q] = c2r * w2i + c2i * w2r;
                yr[b3 + q] = c3r * w3r - c3i * w3i; yi[b3 + q] = c3r * w3i + c3i * w3r;
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]

    private static void Radix3(Stage st, Span<T> xr, Span<T> xi, Span<T> yr, Span<T> yi)
    {
        int m = st.M, s = st.S;
        T c = T.CreateTruncating(-0.5);
        var sn = T.CreateTruncating(-Math.Sqrt(0.75)); // sin(-2π/3)
        for (var p = 0; p < m; p++)
        {
            T w1r = st.TwRe[p], w1i = st.TwIm[p], w2r = st.TwRe[m + p], w2i = st.TwIm[m + p];
            int a0 = s * p, a1 = s * (p + m), a2 = s * (p + 2 * m), b0 = s * 3 * p, b1 = b0 + s, b2 = b1 + s;
            for (var q = 0; q < s; q++)
            {
                T x0r = xr[a0 + q], x0i = xi[a0 + q], x1r = xr[a1 + q], x1i = xi[a1 + q], x2r = xr[a2 + q], x2i = xi[a2 + q];
                T sr = x1r + x2r, si = x1i + x2i, dr = x1r - x2r, di = x1i - x2i;
                T mr = x0r + c * sr, mi = x0i + c * si;
                // ± i*sin * d
                T er = -sn * di, ei = sn * dr;
                yr[b0 + q] = x0r + sr; yi[b0 + q] = x0i + si;
                T o1r = mr + er, o1i = mi + ei, o2r = mr - er, o2i = mi - ei;
                yr[b1 + q] = o1r * w1r - o1i * w1i; yi[b1 + q] = o1r * w1i + o1i * w1r;
                yr[b2 + q] = o2r * w2r - o2i * w2i; yi[b2 + q] = o2r * w2i + o2i * w2r;
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]

    private static void Radix5(Stage st, Span<T> xr, Span<T> xi, Span<T> yr, Span<T> yi)
    {
        int m = st.M, s = st.S;
        T c1 = T.CreateTruncating(Math.Cos(2 * Math.PI / 5)), c2 = T.CreateTruncating(Math.Cos(4 * Math.PI / 5));
        T s1 = T.CreateTruncating(-Math.Sin(2 * Math.PI / 5)), s2 = T.CreateTruncating(-Math.Sin(4 * Math.PI / 5));
        for (var p = 0; p < m; p++)
        {
            int a0 = s * p, a1 = s * (p + m), a2 = s * (p + 2 * m), a3 = s * (p + 3 * m), a4 = s * (p + 4 * m);
            int b0 = s * 5 * p;
            T w1r = st.TwRe[p], w1i = st.TwIm[p], w2r = st.TwRe[m + p], w2i = st.TwIm[m + p];
            T w3r = st.TwRe[2 * m + p], w3i = st.TwIm[2 * m + p], w4r = st.TwRe[3 * m + p], w4i = st.TwIm[3 * m + p];
            for (var q = 0; q < s; q++)
            {
                T x0r = xr[a0 + q], x0i = xi[a0 + q];
                T s14r = xr[a1 + q] + xr[a4 + q], s14i = xi[a1 + q] + xi[a4 + q];
                T d14r = xr[a1 + q] - xr[a4 + q], d14i = xi[a1 + q] - xi[a4 + q];
                T s23r = xr[a2 + q] + xr[a3 + q], s23i = xi[a2 + q] + xi[a3 + q];
                T d23r = xr[a2 + q] - xr[a3 + q], d23i = xi[a2 + q] - xi[a3 + q];
                yr[b0 + q] = x0r + s14r + s23r; yi[b0 + q] = x0i + s14i + s23i;
                T m1r = x0r + c1 * s14r + c2 * s23r, m1i = x0i + c1 * s14i + c2 * s23i;
                T m2r = x0r + c2 * s14r + c1 * s23r, m2i = x0i + c2 * s14i + c1 * s23i;
                // i*(s1*d14 + s2*d23) and i*(s2*d14 - s1*d23)
                T n1r = -(s1 * d14i + s2 * d23i), n1i = s1 * d14r + s2 * d23r;
                T n2r = -(s2 * d14i - s1 * d23i), n2i = s2 * d14r - s1 * d23r;
                T o1r = m1r + n1r, o1i = m1i + n1i, o4r = m1r - n1r, o4i = m1i - n1i;
                T o2r = m2r + n2r, o2i = m2i + n2i, o3r = m2r - n2r, o3i = m2i - n2i;
                yr[b0 + s + q] = o1r * w1r - o1i * w1i; yi[b0 + s + q] = o1r * w1i + o1i * w1r;
                yr[b0 + 2 * s + q] = o2r * w2r - o2i * w2i; yi[b0 + 2 * s + q] = o2r * w2i + o2i * w2r;
                yr[b0 + 3 * s + q] = o3r * w3r - o3i * w3i; yi[b0 + 3 * s + q] = o3r * w3i + o3i * w3r;
                yr[b0 + 4 * s + q] = o4r * w4r - o4i * w4i; yi[b0 + 4 * s + q] = o4r * w4i + o4i * w4r;
            }
        }
    }

    private static void RadixGeneric(Stage st, Span<T> xr, Span<T> xi, Span<T> yr, Span<T> yi)
    {
        int r = st.Radix, m = st.M, s = st.S;
        Span<T> ar = stackalloc T[r];
        Span<T> ai = stackalloc T[r];
        for (var p = 0; p < m; p++)
            for (var q = 0; q < s; q++)
            {
                for (var j = 0; j < r; j++) { ar[j] = xr[q + s * (p + j * m)]; ai[j] = xi[q + s * (p + j * m)]; }
                for (var k = 0; k < r; k++)
                {
                    T sr = T.Zero, si = T.Zero;
                    var idx = 0;
                    for (var j = 0; j < r; j++)
                    {
                        T cr = st.RootRe[idx], ci = st.RootIm[idx];
                        sr += ar[j] * cr - ai[j] * ci;
                        si += ar[j] * ci + ai[j] * cr;
                        idx += k; if (idx >= r) idx -= r;
                    }
                    var o = q + s * (r * p + k);
                    if (k == 0) { yr[o] = sr; yi[o] = si; }
                    else
                    {
                        T wr = st.TwRe[(k - 1) * m + p], wi = st.TwIm[(k - 1) * m + p];
                        yr[o] = sr * wr - si * wi; yi[o] = sr * wi + si * wr;
                    }
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Ld(Span<T> a, int i) =>
        Vector.LoadUnsafe(ref MemoryMarshal.GetReference(a), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void St(Span<T> a, int i, Vector<T> v) =>
        v.StoreUnsafe(ref MemoryMarshal.GetReference(a), (nuint)i);

    /// <summary>Bluestein's algorithm: an n-point DFT as a convolution of length m >= 2n-1 (power of two).</summary>
    private sealed class Bluestein
    {
        private readonly int _n;
        private readonly ComplexFft<T> _fft;
        private readonly T[] _chirpRe, _chirpIm;       // exp(-iπ k²/n)
        private readonly T[] _kernelRe, _kernelIm;     // FFT of conj chirp, wrapped
        private readonly T[] _bufRe, _bufIm;

        public Bluestein(int n)
        {
            _n = n;
            var m = 1;
            while (m < 2 * n - 1) m <<= 1;
            _fft = new ComplexFft<T>(m);
            _chirpRe = new T[n]; _chirpIm = new T[n];
            for (var k = 0; k < n; k++)
            {
                // k² mod 2n keeps the angle small and exact
                long k2 = (long)k * k % (2L * n);
                var ang = -Math.PI * k2 / n;
                _chirpRe[k] = T.CreateTruncating(Math.Cos(ang)); _chirpIm[k] = T.CreateTruncating(Math.Sin(ang));
            }
            _kernelRe = new T[m]; _kernelIm = new T[m];
            _kernelRe[0] = _chirpRe[0]; _kernelIm[0] = -_chirpIm[0];
            for (var k = 1; k < n; k++)
            {
                _kernelRe[k] = _kernelRe[m - k] = _chirpRe[k];
                _kernelIm[k] = _kernelIm[m - k] = -_chirpIm[k];
            }
            _fft.Forward(_kernelRe, _kernelIm);
            _bufRe = new T[m]; _bufIm = new T[m];
        }

        public void Forward(Span<T> re, Span<T> im)
        {
            var m = _bufRe.Length;
            Array.Clear(_bufRe); Array.Clear(_bufIm);
            for (var k = 0; k < _n; k++)
            {
                T xr = re[k], xi = im[k], cr = _chirpRe[k], ci = _chirpIm[k];
                _bufRe[k] = xr * cr - xi * ci; _bufIm[k] = xr * ci + xi * cr;
            }
            _fft.Forward(_bufRe, _bufIm);
            for (var k = 0; k < m; k++)
            {
                T ar = _bufRe[k], ai = _bufIm[k], br = _kernelRe[k], bi = _kernelIm[k];
                _bufRe[k] = ar * br - ai * bi; _bufIm[k] = ar * bi + ai * br;
            }
            _fft.InverseUnscaled(_bufRe, _bufIm);
            var inv = T.One / T.CreateTruncating(m);
            for (var k = 0; k < _n; k++)
            {
                T ar = _bufRe[k] * inv, ai = _bufIm[k] * inv, cr = _chirpRe[k], ci = _chirpIm[k];
                re[k] = ar * cr - ai * ci; im[k] = ar * ci + ai * cr;
            }
        }
    }
}
