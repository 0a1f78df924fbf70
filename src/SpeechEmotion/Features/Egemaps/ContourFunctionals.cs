namespace SpeechEmotion.Features.Egemaps;

/// <summary>Mean and coefficient of variation of a contour.</summary>
/// <param name="Mean">Arithmetic mean (0 when the contour is empty).</param>
/// <param name="StddevNorm">Population standard deviation divided by the signed mean (0 when the
/// variance is 0 or the contour is empty; divided by 1 when the mean is exactly 0).</param>
public readonly record struct MomentStats(float Mean, float StddevNorm);

/// <summary>Statistics of the rising and falling stretches between the salient extrema of a contour.</summary>
/// <param name="MeanRising">Mean rising slope (contour units per second).</param>
/// <param name="StddevRising">Population standard deviation of the rising slopes.</param>
/// <param name="MeanFalling">Mean falling slope, positive for a fall (units per second).</param>
/// <param name="StddevFalling">Population standard deviation of the falling slopes.</param>
/// <param name="Peaks">Number of salient maxima kept.</param>
public readonly record struct SlopeStats(float MeanRising, float StddevRising, float MeanFalling, float StddevFalling, int Peaks);

/// <summary>Segment statistics of a contour split where it equals (or differs from) zero.</summary>
/// <param name="Count">Number of segments found.</param>
/// <param name="MeanLength">Mean segment length in frames (as counted by the segmenter: end index − start index).</param>
/// <param name="StddevLength">Population standard deviation of the lengths in frames (0 for fewer than 2 segments).</param>
public readonly record struct SegmentStats(int Count, float MeanLength, float StddevLength);

/// <summary>
/// Summaries of frame-wise contours as eGeMAPS defines them (Eyben et al. 2016): moments,
/// interpolated percentiles, slopes between salient peaks and valleys, and voiced/unvoiced
/// segment lengths. Pure functions over spans; reusable by other functional sets.
/// </summary>
public static class ContourFunctionals
{
    /// <summary>
    /// Centred 3-frame moving average (the edge frames repeat beyond the ends). With <paramref name="skipZeros"/>, zero
    /// frames stay zero and only non-zero neighbours are averaged (the <c>sma3nz</c> rule).
    /// </summary>
    /// <param name="x">Input contour.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; must not overlap it.</param>
    /// <param name="skipZeros">True for <c>sma3nz</c>, false for <c>sma3</c>.</param>
    public static void Smooth3(ReadOnlySpan<float> x, Span<float> y, bool skipZeros)
    {
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the input.", nameof(y));
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            float prev = i > 0 ? x[i - 1] : x[i];
            float next = i + 1 < n ? x[i + 1] : x[i];
            if (!skipZeros)
            {
                y[i] = (prev + x[i] + next) / 3f;
                continue;
            }
            if (x[i] == 0f) { y[i] = 0f; continue; }
            float sum = x[i];
            int count = 1;
            if (prev != 0f) { sum += prev; count++; }
            if (next != 0f) { sum += next; count++; }
            y[i] = sum / count;
        }
    }

    /// <summary>Copies the non-zero values of <paramref name="x"/> into <paramref name="dest"/>; returns how many.</summary>
    public static int NonZero(ReadOnlySpan<float> x, Span<float> dest)
    {
        int k = 0;
        foreach (float v in x) if (v != 0f) dest[k++] = v;
        return k;
    }

    /// <summary>Arithmetic mean and signed coefficient of variation (population standard deviation / mean).</summary>
    public static MomentStats Moments(ReadOnlySpan<float> x)
    {
        if (x.Length == 0) return default;
        double mean = 0;
        foreach (float v in x) mean += v;
        mean /= x.Length;
        float meanF = (float)mean;
        double m2 = 0;
        foreach (float v in x) { double d = v - (double)meanF; m2 += d * d; }
        m2 /= x.Length;
        float norm = 0f;
        if (m2 > 0)
        {
            double denom = meanF == 0f ? 1.0 : meanF;
            norm = (float)(Math.Sqrt(m2) / denom);
        }
        return new MomentStats(meanF, norm);
    }

    /// <summary>
    /// Linearly interpolated percentile of an ascending-sorted span: position p·(N−1) between the two
    /// neighbouring order statistics. Returns 0 for an empty span.
    /// </summary>
    /// <param name="sorted">Values sorted ascending.</param>
    /// <param name="p">Fraction in [0, 1].</param>
    public static float Percentile(ReadOnlySpan<float> sorted, double p)
    {
        int n = sorted.Length;
        if (n == 0) return 0f;
        double idx = p * (n - 1);
        int i1 = Math.Clamp((int)Math.Floor(idx), 0, n - 1);
        int i2 = Math.Clamp((int)Math.Ceiling(idx), 0, n - 1);
        if (i1 == i2) return sorted[i1];
        float w1 = (float)(idx - i1), w2 = (float)(i2 - idx);
        return sorted[i1] * w2 + sorted[i2] * w1;
    }

    /// <summary>
    /// The salient local maxima and minima of a contour, alternating, as <see cref="Slopes"/> uses them: a swing
    /// must exceed <paramref name="relThreshold"/> of the contour's range; consecutive extrema of one kind
    /// collapse to the most extreme; the two frames at each end are never extrema.
    /// </summary>
    /// <param name="x">Contour.</param>
    /// <param name="relThreshold">Minimum swing relative to max − min.</param>
    /// <returns>Extrema in time order: frame index, value, and whether it is a maximum.</returns>
    public static List<(int X, float Y, bool IsMax)> SalientExtrema(ReadOnlySpan<float> x, float relThreshold)
    {
        int n = x.Length;
        if (n == 0) return [];
        float min = x[0], max = x[0];
        foreach (float v in x) { if (v < min) min = v; if (v > max) max = v; }
        float thresh = relThreshold * (max - min);

        // Candidate extrema (index, value, isMax); ends excluded by two frames on each side.
        var ext = new List<(int X, float Y, bool IsMax)>();
        for (int i = 2; i < n - 2; i++)
        {
            if (x[i] > x[i - 1] && x[i] > x[i + 1]) ext.Add((i, x[i], true));
            else if (x[i] < x[i - 1] && x[i] < x[i + 1]) ext.Add((i, x[i], false));
        }

        // Pass 1: drop maxima that rise too little above the preceding minimum.
        {
            var kept = new List<(int X, float Y, bool IsMax)>(ext.Count);
            float lastVal = x[0], lastMin = x[0], lastMax = x[0];
            bool minFlag = false;
            int lastMaxIdx = -1;
            foreach (var e in ext)
            {
                if (e.IsMax)
                {
                    if (Math.Abs(e.Y - lastVal) < thresh)
                    {
                        if (e.Y - lastMin < thresh)
                        {
                            // too small: discarded
                        }
                        else if (e.Y > lastMax * 1.05f)
                        {
                            if (lastMaxIdx >= 0) { kept.RemoveAt(lastMaxIdx); }
                            kept.Add(e);
                            lastMaxIdx = kept.Count - 1;
                            lastMax = e.Y;
                            minFlag = false;
                        }
                        else if (minFlag)
                        {
                            kept.Add(e);
                            lastMaxIdx = kept.Count - 1;
                            lastMax = e.Y;
                            minFlag = false;
                        }
                        else
                        {
                            minFlag = false; // discarded, previous maximum stays
                        }
                    }
                    else
                    {
                        kept.Add(e);
                        lastMaxIdx = kept.Count - 1;
                        lastMax = e.Y;
                        minFlag = false;
                    }
                }
                else
                {
                    kept.Add(e);
                    if (!(Math.Abs(e.Y - lastVal) < thresh))
                    {
                        minFlag = true;
                        lastMin = e.Y;
                    }
                }
                lastVal = e.Y;
            }
            ext = kept;
        }

        // Pass 2: drop minima that fall too little below the preceding maximum.
        {
            var kept = new List<(int X, float Y, bool IsMax)>(ext.Count);
            float lastMax = x[0];
            foreach (var e in ext)
            {
                if (!e.IsMax) { if (!(lastMax - e.Y < thresh)) kept.Add(e); }
                else { lastMax = e.Y; kept.Add(e); }
            }
            ext = kept;
        }

        // Pass 3: enforce alternation, keeping the higher maximum / lower minimum of a run.
        {
            var kept = new List<(int X, float Y, bool IsMax)>(ext.Count);
            bool inMinRun = false, init = true;
            foreach (var e in ext)
            {
                if (!e.IsMax)
                {
                    if (!inMinRun || init) { kept.Add(e); inMinRun = true; init = false; }
                    else if (e.Y < kept[^1].Y) kept[^1] = e;
                }
                else
                {
                    if (inMinRun || init) { kept.Add(e); inMinRun = false; init = false; }
                    else if (e.Y > kept[^1].Y) kept[^1] = e;
                }
            }
            ext = kept;
        }

        return ext;
    }

    /// <summary>
    /// Finds the salient local maxima and minima (a swing must exceed <paramref name="relThreshold"/> of the
    /// contour's range; consecutive extrema of one kind collapse to the most extreme) and summarises the
    /// slopes from each minimum to the next maximum (rising) and each maximum to the next minimum (falling),
    /// including the stretch to the last frame.
    /// </summary>
    /// <param name="x">Contour (already restricted to the frames that count).</param>
    /// <param name="period">Frame period in seconds (slopes are per second).</param>
    /// <param name="relThreshold">Minimum swing relative to max − min (eGeMAPS: 0.1).</param>
    public static SlopeStats Slopes(ReadOnlySpan<float> x, double period, float relThreshold = 0.1f)
    {
        int n = x.Length;
        if (n == 0) return default;
        var ext = SalientExtrema(x, relThreshold);

        int peaks = 0;
        foreach (var e in ext) if (e.IsMax) peaks++;

        float T = (float)period;
        double sumR = 0, sumF = 0, sqR = 0, sqF = 0;
        int nR = 0, nF = 0;
        var rising = new List<float>();
        var falling = new List<float>();
        float lastMaxV = x[0], lastMinV = x[0];
        int lastMaxPos = 0, lastMinPos = 0, lastIsMax = -1;
        foreach (var e in ext)
        {
            if (!e.IsMax)
            {
                lastMinV = e.Y; lastMinPos = e.X;
                if (lastMinPos - lastMaxPos > 0)
                {
                    falling.Add((lastMaxV - lastMinV) / ((lastMinPos - lastMaxPos) * T));
                    lastIsMax = 0;
                }
            }
            else
            {
                lastMaxV = e.Y; lastMaxPos = e.X;
                if (lastMaxPos - lastMinPos > 0)
                {
                    rising.Add((lastMaxV - lastMinV) / ((lastMaxPos - lastMinPos) * T));
                    lastIsMax = 1;
                }
            }
        }
        // The stretch from the last extremum to the end counts as a slope of its sign.
        float endRising = float.NaN, endFalling = float.NaN;
        if (lastIsMax == 1)
        {
            if (n - 1 - lastMaxPos > 0) endFalling = (x[n - 1] - lastMaxV) / ((n - 1 - lastMaxPos) * T);
        }
        else if (lastIsMax == 0)
        {
            if (n - 1 - lastMinPos > 0) endRising = (x[n - 1] - lastMinV) / ((n - 1 - lastMinPos) * T);
        }
        else
        {
            float s = (x[n - 1] - x[0]) / n;
            if (s > 0) return new SlopeStats(s, 0f, 0f, 0f, peaks);
            if (s < 0) return new SlopeStats(0f, 0f, s, 0f, peaks);
            return new SlopeStats(0f, 0f, 0f, 0f, peaks);
        }

        foreach (float s in rising) { sumR += s; nR++; }
        foreach (float s in falling) { sumF += s; nF++; }
        if (!float.IsNaN(endRising)) { sumR += endRising; nR++; }
        if (!float.IsNaN(endFalling)) { sumF += endFalling; nF++; }
        float meanR = (float)(nR > 1 ? sumR / nR : sumR);
        float meanF = (float)(nF > 1 ? sumF / nF : sumF);
        // The spread excludes the end stretch (it is added to the mean only).
        foreach (float s in rising) sqR += (s - meanR) * (double)(s - meanR);
        foreach (float s in falling) sqF += (s - meanF) * (double)(s - meanF);
        if (nR > 1) sqR /= nR;
        if (nF > 1) sqF /= nF;
        return new SlopeStats(meanR, sqR > 0 ? (float)Math.Sqrt(sqR) : 0f, meanF, sqF > 0 ? (float)Math.Sqrt(sqF) : 0f, peaks);
    }

    /// <summary>
    /// Splits a contour into segments: runs of non-zero frames (<paramref name="nonZeroSegments"/> true) or
    /// of zero frames (false). A run starts after <paramref name="minSegmentFrames"/> frames of its kind and
    /// ends after <paramref name="minPauseFrames"/> frames of the other kind.
    /// </summary>
    public static SegmentStats Segments(ReadOnlySpan<float> x, bool nonZeroSegments, int minSegmentFrames = 3, int minPauseFrames = 2)
    {
        Span<int> lens = x.Length <= 4096 ? stackalloc int[x.Length / 2 + 2] : new int[x.Length / 2 + 2];
        int count = 0;
        int start = 0, state = 0, run = 0, pause = 0, i;
        for (i = 0; i < x.Length; i++)
        {
            bool inKind = (x[i] != 0f) == nonZeroSegments;
            if (inKind)
            {
                if (state == 1)
                {
                    pause = 0;
                    if (++run >= minSegmentFrames) { run = 0; state = 2; }
                }
                else if (state == 0) { run++; start = i; state = 1; }
                else pause = 0;
            }
            else
            {
                if (state == 2)
                {
                    run = 0;
                    if (++pause >= minPauseFrames)
                    {
                        state = 0;
                        if (count < lens.Length) lens[count++] = i - pause - start;
                        pause = 0;
                    }
                }
                else if (state == 1)
                {
                    if (++pause >= minPauseFrames) { state = 0; pause = 0; run = 0; }
                }
            }
        }
        if (state == 2)
        {
            pause++;
            if (count < lens.Length) lens[count++] = i - pause - start;
        }
        if (count == 0) return new SegmentStats(0, 0f, 0f);
        float sum = 0;
        for (int k = 0; k < count; k++) sum += lens[k];
        float mean = count > 1 ? sum / count : sum;
        float dev = 0;
        if (count > 1)
        {
            for (int k = 0; k < count; k++) dev += (lens[k] - mean) * (lens[k] - mean);
            dev = MathF.Sqrt(dev / count);
        }
        return new SegmentStats(count, mean, dev);
    }
}
