using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Features.Compare;

/// <summary>
/// The ComParE 2016 functionals (Schuller et al., Interspeech 2013/2016) of 130 frame-level contours:
/// extremes positions, percentiles, moments, threshold segments, up-level/rise/curvature times, LPC of the
/// contour, means, salient peaks and slopes, and linear/quadratic regression. Contours are 10 ms frames.
/// </summary>
public static class CompareFunctionals
{
    /// <summary>Frame period of the contours (s).</summary>
    public const double Period = 0.01;

    /// <summary>Number of functionals produced.</summary>
    public const int Count = 6373;

    private static readonly int[][] OutputIndex = BuildIndex();

    private static int[][] BuildIndex()
    {
        var pos = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < CompareNames.Functionals.Count; i++) pos[CompareNames.Functionals[i]] = i;
        var idx = new int[CompareNames.Llds.Count][];
        for (int c = 0; c < idx.Length; c++)
        {
            var fs = CompareNames.FunctionalsOf(CompareNames.KindOf(c));
            idx[c] = fs.Select(f => pos[CompareNames.Llds[c] + "_" + f]).ToArray();
        }
        return idx;
    }

    /// <summary>
    /// Computes the 6373 functionals of an LLD matrix laid out as <see cref="CompareNames.Llds"/>.
    /// </summary>
    /// <param name="lld">Row-major [frames, 130] contours.</param>
    /// <param name="frames">Number of frames (rows) to summarise.</param>
    /// <param name="dest">Output, length <see cref="Count"/>, in <see cref="CompareNames.Functionals"/> order.</param>
    public static void Compute(ReadOnlySpan<float> lld, int frames, Span<float> dest)
    {
        int cols = CompareNames.Llds.Count;
        if (lld.Length < frames * cols) throw new ArgumentException($"Expected at least {frames * cols} values.", nameof(lld));
        if (dest.Length < Count) throw new ArgumentException($"Destination needs {Count} values.", nameof(dest));
        var column = new float[frames];
        var scratch = new float[frames];
        var values = new double[64];
        for (int c = 0; c < cols; c++)
        {
            for (int t = 0; t < frames; t++) column[t] = lld[t * cols + c];
            var kind = CompareNames.KindOf(c);
            int n = Summarise(column, kind, scratch, values);
            var outIdx = OutputIndex[c];
            for (int k = 0; k < n; k++) dest[outIdx[k]] = SafeFloat(values[k]);
        }
    }

    private static float SafeFloat(double v) => double.IsFinite(v) ? (float)v : 0f;

    /// <summary>Writes the functionals of one contour (in <see cref="CompareNames.FunctionalsOf"/> order); returns how many.</summary>
    internal static int Summarise(float[] contour, CompareLldKind kind, float[] scratch, double[] v)
    {
        ReadOnlySpan<float> x = contour;
        int k = 0;
        if (kind is CompareLldKind.Voicing or CompareLldKind.F0)
        {
            // Voicing descriptors are summarised over voiced (non-zero) frames only.
            int nz = ContourFunctionals.NonZero(contour, scratch);
            ReadOnlySpan<float> y = scratch.AsSpan(0, nz);
            var s = new Basic(y);
            v[k++] = s.Mean; v[k++] = Flatness(y, s.Mean); v[k++] = PosMean(y); v[k++] = s.RqMean;
            v[k++] = s.Range; v[k++] = s.MaxPos; v[k++] = s.MinPos;
            k = Regression(y, s, v, k, centroid: true, timeUnit: 1.0);
            k = Percentiles(y, v, k);
            v[k++] = s.Std; v[k++] = s.Skew; v[k++] = s.Kurt;
            k = Times(y, s, v, k);
            k = Lpc(y, v, k);
            if (kind == CompareLldKind.F0)
            {
                v[k++] = x.Length == 0 ? 0 : (double)nz / x.Length;
                var seg = ContourFunctionals.Segments(x, nonZeroSegments: true);
                var (mean, max, min, std) = SegmentLengths(x, seg);
                v[k++] = mean; v[k++] = max; v[k++] = min; v[k++] = std;
            }
            return k;
        }

        var b = new Basic(x);
        v[k++] = b.Range; v[k++] = b.MaxPos; v[k++] = b.MinPos;
        k = Percentiles(x, v, k);
        v[k++] = b.Std; v[k++] = b.Skew; v[k++] = b.Kurt;
        k = ThresholdSegments(x, b, v, k);
        k = Times(x, b, v, k);
        k = Lpc(x, v, k);
        if (kind == CompareLldKind.Spectral) { v[k++] = b.Mean; v[k++] = Flatness(x, b.Mean); }
        else { v[k++] = Flatness(x, b.Mean); v[k++] = PosMean(x); }
        v[k++] = b.RqMean;
        k = Peaks(x, b, v, k);
        if (kind == CompareLldKind.Spectral) k = Regression(x, b, v, k, centroid: true);
        return k;
    }

    private readonly struct Basic
    {
        public readonly double Mean, RqMean, Min, Max, Range, MaxPos, MinPos, Std, Skew, Kurt;

        public Basic(ReadOnlySpan<float> x)
        {
            int n = x.Length;
            if (n == 0) { this = default; return; }
            double sum = 0, sq = 0;
            float mn = x[0], mx = x[0];
            int imn = 0, imx = 0;
            for (int i = 0; i < n; i++)
            {
                float t = x[i];
                sum += t; sq += (double)t * t;
                if (t > mx) { mx = t; imx = i; }
                if (t < mn) { mn = t; imn = i; }
            }
            Mean = sum / n;
            RqMean = Math.Sqrt(sq / n);
            Min = mn; Max = mx; Range = mx - (double)mn;
            double denom = n > 1 ? n - 1 : 1;
            MaxPos = imx / denom; MinPos = imn / denom;
            double m2 = 0, m3 = 0, m4 = 0;
            foreach (float t in x) { double d = t - Mean, d2 = d * d; m2 += d2; m3 += d2 * d; m4 += d2 * d2; }
            m2 /= n; m3 /= n; m4 /= n;
            Std = Math.Sqrt(m2);
            Skew = m2 > 0 ? m3 / (m2 * Std) : 0;
            Kurt = m2 > 0 ? m4 / (m2 * m2) : 0;
        }
    }

    private static double Flatness(ReadOnlySpan<float> x, double mean)
    {
        if (x.Length == 0) return 0;
        double logSum = 0, absSum = 0;
        foreach (float t in x)
        {
            double a = Math.Abs(t);
            absSum += a;
            logSum += Math.Log(Math.Max(a, 1e-30));
        }
        double am = absSum / x.Length;
        return am > 0 ? Math.Exp(logSum / x.Length) / am : 0;
    }

    private static double PosMean(ReadOnlySpan<float> x)
    {
        double s = 0; int c = 0;
        foreach (float t in x) if (t > 0) { s += t; c++; }
        return c > 0 ? s / c : 0;
    }

    private static int Percentiles(ReadOnlySpan<float> x, double[] v, int k)
    {
        var sorted = x.ToArray();
        Array.Sort(sorted);
        double q1 = ContourFunctionals.Percentile(sorted, 0.25), q2 = ContourFunctionals.Percentile(sorted, 0.5), q3 = ContourFunctionals.Percentile(sorted, 0.75);
        double p1 = ContourFunctionals.Percentile(sorted, 0.01), p99 = ContourFunctionals.Percentile(sorted, 0.99);
        v[k++] = q1; v[k++] = q2; v[k++] = q3; v[k++] = q2 - q1; v[k++] = q3 - q2; v[k++] = q3 - q1;
        v[k++] = p1; v[k++] = p99; v[k++] = p99 - p1;
        return k;
    }

    private static int Times(ReadOnlySpan<float> x, in Basic b, double[] v, int k)
    {
        int n = x.Length;
        foreach (double p in (ReadOnlySpan<double>)[0.25, 0.5, 0.75, 0.9])
        {
            double th = b.Min + p * b.Range;
            int c = 0;
            foreach (float t in x) if (t > th) c++;
            v[k++] = n > 0 ? (double)c / n : 0;
        }
        int rise = 0, left = 0;
        for (int i = 1; i < n; i++) if (x[i] > x[i - 1]) rise++;
        for (int i = 1; i + 1 < n; i++) if (x[i + 1] - 2.0 * x[i] + x[i - 1] > 0) left++;
        v[k++] = n > 1 ? (double)rise / (n - 1) : 0;
        v[k++] = n > 2 ? (double)left / (n - 2) : 0;
        return k;
    }

    /// <summary>LPC of the contour itself (order 5, autocorrelation method): prediction error gain then coefficients.</summary>
    private static int Lpc(ReadOnlySpan<float> x, double[] v, int k)
    {
        const int order = 5;
        int n = x.Length;
        Span<double> r = stackalloc double[order + 1];
        for (int lag = 0; lag <= order; lag++)
        {
            double s = 0;
            for (int i = 0; i + lag < n; i++) s += (double)x[i] * x[i + lag];
            r[lag] = n > 0 ? s / n : 0;
        }
        Span<double> a = stackalloc double[order + 1];
        Span<double> tmp = stackalloc double[order + 1];
        a.Clear(); a[0] = 1;
        double e = r[0];
        for (int i = 1; i <= order && e > 0; i++)
        {
            double acc = r[i];
            for (int j = 1; j < i; j++) acc += a[j] * r[i - j];
            double refl = -acc / e;
            a.CopyTo(tmp);
            for (int j = 1; j < i; j++) a[j] = tmp[j] + refl * tmp[i - j];
            a[i] = refl;
            e *= 1 - refl * refl;
        }
        v[k++] = Math.Max(e, 0);
        for (int j = 1; j <= order; j++) v[k++] = a[j];
        return k;
    }

    /// <summary>Linear and quadratic regression of (x − min) / range over time (seconds, or frames for voicing contours).</summary>
    private static int Regression(ReadOnlySpan<float> x, in Basic b, double[] v, int k, bool centroid, double timeUnit = Period)
    {
        int n = x.Length;
        double scale = b.Range > 0 ? 1.0 / b.Range : 1.0;
        if (n < 2)
        {
            v[k++] = 0; v[k++] = 0; v[k++] = 0;
            v[k++] = 0; v[k++] = 0; v[k++] = 0; v[k++] = 0;
            if (centroid) v[k++] = 0;
            return k;
        }
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
        for (int i = 0; i < n; i++)
        {
            double t = i * timeUnit, t2 = t * t, y = (x[i] - b.Min) * scale;
            s1 += t; s2 += t2; s3 += t2 * t; s4 += t2 * t2;
            y0 += y; y1 += y * t; y2 += y * t2;
        }
        double mt = s1 / n, my = y0 / n;
        double sxx = s2 - n * mt * mt, sxy = y1 - n * mt * my;
        double m = sxx > 0 ? sxy / sxx : 0, c0 = my - m * mt;
        double errL = 0;
        for (int i = 0; i < n; i++) { double d = m * i * timeUnit + c0 - (x[i] - b.Min) * scale; errL += d * d; }
        v[k++] = m; v[k++] = c0; v[k++] = errL / n;

        // Normal equations of the quadratic fit, solved by Cramer's rule in double precision.
        double[,] A = { { s4, s3, s2 }, { s3, s2, s1 }, { s2, s1, n } };
        double[] B = { y2, y1, y0 };
        double det = Det3(A);
        double qa = 0, qb = 0, qc = my;
        if (Math.Abs(det) > 1e-300)
        {
            qa = Det3(Replace(A, 0, B)) / det; qb = Det3(Replace(A, 1, B)) / det; qc = Det3(Replace(A, 2, B)) / det;
        }
        double errQ = 0;
        for (int i = 0; i < n; i++) { double t = i * timeUnit, d = qa * t * t + qb * t + qc - (x[i] - b.Min) * scale; errQ += d * d; }
        v[k++] = qa; v[k++] = qb; v[k++] = qc; v[k++] = errQ / n;
        if (centroid)
        {
            double sx = 0, sxi = 0;
            for (int i = 0; i < n; i++) { sx += x[i]; sxi += (double)i * x[i]; }
            v[k++] = sx != 0 ? sxi / sx / n : 0;
        }
        return k;
    }

    private static double Det3(double[,] a) =>
        a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]) + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);

    private static double[,] Replace(double[,] a, int col, double[] b)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < 3; i++) r[i, col] = b[i];
        return r;
    }

    /// <summary>
    /// Segments of a contour: the range is split into three levels by thresholds at 25 % and 75 % of it, and a
    /// segment ends where the contour moves to another level, provided the segment has lasted at least 3 frames
    /// (a shorter excursion only updates the level). The open segment at the end of the contour is not counted.
    /// Mean, maximum, minimum and (population) standard deviation of the lengths, in seconds. Matched against
    /// openSMILE's output on its own contours (ComParE definition: "segment lengths", thresholds relative to range).
    /// </summary>
    private static int ThresholdSegments(ReadOnlySpan<float> x, in Basic b, double[] v, int k)
    {
        int n = x.Length;
        double lo = b.Min + 0.25 * b.Range, hi = b.Min + 0.75 * b.Range;
        int Level(float t) => (t > lo ? 1 : 0) + (t > hi ? 1 : 0);
        int count = 0, start = 0, max = 0, min = int.MaxValue;
        double sum = 0, sq = 0;
        int level = n > 0 ? Level(x[0]) : 0;
        for (int i = 1; i < n; i++)
        {
            int li = Level(x[i]);
            if (li == level) continue;
            level = li;
            int len = i - start;
            if (len < 3) continue;
            count++; sum += len; sq += (double)len * len; max = Math.Max(max, len); min = Math.Min(min, len);
            start = i;
        }
        if (count == 0) { v[k++] = 0; v[k++] = 0; v[k++] = 0; v[k++] = 0; return k; }
        double mean = sum / count;
        double std = Math.Sqrt(Math.Max(sq / count - mean * mean, 0));
        v[k++] = mean * Period; v[k++] = max * Period; v[k++] = min * Period; v[k++] = std * Period;
        return k;
    }

    private static (double Mean, double Max, double Min, double Std) SegmentLengths(ReadOnlySpan<float> x, SegmentStats stats)
    {
        // Lengths of voiced runs (in seconds) for the maximum/minimum, the shared segmenter for mean and spread.
        int max = 0, min = int.MaxValue, run = 0;
        for (int i = 0; i <= x.Length; i++)
        {
            if (i < x.Length && x[i] != 0f) { run++; continue; }
            if (run > 0) { max = Math.Max(max, run); min = Math.Min(min, run); }
            run = 0;
        }
        if (max == 0) min = 0;
        return (stats.MeanLength * Period, max * Period, min * Period, stats.StddevLength * Period);
    }

    /// <summary>Salient peaks (maxima/minima swings over 10 % of the range) and the slopes between them.</summary>
    private static int Peaks(ReadOnlySpan<float> x, in Basic b, double[] v, int k)
    {
        var ext = ContourFunctionals.SalientExtrema(x, 0.1f);
        var peakPos = new List<int>();
        double pMin = double.MaxValue, pMax = double.MinValue, pSum = 0, mMin = double.MaxValue, mMax = double.MinValue;
        foreach (var e in ext)
        {
            if (e.IsMax) { peakPos.Add(e.X); pSum += e.Y; pMin = Math.Min(pMin, e.Y); pMax = Math.Max(pMax, e.Y); }
            else { mMin = Math.Min(mMin, e.Y); mMax = Math.Max(mMax, e.Y); }
        }
        double meanDist = 0, distStd = 0;
        if (peakPos.Count > 1)
        {
            var d = new double[peakPos.Count - 1];
            for (int i = 1; i < peakPos.Count; i++) d[i - 1] = (peakPos[i] - peakPos[i - 1]) * Period;
            meanDist = d.Average();
            double s = 0;
            foreach (double t in d) s += (t - meanDist) * (t - meanDist);
            distStd = Math.Sqrt(s / d.Length);
        }
        double range = b.Range > 0 ? b.Range : 1;
        double peakRange = peakPos.Count > 0 ? pMax - pMin : 0;
        double peakMean = peakPos.Count > 0 ? pSum / peakPos.Count : 0;
        v[k++] = meanDist; v[k++] = distStd;
        v[k++] = peakRange; v[k++] = peakRange / range;
        v[k++] = peakMean; v[k++] = peakPos.Count > 0 ? peakMean - b.Mean : 0;
        v[k++] = peakPos.Count > 0 && b.Mean != 0 ? peakMean / b.Mean : 0;
        v[k++] = mMax >= mMin ? (mMax - mMin) / range : 0;
        var sl = ContourFunctionals.Slopes(x, Period);
        v[k++] = sl.MeanRising; v[k++] = sl.StddevRising; v[k++] = sl.MeanFalling; v[k++] = sl.StddevFalling;
        return k;
    }
}
