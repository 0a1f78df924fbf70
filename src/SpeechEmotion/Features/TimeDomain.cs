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
        var x = Signals.Pad(y, pad, pad, PadMode.Edge);
        // sign bit per sample once: a frame's count is then a window sum of neighbour changes
        var change = new byte[x.Length];
        var prevNeg = x.Length > 0 && x[0] < -1e-10f;
        for (var i = 1; i < x.Length; i++)
        {
            var neg = x[i] < -1e-10f;
            change[i] = neg != prevNeg ? (byte)1 : (byte)0;
            prevNeg = neg;
        }
        var frames = FrameCount(y.Length, frameLength, hopLength, center);
        var result = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            var s = t * hopLength;
            var count = 0;
            for (var i = s + 1; i < s + frameLength; i++) count += change[i];
            result[t] = (float)count / frameLength;
        }
        return result;
    }

    /// <summary>
    /// librosa.feature.rms from the waveform: sqrt(mean(x²)) over each frame of the signal padded by
    /// frameLength/2 with <paramref name="padMode"/> when centred.
    /// </summary>
    public static float[] Rms(ReadOnlySpan<float> y, int frameLength = 2048, int hopLength = 512, bool center = true, PadMode padMode = PadMode.Constant)
    {
        Check(y, frameLength, hopLength, center, "rms");
        var pad = center ? frameLength / 2 : 0;
        var x = Signals.Pad(y, pad, pad, padMode);
        var frames = FrameCount(y.Length, frameLength, hopLength, center);
        var result = new float[frames];
        // running sums of squares in double: exact enough that the sliding window never drifts
        var cs = new double[x.Length + 1];
        for (var i = 0; i < x.Length; i++) cs[i + 1] = cs[i] + (double)x[i] * x[i];
        for (var t = 0; t < frames; t++)
        {
            var s = t * hopLength;
            var p = (cs[s + frameLength] - cs[s]) / frameLength;
            result[t] = (float)Math.Sqrt(Math.Max(0, p));
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
