using System.Numerics;
using System.Numerics.Tensors;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// The 60 ms Gaussian-windowed (σ = 0.4) frames of eGeMAPS' voice analysis: magnitude spectrum
/// (zero-padded FFT), windowed RMS energy and SHS pitch candidates. Frames go through the batched FFT
/// (one frame per SIMD lane) where the machine supports it. One instance per thread.
/// </summary>
internal sealed class LongFrameAnalyzer
{
    private readonly int _frameLength, _nfft, _bins;
    private readonly float[] _window, _frame, _re, _im, _mag;
    private readonly RealFft _fft;
    private readonly BatchRealFft? _batch;
    private readonly float[] _stage = [], _ones = [];
    private readonly Vector<float>[] _power = [];

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
        if (BatchRealFft.Supports(_nfft))
        {
            _batch = new BatchRealFft(_nfft);
            _stage = new float[BatchRealFft.Lanes * _nfft];
            _ones = new float[_nfft];
            _ones.AsSpan().Fill(1f);
            _power = new Vector<float>[_bins];
        }
    }

    /// <summary>Frames per <see cref="AnalyzeFrames"/> batch.</summary>
    public int BatchSize => _batch is null ? 1 : BatchRealFft.Lanes;

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

    /// <summary>
    /// Analyses up to <see cref="BatchSize"/> frames at once: frame f starts at sample
    /// <paramref name="starts"/>[f]; writes its magnitude spectrum to <paramref name="magnitudes"/>[f·Bins ..]
    /// and the RMS of the windowed frame to <paramref name="rms"/>[f]. Same values as <see cref="Analyze"/> to float rounding.
    /// </summary>
    public void AnalyzeFrames(ReadOnlySpan<float> samples, ReadOnlySpan<int> starts, Span<float> magnitudes, Span<float> rms)
    {
        int count = starts.Length;
        if (_batch is null)
        {
            for (int f = 0; f < count; f++)
            {
                rms[f] = Analyze(samples.Slice(starts[f], _frameLength));
                _mag.CopyTo(magnitudes.Slice(f * _bins, _bins));
            }
            return;
        }
        if (count > BatchRealFft.Lanes) throw new ArgumentOutOfRangeException(nameof(starts), "More frames than SIMD lanes.");
        int n = _nfft, L = _frameLength;
        for (int f = 0; f < count; f++)
        {
            var row = _stage.AsSpan(f * n, n);
            TensorPrimitives.Multiply(samples.Slice(starts[f], L), _window, row[..L]);
            row[L..].Clear();
            rms[f] = MathF.Sqrt(TensorPrimitives.SumOfSquares(row[..L]) / L);
        }
        if (_batch.CanTranspose)
        {
            _stage.AsSpan(count * n).Clear();
            _batch.LoadTransposed(_stage);
        }
        else
        {
            for (int f = 0; f < count; f++) _batch.LoadLane(f, _stage.AsSpan(f * n, n), _ones);
            _batch.ClearLanes(count);
        }
        _batch.Power(_power);
        int bins = _bins;
        Span<float> lane = stackalloc float[Vector<float>.Count];
        for (int k = 0; k < bins; k++)
        {
            Vector.SquareRoot(_power[k]).CopyTo(lane);
            for (int f = 0; f < count; f++) magnitudes[f * bins + k] = lane[f];
        }
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
