using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpeechEmotion.Dsp;

/// <summary>
/// Power spectra of <see cref="Lanes"/> frames at once: each SIMD lane carries one frame through the
/// same radix-2/3/4/5 Stockham algorithm as <see cref="RealFft"/>, so every butterfly is fully
/// vectorised whatever its stride (the single-frame FFT cannot vectorise its first stages). Supports
/// even n whose half has no prime factor above 5 (400, 512, 640, 2048, ...). Holds scratch: not
/// thread-safe. Results equal <see cref="RealFft"/>'s to float rounding (a test checks this).
/// </summary>
internal sealed class BatchRealFft
{
    private readonly int _n, _h;
    private readonly (int Radix, int M, int S, float[] TwRe, float[] TwIm)[] _stages;
    private readonly Vector<float>[] _ar, _ai, _br, _bi;
    private readonly float[] _postRe, _postIm;
    private readonly float[] _windowed;

    /// <summary>Frames per batch (SIMD width in floats).</summary>
    public static int Lanes => Vector<float>.Count;

    /// <summary>True when <paramref name="n"/> can be batched on this machine.</summary>
    public static bool Supports(int n)
    {
        if (!Vector.IsHardwareAccelerated || n < 4 || n % 2 != 0) return false;
        var radices = ComplexFft<float>.Factor(n / 2);
        return radices is not null && radices.All(r => r is 2 or 3 or 4 or 5);
    }

    public BatchRealFft(int n)
    {
        if (!Supports(n)) throw new ArgumentException($"Batched FFT does not support n={n}.", nameof(n));
        _n = n; _h = n / 2;
        var stages = new List<(int, int, int, float[], float[])>();
        int ncur = _h, s = 1;
        foreach (var r in ComplexFft<float>.Factor(_h)!)
        {
            var m = ncur / r;
            var twr = new float[(r - 1) * m]; var twi = new float[(r - 1) * m];
            for (var k = 1; k < r; k++)
                for (var p = 0; p < m; p++)
                {
                    var ang = -2.0 * Math.PI * ((long)p * k % ncur) / ncur;
                    twr[(k - 1) * m + p] = (float)Math.Cos(ang); twi[(k - 1) * m + p] = (float)Math.Sin(ang);
                }
            stages.Add((r, m, s, twr, twi));
            ncur = m; s *= r;
        }
        _stages = stages.ToArray();
        _ar = new Vector<float>[_h]; _ai = new Vector<float>[_h];
        _br = new Vector<float>[_h]; _bi = new Vector<float>[_h];
        _postRe = new float[_h / 2 + 1]; _postIm = new float[_h / 2 + 1];
        _windowed = new float[n];
        for (var k = 0; k <= _h / 2; k++)
        {
            var a = -2.0 * Math.PI * k / n;
            _postRe[k] = (float)Math.Cos(a); _postIm[k] = (float)Math.Sin(a);
        }
    }

    /// <summary>FFT length.</summary>
    public int Length => _n;

    /// <summary>
    /// Loads frames f = 0..count-1 starting at <paramref name="firstStart"/> + f·<paramref name="hop"/>
    /// of <paramref name="signal"/>, multiplied by <paramref name="window"/> (n values); lanes beyond
    /// <paramref name="count"/> are zero.
    /// </summary>
    public void Load(ReadOnlySpan<float> signal, int firstStart, int hop, int count, ReadOnlySpan<float> window)
    {
        int lanes = Lanes, h = _h;
        var xr = MemoryMarshal.Cast<Vector<float>, float>(_ar.AsSpan());
        var xi = MemoryMarshal.Cast<Vector<float>, float>(_ai.AsSpan());
        if (count < lanes) { xr.Clear(); xi.Clear(); }
        for (var f = 0; f < count; f++)
        {
            var x = signal.Slice(firstStart + f * hop, _n);
            for (var j = 0; j < h; j++)
            {
                xr[j * lanes + f] = window[2 * j] * x[2 * j];
                xi[j * lanes + f] = window[2 * j + 1] * x[2 * j + 1];
            }
        }
    }

    /// <summary>Loads one frame (n samples) times <paramref name="window"/> into lane <paramref name="lane"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void LoadLane(int lane, ReadOnlySpan<float> frame, ReadOnlySpan<float> window)
    {
        int lanes = Lanes, h = _h;
        var xr = MemoryMarshal.Cast<Vector<float>, float>(_ar.AsSpan());
        var xi = MemoryMarshal.Cast<Vector<float>, float>(_ai.AsSpan());
        // window multiply vectorised first, so the strided scatter into the lanes is a plain copy
        System.Numerics.Tensors.TensorPrimitives.Multiply(frame[.._n], window[.._n], _windowed);
        ref var src = ref MemoryMarshal.GetArrayDataReference(_windowed);
        ref var dr = ref Unsafe.Add(ref MemoryMarshal.GetReference(xr), lane);
        ref var di = ref Unsafe.Add(ref MemoryMarshal.GetReference(xi), lane);
        for (var j = 0; j < h; j++)
        {
            Unsafe.Add(ref dr, j * lanes) = Unsafe.Add(ref src, 2 * j);
            Unsafe.Add(ref di, j * lanes) = Unsafe.Add(ref src, 2 * j + 1);
        }
    }

    /// <summary>Zeroes lanes <paramref name="from"/>..Lanes-1 (a partial last batch).</summary>
    public void ClearLanes(int from)
    {
        int lanes = Lanes;
        if (from >= lanes) return;
        var xr = MemoryMarshal.Cast<Vector<float>, float>(_ar.AsSpan());
        var xi = MemoryMarshal.Cast<Vector<float>, float>(_ai.AsSpan());
        for (var j = 0; j < _h; j++)
            for (var f = from; f < lanes; f++) { xr[j * lanes + f] = 0; xi[j * lanes + f] = 0; }
    }

    /// <summary>|X[k]|² of the loaded frames for k = 0..n/2, one vector (lane = frame) per bin.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Power(Span<Vector<float>> power)
    {
        if (power.Length < _h + 1) throw new ArgumentException("power needs n/2+1 vectors.");
        var (zr, zi) = Transform();
        int h = _h;
        var half = new Vector<float>(0.5f);
        {
            Vector<float> a = zr[0], b = zi[0];
            var dc = a + b; var ny = a - b;
            power[0] = dc * dc; power[h] = ny * ny;
        }
        for (var k = 1; k <= h / 2; k++)
        {
            Vector<float> ar = zr[k], ai = zi[k], br = zr[h - k], bi = zi[h - k];
            var er = half * (ar + br); var ei = half * (ai - bi);
            var or = half * (ai + bi); var oi = -half * (ar - br);
            var wr = new Vector<float>(_postRe[k]); var wi = new Vector<float>(_postIm[k]);
            var tr = or * wr - oi * wi; var ti = or * wi + oi * wr;
            var r1 = er + tr; var i1 = ei + ti;
            var r2 = er - tr; var i2 = ti - ei;
            power[k] = r1 * r1 + i1 * i1;
            power[h - k] = r2 * r2 + i2 * i2;
        }
    }

    private (Vector<float>[] Re, Vector<float>[] Im) Transform()
    {
        Vector<float>[] xr = _ar, xi = _ai, yr = _br, yi = _bi;
        foreach (var st in _stages)
        {
            switch (st.Radix)
            {
                case 4: Radix4(st.M, st.S, st.TwRe, st.TwIm, xr, xi, yr, yi); break;
                case 2: Radix2(st.M, st.S, st.TwRe, st.TwIm, xr, xi, yr, yi); break;
                case 3: Radix3(st.M, st.S, st.TwRe, st.TwIm, xr, xi, yr, yi); break;
                default: Radix5(st.M, st.S, st.TwRe, st.TwIm, xr, xi, yr, yi); break;
            }
            (xr, yr) = (yr, xr);
            (xi, yi) = (yi, xi);
        }
        return (xr, xi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mul(Vector<float> ar, Vector<float> ai, float wr, float wi, out Vector<float> r, out Vector<float> i)
    {
        var vwr = new Vector<float>(wr); var vwi = new Vector<float>(wi);
        r = ar * vwr - ai * vwi;
        i = ar * vwi + ai * vwr;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix2(int m, int s, float[] twr, float[] twi, Vector<float>[] xr, Vector<float>[] xi, Vector<float>[] yr, Vector<float>[] yi)
    {
        for (var p = 0; p < m; p++)
        {
            float wr = twr[p], wi = twi[p];
            int a0 = s * p, a1 = s * (p + m), b0 = s * 2 * p, b1 = b0 + s;
            for (var q = 0; q < s; q++)
            {
                Vector<float> ar = xr[a0 + q], ai = xi[a0 + q], br = xr[a1 + q], bi = xi[a1 + q];
                yr[b0 + q] = ar + br; yi[b0 + q] = ai + bi;
                Mul(ar - br, ai - bi, wr, wi, out yr[b1 + q], out yi[b1 + q]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Radix4(int m, int s, float[] twr, float[] twi, Vector<float>[] xr, Vector<float>[] xi, Vector<float>[] yr, Vector<float>[] yi)
    {
        for (var p = 0; p < m; p++)
        {
            float w1r = twr[p], w1i = twi[p], w2r = twr[m + p], w2i = twi[m + p], w3r = twr[2 * m + p], w3i = twi[2 * m + p];
            int a0 = s * p, a1 = s * (p + m), a2 = s * (p + 2 * m), a3 = s * (p + 3 * m);
            int b0 = s * 4 * p, b1 = b0 + s, b2 = b1 + s, b3 = b2 + s;
            for (var q = 0; q < s; q++)
            {
                Vector<float> x0r = xr[a0 + q], x0i = xi[a0 + q], x1r = xr[a1 + q], x1i = xi[a1 + q];
                Vector<float> x2r = xr[a2 + q], x2i = xi[a2 + q], x3r = xr[a3 + q], x3i = xi[a3 + q];
                var t0r = x0r + x2r; var t0i = x0i + x2i; var t1r = x0r - x2r; var t1i = x0i - x2i;
                var t2r = x1r + x3r; var t2i = x1i + x3i; var t3r = x1r - x3r; var t3i = x1i - x3i;
                yr[b0 + q] = t0r + t2r; yi[b0 + q] = t0i + t2i;
                Mul(t1r + t3i, t1i - t3r, w1r, w1i, out yr[b1 + q], out yi[b1 + q]);
                Mul(t0r - t2r, t0i - t2i, w2r, w2i, out yr[b2 + q], out yi[b2 + q]);
                Mul(t1r - t3i, t1i + t3r, w3r, w3i, out yr[b3 + q], out yi[b3 + q]);
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]

    private static void Radix3(int m, int s, float[] twr, float[] twi, Vector<float>[] xr, Vector<float>[] xi, Vector<float>[] yr, Vector<float>[] yi)
    {
        var c = new Vector<float>(-0.5f);
        var sn = new Vector<float>((float)-Math.Sqrt(0.75));
        for (var p = 0; p < m; p++)
        {
            int a0 = s * p, a1 = s * (p + m), a2 = s * (p + 2 * m), b0 = s * 3 * p, b1 = b0 + s, b2 = b1 + s;
            for (var q = 0; q < s; q++)
            {
                Vector<float> x0r = xr[a0 + q], x0i = xi[a0 + q], x1r = xr[a1 + q], x1i = xi[a1 + q], x2r = xr[a2 + q], x2i = xi[a2 + q];
                var sr = x1r + x2r; var si = x1i + x2i; var dr = x1r - x2r; var di = x1i - x2i;
                var mr = x0r + c * sr; var mi = x0i + c * si;
                var er = -(sn * di); var ei = sn * dr;
                yr[b0 + q] = x0r + sr; yi[b0 + q] = x0i + si;
                Mul(mr + er, mi + ei, twr[p], twi[p], out yr[b1 + q], out yi[b1 + q]);
                Mul(mr - er, mi - ei, twr[m + p], twi[m + p], out yr[b2 + q], out yi[b2 + q]);
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]

    private static void Radix5(int m, int s, float[] twr, float[] twi, Vector<float>[] xr, Vector<float>[] xi, Vector<float>[] yr, Vector<float>[] yi)
    {
        var c1 = new Vector<float>((float)Math.Cos(2 * Math.PI / 5)); var c2 = new Vector<float>((float)Math.Cos(4 * Math.PI / 5));
        var s1 = new Vector<float>((float)-Math.Sin(2 * Math.PI / 5)); var s2 = new Vector<float>((float)-Math.Sin(4 * Math.PI / 5));
        for (var p = 0; p < m; p++)
        {
            int a0 = s * p, a1 = s * (p + m), a2 = s * (p + 2 * m), a3 = s * (p + 3 * m), a4 = s * (p + 4 * m), b0 = s * 5 * p;
            for (var q = 0; q < s; q++)
            {
                Vector<float> x0r = xr[a0 + q], x0i = xi[a0 + q];
                var s14r = xr[a1 + q] + xr[a4 + q]; var s14i = xi[a1 + q] + xi[a4 + q];
                var d14r = xr[a1 + q] - xr[a4 + q]; var d14i = xi[a1 + q] - xi[a4 + q];
                var s23r = xr[a2 + q] + xr[a3 + q]; var s23i = xi[a2 + q] + xi[a3 + q];
                var d23r = xr[a2 + q] - xr[a3 + q]; var d23i = xi[a2 + q] - xi[a3 + q];
                yr[b0 + q] = x0r + s14r + s23r; yi[b0 + q] = x0i + s14i + s23i;
                var m1r = x0r + c1 * s14r + c2 * s23r; var m1i = x0i + c1 * s14i + c2 * s23i;
                var m2r = x0r + c2 * s14r + c1 * s23r; var m2i = x0i + c2 * s14i + c1 * s23i;
                var n1r = -(s1 * d14i + s2 * d23i); var n1i = s1 * d14r + s2 * d23r;
                var n2r = -(s2 * d14i - s1 * d23i); var n2i = s2 * d14r - s1 * d23r;
                Mul(m1r + n1r, m1i + n1i, twr[p], twi[p], out yr[b0 + s + q], out yi[b0 + s + q]);
                Mul(m2r + n2r, m2i + n2i, twr[m + p], twi[m + p], out yr[b0 + 2 * s + q], out yi[b0 + 2 * s + q]);
                Mul(m2r - n2r, m2i - n2i, twr[2 * m + p], twi[2 * m + p], out yr[b0 + 3 * s + q], out yi[b0 + 3 * s + q]);
                Mul(m1r - n1r, m1i - n1i, twr[3 * m + p], twi[3 * m + p], out yr[b0 + 4 * s + q], out yi[b0 + 4 * s + q]);
            }
        }
    }
}
