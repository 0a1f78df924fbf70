using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// The 60 ms Gaussian-windowed (σ = 0.4) frames of eGeMAPS' voice analysis: magnitude spectrum
/// (zero-padded FFT), windowed RMS energy and SHS pitch candidates. One instance per thread.
/// </summary>
internal sealed class LongFrameAnalyzer
{
    private readonly int _frameLength, _nfft, _bins;
    private readonly float[] _window, _frame, _re, _im, _mag;
    private readonly RealFft _fft;

    public LongFrameAnalyzer(int sampleRate)
    {
        _frameLength = (int)Math.Round(0.060 * sampleRate);
        _nfft = 1;
        while (_nfft < _frameLength) _nfft <<= 1;
        _bins = _nfft / 2 + 1;
        BinHz = (double)sampleRate / _nfft;
        _window = Gaussian(_frameLength, 0.4);
        _frame = new float[_nfft];
        _re = new float[_bins]; _im = new float[_bins]; _mag = new float[_bins];
        _fft = new RealFft(_nfft);
        Shs = new ShsPitch(_bins, BinHz);
    }

    public int FrameLength => _frameLength;
    public int Bins => _bins;
    public double BinHz { get; }
    public ShsPitch Shs { get; }

    /// <summary>Magnitude spectrum of the last analysed frame.</summary>
    public ReadOnlySpan<float> Magnitude => _mag;

    /// <summary>Windows and transforms one frame; returns the RMS of the windowed frame.</summary>
    public float Analyze(ReadOnlySpan<float> samples)
    {
        double e = 0;
        for (int i = 0; i < _frameLength; i++)
        {
            float s = (i < samples.Length ? samples[i] : 0f) * _window[i];
            _frame[i] = s;
            e += s * s;
        }
        _frame.AsSpan(_frameLength).Clear();
        _fft.Forward(_frame, _re, _im);
        for (int k = 0; k < _bins; k++) _mag[k] = MathF.Sqrt(_re[k] * _re[k] + _im[k] * _im[k]);
        return (float)Math.Sqrt(e / _frameLength);
    }

    /// <summary>Gaussian window exp(−½((i − (N−1)/2) / (σ(N−1)/2))²).</summary>
    public static float[] Gaussian(int n, double sigma)
    {
        var w = new float[n];
        double half = (n - 1) / 2.0;
        for (int i = 0; i < n; i++)
        {
            double z = (i - half) / (sigma * half);
            w[i] = (float)Math.Exp(-0.5 * z * z);
        }
        return w;
    }
}
