using System.Numerics.Tensors;

namespace SpeechEmotion.Dsp;

/// <summary>
/// Short-time Fourier transform with librosa 0.10 semantics: the signal is optionally padded by
/// NFft/2 on both sides (<see cref="StftOptions.Center"/>), frame t starts at t·hop in the padded
/// signal, is multiplied by the periodic window (WinLength samples centred in NFft) and transformed
/// by a one-sided unnormalised FFT. Outputs are row-major [frames, bins] — the transpose of
/// librosa's [bins, frames]. An instance holds scratch buffers: not thread-safe (the static helpers
/// create one per call).
/// </summary>
public sealed class Stft
{
    // numpy's tiny(float32): librosa divides only where the window sum exceeds it
    private const double TinyFloat = 1.1754943508222875e-38;

    private readonly RealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frame;
    private readonly int _hop, _nFft;
    private readonly RealFft64? _fft64;
    private readonly double[] _window64 = [], _frame64 = [], _re64 = [], _im64 = [];

    /// <summary>Creates a processor; <paramref name="options"/> is validated.</summary>
    public Stft(StftOptions options)
    {
        Options = options.Validate();
        _nFft = options.NFft;
        _hop = options.EffectiveHopLength;
        _fft = new RealFft(_nFft);
        _window = Windows.CreatePadded(options.Window, options.EffectiveWinLength, _nFft);
        _frame = new float[_nFft];
        if (options.DoublePrecision)
        {
            _fft64 = new RealFft64(_nFft);
            _window64 = Windows.CreatePadded64(options.Window, options.EffectiveWinLength, _nFft);
            _frame64 = new double[_nFft];
            _re64 = new double[options.Bins];
            _im64 = new double[options.Bins];
        }
    }

    /// <summary>The validated options.</summary>
    public StftOptions Options { get; }

    private BatchRealFft? _batch;
    private bool _batchChecked;

    /// <summary>The multi-frame FFT when this configuration can use it (float precision, radix 2/3/4/5), else null.</summary>
    internal BatchRealFft? Batch
    {
        get
        {
            if (!_batchChecked)
            {
                _batchChecked = true;
                if (!Options.DoublePrecision && BatchRealFft.Supports(_nFft)) _batch = new BatchRealFft(_nFft);
            }
            return _batch;
        }
    }

    /// <summary>|X|² of frames t0 .. t0+count-1 (count ≤ lanes), one vector per bin, lane = frame.</summary>
    internal void PowerBatch(ReadOnlySpan<float> y, int t0, int count, Span<System.Numerics.Vector<float>> power, Span<float> scratch)
    {
        var b = Batch ?? throw new InvalidOperationException("No batched FFT for this configuration.");
        for (var f = 0; f < count; f++) b.LoadLane(f, FrameSamples(y, t0 + f, scratch), _window);
        b.ClearLanes(count);
        b.Power(power);
    }

    /// <summary>The window zero-padded to NFft.</summary>
    public ReadOnlySpan<float> Window => _window;

    /// <summary>
    /// Pads <paramref name="y"/> for analysis (center padding when enabled) after validating it;
    /// throws <see cref="InvalidSignalException"/> when no frame fits.
    /// </summary>
    public float[] Prepare(ReadOnlySpan<float> y)
    {
        Signals.Validate(y);
        var frames = Options.FrameCount(y.Length);
        if (frames < 1)
            throw new InvalidSignalException($"Signal of {y.Length} samples is too short for NFft={_nFft} without centring.");
        var pad = Options.Center ? _nFft / 2 : 0;
        return Signals.Pad(y, pad, pad, Options.PadMode);
    }

    /// <summary>Validates <paramref name="y"/> and returns its frame count (throws when no frame fits).</summary>
    internal int CheckedFrames(ReadOnlySpan<float> y)
    {
        Signals.Validate(y);
        var frames = Options.FrameCount(y.Length);
        if (frames < 1)
            throw new InvalidSignalException($"Signal of {y.Length} samples is too short for NFft={_nFft} without centring.");
        return frames;
    }

    /// <summary>
    /// The NFft samples of frame <paramref name="t"/> of the (virtually) padded signal: a slice of
    /// <paramref name="y"/> when the frame lies inside it, else <paramref name="scratch"/> filled with
    /// the padded samples — so no padded copy of the whole signal is made.
    /// </summary>
    internal ReadOnlySpan<float> FrameSamples(ReadOnlySpan<float> y, int t, Span<float> scratch)
    {
        var start = t * _hop - (Options.Center ? _nFft / 2 : 0);
        if (start >= 0 && start + _nFft <= y.Length) return y.Slice(start, _nFft);
        for (var i = 0; i < _nFft; i++)
        {
            var src = Signals.Source(start + i, y.Length, Options.PadMode);
            scratch[i] = src < 0 ? 0f : y[src];
        }
        return scratch[.._nFft];
    }

    /// <summary>Transforms frame <paramref name="t"/> of the unpadded signal <paramref name="y"/>.</summary>
    internal void FrameOf(ReadOnlySpan<float> y, int t, Span<float> re, Span<float> im, Span<float> scratch) =>
        FrameFromSamples(FrameSamples(y, t, scratch), re, im);

    private void FrameFromSamples(ReadOnlySpan<float> samples, Span<float> re, Span<float> im)
    {
        if (_fft64 is not null)
        {
            for (var i = 0; i < _nFft; i++) _frame64[i] = _window64[i] * samples[i];
            _fft64.Forward(_frame64, _re64, _im64);
            for (var k = 0; k < _re64.Length; k++) { re[k] = (float)_re64[k]; im[k] = (float)_im64[k]; }
            return;
        }
        TensorPrimitives.Multiply(samples, _window, _frame);
        _fft.Forward(_frame, re, im);
    }

    /// <summary>Number of frames of a padded signal from <see cref="Prepare"/>.</summary>
    public int FramesOf(int paddedLength) => paddedLength < _nFft ? 0 : 1 + (paddedLength - _nFft) / _hop;

    /// <summary>Transforms frame <paramref name="t"/> of a padded signal into NFft/2+1 bins.</summary>
    public void Frame(ReadOnlySpan<float> padded, int t, Span<float> re, Span<float> im) =>
        FrameFromSamples(padded.Slice(t * _hop, _nFft), re, im);

    /// <summary>The complex STFT of <paramref name="y"/>.</summary>
    public ComplexSpectrogram Complex(ReadOnlySpan<float> y)
    {
        int frames = CheckedFrames(y), bins = Options.Bins;
        var re = new float[frames * bins]; var im = new float[frames * bins];
        var scratch = new float[_nFft];
        for (var t = 0; t < frames; t++) FrameOf(y, t, re.AsSpan(t * bins, bins), im.AsSpan(t * bins, bins), scratch);
        return new ComplexSpectrogram(frames, bins, re, im);
    }

    /// <summary>
    /// |STFT|^<paramref name="power"/> of <paramref name="y"/>: power 1 is the magnitude, 2 the power
    /// spectrogram (librosa's <c>np.abs(stft)**power</c>).
    /// </summary>
    public Spectrogram Spectrogram(ReadOnlySpan<float> y, double power = 1.0)
    {
        if (!(power > 0) || double.IsInfinity(power))
            throw new InvalidOptionsException("spectrogram", [$"power must be positive and finite (got {power})"]);
        int frames = CheckedFrames(y), bins = Options.Bins;
        var data = new float[frames * bins];
        var re = new float[bins]; var im = new float[bins];
        var scratch = new float[_nFft];
        for (var t = 0; t < frames; t++)
        {
            FrameOf(y, t, re, im, scratch);
            var row = data.AsSpan(t * bins, bins);
            Spectra.Power(re, im, row);
            if (power == 1.0) TensorPrimitives.Sqrt(row, row);
            else if (power != 2.0) Spectra.Pow(row, (float)(power / 2), row);
        }
        return new Spectrogram(frames, bins, data);
    }

    /// <summary>Magnitude spectrogram |STFT|, [frames, NFft/2+1].</summary>
    public static Spectrogram Magnitude(ReadOnlySpan<float> y, StftOptions options) => new Stft(options).Spectrogram(y, 1.0);

    /// <summary>Power spectrogram |STFT|², [frames, NFft/2+1].</summary>
    public static Spectrogram Power(ReadOnlySpan<float> y, StftOptions options) => new Stft(options).Spectrogram(y, 2.0);

    /// <summary>Complex STFT, [frames, NFft/2+1].</summary>
    public static ComplexSpectrogram Forward(ReadOnlySpan<float> y, StftOptions options) => new Stft(options).Complex(y);

    /// <summary>
    /// Inverse STFT by weighted overlap-add, as <c>librosa.istft</c>: each frame is inverse-transformed,
    /// multiplied by the window and overlap-added; the sum is divided by the overlap-added squared
    /// window where that exceeds float's smallest normal; centre padding is removed. With
    /// <paramref name="length"/> the output is cut or zero-padded to exactly that many samples.
    /// </summary>
    public static float[] Inverse(ComplexSpectrogram stft, StftOptions options, int? length = null)
    {
        options.Validate();
        if (stft.Bins != options.Bins)
            throw new InvalidOptionsException(nameof(StftOptions), [$"the spectrogram has {stft.Bins} bins but NFft={options.NFft} needs {options.Bins}"]);
        if (length is < 0)
            throw new InvalidOptionsException("istft", [$"length must not be negative (got {length})"]);
        int nFft = options.NFft, hop = options.EffectiveHopLength, bins = stft.Bins;
        var start = options.Center ? nFft / 2 : 0;
        var nFrames = stft.Frames;
        if (length is int len0)
        {
            var paddedLength = options.Center ? len0 + 2 * (nFft / 2) : len0;
            nFrames = Math.Min(nFrames, (int)Math.Ceiling(paddedLength / (double)hop));
        }
        var total = nFrames == 0 ? 0 : nFft + hop * (nFrames - 1);
        var y = new double[total];
        var wss = new double[total];
        var window = Windows.CreatePadded(options.Window, options.EffectiveWinLength, nFft);
        var fft = new RealFft(nFft);
        var buf = new float[nFft];
        for (var t = 0; t < nFrames; t++)
        {
            fft.Inverse(stft.Re.AsSpan(t * bins, bins), stft.Im.AsSpan(t * bins, bins), buf);
            var o = t * hop;
            for (var i = 0; i < nFft; i++)
            {
                y[o + i] += window[i] * buf[i];
                wss[o + i] += (double)window[i] * window[i];
            }
        }
        var outLength = length ?? Math.Max(0, options.Center ? total - 2 * (nFft / 2) : total);
        var result = new float[outLength];
        for (var i = 0; i < outLength; i++)
        {
            var j = start + i;
            if (j >= total) break;
            var v = y[j];
            if (wss[j] > TinyFloat) v /= wss[j];
            result[i] = (float)v;
        }
        return result;
    }
}
