namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Triangular mel filterbank (HTK mel scale 1127·ln(1 + f/700)) with band edges equally spaced in mel
/// between a low and a high cut-off; adjacent triangles overlap by half. Each FFT bin strictly inside
/// the cut-off range feeds the falling slope of one band and the rising slope of the next.
/// </summary>
public sealed class MelBands
{
    private readonly int[] _band;      // band on whose falling slope each bin lies (-1 = none, -3 = unused bin)
    private readonly float[] _weight;  // weight of that falling slope
    private readonly int _lo, _hi;

    /// <summary>Creates the bank for <paramref name="bins"/> FFT bins spaced <paramref name="binHz"/> apart.</summary>
    /// <param name="bands">Number of bands (≥ 1).</param>
    /// <param name="bins">FFT bins (N/2 + 1).</param>
    /// <param name="binHz">Bin spacing (Hz).</param>
    /// <param name="lowHz">Low cut-off (Hz).</param>
    /// <param name="highHz">High cut-off (Hz).</param>
    public MelBands(int bands, int bins, double binHz, double lowHz, double highHz)
    {
        if (bands < 1 || bins < 2 || binHz <= 0 || lowHz < 0 || highHz <= lowHz)
            throw new ArgumentOutOfRangeException(nameof(bands), "Invalid mel filterbank geometry.");
        Bands = bands;
        double loMel = Mel(lowHz), hiMel = Mel(highHz);
        double step = (hiMel - loMel) / (bands + 1);
        Centers = new double[bands + 2];
        for (int m = 0; m < bands + 2; m++) Centers[m] = loMel + m * step;
        CenterHz = new double[bands];
        for (int m = 0; m < bands; m++) CenterHz[m] = 700.0 * (Math.Exp(Centers[m + 1] / 1127.0) - 1.0);
        _lo = Math.Min((int)Math.Round(lowHz / binHz), bins);
        _hi = Math.Min((int)Math.Round(highHz / binHz), bins);
        _band = new int[bins];
        _weight = new float[bins];
        for (int n = 0; n < bins; n++)
        {
            _band[n] = -3;
            if (n <= _lo || n >= _hi) continue;
            double x = Mel(n * binHz);
            int k = 0;
            while (k + 1 < Centers.Length && Centers[k + 1] < x) k++;
            // x lies in (Centers[k], Centers[k+1]]: falling slope of band k-1, rising slope of band k.
            _band[n] = k - 1;
            _weight[n] = (float)((Centers[k + 1] - x) / (Centers[k + 1] - Centers[k]));
        }
    }

    /// <summary>Number of bands.</summary>
    public int Bands { get; }

    /// <summary>Band edges and centres in mel (Bands + 2 values).</summary>
    public double[] Centers { get; }

    /// <summary>Centre frequency of each band (Hz).</summary>
    public double[] CenterHz { get; }

    /// <summary>HTK mel of a frequency in Hz.</summary>
    public static double Mel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);

    /// <summary>Sums a power spectrum into the bands.</summary>
    /// <param name="power">Power spectrum, at least as many bins as the bank was built for.</param>
    /// <param name="bands">Destination, <see cref="Bands"/> values.</param>
    public void Apply(ReadOnlySpan<float> power, Span<float> bands)
    {
        bands[..Bands].Clear();
        for (int n = _lo + 1; n < _hi; n++)
        {
            int m = _band[n];
            if (m < -1) continue;
            float p = power[n];
            float a = p * _weight[n];
            if (m >= 0) bands[m] += a;
            if (m < Bands - 1) bands[m + 1] += p - a;
        }
    }
}
