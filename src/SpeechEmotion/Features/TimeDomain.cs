using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>Time-domain frame features with librosa's definitions (one value per frame).</summary>
public static class TimeDomain
{
    /// <summary>Frames of a signal of <paramref name="samples"/> samples: 1 + (padded − frameLength)/hop, 0 if none fits.</summary>
    public static int FrameCount(int samples, int frameLength, int hopLength, bool center)
    {
        var padded = center ? samples + 2 * (frameLength / 2) : samples;
        return padded < frameLength ? 0 : 1 + (padded - frameLength) / hopLength;
    }

    /// <summary>
    /// librosa.feature.zero_crossing_rate: the signal is edge-padded by frameLength/2 when centred;
    /// samples with |x| ≤ 1e-10 count as zero (positive); the rate is the number of sign changes
    /// between consecutive samples of a frame divided by frameLength.
    /// </summary>
    public static float[] ZeroCrossingRate(ReadOnlySpan<float> y, int frameLength = 2048, int hopLength = 512, bool center = true)
    {
        Check(y, frameLength, hopLength, center, "zero_crossing_rate");
        var pad = center ? frameLength / 2 : 0;
        // Edge padding repeats the end samples, which adds no sign change: count changes between
        // y[q-1] and y[q] for the signal positions q each frame covers
        var n = y.Length;
        var frames = FrameCount(y.Length, frameLength, hopLength, center);
        var result = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            // pairs (i-1, i) for padded i in s+1 .. s+frameLength-1, i.e. signal q = i - pad
            int lo = t * hopLength + 1 - pad, hi = t * hopLength + frameLength - 1 - pad;
            lo = Math.Max(lo, 1); hi = Math.Min(hi, n - 1);
            var c = hi >= lo ? SignChanges(y, lo, hi) : 0;
            result[t] = (float)c / frameLength;
        }
        return result;
    }

    /// <summary>Number of q in [lo, hi] where y[q−1] and y[q] differ in sign (|x| ≤ 1e-10 counts as positive).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static int SignChanges(ReadOnlySpan<float> y, int lo, int hi)
    {
        var count = 0;
        var q = lo;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var lanes = System.Numerics.Vector<float>.Count;
            var thr = new System.Numerics.Vector<float>(-1e-10f);
            var acc = System.Numerics.Vector<int>.Zero;
            ref var r0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
            for (; q + lanes - 1 <= hi; q += lanes)
            {
                var a = System.Numerics.Vector.LessThan(System.Numerics.Vector.LoadUnsafe(ref r0, (nuint)q), thr);
                var b = System.Numerics.Vector.LessThan(System.Numerics.Vector.LoadUnsafe(ref r0, (nuint)(q - 1)), thr);
                acc -= System.Numerics.Vector.Xor(a, b); // -1 where the signs differ
            }
            count = System.Numerics.Vector.Sum(acc);
        }
        for (; q <= hi; q++) count += (y[q] < -1e-10f) != (y[q - 1] < -1e-10f) ? 1 : 0;
        return count;
    }

    /// <summary>Scalar twin of <see cref="SignChanges"/>.</summary>
    internal static int SignChangesScalar(ReadOnlySpan<float> y, int lo, int hi)
    {
        var count = 0;
        for (var q = lo; q <= hi; q++) count += (y[q] < -1e-10f) != (y[q - 1] < -1e-10f) ? 1 : 0;
        return count;
    }

    /// <summary>
    /// librosa.feature.rms from the waveform: sqrt(mean(x²)) over each frame of the signal padded by
    /// frameLength/2 with <paramref name="padMode"/> when centred.
    /// </summary>
    public static float[] Rms(ReadOnlySpan<float> y, int frameLength = 2048, int hopLength = 512, bool center = true, PadMode padMode = PadMode.Constant)
    {
        Check(y, frameLength, hopLength, center, "rms");
        var pad = center ? frameLength / 2 : 0;
        var frames = FrameCount(y.Length, frameLength, hopLength, center);
        var result = new float[frames];
        // zero padding adds nothing to a sum of squares: clip each frame to the signal instead of copying it
        ReadOnlySpan<float> x = y;
        var offset = -pad;
        if (center && padMode != PadMode.Constant) { x = Signals.Pad(y, pad, pad, padMode); offset = 0; }
        for (var t = 0; t < frames; t++)
        {
            int s = t * hopLength + offset, e = s + frameLength;
            s = Math.Max(s, 0); e = Math.Min(e, x.Length);
            var sum = e > s ? System.Numerics.Tensors.TensorPrimitives.SumOfSquares(x[s..e]) : 0f;
            result[t] = MathF.Sqrt(sum / frameLength);
        }
        return result;
    }

    /// <summary>
    /// librosa.feature.rms from a magnitude spectrogram [frames, frameLength/2+1]: Parseval with the
    /// DC (and, for even lengths, Nyquist) bins counted once: sqrt(2·Σ|S|²/frameLength²).
    /// </summary>
    public static float[] RmsFromSpectrogram(Spectrogram magnitude, int frameLength)
    {
        if (magnitude.Bins != frameLength / 2 + 1)
            throw new InvalidOptionsException("rms", [$"the spectrogram has {magnitude.Bins} bins but frame_length={frameLength} needs {frameLength / 2 + 1}"]);
        var result = new float[magnitude.Frames];
        for (var t = 0; t < magnitude.Frames; t++)
        {
            var row = magnitude.Row(t);
            double s = 0;
            for (var k = 0; k < row.Length; k++)
            {
                var v = (double)row[k] * row[k];
                if (k == 0 || (frameLength % 2 == 0 && k == row.Length - 1)) v *= 0.5;
                s += v;
            }
            result[t] = (float)Math.Sqrt(2 * s / ((double)frameLength * frameLength));
        }
        return result;
    }

    private static void Check(ReadOnlySpan<float> y, int frameLength, int hopLength, bool center, string what)
    {
        var p = new Problems();
        p.Require(frameLength >= 1, $"frame_length must be at least 1 (got {frameLength})");
        p.Require(hopLength >= 1, $"hop_length must be at least 1 (got {hopLength})");
        p.ThrowIfAny(what);
        Signals.Validate(y);
        if (FrameCount(y.Length, frameLength, hopLength, center) < 1)
            throw new InvalidSignalException($"Signal of {y.Length} samples is too short for frame_length={frameLength} without centring.");
    }
}
