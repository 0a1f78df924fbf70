using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// Chromagram from a power spectrogram (librosa.feature.chroma_stft) with librosa's chroma
/// filterbank (Gaussian bumps per octave, centred at octave 5 ± 2, starting at C) and its
/// tuning estimate (piptrack + pitch_tuning).
/// </summary>
public static class Chroma
{
    private const double Tiny = 1.1754943508222875e-38;

    /// <summary>
    /// Chroma filterbank (librosa.filters.chroma with ctroct 5, octwidth 2, L2-normalised columns,
    /// base C), row-major [nChroma, NFft/2+1].
    /// </summary>
    public static float[] Filterbank(int sampleRate, int nFft, double tuning = 0.0, int nChroma = 12)
    {
        var p = new Problems();
        p.Require(sampleRate > 0, $"sample rate must be positive (got {sampleRate})");
        p.Require(nFft >= 2, $"n_fft must be at least 2 (got {nFft})");
        p.Require(nChroma >= 1, $"n_chroma must be at least 1 (got {nChroma})");
        p.Require(double.IsFinite(tuning) && tuning >= -0.5 && tuning < 0.5, $"tuning must be in [-0.5, 0.5) (got {tuning})");
        p.ThrowIfAny("chroma");
        var frqbins = new double[nFft];
        var a440 = 440.0 * Math.Pow(2.0, tuning / nChroma);
        for (var i = 1; i < nFft; i++)
        {
            var f = i * ((double)sampleRate / nFft); // linspace(0, sr, n_fft, endpoint=False)
            frqbins[i] = nChroma * Math.Log2(f / (a440 / 16));
        }
        frqbins[0] = frqbins[1] - 1.5 * nChroma;
        var binwidth = new double[nFft];
        for (var i = 0; i < nFft - 1; i++) binwidth[i] = Math.Max(frqbins[i + 1] - frqbins[i], 1.0);
        binwidth[nFft - 1] = 1;
        var n2 = Math.Round(nChroma / 2.0, MidpointRounding.ToEven);
        var wts = new double[nChroma, nFft];
        for (var c = 0; c < nChroma; c++)
            for (var i = 0; i < nFft; i++)
            {
                var d = frqbins[i] - c;
                d = PyMod(d + n2 + 10 * nChroma, nChroma) - n2;
                var z = 2 * d / binwidth[i];
                wts[c, i] = Math.Exp(-0.5 * z * z);
            }
        for (var i = 0; i < nFft; i++)
        {
            double n = 0;
            for (var c = 0; c < nChroma; c++) n += wts[c, i] * wts[c, i];
            n = Math.Sqrt(n);
            if (n < 2.2250738585072014e-308) continue; // tiny(float64)
            var oct = Math.Exp(-0.5 * Math.Pow((frqbins[i] / nChroma - 5.0) / 2.0, 2));
            for (var c = 0; c < nChroma; c++) wts[c, i] = wts[c, i] / n * oct;
        }
        var bins = nFft / 2 + 1;
        var shift = 3 * (nChroma / 12);
        var result = new float[nChroma * bins];
        for (var c = 0; c < nChroma; c++)
        {
            var src = ((c + shift) % nChroma + nChroma) % nChroma; // np.roll(wts, -shift, axis=0)
            for (var i = 0; i < bins; i++) result[c * bins + i] = (float)wts[src, i];
        }
        return result;
    }

    /// <summary>
    /// Chroma of a power spectrogram [frames, NFft/2+1] → [frames, nChroma], each frame divided by its
    /// maximum (norm=inf). <paramref name="tuning"/> null estimates it with <see cref="EstimateTuning"/>.
    /// </summary>
    public static float[] FromPower(Spectrogram power, int sampleRate, double? tuning = null, int nChroma = 12)
    {
        var nFft = 2 * (power.Bins - 1);
        var t = tuning ?? EstimateTuning(power, sampleRate, nChroma);
        var fb = Filterbank(sampleRate, nFft, t, nChroma);
        var bins = power.Bins;
        var result = new float[power.Frames * nChroma];
        for (var f = 0; f < power.Frames; f++)
        {
            var row = power.Row(f);
            var dst = result.AsSpan(f * nChroma, nChroma);
            for (var c = 0; c < nChroma; c++)
                dst[c] = System.Numerics.Tensors.TensorPrimitives.Dot(fb.AsSpan(c * bins, bins), row);
            var max = 0f;
            for (var c = 0; c < nChroma; c++) max = Math.Max(max, Math.Abs(dst[c]));
            if (max >= Tiny)
                for (var c = 0; c < nChroma; c++) dst[c] /= max;
        }
        return result;
    }

    /// <summary>
    /// librosa.estimate_tuning(S=power): parabolic-interpolated spectral peaks between 150 and
    /// 4000 Hz above 0.1×the frame maximum (piptrack), those at or above the median magnitude, and
    /// the most common deviation from equal temperament in 0.01-bin steps. Returns a fraction of a
    /// bin in [-0.5, 0.5).
    /// </summary>
    public static double EstimateTuning(Spectrogram power, int sampleRate, int binsPerOctave = 12, double resolution = 0.01)
    {
        int bins = power.Bins, nFft = 2 * (bins - 1);
        var fft = MelScale.FftFrequencies(sampleRate, nFft);
        double fmin = 150.0, fmax = Math.Min(4000.0, sampleRate / 2.0);
        var pitches = new List<float>();
        var mags = new List<float>();
        for (var t = 0; t < power.Frames; t++)
        {
            var s = power.Row(t);
            var max = 0f;
            for (var k = 0; k < bins; k++) max = Math.Max(max, s[k]);
            var refValue = (float)(0.1 * max);
            for (var k = 1; k < bins - 1; k++)
            {
                if (!(fmin <= fft[k] && fft[k] < fmax)) continue;
                // localmax of S·(S > ref): x[k] > x[k-1] and x[k] >= x[k+1]
                var x = s[k] > refValue ? s[k] : 0f;
                var xl = s[k - 1] > refValue ? s[k - 1] : 0f;
                var xr = s[k + 1] > refValue ? s[k + 1] : 0f;
                if (!(x > xl && x >= xr)) continue;
                var avg = 0.5f * (s[k + 1] - s[k - 1]);
                var shift = 2 * s[k] - s[k + 1] - s[k - 1];
                shift = avg / (shift + (Math.Abs(shift) < 1.17549435e-38f ? 1f : 0f));
                var pitch = (float)((k + shift) * ((double)sampleRate / nFft));
                var mag = s[k] + 0.5f * avg * shift;
                pitches.Add(pitch);
                mags.Add(mag);
            }
            // the last bin can be a local max too (edge-padded), but it is never below fmax < sr/2
        }
        var positive = new List<(float P, float M)>();
        for (var i = 0; i < pitches.Count; i++) if (pitches[i] > 0) positive.Add((pitches[i], mags[i]));
        if (positive.Count == 0) return 0.0;
        var sortedMags = positive.Select(v => v.M).ToArray();
        Array.Sort(sortedMags);
        var n = sortedMags.Length;
        var threshold = n % 2 == 1 ? sortedMags[n / 2] : (float)((sortedMags[n / 2 - 1] + (double)sortedMags[n / 2]) / 2);
        var selected = positive.Where(v => v.M >= threshold).Select(v => v.P).ToList();
        return PitchTuning(selected, resolution, binsPerOctave);
    }

    /// <summary>
    /// librosa.pitch_tuning: histogram of deviations (in bins) of <paramref name="frequencies"/> from
    /// A440 equal temperament; returns the left edge of the fullest 0.01-wide bin.
    /// Residuals are computed in float32 as librosa does for float32 pitches.
    /// </summary>
    public static double PitchTuning(IReadOnlyList<float> frequencies, double resolution = 0.01, int binsPerOctave = 12)
    {
        var nb = (int)Math.Ceiling(1.0 / resolution);
        var edges = new double[nb + 1];
        var step = 1.0 / nb;
        for (var i = 0; i <= nb; i++) edges[i] = i == nb ? 0.5 : -0.5 + i * step;
        var counts = new int[nb];
        var any = false;
        foreach (var f in frequencies)
        {
            if (!(f > 0)) continue;
            any = true;
            // float32 arithmetic: log2(f / (440/16)) · bins, mod 1
            var octs = MathF.Log2(f / (float)(440.0 / 16));
            var r = binsPerOctave * octs;
            var residual = r - MathF.Floor(r);
            if (residual >= 0.5f) residual -= 1.0f;
            var b = Bin(edges, residual);
            if (b >= 0) counts[b]++;
        }
        if (!any) return 0.0;
        var best = 0;
        for (var i = 1; i < nb; i++) if (counts[i] > counts[best]) best = i;
        return edges[best];
    }

    // numpy.histogram on uniform edges: bins [e_i, e_{i+1}), the last closed
    private static int Bin(double[] edges, double v)
    {
        var nb = edges.Length - 1;
        if (v < edges[0] || v > edges[nb]) return -1;
        if (v == edges[nb]) return nb - 1;
        var i = (int)((v - edges[0]) / (edges[nb] - edges[0]) * nb);
        i = Math.Clamp(i, 0, nb - 1);
        // numpy corrects the computed index against the actual edges
        if (v < edges[i]) i--;
        else if (i + 1 <= nb && v >= edges[i + 1]) i++;
        return Math.Clamp(i, 0, nb - 1);
    }

    private static double PyMod(double a, double b)
    {
        var r = a % b;
        if (r != 0 && (r < 0) != (b < 0)) r += b;
        return r;
    }
}
