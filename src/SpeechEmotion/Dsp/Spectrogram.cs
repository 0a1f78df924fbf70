namespace SpeechEmotion.Dsp;

/// <summary>A real spectrogram, row-major [frames, bins] (one row per frame; bin k is k·sr/NFft Hz).</summary>
public sealed class Spectrogram
{
    /// <summary>Wraps <paramref name="data"/> (length frames·bins).</summary>
    public Spectrogram(int frames, int bins, float[] data)
    {
        if (data.Length != (long)frames * bins) throw new ArgumentException($"Data has {data.Length} values; expected {frames}×{bins}.");
        Frames = frames; Bins = bins; Data = data;
    }

    /// <summary>Number of frames (rows).</summary>
    public int Frames { get; }
    /// <summary>Number of frequency bins per frame (columns), NFft/2 + 1 for an STFT.</summary>
    public int Bins { get; }
    /// <summary>Values, row-major [frames, bins].</summary>
    public float[] Data { get; }
    /// <summary>The bins of frame <paramref name="t"/>.</summary>
    public Span<float> Row(int t) => Data.AsSpan(t * Bins, Bins);
}

/// <summary>A complex spectrogram (STFT), split into real and imaginary parts, each row-major [frames, bins].</summary>
public sealed class ComplexSpectrogram
{
    /// <summary>Wraps <paramref name="re"/> and <paramref name="im"/> (each frames·bins values).</summary>
    public ComplexSpectrogram(int frames, int bins, float[] re, float[] im)
    {
        if (re.Length != (long)frames * bins || im.Length != re.Length)
            throw new ArgumentException($"Real/imaginary parts must have {frames}×{bins} values.");
        Frames = frames; Bins = bins; Re = re; Im = im;
    }

    /// <summary>Number of frames.</summary>
    public int Frames { get; }
    /// <summary>Bins per frame, NFft/2 + 1.</summary>
    public int Bins { get; }
    /// <summary>Real parts, [frames, bins].</summary>
    public float[] Re { get; }
    /// <summary>Imaginary parts, [frames, bins].</summary>
    public float[] Im { get; }
}
