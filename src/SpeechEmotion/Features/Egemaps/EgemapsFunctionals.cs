namespace SpeechEmotion.Features.Egemaps;

/// <summary>Column indices of the 25 eGeMAPS v02 low-level descriptors (see <see cref="EgemapsNames.Llds"/>).</summary>
public static class EgemapsLld
{
    /// <summary>Loudness (auditory spectrum sum, sone-like).</summary>
    public const int Loudness = 0;
    /// <summary>Alpha ratio (dB).</summary>
    public const int AlphaRatio = 1;
    /// <summary>Hammarberg index (dB).</summary>
    public const int Hammarberg = 2;
    /// <summary>Spectral slope 0–500 Hz.</summary>
    public const int Slope0To500 = 3;
    /// <summary>Spectral slope 500–1500 Hz.</summary>
    public const int Slope500To1500 = 4;
    /// <summary>Spectral flux.</summary>
    public const int Flux = 5;
    /// <summary>MFCC 1 (MFCC 2–4 follow).</summary>
    public const int Mfcc1 = 6;
    /// <summary>F0 in semitones from 27.5 Hz (0 = unvoiced).</summary>
    public const int F0 = 10;
    /// <summary>Local jitter (fraction).</summary>
    public const int Jitter = 11;
    /// <summary>Local shimmer (dB).</summary>
    public const int Shimmer = 12;
    /// <summary>Harmonics-to-noise ratio from the autocorrelation (dB).</summary>
    public const int Hnr = 13;
    /// <summary>H1 − H2 (dB).</summary>
    public const int H1H2 = 14;
    /// <summary>H1 − A3 (dB).</summary>
    public const int H1A3 = 15;
    /// <summary>F1 frequency (Hz); then F1 bandwidth, F1 amplitude, F2 frequency, ... (3 columns per formant).</summary>
    public const int F1Frequency = 16;
    /// <summary>Number of descriptors.</summary>
    public const int Count = 25;
}

/// <summary>
/// Turns the raw (unsmoothed) per-frame descriptors into the smoothed contours and the 88 functionals
/// of eGeMAPS v02: 3-frame smoothing (zero-skipping for voice-related contours), voiced/unvoiced
/// selections of the spectral descriptors, and the statistics of <see cref="ContourFunctionals"/>.
/// </summary>
public static class EgemapsFunctionals
{
    /// <summary>Frame period of the contours (s).</summary>
    public const double FramePeriod = 0.01;

    /// <summary>
    /// Smooths raw descriptors as eGeMAPS does: columns 0–9 with a plain 3-frame average, 10–24 with the
    /// zero-skipping average.
    /// </summary>
    /// <param name="raw">Raw descriptors [frames, 25] row-major.</param>
    /// <param name="frames">Number of frames.</param>
    /// <param name="voiceFrames">Number of leading frames that carry the voice-related columns 10–24
    /// (their 60 ms analysis window fits); later rows of those columns are treated as 0.</param>
    /// <param name="smoothed">Destination [frames, 25] row-major.</param>
    public static void SmoothLlds(ReadOnlySpan<float> raw, int frames, int voiceFrames, Span<float> smoothed)
    {
        var col = new float[frames];
        var sm = new float[frames];
        for (int c = 0; c < EgemapsLld.Count; c++)
        {
            // Formant frequencies and bandwidths come from the 20 ms frames and exist on every row.
            bool formantTrack = c >= EgemapsLld.F1Frequency && (c - EgemapsLld.F1Frequency) % 3 != 2;
            int n = c >= EgemapsLld.F0 && !formantTrack ? Math.Min(voiceFrames, frames) : frames;
            col.AsSpan().Clear();
            for (int t = 0; t < n; t++) col[t] = raw[t * EgemapsLld.Count + c];
            ContourFunctionals.Smooth3(col.AsSpan(0, n), sm, skipZeros: c >= EgemapsLld.F0);
            sm.AsSpan(n).Clear();
            for (int t = 0; t < frames; t++) smoothed[t * EgemapsLld.Count + c] = sm[t];
        }
    }

    /// <summary>
    /// Computes the 88 functionals from raw descriptors.
    /// </summary>
    /// <param name="raw">Raw descriptors [frames, 25] row-major (formants ungated, F0 = 0 when unvoiced).</param>
    /// <param name="frames">Number of frames (0 gives the all-unvoiced conventions: zeros and the LEq floor).</param>
    /// <param name="voiceFrames">Number of leading frames that carry the voice-related columns 10–24.</param>
    /// <param name="energy">Mean squared sample value of each 20 ms Hamming-window frame, for the equivalent sound level.</param>
    /// <param name="destination">88 values in <see cref="EgemapsNames.Functionals"/> order.</param>
    public static void Compute(ReadOnlySpan<float> raw, int frames, int voiceFrames, ReadOnlySpan<float> energy, Span<float> destination)
    {
        int d = EgemapsLld.Count;
        voiceFrames = Math.Min(voiceFrames, frames);
        var smoothed = new float[frames * d];
        SmoothLlds(raw, frames, voiceFrames, smoothed);

        var col = new float[frames];
        var sm = new float[frames];
        // Voiced-only copies of formant frequency/bandwidth (amplitudes keep their unvoiced floor, as the reference does).
        var gatedFormants = new float[6][];
        int[] formantCols = [16, 17, 19, 20, 22, 23];
        for (int k = 0; k < 6; k++)
        {
            for (int t = 0; t < voiceFrames; t++) col[t] = raw[t * d + EgemapsLld.F0] > 1e-6f ? raw[t * d + formantCols[k]] : 0f;
            gatedFormants[k] = new float[voiceFrames];
            ContourFunctionals.Smooth3(col.AsSpan(0, voiceFrames), gatedFormants[k], skipZeros: true);
        }
        // Spectral descriptors selected on voiced and unvoiced frames.
        int[] spectralCols = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var voiced = new float[9][];
        var unvoiced = new float[5][];
        for (int k = 0; k < 9; k++)
        {
            for (int t = 0; t < voiceFrames; t++) col[t] = raw[t * d + EgemapsLld.F0] > 1e-6f ? raw[t * d + spectralCols[k]] : 0f;
            voiced[k] = new float[voiceFrames];
            ContourFunctionals.Smooth3(col.AsSpan(0, voiceFrames), voiced[k], skipZeros: true);
            if (k < 5)
            {
                for (int t = 0; t < voiceFrames; t++) col[t] = raw[t * d + EgemapsLld.F0] > 1e-6f ? 0f : raw[t * d + spectralCols[k]];
                unvoiced[k] = new float[voiceFrames];
                ContourFunctionals.Smooth3(col.AsSpan(0, voiceFrames), unvoiced[k], skipZeros: true);
            }
        }
        ComputeFromContours(smoothed, frames, voiceFrames, gatedFormants, voiced, unvoiced, energy, destination);
    }

    /// <summary>
    /// Computes the 88 functionals from already smoothed contours (used by <see cref="Compute"/> and by tests
    /// that feed reference contours).
    /// </summary>
    internal static void ComputeFromContours(ReadOnlySpan<float> smoothed, int frames, int voiceFrames, float[][] gatedFormants,
        float[][] voiced, float[][] unvoiced, ReadOnlySpan<float> energy, Span<float> destination)
    {
        int d = EgemapsLld.Count;
        destination[..88].Clear();
        var col = new float[frames];
        var buf = new float[frames];
        int o = 0;

        // F0 (voiced frames) and loudness (all frames): moments, percentiles, slopes.
        for (int which = 0; which < 2; which++)
        {
            int c = which == 0 ? EgemapsLld.F0 : EgemapsLld.Loudness;
            int n = which == 0 ? voiceFrames : frames;
            for (int t = 0; t < n; t++) col[t] = smoothed[t * d + c];
            ReadOnlySpan<float> values = which == 0 ? buf.AsSpan(0, ContourFunctionals.NonZero(col.AsSpan(0, n), buf)) : col.AsSpan(0, n);
            var m = ContourFunctionals.Moments(values);
            var sorted = values.ToArray();
            Array.Sort(sorted);
            float p20 = ContourFunctionals.Percentile(sorted, 0.2), p50 = ContourFunctionals.Percentile(sorted, 0.5), p80 = ContourFunctionals.Percentile(sorted, 0.8);
            var s = ContourFunctionals.Slopes(values, FramePeriod);
            destination[o++] = m.Mean; destination[o++] = m.StddevNorm;
            destination[o++] = p20; destination[o++] = p50; destination[o++] = p80; destination[o++] = MathF.Abs(p80 - p20);
            destination[o++] = s.MeanRising; destination[o++] = s.StddevRising; destination[o++] = s.MeanFalling; destination[o++] = s.StddevFalling;
        }

        // Flux and MFCC 1–4 over all frames.
        for (int c = EgemapsLld.Flux; c <= EgemapsLld.Mfcc1 + 3; c++)
        {
            for (int t = 0; t < frames; t++) col[t] = smoothed[t * d + c];
            var m = ContourFunctionals.Moments(col);
            destination[o++] = m.Mean; destination[o++] = m.StddevNorm;
        }

        // Voice-quality and formant contours over non-zero frames.
        for (int c = EgemapsLld.Jitter; c < EgemapsLld.Count; c++)
        {
            int rel = c - EgemapsLld.F1Frequency;
            if (rel >= 0 && rel % 3 != 2)
            {
                var g = gatedFormants[rel / 3 * 2 + rel % 3];
                g.AsSpan(0, voiceFrames).CopyTo(col);
            }
            else
            {
                for (int t = 0; t < voiceFrames; t++) col[t] = smoothed[t * d + c];
            }
            var m = ContourFunctionals.Moments(buf.AsSpan(0, ContourFunctionals.NonZero(col.AsSpan(0, voiceFrames), buf)));
            destination[o++] = m.Mean; destination[o++] = m.StddevNorm;
        }

        for (int k = 0; k < 9; k++)
        {
            var m = ContourFunctionals.Moments(buf.AsSpan(0, ContourFunctionals.NonZero(voiced[k].AsSpan(0, voiceFrames), buf)));
            destination[o++] = m.Mean; destination[o++] = m.StddevNorm;
        }
        for (int k = 0; k < 5; k++)
        {
            var m = ContourFunctionals.Moments(buf.AsSpan(0, ContourFunctionals.NonZero(unvoiced[k].AsSpan(0, voiceFrames), buf)));
            destination[o++] = m.Mean;
        }

        // Temporal features.
        for (int t = 0; t < frames; t++) col[t] = smoothed[t * d + EgemapsLld.Loudness];
        var ls = ContourFunctionals.Slopes(col.AsSpan(0, frames), FramePeriod);
        destination[o++] = frames > 0 ? (float)(ls.Peaks / (frames * FramePeriod)) : 0f;
        for (int t = 0; t < voiceFrames; t++) col[t] = smoothed[t * d + EgemapsLld.F0];
        var vseg = ContourFunctionals.Segments(col.AsSpan(0, voiceFrames), nonZeroSegments: true);
        var useg = ContourFunctionals.Segments(col.AsSpan(0, voiceFrames), nonZeroSegments: false);
        destination[o++] = voiceFrames > 0 ? (float)(vseg.Count / (voiceFrames * FramePeriod)) : 0f;
        destination[o++] = (float)(vseg.MeanLength * FramePeriod);
        destination[o++] = (float)(vseg.StddevLength * FramePeriod);
        destination[o++] = (float)(useg.MeanLength * FramePeriod);
        destination[o++] = (float)(useg.StddevLength * FramePeriod);

        // Equivalent sound level: the mean frame energy in dB (floored as the reference floors log(0)).
        double e = 0;
        foreach (float v in energy) e += v;
        e = energy.Length > 0 ? e / energy.Length : 0;
        destination[o++] = (float)(10.0 * Math.Log10(Math.Max(e, 1e-30)));
    }
}
