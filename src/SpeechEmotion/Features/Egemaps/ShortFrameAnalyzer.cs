using System.Numerics.Tensors;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Per-frame analysis of the 20 ms Hamming-windowed frames (zero-padded FFT): loudness, alpha ratio,
/// Hammarberg index, spectral slopes, flux, MFCC 1–4 and the frame energy. Holds scratch buffers and the
/// previous spectrum for the flux: one instance per thread and per signal.
/// </summary>
internal sealed class ShortFrameAnalyzer
{
    private readonly int _frameLength, _nfft, _bins, _fluxBins;
    private readonly double _binHz;
    private readonly float[] _window, _frame, _re, _im, _mag, _power, _logPower, _prevMag, _bands, _scratch, _eql;
    private readonly RealFft _fft;
    private readonly MelBands _mel;
    private readonly float[] _mfccTable;
    private readonly int _logBins;
    private bool _hasPrevious;

    public ShortFrameAnalyzer(int sampleRate)
    {
        _frameLength = (int)Math.Round(0.020 * sampleRate);
        _nfft = 1;
        while (_nfft < _frameLength) _nfft <<= 1;
        _bins = _nfft / 2 + 1;
        _binHz = (double)sampleRate / _nfft;
        _window = new float[_frameLength];
        for (int i = 0; i < _frameLength; i++) _window[i] = (float)(0.54 - 0.46 * Math.Cos(2 * Math.PI * i / (_frameLength - 1)));
        _frame = new float[_nfft];
        _re = new float[_bins]; _im = new float[_bins];
        _mag = new float[_bins]; _power = new float[_bins]; _logPower = new float[_bins]; _prevMag = new float[_bins];
        _fft = new RealFft(_nfft);
        _mel = new MelBands(26, _bins, _binHz, 20, Math.Min(8000, sampleRate / 2.0));
        _bands = new float[26]; _scratch = new float[26];
        _eql = new float[26];
        for (int i = 0; i < 26; i++) _eql[i] = (float)AuditoryDescriptors.EqualLoudnessWeight(_mel.CenterHz[i]);
        // Flux covers 0 Hz up to the last bin below 5 kHz.
        int upper = 0;
        for (int k = 0; k < _bins; k++) if (k * _binHz < 5000.0) upper = k;
        _fluxBins = upper + 1;
        _mfccTable = AuditoryDescriptors.MfccTable(26, 1, 4, 22.0);
        // Only the slope bands (up to 1.5 kHz, plus one bin) need the dB spectrum.
        _logBins = Math.Min(_bins, (int)Math.Ceiling(1500.0 / _binHz) + 2);
    }

    public int FrameLength => _frameLength;

    /// <summary>Real and imaginary FFT of the last analysed frame (for the formant analysis).</summary>
    public ReadOnlySpan<float> Re => _re;
    /// <summary>Imaginary part of the last FFT.</summary>
    public ReadOnlySpan<float> Im => _im;
    public int FftLength => _nfft;

    public void Reset() => _hasPrevious = false;

    /// <summary>Analyses one frame: writes LLD columns 0–9 into <paramref name="row"/>, returns the mean square of the unwindowed frame.</summary>
    public float Analyze(ReadOnlySpan<float> samples, Span<float> row)
    {
        // The frame sits in the middle of the zero-padded FFT buffer (the reference's symmetric padding):
        // magnitudes do not change, but the phases the formant analysis resamples from do.
        int offset = (_nfft - _frameLength) / 2;
        int L = Math.Min(_frameLength, samples.Length);
        var x = samples[..L];
        float energy = TensorPrimitives.SumOfSquares(x);
        var frame = _frame.AsSpan();
        frame[..offset].Clear();
        TensorPrimitives.Multiply(x, _window.AsSpan(0, L), frame.Slice(offset, L));
        frame[(offset + L)..].Clear();
        _fft.Forward(_frame, _re, _im);
        TensorPrimitives.Multiply(_re, _re, _power);
        TensorPrimitives.MultiplyAdd(_im, _im, _power, _power);
        TensorPrimitives.Sqrt(_power.AsSpan(0, _fluxBins), _mag);
        var logPower = _logPower.AsSpan(0, _logBins);
        TensorPrimitives.Log10(_power.AsSpan(0, _logBins), logPower);
        TensorPrimitives.Multiply(logPower, 10f, logPower);
        for (int k = 0; k < logPower.Length; k++) if (_power[k] <= 1e-10f) logPower[k] = -100f;
        _mel.Apply(_power, _bands);
        row[EgemapsLld.Loudness] = AuditoryDescriptors.Loudness(_bands, _eql, _scratch);
        row[EgemapsLld.AlphaRatio] = SpectralDescriptors.AlphaRatio(_power, _binHz);
        row[EgemapsLld.Hammarberg] = SpectralDescriptors.Hammarberg(_power, _binHz);
        row[EgemapsLld.Slope0To500] = SpectralDescriptors.Slope(_logPower.AsSpan(0, _logBins), _binHz, 0, 500);
        row[EgemapsLld.Slope500To1500] = SpectralDescriptors.Slope(_logPower.AsSpan(0, _logBins), _binHz, 500, 1500);
        row[EgemapsLld.Flux] = _hasPrevious ? SpectralDescriptors.Flux(_mag.AsSpan(0, _fluxBins), _prevMag.AsSpan(0, _fluxBins)) : 0f;
        _mag.AsSpan(0, _fluxBins).CopyTo(_prevMag);
        _hasPrevious = true;
        AuditoryDescriptors.Mfcc(_bands, _mfccTable, _scratch, row.Slice(EgemapsLld.Mfcc1, 4));
        return energy / _frameLength;
    }
}
