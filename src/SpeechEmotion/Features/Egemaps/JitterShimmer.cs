using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Local jitter and shimmer (dB) by waveform matching (eGeMAPS): for each voiced 10 ms step the
/// signal is cut into pitch periods whose lengths are refined by normalised cross-correlation of
/// adjacent periods (±10 % of 1/F0); periods with correlation above 0.5 count. Jitter is the mean absolute
/// difference of consecutive period lengths over the mean period; shimmer is 20·log10(1 + mean peak-to-peak
/// amplitude difference / mean amplitude). State carries across frames: one instance per signal.
/// </summary>
public sealed class JitterShimmer
{
    private const double SearchRangeRel = 0.1, MinCorrelation = 0.5;
    private const int MinPeriods = 2;
    private readonly int _sampleRate, _hop, _frameLength;
    private long _lastIdx;
    private long _lastMis;
    private double _lastT0, _lastJitter, _lastShimmer;
    private double[] _cc = new double[64];

    /// <summary>Creates a tracker for a signal at <paramref name="sampleRate"/> with F0 frames of <paramref name="frameLength"/> samples every <paramref name="hop"/>.</summary>
    public JitterShimmer(int sampleRate, int hop, int frameLength)
    {
        _sampleRate = sampleRate; _hop = hop; _frameLength = frameLength;
    }

    /// <summary>
    /// Processes F0 frame <paramref name="frame"/> (frames must come in order). Returns false when the
    /// signal ends before the samples this frame needs (no output, as the reference stops there).
    /// </summary>
    // Compiled optimised at once: dynamic PGO's profile of this method made it twice as slow.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Process(ReadOnlySpan<float> signal, int frame, float f0, out float jitter, out float shimmerDb)
    {
        jitter = 0; shimmerDb = 0;
        long startV = (long)frame * _hop;
        long toRead0 = _hop + _lastMis;
        long toRead = toRead0;
        double tf = 0; long t0f = 0, t0minF = 0, t0maxF = 0;
        if (f0 > 0)
        {
            tf = _sampleRate / (double)f0;
            t0f = (long)Math.Round(tf);
            t0minF = (long)Math.Floor((1 - SearchRangeRel) * tf);
            t0maxF = (long)Math.Ceiling((1 + SearchRangeRel) * tf);
            long twoPp = MinPeriods * t0maxF + MinPeriods;
            if (toRead < twoPp) toRead = twoPp;
        }
        long maxRead = _lastMis + _frameLength;
        if (toRead > maxRead) toRead = maxRead;
        if (startV - _lastMis != _lastIdx)
        {
            _lastIdx = startV;
            if (toRead > _frameLength) toRead = _frameLength;
        }
        if (_lastIdx + toRead > signal.Length) return false;
        var mat = signal.Slice((int)_lastIdx, (int)toRead);

        double nPeriods = 0, nLocal = 0, avgPeriod = 0, jitterSum = 0, avgAmp = 0, avgAmpDiff = 0;
        long lastPeriod = 0;
        if (f0 > 0)
        {
            long start = 0;
            int span = (int)(t0maxF - t0minF) + 1;
            if (_cc.Length < span) _cc = new double[span];
            var cc = _cc;
            double T = 1.0 / _sampleRate;
            while (start < mat.Length - 2 * t0maxF - 1)
            {
                CrossCorrelations(mat[(int)start..], (int)t0minF, span, cc);
                long maxI = -1; double max = 0;
                for (long i = 1; i < t0maxF - t0minF - 1; i++)
                {
                    if (cc[i - 1] < cc[i] && cc[i] > cc[i + 1] && (maxI == -1 || cc[i] > max)) { maxI = i; max = cc[i]; }
                }
                long pp = maxI == -1 ? t0f : t0minF + maxI;
                long os = start;
                if (maxI >= 0)
                {
                    start += pp;
                    float a0 = PeakToPeak(mat.Slice((int)os, (int)pp));
                    float a1 = PeakToPeak(mat.Slice((int)start, (int)pp));
                    float ad = MathF.Abs(a0 - a1);
                    double vx = ShsPitch.ParabolaVertex(maxI - 1, cc[maxI - 1], maxI, cc[maxI], maxI + 1, cc[maxI + 1], out double ccI);
                    double period = Math.Abs(t0minF + vx) * T;
                    if (ccI > MinCorrelation)
                    {
                        avgPeriod += period; nPeriods++;
                        if (_lastT0 > 0) { jitterSum += Math.Abs(_lastT0 - period); nLocal++; }
                        _lastT0 = period;
                        avgAmp += (a0 + a1) / 2f;
                        avgAmpDiff += ad;
                    }
                }
                else start += t0f;
                if (start < toRead0 - 1) lastPeriod = start;
            }
            _lastMis = toRead0 - lastPeriod;
        }
        else
        {
            lastPeriod = toRead0;
            _lastMis = 0;
            _lastT0 = 0; _lastJitter = 0; _lastShimmer = 0;
        }
        _lastIdx += lastPeriod;

        if (f0 > 0)
        {
            if (nPeriods > 0 && nLocal > 0) _lastJitter = jitterSum / nLocal / (avgPeriod / nPeriods);
            if (nPeriods > 0 && nLocal > 0) { _lastJitter = Math.Min(_lastJitter, 1.0); jitter = (float)_lastJitter; }
            else if (nPeriods == 0) { _lastJitter = Math.Min(_lastJitter, 1.0); jitter = (float)_lastJitter; }
            if (nPeriods > 0) _lastShimmer = avgAmp > 0 ? avgAmpDiff / avgAmp : 0.0;
            _lastShimmer = Math.Min(_lastShimmer, 1.0);
            double x = _lastShimmer + 1.0;
            shimmerDb = (float)(x > 1e-49 ? 20.0 * Math.Log10(x) : -1000.0);
        }
        return true;
    }

    /// <summary>
    /// cc[k] = normalised cross-correlation (means removed) of x[0, t) and x[t, 2t) for t = tMin + k,
    /// k &lt; count. Four lags go through the four lanes of a double vector; each lane adds in exactly the
    /// scalar order, so the results equal <see cref="CrossCorrelationScalar"/>'s bit for bit (jitter
    /// matches the reference's only with the same rounding: near-ties between lags decide the periods).
    /// </summary>
    internal static void CrossCorrelations(ReadOnlySpan<float> x, int tMin, int count, Span<double> cc)
    {
        int k = 0;
        if (Avx.IsSupported)
            for (; k + 4 <= count; k += 4) CrossCorrelation4(x, tMin + k, cc.Slice(k, 4));
        for (; k < count; k++) cc[k] = CrossCorrelationScalar(x[..(tMin + k)], x.Slice(tMin + k, tMin + k));
    }

    // Lags t0..t0+3 at once: lane j sums x[i] (broadcast) and x[t0 + j + i] (contiguous over j).
    private static void CrossCorrelation4(ReadOnlySpan<float> x, int t0, Span<double> cc)
    {
        Span<double> sx = stackalloc double[4], sy = stackalloc double[4], c = stackalloc double[4], nx = stackalloc double[4], ny = stackalloc double[4];
        Vector256<double> vx = default, vy = default;
        for (int i = 0; i < t0; i++)
        {
            vx += Vector256.Create((double)x[i]);
            vy += Avx.ConvertToVector256Double(Vector128.Create(x.Slice(t0 + i, 4)));
        }
        vx.CopyTo(sx); vy.CopyTo(sy);
        // Lane j runs t0 + j terms: the last ones in scalar, in the same order.
        for (int j = 1; j < 4; j++)
            for (int i = t0; i < t0 + j; i++) { sx[j] += x[i]; sy[j] += x[t0 + j + i]; }
        for (int j = 0; j < 4; j++) { sx[j] /= t0 + j; sy[j] /= t0 + j; }
        var mx = Vector256.Create(sx[0], sx[1], sx[2], sx[3]);
        var my = Vector256.Create(sy[0], sy[1], sy[2], sy[3]);
        Vector256<double> vc = default, vnx = default, vny = default;
        for (int i = 0; i < t0; i++)
        {
            var a = Vector256.Create((double)x[i]) - mx;
            var b = Avx.ConvertToVector256Double(Vector128.Create(x.Slice(t0 + i, 4))) - my;
            // Products and sums kept separate (no fused multiply-add), as in the scalar loop.
            vc += a * b; vnx += a * a; vny += b * b;
        }
        vc.CopyTo(c); vnx.CopyTo(nx); vny.CopyTo(ny);
        for (int j = 1; j < 4; j++)
            for (int i = t0; i < t0 + j; i++)
            {
                double a = x[i] - sx[j], b = x[t0 + j + i] - sy[j];
                c[j] += a * b; nx[j] += a * a; ny[j] += b * b;
            }
        for (int j = 0; j < 4; j++) cc[j] = c[j] / (Math.Sqrt(nx[j]) * Math.Sqrt(ny[j]));
    }

    /// <summary>Normalised cross-correlation of the common length of x and y, means removed: the plain two-pass scalar reference of <see cref="CrossCorrelations"/>.</summary>
    internal static double CrossCorrelationScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = Math.Min(x.Length, y.Length);
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double c = 0, nx = 0, ny = 0;
        for (int i = 0; i < n; i++)
        {
            double a = x[i] - mx, b = y[i] - my;
            c += a * b; nx += a * a; ny += b * b;
        }
        return c / (Math.Sqrt(nx) * Math.Sqrt(ny));
    }

    // Peak-to-peak amplitude over the period's inner samples (first and last excluded).
    private static float PeakToPeak(ReadOnlySpan<float> x)
    {
        if (x.Length < 3) return 0f;
        float max = x[1], min = x[1];
        for (int i = 1; i < x.Length - 1; i++) { if (x[i] > max) max = x[i]; if (x[i] < min) min = x[i]; }
        return max - min;
    }
}
