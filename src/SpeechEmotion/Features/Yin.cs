using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>YIN fundamental-frequency estimator parameters (librosa.yin).</summary>
public sealed record YinOptions
{
    /// <summary>Lowest f0 in Hz (> 0). Default 50.</summary>
    public double FMin { get; init; } = 50.0;
    /// <summary>Highest f0 in Hz (FMin &lt; FMax &lt;= sr/2). Default 500.</summary>
    public double FMax { get; init; } = 500.0;
    /// <summary>Frame length in samples. Default 2048.</summary>
    public int FrameLength { get; init; } = 2048;
    /// <summary>Integration window in samples; null means FrameLength/2.</summary>
    public int? WinLength { get; init; }
    /// <summary>Hop in samples; null means FrameLength/4.</summary>
    public int? HopLength { get; init; }
    /// <summary>Absolute threshold on the normalised difference for a trough. Default 0.1.</summary>
    public double TroughThreshold { get; init; } = 0.1;
    /// <summary>Centre frames (pad FrameLength/2 each side). Default true.</summary>
    public bool Center { get; init; } = true;
    /// <summary>Padding when centred. Default constant (zeros).</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;
}

/// <summary>
/// librosa.yin: cumulative-mean-normalised difference function per frame, first trough below the
/// threshold (else the global minimum), parabolic refinement; returns f0 in Hz per frame.
/// </summary>
public static class Yin
{
    /// <summary>f0 (Hz) for every frame of <paramref name="y"/> at <paramref name="sampleRate"/>.</summary>
    public static float[] Compute(ReadOnlySpan<float> y, int sampleRate, YinOptions options)
    {
        int frameLength = options.FrameLength, win = options.WinLength ?? frameLength / 2, hop = options.HopLength ?? frameLength / 4;
        var p = new Problems();
        p.Require(sampleRate > 0, $"sample rate must be positive (got {sampleRate})");
        p.Require(options.FMin > 0 && options.FMin < options.FMax, $"fmin ({options.FMin}) must be positive and below fmax ({options.FMax})");
        p.Require(options.FMax <= sampleRate / 2.0, $"fmax ({options.FMax}) must not exceed the Nyquist frequency {sampleRate / 2.0}");
        p.Require(hop >= 1, $"hop_length must be at least 1 (got {hop})");
        p.Require(win >= 1 && win < frameLength, $"win_length ({win}) must be in 1..frame_length-1 ({frameLength - 1})");
        if (sampleRate > 0 && options.FMax > 0 && options.FMin > 0)
        {
            var minPeriod0 = (int)Math.Floor(sampleRate / options.FMax);
            var maxPeriod0 = Math.Min((int)Math.Ceiling(sampleRate / options.FMin), frameLength - win - 1);
            p.Require(maxPeriod0 > minPeriod0 + 1, $"frame_length ({frameLength}) leaves no lag range for fmin={options.FMin}, fmax={options.FMax}, win_length={win}");
        }
        p.ThrowIfAny(nameof(YinOptions));
        Signals.Validate(y);
        var frames = TimeDomain.FrameCount(y.Length, frameLength, hop, options.Center);
        if (frames < 1) throw new InvalidSignalException($"Signal of {y.Length} samples is too short for YIN frame_length={frameLength}.");
        var pad = options.Center ? frameLength / 2 : 0;
        var x = Signals.Pad(y, pad, pad, options.PadMode);
        var minPeriod = (int)Math.Floor(sampleRate / options.FMax);
        var maxPeriod = Math.Min((int)Math.Ceiling(sampleRate / options.FMin), frameLength - win - 1);

        var fft = new RealFft(frameLength);
        int bins = frameLength / 2 + 1;
        float[] ar = new float[bins], ai = new float[bins], br = new float[bins], bi = new float[bins];
        var buf = new float[frameLength];
        var acf = new float[frameLength];
        var energyCum = new float[frameLength];
        var d = new double[maxPeriod + 1];
        var cmnd = new double[maxPeriod - minPeriod + 1];
        var result = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            var frame = x.AsSpan(t * hop, frameLength);
            // autocorrelation Σ_{j=1..win} x[j]·x[j+τ] through the FFT, as librosa
            fft.Forward(frame, ar, ai);
            Array.Clear(buf);
            for (var m = 0; m < win; m++) buf[m] = frame[win - m];
            fft.Forward(buf, br, bi);
            for (var k = 0; k < bins; k++)
            {
                float r = ar[k] * br[k] - ai[k] * bi[k], im = ar[k] * bi[k] + ai[k] * br[k];
                br[k] = r; bi[k] = im;
            }
            fft.Inverse(br, bi, acf);
            // energies from float32 running sums (numpy's cumsum of float32 squares)
            var acc = 0f;
            for (var i = 0; i < frameLength; i++) { acc += frame[i] * frame[i]; energyCum[i] = acc; }
            double Energy(int tau)
            {
                var e = energyCum[win + tau] - energyCum[tau];
                return Math.Abs(e) < 1e-6f ? 0 : e;
            }
            double Acf(int tau)
            {
                var a = acf[win + tau];
                return Math.Abs(a) < 1e-6f ? 0 : a;
            }
            var e0 = Energy(0);
            for (var tau = 0; tau <= maxPeriod; tau++) d[tau] = (float)(e0 + Energy(tau)) - 2 * Acf(tau);
            double cum = 0;
            for (var tau = 1; tau <= maxPeriod; tau++)
            {
                cum += d[tau];
                if (tau >= minPeriod) cmnd[tau - minPeriod] = d[tau] / (cum / tau + 2.2250738585072014e-308);
            }
            result[t] = (float)(sampleRate / Period(cmnd, minPeriod, options.TroughThreshold));
        }
        return result;
    }

    private static double Period(double[] c, int minPeriod, double threshold)
    {
        var n = c.Length;
        var chosen = -1;
        for (var i = 0; i < n && chosen < 0; i++)
        {
            bool trough = i == 0 ? n > 1 && c[0] < c[1]
                : i == n - 1 ? c[i] < c[i - 1]  // localmin with edge padding: x < left and x <= right(=itself)
                : c[i] < c[i - 1] && c[i] <= c[i + 1];
            if (trough && c[i] < threshold) chosen = i;
        }
        if (chosen < 0)
        {
            chosen = 0;
            for (var i = 1; i < n; i++) if (c[i] < c[chosen]) chosen = i;
        }
        double shift = 0;
        if (chosen > 0 && chosen < n - 1)
        {
            var a = c[chosen + 1] + c[chosen - 1] - 2 * c[chosen];
            var b = (c[chosen + 1] - c[chosen - 1]) / 2;
            shift = Math.Abs(b) >= Math.Abs(a) ? 0 : -b / a;
        }
        return minPeriod + chosen + shift;
    }
}
