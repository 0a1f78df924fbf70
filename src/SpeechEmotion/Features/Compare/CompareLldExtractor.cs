using SpeechEmotion.Dsp;
using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Features.Compare;

/// <summary>
/// The 65 ComParE 2016 low-level descriptors every 10 ms and their deltas (130 columns, <see cref="CompareNames.Llds"/>):
/// RMS energy of 20 ms frames and zero-crossing rate of 60 ms frames; a 26-band auditory spectrum (raw loudness and a
/// RASTA-filtered version), band energies, roll-offs, flux, centroid, entropy, moments, slope, sharpness and
/// harmonicity of the 20 ms Hamming-windowed magnitude spectrum; MFCC 1–14; and the voicing group (F0 by subharmonic summation with
/// the eGeMAPS pitch smoother, voicing probability, jitter, shimmer, log HNR) shared with
/// <see cref="EgemapsExtractor"/>. All contours are smoothed by a 3-frame moving average. Thread-safe.
/// </summary>
public sealed class CompareLldExtractor
{
    /// <summary>Number of columns (65 descriptors + 65 deltas).</summary>
    public const int Columns = 130;
    private const int Base = 65;
    private const int Bands = 26;
    private readonly EgemapsExtractor _voice = new();

    /// <summary>Computes the [frames, 130] descriptor matrix of <paramref name="samples"/> (mono, [-1, 1]).</summary>
    /// <param name="samples">Signal.</param>
    /// <param name="sampleRate">Sample rate in Hz (8–384 kHz; ComParE is defined at 16 kHz).</param>
    /// <param name="frames">Rows written: one per 10 ms step up to the last 60 ms pitch frame, plus one (as openSMILE).</param>
    /// <returns>Row-major [frames, 130].</returns>
    public float[] Extract(ReadOnlySpan<float> samples, int sampleRate, out int frames)
    {
        var voice = _voice.ExtractRaw(samples, sampleRate, formantsEverywhere: false);
        int hop = (int)Math.Round(0.010 * sampleRate);
        int n60 = voice.F0Hz.Length;
        frames = n60 > 0 ? n60 + 1 : 0;
        // The energy, spectral, auditory and MFCC descriptors use 20 ms frames (matches openSMILE's LLDs exactly).
        int win = (int)Math.Round(0.020 * sampleRate);
        int n25 = samples.Length >= win ? (samples.Length - win) / hop + 1 : 0;
        int win60 = (int)Math.Round(0.060 * sampleRate);
        var raw = new float[Math.Max(frames, 1) * Base];
        int rows = frames;

        // Voicing group (columns 0-5).
        int D = EgemapsLld.Count;
        for (int t = 0; t < rows; t++)
        {
            int tv = Math.Min(t, n60 - 1);
            float hz = tv >= 0 ? voice.F0Hz[tv] : 0f;
            bool voiced = hz > 0 && t < voice.VoiceFrames;
            var r = raw.AsSpan(t * Base, Base);
            r[0] = voiced ? hz : 0f;
            r[1] = tv >= 0 && t < voice.VoiceFrames ? voice.Voicing[tv] : 0f;
            // openSMILE's log HNR floors at -100 where no harmonic structure is found.
            r[5] = -100f;
            if (voiced)
            {
                float jit = voice.Raw[t * D + EgemapsLld.Jitter];
                float shimDb = voice.Raw[t * D + EgemapsLld.Shimmer];
                float hnrDb = voice.Raw[t * D + EgemapsLld.Hnr];
                r[2] = jit;
                // Period perturbation over three periods is, for a random jitter, about 1.5 x the local one.
                r[3] = 1.5f * jit;
                r[4] = shimDb > 0 ? MathF.Pow(10f, shimDb / 20f) - 1f : 0f;
                r[5] = hnrDb;
            }
        }

        // Short-frame group (columns 6-64).
        int nfft = 1;
        while (nfft < win) nfft <<= 1;
        int bins = nfft / 2 + 1;
        double binHz = (double)sampleRate / nfft;
        var fft = new RealFft(nfft);
        float powScale = 2f / nfft;
        var window = Windows.Create(WindowKind.Hamming, win, periodic: false);
        var frame = new float[nfft];
        var re = new float[bins]; var im = new float[bins];
        var mag = new float[bins]; var pow = new float[bins]; var prevMag = new float[bins];
        double hi = Math.Min(8000, sampleRate / 2.0);
        var mel = new MelBands(Bands, bins, binHz, 20, hi);
        var melE = new float[Bands];
        var logBand = new double[Bands];
        var loudness = EqualLoudness(mel.CenterHz);
        var rasta = new Rasta(loudness);
        var spectral = new CompareSpectral(bins, binHz);
        var dct = new double[14 * Bands];
        for (int i = 0; i < 14; i++)
            for (int j = 0; j < Bands; j++)
                dct[i * Bands + j] = Math.Sqrt(2.0 / Bands) * Math.Cos(Math.PI * (i + 1) / Bands * (j + 0.5));
        bool hasPrev = false;
        for (int t = 0; t < rows; t++)
        {
            var r = raw.AsSpan(t * Base, Base);
            if (t >= n25) { if (t > 0) raw.AsSpan((t - 1) * Base + 6, Base - 6).CopyTo(r[6..]); continue; }
            var x = samples.Slice(t * hop, win);
            double e = 0;
            for (int i = 0; i < win; i++)
            {
                e += (double)x[i] * x[i];
            }
            for (int i = 0; i < win; i++) frame[i] = x[i] * window[i];
            frame.AsSpan(win).Clear();
            fft.Forward(frame, re, im);
            // openSMILE's magnitude spectrum is |X| / sqrt(N/2) (its band energies and flux match with this scale).
            for (int k = 0; k < bins; k++) { pow[k] = (re[k] * re[k] + im[k] * im[k]) * powScale; mag[k] = MathF.Sqrt(pow[k]); }
            mel.Apply(pow, melE);
            double loud = 0;
            for (int b = 0; b < Bands; b++)
            {
                double p = Math.Max(melE[b], 1e-10);
                logBand[b] = Math.Log(p);
                loud += Math.Pow(p * loudness[b], 0.33);
            }
            r[6] = (float)loud;
            r[8] = (float)Math.Sqrt(e / win);
            r[9] = ZeroCrossingRate(samples, t * hop, win60);
            double rl = rasta.Step(logBand, r.Slice(10, Bands));
            r[7] = (float)rl;
            spectral.Compute(mag, pow, hasPrev ? prevMag : null, r.Slice(36, 15));
            mag.CopyTo(prevMag); hasPrev = true;
            for (int i = 0; i < 14; i++)
            {
                double s = 0;
                for (int j = 0; j < Bands; j++) s += dct[i * Bands + j] * logBand[j];
                double lift = 1 + 11 * Math.Sin(Math.PI * (i + 1) / 22.0);
                r[51 + i] = (float)(s * lift);
            }
        }

        // Smooth (3-frame moving average; voicing contours over voiced frames), then deltas.
        var result = new float[rows * Columns];
        var col = new float[rows]; var sm = new float[rows]; var de = new float[rows];
        var growth = VoicingDeltaScale(raw, rows);
        for (int c = 0; c < Base; c++)
        {
            for (int t = 0; t < rows; t++) col[t] = raw[t * Base + c];
            ContourFunctionals.Smooth3(col, sm, skipZeros: c is 0 or 2 or 3 or 4);
            if (c < 6) VoicingDelta(sm, de, c, growth);
            else Delta(sm, de);
            for (int t = 0; t < rows; t++) { result[t * Columns + c] = Finite(sm[t]); result[t * Columns + Base + c] = Finite(de[t]); }
        }
        return result;
    }

    /// <summary>
    /// Zero-crossing rate of the 60 ms frame at <paramref name="start"/> (the pitch frames; shorter at the end):
    /// sign changes plus pairs of exact zeros, per sample. Matched against openSMILE's pcm_zcr on its reference clips.
    /// </summary>
    private static float ZeroCrossingRate(ReadOnlySpan<float> samples, int start, int win)
    {
        int len = Math.Min(win, samples.Length - start);
        if (len < 2) return 0f;
        var x = samples.Slice(start, len);
        int zc = 0;
        for (int i = 1; i < len; i++)
        {
            float a = x[i - 1], b = x[i];
            if ((a < 0 && b > 0) || (a > 0 && b < 0) || (a == 0 && b == 0)) zc++;
        }
        return (float)zc / len;
    }

    private static float Finite(float v) => float.IsFinite(v) ? v : 0f;

    /// <summary>Regression delta over ±2 frames (edge frames repeated).</summary>
    internal static void Delta(ReadOnlySpan<float> x, Span<float> d)
    {
        int n = x.Length;
        for (int t = 0; t < n; t++)
        {
            double s = 0;
            for (int k = 1; k <= 2; k++)
            {
                float a = x[Math.Min(t + k, n - 1)], b = x[Math.Max(t - k, 0)];
                s += k * (a - b);
            }
            d[t] = (float)(s / 10.0);
        }
    }

    /// <summary>
    /// The divisor openSMILE's ComParE output applies to the deltas of the voicing group: measured on its own
    /// contours (reference LLD files), those deltas equal the regression delta divided by a count that grows by
    /// 1 per unvoiced and 3 per voiced frame from the start of the recording (r ≥ 0.99 for logHNR and F0).
    /// </summary>
    private static double[] VoicingDeltaScale(ReadOnlySpan<float> raw, int rows)
    {
        var g = new double[rows];
        double acc = 1;
        for (int t = 0; t < rows; t++)
        {
            acc += raw[t * Base] > 0 ? 3 : 1;
            g[t] = acc;
        }
        return g;
    }

    /// <summary>
    /// Delta of a voicing contour: zeros (unvoiced frames) are gaps, so the regression only uses frames of the
    /// same voiced run (edges repeated); the deltas of voicing probability, jitter and shimmer are 0 on a run's first
    /// and last frame; the
    /// result is divided by <paramref name="scale"/> (see <see cref="VoicingDeltaScale"/>).
    /// </summary>
    private static void VoicingDelta(ReadOnlySpan<float> x, Span<float> d, int column, ReadOnlySpan<double> scale)
    {
        int n = x.Length;
        bool gaps = column != 5;            // logHNR has no gaps (-100 floor instead)
        bool zeroEdges = column is 2 or 3 or 4 or 1;
        int a = 0;
        for (int t = 0; t < n; t++)
        {
            if (gaps && x[t] == 0f) { d[t] = 0f; a = t + 1; continue; }
            int b = t;
            while (gaps && b + 1 < n && x[b + 1] != 0f && b < t + 2) b++;
            bool runEnd = gaps && (t + 1 >= n || x[t + 1] == 0f);
            if (!gaps) { a = 0; b = n - 1; }
            if (zeroEdges && gaps && (t == a || runEnd)) { d[t] = 0f; continue; }
            double s = 0;
            for (int k = 1; k <= 2; k++)
                s += k * (x[Math.Min(t + k, b)] - x[Math.Max(t - k, a)]);
            d[t] = (float)(s / 10.0 / scale[t]);
        }
    }

    /// <summary>
    /// Equal-loudness weight of each auditory band (Hermansky's PLP curve with its high-frequency term, at the band
    /// centre), divided by 0.17: with these weights openSMILE's auditory bands at rest equal ours up to ~3 kHz; above,
    /// its curve falls faster (up to a factor ~2.4 at the top band; see the report).
    /// </summary>
    private static double[] EqualLoudness(ReadOnlySpan<double> centerHz)
    {
        var w = new double[centerHz.Length];
        for (int b = 0; b < w.Length; b++)
        {
            double om2 = Math.Pow(2 * Math.PI * centerHz[b], 2);
            double el = (om2 + 56.8e6) * om2 * om2 / (Math.Pow(om2 + 6.3e6, 2) * (om2 + 0.38e9));
            w[b] = el * 9.58e26 / (om2 * om2 * om2 + 9.58e26) / 0.17;
        }
        return w;
    }

    /// <summary>RASTA band-pass filter of log band energies, back to the linear compressed domain.</summary>
    private sealed class Rasta(double[] loudness)
    {
        private readonly double[][] _x = Enumerable.Range(0, loudness.Length).Select(_ => new double[4]).ToArray();
        private readonly double[] _y = new double[loudness.Length];
        private int _seen;

        public double Step(ReadOnlySpan<double> logBand, Span<float> dest)
        {
            double sum = 0;
            for (int b = 0; b < logBand.Length; b++)
            {
                var h = _x[b];
                double x0 = logBand[b];
                // Numerator 0.1 * (2, 1, 0, -1, -2), pole at 0.94. The filter stays at rest (output 0) for the first
                // five frames, as openSMILE's output does (its first smoothed frames are constant).
                double y = _seen < 5 ? 0 : 0.1 * (2 * x0 + h[0] - h[2] - 2 * h[3]) + 0.94 * _y[b];
                h[3] = h[2]; h[2] = h[1]; h[1] = h[0]; h[0] = x0;
                _y[b] = y;
                double v = Math.Pow(loudness[b] * Math.Exp(y), 0.33);
                dest[b] = (float)v;
                sum += v;
            }
            _seen++;
            return sum;
        }
    }
}
