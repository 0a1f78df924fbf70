namespace SpeechEmotion.Dsp;

/// <summary>Analysis window shapes.</summary>
public enum WindowKind
{
    /// <summary>Hann: 0.5 − 0.5·cos(2πn/N).</summary>
    Hann,
    /// <summary>Hamming: 0.54 − 0.46·cos(2πn/N).</summary>
    Hamming,
    /// <summary>Blackman: 0.42 − 0.5·cos(2πn/N) + 0.08·cos(4πn/N).</summary>
    Blackman,
    /// <summary>Povey (Kaldi): Hann raised to the power 0.85.</summary>
    Povey,
    /// <summary>Rectangular (all ones), scipy's "boxcar".</summary>
    Rectangular,
}

/// <summary>Window functions with scipy.signal.get_window's definitions.</summary>
public static class Windows
{
    /// <summary>
    /// Creates a window of <paramref name="length"/> samples. <paramref name="periodic"/> = true gives
    /// the DFT-even window librosa uses (<c>get_window(..., fftbins=True)</c>: the symmetric window of
    /// length+1 without its last sample); false gives the symmetric window (Kaldi's Povey).
    /// Values are computed in double and rounded to float.
    /// </summary>
    /// <exception cref="InvalidOptionsException">length is below 1.</exception>
    public static float[] Create(WindowKind kind, int length, bool periodic = true) =>
        Array.ConvertAll(Create64(kind, length, periodic), v => (float)v);

    /// <summary>Double-precision <see cref="Create"/> (scipy's float64 values).</summary>
    public static double[] Create64(WindowKind kind, int length, bool periodic = true)
    {
        if (length < 1)
            throw new InvalidOptionsException("window", [$"window length must be at least 1 (got {length})"]);
        var w = new double[length];
        if (kind == WindowKind.Rectangular || length == 1)
        {
            Array.Fill(w, 1.0);
            return w;
        }
        double denom = periodic ? length : length - 1;
        for (var i = 0; i < length; i++)
        {
            var x = 2.0 * Math.PI * i / denom;
            w[i] = kind switch
            {
                WindowKind.Hann => 0.5 - 0.5 * Math.Cos(x),
                WindowKind.Hamming => 0.54 - 0.46 * Math.Cos(x),
                WindowKind.Blackman => 0.42 - 0.5 * Math.Cos(x) + 0.08 * Math.Cos(2 * x),
                WindowKind.Povey => Math.Pow(0.5 - 0.5 * Math.Cos(x), 0.85),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown window kind."),
            };
        }
        return w;
    }

    /// <summary>
    /// The window of <paramref name="winLength"/> samples zero-padded and centred in
    /// <paramref name="nFft"/> samples (librosa's <c>pad_center</c>: (nFft − winLength)/2 zeros on the left).
    /// </summary>
    public static float[] CreatePadded(WindowKind kind, int winLength, int nFft, bool periodic = true)
    {
        var w = Create(kind, winLength, periodic);
        if (winLength == nFft) return w;
        var padded = new float[nFft];
        w.CopyTo(padded, (nFft - winLength) / 2);
        return padded;
    }

    /// <summary>Double-precision <see cref="CreatePadded"/>.</summary>
    public static double[] CreatePadded64(WindowKind kind, int winLength, int nFft, bool periodic = true)
    {
        var w = Create64(kind, winLength, periodic);
        if (winLength == nFft) return w;
        var padded = new double[nFft];
        w.CopyTo(padded, (nFft - winLength) / 2);
        return padded;
    }
}
