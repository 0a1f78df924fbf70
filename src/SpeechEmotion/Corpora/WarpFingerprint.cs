using System.Numerics.Tensors;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Corpora;

/// <summary>
/// A tempo-normalised, log-frequency fingerprint for spotting copies of a clip whose speed or pitch was changed
/// (speed perturbation of ±10 %, pitch shifts of ±2 semitones, time stretching), which <see cref="AudioFingerprint"/>
/// cannot see. Speed and pitch changes scale the spectrum along frequency and/or the signal along time: on a
/// log-frequency axis (half-semitone bands, 200–3200 Hz) a frequency scaling is a shift by a whole number of bands
/// (±1.65 semitones for ±10 % speed, ±2 for ±2 semitones), and cutting the clip to its active part (from 3 % to
/// 97 % of its cumulative energy) and resampling that part to <see cref="Steps"/> time steps removes a uniform tempo change.
/// Two clips are then compared by the Pearson correlation of their (band-mean-removed) log spectrograms at the best
/// band shift within ±<see cref="MaxBandShift"/> and the best time offset within ±2 steps (to absorb trimming
/// differences). A copy scores high because its spectrogram is the same one, moved; a different take of the same
/// sentence by the same speaker differs in timing detail and spectral fine structure and scores markedly lower.
/// </summary>
/// <remarks>
/// Limits (documented, measured in the tests): the tempo change must be uniform (a speed or stretch factor, not
/// time-varying warping), pitch/speed changes beyond ±2.5 semitones (±15 % speed) are not searched, the clip must keep
/// its start and end (a copy cut to a part of the original is not tempo-aligned), and heavy noise or reverberation on
/// top of the warp lowers the score. The envelope of the active part is also kept (<see cref="Envelope"/>) as a cheap,
/// warp-invariant pre-filter for choosing which pairs to score.
/// </remarks>
public sealed class WarpFingerprint
{
    /// <summary>Time steps the active part is resampled to.</summary>
    public const int Steps = 96;

    /// <summary>Half-semitone bands from 200 Hz.</summary>
    public const int Bands = 96;

    /// <summary>Largest band shift searched (half-semitones): ±2.5 semitones.</summary>
    public const int MaxBandShift = 5;

    private const int MaxOffset = 24;
    private const double LowHz = 200, BandsPerOctave = 24, FrameSeconds = 0.064, HopSeconds = 0.010, ActiveDb = 30;

    private WarpFingerprint(float[] spectrogram, float[] envelope, double activeSeconds)
    {
        Spectrogram = spectrogram;
        Envelope = envelope;
        ActiveSeconds = activeSeconds;
    }

    /// <summary>Log band energies [<see cref="Steps"/>, <see cref="Bands"/>], each band's mean over time removed; empty when the clip is silent or too short.</summary>
    public float[] Spectrogram { get; }

    /// <summary>Log energy per step of the active part [<see cref="Steps"/>], mean removed, unit norm (empty when silent).</summary>
    public float[] Envelope { get; }

    /// <summary>Duration of the active part in seconds.</summary>
    public double ActiveSeconds { get; }

    /// <summary>True when the clip had enough active signal to fingerprint.</summary>
    public bool IsValid => Spectrogram.Length > 0;

    /// <summary>Computes the fingerprint of mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz (≥ 8000).</summary>
    public static WarpFingerprint Compute(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (sampleRate < 8000) throw new ArgumentOutOfRangeException(nameof(sampleRate), $"fingerprints need at least 8000 Hz, got {sampleRate}");
        int n = 1;
        while (n < FrameSeconds * sampleRate) n <<= 1;
        int hop = (int)Math.Round(HopSeconds * sampleRate);
        int frames = samples.Length < n ? 0 : 1 + (samples.Length - n) / hop;
        if (frames < 10) return new WarpFingerprint([], [], 0);

        // Each band samples the power spectrum at its centre frequency with linear interpolation between bins,
        // averaged over a few points across its half-semitone width so that narrow low bands still vary smoothly.
        const int Points = 3;
        var binPos = new double[Bands * Points];
        for (int b = 0; b < Bands; b++)
            for (int p = 0; p < Points; p++)
                binPos[b * Points + p] = LowHz * Math.Pow(2, (b + (p - 1) / 3.0) / BandsPerOctave) * n / sampleRate;
        var fft = new RealFft(n);
        var window = Windows.Create(WindowKind.Hann, n);
        var frame = new float[n];
        var re = new float[n / 2 + 1];
        var im = new float[n / 2 + 1];
        var power = new float[n / 2 + 1];
        var logSpec = new float[frames * Bands];
        var energy = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            TensorPrimitives.Multiply(samples.Slice(f * hop, n), window, frame);
            fft.Forward(frame, re, im);
            TensorPrimitives.Multiply(re, re, power);
            TensorPrimitives.MultiplyAdd(im, im, power, power);
            double total = 0;
            for (int b = 0; b < Bands; b++)
            {
                double e = 0;
                for (int p = 0; p < Points; p++)
                {
                    var x = binPos[b * Points + p];
                    int k = Math.Min((int)x, power.Length - 2);
                    var t = x - k;
                    e += power[k] * (1 - t) + power[k + 1] * t;
                }
                e /= Points;
                logSpec[f * Bands + b] = (float)e;
                total += e;
            }
            energy[f] = total;
        }
        var max = energy.Max();
        if (max <= 0) return new WarpFingerprint([], [], 0);
        var floor = max * Math.Pow(10, -ActiveDb / 10);
        int first = Array.FindIndex(energy, e => e >= floor), last = Array.FindLastIndex(energy, e => e >= floor);
        if (last - first < 9) return new WarpFingerprint([], [], 0);
        var logFloor = (float)(max * 1e-6 / Bands);
        for (int i = 0; i < logSpec.Length; i++) logSpec[i] = MathF.Log10(logSpec[i] + logFloor);

        // Resample the active frames [first, last] to Steps rows (linear interpolation in time).
        var spec = new float[Steps * Bands];
        var env = new float[Steps];
        for (int s = 0; s < Steps; s++)
        {
            var pos = first + (double)s * (last - first) / (Steps - 1);
            int f0 = Math.Min((int)pos, last - 1);
            var t = (float)(pos - f0);
            var a = logSpec.AsSpan(f0 * Bands, Bands);
            var b = logSpec.AsSpan((f0 + 1) * Bands, Bands);
            var row = spec.AsSpan(s * Bands, Bands);
            for (int j = 0; j < Bands; j++) row[j] = a[j] * (1 - t) + b[j] * t;
            env[s] = (float)Math.Log10(energy[f0] * (1 - t) + energy[f0 + 1] * t + max * 1e-6);
        }
        // Remove each band's mean over time: a fixed spectral tilt (equalisation, microphone) carries no identity.
        var mean = new float[Bands];
        for (int s = 0; s < Steps; s++) TensorPrimitives.Add(mean, spec.AsSpan(s * Bands, Bands), mean);
        TensorPrimitives.Multiply(mean, 1f / Steps, mean);
        for (int s = 0; s < Steps; s++) TensorPrimitives.Subtract(spec.AsSpan(s * Bands, Bands), mean, spec.AsSpan(s * Bands, Bands));
        TensorPrimitives.Add(env, -TensorPrimitives.Sum(env) / Steps, env);
        var norm = TensorPrimitives.Norm(env);
        if (norm > 0) TensorPrimitives.Multiply(env, 1 / norm, env);
        return new WarpFingerprint(spec, env, (last - first) * HopSeconds);
    }

    /// <summary>Correlation in [−1, 1] of the two clips' loudness envelopes (tempo-normalised): a cheap pre-filter.</summary>
    public static double EnvelopeSimilarity(WarpFingerprint a, WarpFingerprint b) =>
        a.IsValid && b.IsValid ? TensorPrimitives.Dot(a.Envelope, b.Envelope) : 0;

    /// <summary>
    /// Best Pearson correlation of the two spectrograms over band shifts ±<see cref="MaxBandShift"/> and time offsets ±2
    /// steps, in [−1, 1]; 0 when either clip is invalid. Copies altered by ±10 % speed or ±2 semitones score about 0.8
    /// or more; distinct takes of one sentence by one speaker stay well below (see LeakageAuditOptions.AlteredCopyThreshold).
    /// </summary>
    public static double Similarity(WarpFingerprint a, WarpFingerprint b) => Score(a, b, coarseOnly: false);

    /// <summary>
    /// Correlation of the loudness envelopes at the best residual time scale and offset of a coarse grid, in [−1, 1]:
    /// about 25 times cheaper than <see cref="Similarity"/>, used to choose which pairs to score.
    /// </summary>
    public static double EnvelopeAlignment(WarpFingerprint a, WarpFingerprint b) => Score(a, b, coarseOnly: true);

    private static double Score(WarpFingerprint a, WarpFingerprint b, bool coarseOnly)
    {
        if (!a.IsValid || !b.IsValid) return 0;
        // Trimming at a level threshold can move either end of the active part by a few steps (effects smear onsets):
        // a residual time scale and offset are searched on the loudness envelopes, and the two best alignments are
        // then scored on the spectrograms over every band shift.
        Span<(double Score, double Scale, double Offset)> top = [(-2, 1, 0), (-2, 1, 0)];
        Span<float> warped = stackalloc float[Steps];
        Span<bool> valid = stackalloc bool[Steps];
        void Try(double scale, double off, Span<(double Score, double Scale, double Offset)> top, Span<float> warped, Span<bool> valid)
        {
            WarpEnvelope(b.Envelope, scale, off, warped, valid);
            var score = Pearson(a.Envelope, warped, valid);
            if (score > top[0].Score) { top[1] = top[0]; top[0] = (score, scale, off); }
            else if (score > top[1].Score && (scale, off) != (top[0].Scale, top[0].Offset)) top[1] = (score, scale, off);
        }
        // Coarse grid (scale steps of 4 %, offsets of 2 steps), then ±1 fine step around the two best.
        for (int si = -MaxScaleSteps; si <= MaxScaleSteps; si += 2)
            for (int off = -MaxOffset; off <= MaxOffset; off += 2)
                Try(1 + si * ScaleStep, off, top, warped, valid);
        if (coarseOnly) return top[0].Score;
        var coarse = top.ToArray();
        foreach (var (_, scale, offset) in coarse)
            for (int ds = -1; ds <= 1; ds++)
                for (int dof = -1; dof <= 1; dof++)
                    if (ds != 0 || dof != 0) Try(scale + ds * ScaleStep, offset + dof, top, warped, valid);
        double best = -1;
        var bw = new float[Steps * Bands];
        var rows = new bool[Steps];
        foreach (var (_, scale, off) in top)
        {
            WarpSpectrogram(b.Spectrogram, scale, off, bw, rows);
            for (int shift = -MaxBandShift; shift <= MaxBandShift; shift++)
                best = Math.Max(best, Correlation(a.Spectrogram, bw, rows, shift));
        }
        return best;
    }

    private const int MaxScaleSteps = 16;
    private const double ScaleStep = 0.02;

    // Position in b of step s of a: around the centre, scaled and offset.
    private static double Source(int s, double scale, double off) => (Steps - 1) / 2.0 + (s - (Steps - 1) / 2.0) * scale + off;

    private static void WarpEnvelope(float[] e, double scale, double off, Span<float> dst, Span<bool> valid)
    {
        for (int s = 0; s < Steps; s++)
        {
            var x = Source(s, scale, off);
            valid[s] = x >= 0 && x <= Steps - 1;
            if (!valid[s]) { dst[s] = 0; continue; }
            int i = Math.Min((int)x, Steps - 2);
            var t = (float)(x - i);
            dst[s] = e[i] * (1 - t) + e[i + 1] * t;
        }
    }

    private static void WarpSpectrogram(float[] spec, double scale, double off, float[] dst, bool[] valid)
    {
        for (int s = 0; s < Steps; s++)
        {
            var x = Source(s, scale, off);
            valid[s] = x >= 0 && x <= Steps - 1;
            if (!valid[s]) continue;
            int i = Math.Min((int)x, Steps - 2);
            var t = (float)(x - i);
            var r0 = spec.AsSpan(i * Bands, Bands);
            var r1 = spec.AsSpan((i + 1) * Bands, Bands);
            var d = dst.AsSpan(s * Bands, Bands);
            TensorPrimitives.Multiply(r0, 1 - t, d);
            TensorPrimitives.MultiplyAdd(r1, t, d, d);
        }
    }

    private static double Pearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<bool> valid)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!valid[i]) continue;
            sa += a[i]; sb += b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i]; sab += a[i] * b[i]; n++;
        }
        if (n < Steps / 2) return -1;
        var cov = sab - sa * sb / n;
        var va = saa - sa * sa / n;
        var vb = sbb - sb * sb / n;
        return va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
    }

    // Pearson correlation of a[s, j] with b[s, j + shift] over the valid rows and overlapping bands.
    private static double Correlation(float[] a, float[] b, bool[] rows, int shift)
    {
        int j0 = Math.Max(0, -shift), j1 = Math.Min(Bands, Bands - shift), len = j1 - j0;
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        long count = 0;
        for (int s = 0; s < Steps; s++)
        {
            if (!rows[s]) continue;
            var ra = a.AsSpan(s * Bands + j0, len);
            var rb = b.AsSpan(s * Bands + j0 + shift, len);
            sa += TensorPrimitives.Sum(ra);
            sb += TensorPrimitives.Sum(rb);
            saa += TensorPrimitives.Dot(ra, ra);
            sbb += TensorPrimitives.Dot(rb, rb);
            sab += TensorPrimitives.Dot(ra, rb);
            count += len;
        }
        if (count < 2) return 0;
        var cov = sab - sa * sb / count;
        var va = saa - sa * sa / count;
        var vb = sbb - sb * sb / count;
        return va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
    }
}
