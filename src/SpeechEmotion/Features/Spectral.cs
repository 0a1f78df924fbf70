using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// librosa.feature spectral descriptors of a magnitude spectrogram S [frames, NFft/2+1]
/// (|STFT|, power 1), one value (or row) per frame. Frequencies come from
/// <see cref="MelScale.FftFrequencies"/>.
/// </summary>
public static class Spectral
{
    private const double Tiny = 1.1754943508222875e-38; // numpy tiny(float32)

    /// <summary>Spectral centroid Σ f_k·S_k / Σ S_k in Hz (0 for an all-zero frame).</summary>
    public static float[] Centroid(Spectrogram s, int sampleRate)
    {
        var freq = Freqs(s, sampleRate);
        var result = new float[s.Frames];
        for (var t = 0; t < s.Frames; t++)
        {
            var row = s.Row(t);
            var norm = L1(row);
            double c = 0;
            for (var k = 0; k < row.Length; k++) c += freq[k] * (row[k] / norm);
            result[t] = (float)c;
        }
        return result;
    }

    /// <summary>
    /// Spectral bandwidth (Σ S̃_k·|f_k − centroid|^p)^(1/p) with S̃ the L1-normalised frame
    /// (librosa norm=True), in Hz.
    /// </summary>
    public static float[] Bandwidth(Spectrogram s, int sampleRate, double p = 2.0)
    {
        if (!(p > 0) || !double.IsFinite(p)) throw new InvalidOptionsException("spectral_bandwidth", [$"p must be positive (got {p})"]);
        var freq = Freqs(s, sampleRate);
        var centroid = Centroid(s, sampleRate);
        var result = new float[s.Frames];
        for (var t = 0; t < s.Frames; t++)
        {
            var row = s.Row(t);
            var norm = L1(row);
            double acc = 0, c = centroid[t];
            for (var k = 0; k < row.Length; k++)
            {
                var d = Math.Abs(c - freq[k]);
                acc += (float)(row[k] / norm) * (p == 2.0 ? d * d : Math.Pow(d, p));
            }
            result[t] = (float)Math.Pow(acc, 1.0 / p);
        }
        return result;
    }

    /// <summary>
    /// Roll-off frequency: the centre frequency of the first bin where the cumulative magnitude
    /// reaches <paramref name="rollPercent"/> of the frame total (cumulative sums in float32, as numpy's cumsum).
    /// </summary>
    public static float[] Rolloff(Spectrogram s, int sampleRate, double rollPercent = 0.85)
    {
        if (!(rollPercent > 0 && rollPercent < 1)) throw new InvalidOptionsException("spectral_rolloff", [$"roll_percent must be in (0, 1) (got {rollPercent})"]);
        var freq = Freqs(s, sampleRate);
        var result = new float[s.Frames];
        var cum = new float[s.Bins];
        var rp = (float)rollPercent;
        for (var t = 0; t < s.Frames; t++)
        {
            var row = s.Row(t);
            var acc = 0f;
            for (var k = 0; k < row.Length; k++) { acc += row[k]; cum[k] = acc; }
            var threshold = rp * acc;
            var f = 0.0;
            for (var k = 0; k < row.Length; k++)
                if (!(cum[k] < threshold)) { f = freq[k]; break; }
            result[t] = (float)f;
        }
        return result;
    }

    /// <summary>
    /// Spectral flatness: geometric over arithmetic mean of max(amin, S^power) per frame, in [0, 1].
    /// </summary>
    public static float[] Flatness(Spectrogram s, double amin = 1e-10, double power = 2.0)
    {
        if (!(amin > 0)) throw new InvalidOptionsException("spectral_flatness", [$"amin must be strictly positive (got {amin})"]);
        var result = new float[s.Frames];
        var aminF = (float)amin;
        for (var t = 0; t < s.Frames; t++)
        {
            var row = s.Row(t);
            double logSum = 0, sum = 0;
            for (var k = 0; k < row.Length; k++)
            {
                var v = power == 2.0 ? row[k] * row[k] : MathF.Pow(row[k], (float)power);
                v = Math.Max(aminF, v);
                logSum += Math.Log(v);
                sum += v;
            }
            result[t] = (float)(Math.Exp(logSum / row.Length) / (sum / row.Length));
        }
        return result;
    }

    /// <summary>
    /// Spectral contrast (librosa.feature.spectral_contrast): for octave bands from
    /// <paramref name="fMin"/>, the mean of the top and bottom <paramref name="quantile"/> of each
    /// band's magnitudes; returns [frames, nBands+1] of power_to_db(peak) − power_to_db(valley)
    /// (each with top_db 80 over the whole array), or peak − valley when <paramref name="linear"/>.
    /// </summary>
    public static float[] Contrast(Spectrogram s, int sampleRate, int nFft, double fMin = 200.0, int nBands = 6, double quantile = 0.02, bool linear = false)
    {
        var p = new Problems();
        p.Require(fMin > 0, $"fmin must be positive (got {fMin})");
        p.Require(nBands >= 1, $"n_bands must be at least 1 (got {nBands})");
        p.Require(quantile > 0 && quantile < 1, $"quantile must be in (0, 1) (got {quantile})");
        p.Require(s.Bins == nFft / 2 + 1, $"the spectrogram has {s.Bins} bins but n_fft={nFft} needs {nFft / 2 + 1}");
        var octa = new double[nBands + 2];
        for (var i = 1; i < octa.Length; i++) octa[i] = fMin * Math.Pow(2.0, i - 1);
        for (var i = 0; i < octa.Length - 1; i++)
            p.Require(octa[i] < 0.5 * sampleRate, $"frequency band {octa[i]} Hz exceeds the Nyquist frequency {0.5 * sampleRate} Hz; reduce fmin or n_bands");
        p.ThrowIfAny("spectral_contrast");
        var freq = MelScale.FftFrequencies(sampleRate, nFft);
        int rows = nBands + 1, frames = s.Frames;
        var bands = new (int Lo, int Hi, int Take)[rows]; // sub-band bins [Lo, Hi), Take = idx
        for (var k = 0; k < rows; k++)
        {
            double lo = octa[k], hi = octa[k + 1];
            int first = -1, last = -1;
            for (var b = 0; b < freq.Length; b++)
                if (freq[b] >= lo && freq[b] <= hi) { if (first < 0) first = b; last = b; }
            if (first < 0) throw new InvalidOptionsException("spectral_contrast", [$"band {k} ({lo}-{hi} Hz) holds no FFT bin; increase n_fft or fmin"]);
            int start = k > 0 ? first - 1 : first, end = last + 1; // [start, end)
            if (k == nBands) end = freq.Length;
            var count = end - start; // np.sum(current_band)
            var take = Math.Max(1, (int)Math.Round(quantile * count, MidpointRounding.ToEven));
            var subEnd = k < nBands ? end - 1 : end;
            bands[k] = (start, subEnd, take);
        }
        var peak = new float[frames * rows];
        var valley = new float[frames * rows];
        var buf = new float[freq.Length];
        for (var t = 0; t < frames; t++)
        {
            var row = s.Row(t);
            for (var k = 0; k < rows; k++)
            {
                var (lo, hi, take) = bands[k];
                var n = hi - lo;
                var sorted = buf.AsSpan(0, n);
                row.Slice(lo, n).CopyTo(sorted);
                sorted.Sort();
                var tk = Math.Min(take, n);
                double vs = 0, ps = 0;
                for (var i = 0; i < tk; i++) { vs += sorted[i]; ps += sorted[n - 1 - i]; }
                valley[t * rows + k] = (float)(vs / tk);
                peak[t * rows + k] = (float)(ps / tk);
            }
        }
        if (linear)
        {
            for (var i = 0; i < peak.Length; i++) peak[i] -= valley[i];
            return peak;
        }
        Decibels.PowerToDb(peak);
        Decibels.PowerToDb(valley);
        for (var i = 0; i < peak.Length; i++) peak[i] -= valley[i];
        return peak;
    }

    private static double[] Freqs(Spectrogram s, int sampleRate)
    {
        if (sampleRate <= 0) throw new InvalidOptionsException("spectral feature", [$"sample rate must be positive (got {sampleRate})"]);
        return MelScale.FftFrequencies(sampleRate, 2 * (s.Bins - 1));
    }

    // librosa.util.normalize(norm=1) leaves columns whose L1 norm is below tiny unscaled
    private static double L1(ReadOnlySpan<float> row)
    {
        double n = 0;
        for (var k = 0; k < row.Length; k++) n += Math.Abs(row[k]);
        return n < Tiny ? 1.0 : n;
    }
}
