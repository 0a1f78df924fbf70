namespace SpeechEmotion.Dsp;

/// <summary>A signal that cannot be analysed: empty, too short, or with NaN/Inf samples.</summary>
public sealed class InvalidSignalException : SpeechEmotionException
{
    /// <summary>Creates the exception with a message naming the problem and the offending value.</summary>
    public InvalidSignalException(string message) : base(message) { }
}

/// <summary>How a signal is extended beyond its ends when frames are centred.</summary>
public enum PadMode
{
    /// <summary>Zeros (numpy "constant"; librosa 0.10's default).</summary>
    Constant,
    /// <summary>Mirror without repeating the edge sample (numpy "reflect").</summary>
    Reflect,
    /// <summary>Repeat the edge sample (numpy "edge").</summary>
    Edge,
}

/// <summary>Signal checks and padding shared by the framed analyses.</summary>
public static class Signals
{
    /// <summary>
    /// Throws <see cref="InvalidSignalException"/> when <paramref name="y"/> is empty or holds a NaN
    /// or infinite sample (naming its index).
    /// </summary>
    public static void Validate(ReadOnlySpan<float> y, string what = "signal")
    {
        if (y.IsEmpty) throw new InvalidSignalException($"The {what} is empty (0 samples).");
        // x − x is 0 for finite x and NaN for NaN/±Inf: a vector pass finds whether to look closer
        var vecs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y);
        var bad = false;
        foreach (var v in vecs)
            if (!System.Numerics.Vector.EqualsAll(v - v, System.Numerics.Vector<float>.Zero)) { bad = true; break; }
        if (!bad)
        {
            for (var i = vecs.Length * System.Numerics.Vector<float>.Count; i < y.Length; i++)
                if (!float.IsFinite(y[i])) { bad = true; break; }
            if (!bad) return;
        }
        for (var i = 0; i < y.Length; i++)
            if (!float.IsFinite(y[i]))
                throw new InvalidSignalException($"The {what} has a non-finite sample ({y[i]}) at index {i}; audio must be finite everywhere.");
    }

    /// <summary>
    /// Returns <paramref name="y"/> with <paramref name="left"/> and <paramref name="right"/> samples
    /// added by <paramref name="mode"/>, as <c>numpy.pad</c> does.
    /// </summary>
    public static float[] Pad(ReadOnlySpan<float> y, int left, int right, PadMode mode)
    {
        var n = y.Length;
        var o = new float[n + left + right];
        y.CopyTo(o.AsSpan(left));
        if (n == 0 || mode == PadMode.Constant) return o;
        for (var i = 0; i < left; i++) o[i] = y[Map(i - left, n, mode)];
        for (var i = 0; i < right; i++) o[left + n + i] = y[Map(n + i, n, mode)];
        return o;
    }

    /// <summary>Index into a signal of n samples that padding position <paramref name="i"/> (may be outside 0..n-1) copies; -1 for zeros.</summary>
    internal static int Source(int i, int n, PadMode mode) => i >= 0 && i < n ? i : mode == PadMode.Constant || n == 0 ? -1 : Map(i, n, mode);

    private static int Map(int i, int n, PadMode mode)
    {
        if (mode == PadMode.Edge || n == 1) return Math.Clamp(i, 0, n - 1);
        // numpy "reflect" repeats the mirror with period 2(n−1) when the pad exceeds the signal
        var period = 2 * (n - 1);
        var k = ((i % period) + period) % period;
        return k < n ? k : period - k;
    }
}
