namespace SpeechEmotion.Dsp;

/// <summary>
/// FFT of a real signal of any length n >= 1, with numpy's conventions: <see cref="Forward"/> is the
/// unnormalised one-sided transform X[k] = Σ x[t]·e^{-2πi kt/n}, k = 0..n/2 (n/2+1 bins, as
/// <c>numpy.fft.rfft</c>), and <see cref="Inverse"/> is <c>numpy.fft.irfft</c> (1/n normalised; the
/// imaginary parts of the DC and, for even n, Nyquist bins are ignored).
/// Even n runs a complex FFT of n/2 points plus an O(n) split; power-of-two n uses radix-4/2
/// Stockham stages, other sizes mixed radix (2, 3, 4, 5, small primes) or Bluestein.
/// An instance holds scratch buffers: it is not thread-safe; create one per thread.
/// </summary>
public sealed class RealFft
{
    private readonly RealFftCore<float> _core;

    /// <summary>Creates a transform of length <paramref name="n"/> (n >= 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1.</exception>
    public RealFft(int n) => _core = new RealFftCore<float>(n);

    /// <summary>Transform length n (samples).</summary>
    public int Length => _core.Length;

    /// <summary>Number of one-sided bins, n/2 + 1.</summary>
    public int Bins => _core.Bins;

    /// <summary>
    /// One-sided forward transform: <paramref name="input"/> has n samples; <paramref name="re"/> and
    /// <paramref name="im"/> receive n/2+1 bins each. Unnormalised.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im) => _core.Forward(input, re, im);

    /// <summary>
    /// Inverse of <see cref="Forward"/> (numpy irfft): <paramref name="re"/>/<paramref name="im"/> hold
    /// n/2+1 bins; <paramref name="output"/> receives n samples, scaled by 1/n.
    /// </summary>
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output) => _core.Inverse(re, im, output);
}

/// <summary>
/// Double-precision twin of <see cref="RealFft"/> (same conventions), for analyses whose small
/// values must match numpy's float64 FFT (e.g. spectral valleys). Not thread-safe.
/// </summary>
public sealed class RealFft64
{
    private readonly RealFftCore<double> _core;

    /// <summary>Creates a transform of length <paramref name="n"/> (n >= 1).</summary>
    public RealFft64(int n) => _core = new RealFftCore<double>(n);

    /// <summary>Transform length n (samples).</summary>
    public int Length => _core.Length;

    /// <summary>Number of one-sided bins, n/2 + 1.</summary>
    public int Bins => _core.Bins;

    /// <summary>One-sided unnormalised forward transform (n samples → n/2+1 bins).</summary>
    public void Forward(ReadOnlySpan<double> input, Span<double> re, Span<double> im) => _core.Forward(input, re, im);

    /// <summary>numpy irfft: n/2+1 bins → n samples, scaled by 1/n.</summary>
    public void Inverse(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> output) => _core.Inverse(re, im, output);
}

/// <summary>Generic implementation behind <see cref="RealFft"/> and <see cref="RealFft64"/>.</summary>
internal sealed class RealFftCore<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private static readonly T half = T.CreateTruncating(0.5);
    private readonly int _n;
    private readonly ComplexFft<T> _fft;      // n/2 points for even n, n points for odd n
    private readonly T[] _zr, _zi;
    private readonly T[] _twRe = [], _twIm = []; // exp(-2πi k/n), k < n/2

    /// <summary>Creates a transform of length <paramref name="n"/> (n >= 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1.</exception>
    public RealFftCore(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "FFT length must be at least 1.");
        _n = n;
        if (n % 2 == 0)
        {
            var h = n / 2;
            _fft = new ComplexFft<T>(h);
            _zr = new T[h]; _zi = new T[h];
            _twRe = new T[h + 1]; _twIm = new T[h + 1];
            for (var k = 0; k <= h; k++)
            {
                var a = -2.0 * Math.PI * k / n;
                _twRe[k] = T.CreateTruncating(Math.Cos(a)); _twIm[k] = T.CreateTruncating(Math.Sin(a));
            }
        }
        else
        {
            _fft = new ComplexFft<T>(n);
            _zr = new T[n]; _zi = new T[n];
        }
    }

    /// <summary>Transform length n (samples).</summary>
    public int Length => _n;

    /// <summary>Number of one-sided bins, n/2 + 1.</summary>
    public int Bins => _n / 2 + 1;

    /// <summary>
    /// One-sided forward transform: <paramref name="input"/> has n samples; <paramref name="re"/> and
    /// <paramref name="im"/> receive n/2+1 bins each. Unnormalised.
    /// </summary>
    public void Forward(ReadOnlySpan<T> input, Span<T> re, Span<T> im)
    {
        var n = _n;
        if (input.Length != n) throw new ArgumentException($"Input has {input.Length} samples; the FFT length is {n}.", nameof(input));
        var bins = n / 2 + 1;
        if (re.Length < bins || im.Length < bins) throw new ArgumentException($"Outputs need {bins} bins.");
        if (n % 2 == 1)
        {
            input.CopyTo(_zr);
            Array.Clear(_zi);
            _fft.Forward(_zr, _zi);
            _zr.AsSpan(0, bins).CopyTo(re);
            _zi.AsSpan(0, bins).CopyTo(im);
            return;
        }
        var h = n / 2;
        var zr = _zr; var zi = _zi;
        for (var t = 0; t < h; t++) { zr[t] = input[2 * t]; zi[t] = input[2 * t + 1]; }
        _fft.Forward(zr, zi);
        re[0] = zr[0] + zi[0]; im[0] = T.Zero;
        re[h] = zr[0] - zi[0]; im[h] = T.Zero;
        var twr = _twRe; var twi = _twIm;
        for (var k = 1; k <= h / 2; k++)
        {
            // E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i; X[k] = E + W^k O,
            // X[h-k] = conj(E) - conj(W^{h-k}... ) computed symmetrically.
            T ar = zr[k], ai = zi[k], br = zr[h - k], bi = zi[h - k];
            T er = half * (ar + br), ei = half * (ai - bi);
            T or = half * (ai + bi), oi = -half * (ar - br);
            T wr = twr[k], wi = twi[k];
            T tr = or * wr - oi * wi, ti = or * wi + oi * wr;
            re[k] = er + tr; im[k] = ei + ti;
            // X[h-k] = conj(E[k]) - conj(W^k O[k])  (since W^{h-k} = -conj(W^k))
            re[h - k] = er - tr; im[h - k] = -(ei - ti);
        }
    }

    /// <summary>
    /// Inverse of <see cref="Forward"/> (numpy irfft): <paramref name="re"/>/<paramref name="im"/> hold
    /// n/2+1 bins; <paramref name="output"/> receives n samples, scaled by 1/n.
    /// </summary>
    public void Inverse(ReadOnlySpan<T> re, ReadOnlySpan<T> im, Span<T> output)
    {
        var n = _n;
        var bins = n / 2 + 1;
        if (re.Length < bins || im.Length < bins) throw new ArgumentException($"Inputs need {bins} bins.");
        if (output.Length != n) throw new ArgumentException($"Output has {output.Length} samples; the FFT length is {n}.", nameof(output));
        if (n % 2 == 1)
        {
            _zr[0] = re[0]; _zi[0] = T.Zero;
            for (var k = 1; k < bins; k++)
            {
                _zr[k] = re[k]; _zi[k] = im[k];
                _zr[n - k] = re[k]; _zi[n - k] = -im[k];
            }
            _fft.InverseUnscaled(_zr, _zi);
            var s = T.One / T.CreateTruncating(n);
            for (var t = 0; t < n; t++) output[t] = _zr[t] * s;
            return;
        }
        var h = n / 2;
        var zr = _zr; var zi = _zi;
        {
            // k = 0 pairs DC with Nyquist; their imaginary parts are ignored as numpy does.
            T x0 = re[0], xh = re[h];
            zr[0] = half * (x0 + xh);
            zi[0] = half * (x0 - xh);
        }
        var twr = _twRe; var twi = _twIm;
        for (var k = 1; k <= h / 2; k++)
        {
            T ar = re[k], ai = im[k], br = re[h - k], bi = -im[h - k]; // b = conj X[h-k]
            T er = half * (ar + br), ei = half * (ai + bi);
            T dr = half * (ar - br), di = half * (ai - bi);
            // O = d / W^k = d * conj(W^k)
            T wr = twr[k], wi = -twi[k];
            T or = dr * wr - di * wi, oi = dr * wi + di * wr;
            // Z[k] = E + i O
            zr[k] = er - oi; zi[k] = ei + or;
            if (k != h - k)
            {
                // E[h-k] = conj E[k], O[h-k] = conj O[k]
                zr[h - k] = er + oi; zi[h - k] = -ei + or;
            }
        }
        _fft.InverseUnscaled(zr, zi);
        var scale = T.CreateTruncating(2.0 / n);
        for (var t = 0; t < h; t++) { output[2 * t] = zr[t] * scale; output[2 * t + 1] = zi[t] * scale; }
    }
}
