using System.Buffers.Binary;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Inference;

/// <summary>Options of <see cref="StreamingRecognizer"/>. Immutable; validated when the recognizer is built.</summary>
public sealed record StreamingOptions
{
    /// <summary>Rate (Hz) of the pushed PCM; resampled to the model's rate when different. Default 16,000.</summary>
    public int InputSampleRate { get; init; } = 16_000;

    /// <summary>Audio (s) each rolling prediction looks back over; default 3.</summary>
    public double WindowSeconds { get; init; } = 3;

    /// <summary>A prediction is made every this many seconds of audio; default 0.5.</summary>
    public double HopSeconds { get; init; } = 0.5;

    /// <summary>No prediction until this much audio (s) has arrived; default 1.</summary>
    public double MinSeconds { get; init; } = 1;

    /// <summary>Exponential smoothing of probabilities across hops (0 = none, 0.9 = heavy); default 0.5.</summary>
    public double Smoothing { get; init; } = 0.5;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(InputSampleRate is >= 1000 and <= 768_000, $"InputSampleRate {InputSampleRate} must be in 1000..768000 Hz")
        .Require(WindowSeconds is >= 0.2 and <= 60, $"WindowSeconds {WindowSeconds} must be in 0.2..60")
        .Require(HopSeconds > 0 && HopSeconds <= WindowSeconds, $"HopSeconds {HopSeconds} must be in (0, WindowSeconds]")
        .Require(MinSeconds > 0 && MinSeconds <= WindowSeconds, $"MinSeconds {MinSeconds} must be in (0, WindowSeconds]")
        .Require(Smoothing is >= 0 and < 1, $"Smoothing {Smoothing} must be in [0, 1)")
        .ThrowIfAny(nameof(StreamingOptions));
}

/// <summary>A rolling result.</summary>
/// <param name="Start">Start of the analysed window (s since the stream began).</param>
/// <param name="End">End of the window = the stream time of the newest sample used (s).</param>
/// <param name="Prediction">The window's prediction with smoothed probabilities; null when the window was silent.</param>
/// <param name="ProcessingMilliseconds">Time spent computing this result after its last sample arrived (ms).</param>
public sealed record StreamingResult(double Start, double End, EmotionPrediction? Prediction, double ProcessingMilliseconds)
{
    /// <summary>True when the window held no speech-level audio.</summary>
    public bool Silent => Prediction is null;
}

/// <summary>
/// Live recognition: push PCM chunks of any size as they arrive; every <see cref="StreamingOptions.HopSeconds"/>
/// of audio a prediction over the last <see cref="StreamingOptions.WindowSeconds"/> is returned with its stream
/// timestamps. Memory is bounded by the window (a ring buffer). Not thread-safe: one instance per stream
/// (many streams may share one <see cref="EmotionRecognizer"/>).
/// </summary>
public sealed class StreamingRecognizer
{
    private readonly EmotionRecognizer _recognizer;
    private readonly StreamingResampler? _resampler;
    private readonly float[] _ring, _window, _scratch;
    private float[] _resampled = [];
    private float[]? _smoothed;
    private readonly int _hop, _min;
    private long _total, _nextEmit;
    private int _head;
    private byte _carry;
    private bool _hasCarry;

    /// <summary>Creates a stream over <paramref name="recognizer"/>.</summary>
    public StreamingRecognizer(EmotionRecognizer recognizer, StreamingOptions? options = null)
    {
        _recognizer = recognizer;
        Options = options ?? new StreamingOptions();
        Options.Validate();
        int sr = recognizer.SampleRate;
        if (Options.InputSampleRate != sr) _resampler = new StreamingResampler(Options.InputSampleRate, sr);
        _ring = new float[(int)Math.Round(Options.WindowSeconds * sr)];
        _window = new float[_ring.Length];
        _scratch = new float[4096];
        _hop = Math.Max(1, (int)Math.Round(Options.HopSeconds * sr));
        _min = Math.Max(1, (int)Math.Round(Options.MinSeconds * sr));
        _nextEmit = Math.Max(_min, _hop);
    }

    /// <summary>Options in effect.</summary>
    public StreamingOptions Options { get; }

    /// <summary>Seconds of audio received so far (at the model rate).</summary>
    public double Seconds => _total / (double)_recognizer.SampleRate;

    /// <summary>Pushes mono float samples in [-1, 1] at <see cref="StreamingOptions.InputSampleRate"/>; returns the results completed by them (often none).</summary>
    public IReadOnlyList<StreamingResult> Push(ReadOnlySpan<float> samples)
    {
        if (_resampler is null) return Append(samples);
        int need = _resampler.MaxOutputLength(samples.Length);
        if (_resampled.Length < need) _resampled = new float[Math.Max(need, 1024)];
        int n = _resampler.Process(samples, _resampled);
        return Append(_resampled.AsSpan(0, n));
    }

    /// <summary>Ends the stream: releases the samples a resampler still holds back (its filter delay) and returns the
    /// results they complete. Call once when the input ends.</summary>
    public IReadOnlyList<StreamingResult> Flush()
    {
        if (_resampler is null) return [];
        var tail = new float[_resampler.MaxOutputLength(2 * _resampler.FilterLength + 64)];
        int n = _resampler.Flush(tail);
        return Append(tail.AsSpan(0, n));
    }

    /// <summary>Pushes raw signed 16-bit little-endian mono PCM bytes (a chunk may end mid-sample).</summary>
    public IReadOnlyList<StreamingResult> PushPcm16(ReadOnlySpan<byte> bytes)
    {
        List<StreamingResult>? all = null;
        while (!bytes.IsEmpty || _hasCarry)
        {
            int count = 0;
            if (_hasCarry)
            {
                if (bytes.IsEmpty) break;
                _scratch[count++] = (short)(_carry | bytes[0] << 8) / 32768f;
                bytes = bytes[1..];
                _hasCarry = false;
            }
            int take = Math.Min((_scratch.Length - count) * 2, bytes.Length & ~1);
            for (int i = 0; i < take; i += 2) _scratch[count++] = BinaryPrimitives.ReadInt16LittleEndian(bytes[i..]) / 32768f;
            bytes = bytes[take..];
            if (bytes.Length == 1) { _carry = bytes[0]; _hasCarry = true; bytes = default; }
            var r = Push(_scratch.AsSpan(0, count));
            if (r.Count > 0) (all ??= []).AddRange(r);
            if (bytes.IsEmpty) break;
        }
        return all ?? (IReadOnlyList<StreamingResult>)[];
    }

    private IReadOnlyList<StreamingResult> Append(ReadOnlySpan<float> samples)
    {
        List<StreamingResult>? results = null;
        while (!samples.IsEmpty)
        {
            // Feed up to the next emission point so each result ends exactly on a hop boundary.
            int take = (int)Math.Min(samples.Length, _nextEmit - _total);
            Write(samples[..take]);
            samples = samples[take..];
            if (_total == _nextEmit)
            {
                (results ??= []).Add(Emit());
                _nextEmit += _hop;
            }
        }
        return results ?? (IReadOnlyList<StreamingResult>)[];
    }

    private void Write(ReadOnlySpan<float> s)
    {
        while (!s.IsEmpty)
        {
            int n = Math.Min(s.Length, _ring.Length - _head);
            s[..n].CopyTo(_ring.AsSpan(_head));
            _head = (_head + n) % _ring.Length;
            _total += n;
            s = s[n..];
        }
    }

    private StreamingResult Emit()
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        int sr = _recognizer.SampleRate;
        int len = (int)Math.Min(_total, _ring.Length);
        // Unroll the ring: oldest sample first.
        int start = (_head - len + _ring.Length) % _ring.Length;
        int first = Math.Min(len, _ring.Length - start);
        _ring.AsSpan(start, first).CopyTo(_window);
        _ring.AsSpan(0, len - first).CopyTo(_window.AsSpan(first));
        double end = _total / (double)sr, begin = end - len / (double)sr;
        EmotionPrediction? p;
        try
        {
            var f = _recognizer.Extract(_window.AsSpan(0, len), $"stream @ {end:F2} s");
            p = _recognizer.Classify([f], [len / (double)sr])[0];
            if (Options.Smoothing > 0)
            {
                float a = (float)Options.Smoothing;
                if (_smoothed is null) _smoothed = (float[])p.Probabilities.Clone();
                else for (int k = 0; k < _smoothed.Length; k++) _smoothed[k] = a * _smoothed[k] + (1 - a) * p.Probabilities[k];
                var probs = (float[])_smoothed.Clone();
                int best = 0;
                for (int k = 1; k < probs.Length; k++) if (probs[k] > probs[best]) best = k;
                p = p with { Probabilities = probs, Index = best, Label = p.Labels[best], Confidence = probs[best] };
            }
        }
        catch (InferenceInputException) { p = null; }
        double ms = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return new StreamingResult(begin, end, p, ms);
    }
}
