namespace SpeechEmotion.Audio;

/// <summary>Resampler quality presets: pass-band edge (fraction of the lower Nyquist) and stop-band rejection.</summary>
public enum ResamplerQuality
{
    /// <summary>Pass band to 90% of the lower Nyquist frequency, 80 dB stop band (shortest filter).</summary>
    Fast,
    /// <summary>Pass band to 95% of the lower Nyquist frequency, 100 dB stop band (the default).</summary>
    High,
    /// <summary>Pass band to 99% of the lower Nyquist frequency, 140 dB stop band (close to sox <c>rate -v -s</c>; long filter).</summary>
    VeryHigh,
}

/// <summary>
/// A Kaiser-windowed sinc low-pass filter laid out as a polyphase table: for each fractional input
/// position (phase) one row of <see cref="Taps"/> coefficients, so each output sample is one dot product.
/// </summary>
internal sealed class ResamplerFilter
{
    /// <summary>Ratios whose reduced upsampling factor exceeds this use interpolated phases.</summary>
    internal const int MaxExactPhases = 1024;

    public ResamplerFilter(int fromRate, int toRate, ResamplerQuality quality)
    {
        int g = Gcd(fromRate, toRate);
        L = toRate / g;
        M = fromRate / g;
        var (passEdge, rejectionDb) = quality switch
        {
            ResamplerQuality.Fast => (0.90, 80.0),
            ResamplerQuality.VeryHigh => (0.99, 140.0),
            _ => (0.95, 100.0),
        };
        double scale = Math.Min(1.0, (double)toRate / fromRate);
        // Cycles per input sample: the stop band starts exactly at the lower Nyquist frequency.
        double transition = 0.5 * scale * (1 - passEdge);
        double cutoff = 0.5 * scale - transition / 2;
        double beta = rejectionDb > 50 ? 0.1102 * (rejectionDb - 8.7) : 0.5842 * Math.Pow(rejectionDb - 21, 0.4) + 0.07886 * (rejectionDb - 21);
        double halfWidth = (rejectionDb - 7.95) / (14.36 * transition) / 2;
        K = (int)Math.Ceiling(halfWidth);
        Taps = 2 * K;
        Interpolated = L > MaxExactPhases;
        Phases = Interpolated ? MaxExactPhases : L;
        int rows = Interpolated ? Phases + 1 : Phases;
        Coefficients = new float[rows * Taps];
        double i0Beta = BesselI0(beta);
        var row = new double[Taps];
        for (int p = 0; p < rows; p++)
        {
            double frac = (double)p / Phases;
            double sum = 0;
            for (int i = 0; i < Taps; i++)
            {
                double t = frac + K - 1 - i;
                double x = t / halfWidth;
                double w = Math.Abs(x) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - x * x)) / i0Beta;
                row[i] = 2 * cutoff * Sinc(2 * cutoff * t) * w;
                sum += row[i];
            }
            // Exact unity gain at DC for every phase: no level change, no phase-dependent ripple at 0 Hz.
            for (int i = 0; i < Taps; i++) Coefficients[p * Taps + i] = (float)(row[i] / sum);
        }
    }

    /// <summary>Reduced upsampling factor (output rate / gcd).</summary>
    public int L { get; }

    /// <summary>Reduced downsampling factor (input rate / gcd).</summary>
    public int M { get; }

    /// <summary>Half the number of taps: output n reads input samples base-K+1 … base+K.</summary>
    public int K { get; }

    /// <summary>Coefficients per phase (2K).</summary>
    public int Taps { get; }

    /// <summary>Number of phases in the table (L when exact, else <see cref="MaxExactPhases"/>).</summary>
    public int Phases { get; }

    /// <summary>True when outputs interpolate linearly between adjacent table phases (very large L).</summary>
    public bool Interpolated { get; }

    /// <summary>Row-major [rows, Taps] table; an interpolated table has one extra row (fraction 1).</summary>
    public float[] Coefficients { get; }

    public ReadOnlySpan<float> Row(int phase) => Coefficients.AsSpan(phase * Taps, Taps);

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    internal static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
