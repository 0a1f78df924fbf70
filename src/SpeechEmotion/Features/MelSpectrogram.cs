using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>
/// Mel spectrograms and MFCCs with librosa's definitions, computed frame by frame without
/// materialising the linear spectrogram (window → FFT → |X|^power → mel filters).
/// </summary>
public static class MelSpectrogram
{
    /// <summary>
    /// librosa.feature.melspectrogram: mel filters applied to |STFT|^<paramref name="power"/>;
    /// returns row-major [frames, NMels]. <paramref name="mel"/>'s SampleRate and NFft must agree with
    /// <paramref name="sampleRate"/> and the STFT.
    /// </summary>
    public static float[] Compute(ReadOnlySpan<float> y, int sampleRate, StftOptions stft, MelOptions mel, double power = 2.0)
    {
        CheckAgreement(sampleRate, stft, mel);
        var stftProc = new Stft(stft);
        var fb = new MelFilterbank(mel);
        var frames = stftProc.CheckedFrames(y);
        var result = new float[frames * fb.Mels];
        Fill(stftProc, fb, y, frames, power, result);
        return result;
    }

    internal static void CheckAgreement(int sampleRate, StftOptions stft, MelOptions mel)
    {
        var p = new Problems();
        p.Require(mel.SampleRate == sampleRate, $"mel filters are for {mel.SampleRate} Hz but the signal is {sampleRate} Hz");
        p.Require(mel.NFft == stft.NFft, $"mel filters are for n_fft={mel.NFft} but the STFT uses {stft.NFft}");
        p.ThrowIfAny("mel spectrogram");
    }

    /// <summary>Fills [frames, mels] from the unpadded, validated signal; no allocation per frame.</summary>
    internal static void Fill(Stft stft, MelFilterbank fb, ReadOnlySpan<float> y, int frames, double power, Span<float> dst)
    {
        if (stft.Batch is not null && (power == 2.0 || power == 1.0))
        {
            FillBatched(stft, fb, y, frames, power, dst);
            return;
        }
        FillPerFrame(stft, fb, y, frames, power, dst);
    }

    /// <summary>One frame at a time (the scalar reference for <see cref="FillBatched"/>).</summary>
    internal static void FillPerFrame(Stft stft, MelFilterbank fb, ReadOnlySpan<float> y, int frames, double power, Span<float> dst)
    {
        var bins = stft.Options.Bins;
        var re = new float[bins]; var im = new float[bins]; var spec = new float[bins];
        var scratch = new float[stft.Options.NFft];
        var mels = fb.Mels;
        for (var t = 0; t < frames; t++)
        {
            stft.FrameOf(y, t, re, im, scratch);
            Spectra.Power(re, im, spec);
            if (power == 1.0) TensorPrimitives.Sqrt(spec, spec);
            else if (power != 2.0) Spectra.Pow(spec, (float)(power / 2), spec);
            fb.Apply(spec, dst.Slice(t * mels, mels));
        }
    }

    /// <summary>SIMD lanes carry frames through FFT, |X|², mel filters; then rows are transposed out.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void FillBatched(Stft stft, MelFilterbank fb, ReadOnlySpan<float> y, int frames, double power, Span<float> dst)
    {
        var lanes = Vector<float>.Count;
        var mels = fb.Mels;
        var mv = new Vector<float>[mels];
        var flat = MemoryMarshal.Cast<Vector<float>, float>(mv.AsSpan());
        var batch = new MelBatch(stft, fb, power);
        for (var t0 = 0; t0 < frames; t0 += lanes)
        {
            var count = Math.Min(lanes, frames - t0);
            batch.Compute(y, t0, count, mv);
            for (var f = 0; f < count; f++)
            {
                var row = dst.Slice((t0 + f) * mels, mels);
                for (var m = 0; m < mels; m++) row[m] = flat[m * lanes + f];
            }
        }
    }

    /// <summary>
    /// MFCCs [frames, nMfcc] of the validated signal: mel power → dB (amin 1e-10, ref 1, then
    /// top_db against the global maximum) → DCT (→ lifter). Batched across frames where possible.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static float[] MfccCore(Stft stft, MelFilterbank fb, Dct dct, float[]? lift, double? topDb, ReadOnlySpan<float> y, int frames)
    {
        int mels = fb.Mels, n = dct.Outputs;
        var result = new float[frames * n];
        if (stft.Batch is null)
        {
            var logMel = new float[frames * mels];
            FillPerFrame(stft, fb, y, frames, 2.0, logMel);
            Decibels.PowerToDb(logMel, 1.0, 1e-10, topDb);
            for (var t = 0; t < frames; t++)
            {
                var dst = result.AsSpan(t * n, n);
                dct.Apply(logMel.AsSpan(t * mels, mels), dst);
                if (lift is not null) TensorPrimitives.Multiply(dst, lift, dst);
            }
            return result;
        }
        var lanes = Vector<float>.Count;
        var batches = (frames + lanes - 1) / lanes;
        // log-mel kept in batch layout [batch][mel] of vectors (lane = frame): no transposes until the end
        // pooled: a fresh large array per call would churn the large-object heap (gen-2 collections)
        var rented = System.Buffers.ArrayPool<float>.Shared.Rent(batches * mels * lanes);
        try
        {
            return MfccBatched(stft, fb, dct, lift, topDb, y, frames, MemoryMarshal.Cast<float, Vector<float>>(rented.AsSpan(0, batches * mels * lanes)), result);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static float[] MfccBatched(Stft stft, MelFilterbank fb, Dct dct, float[]? lift, double? topDb, ReadOnlySpan<float> y, int frames, Span<Vector<float>> store, float[] result)
    {
        int mels = fb.Mels, n = dct.Outputs;
        var lanes = Vector<float>.Count;
        var batches = (frames + lanes - 1) / lanes;
        var mb = new MelBatch(stft, fb, 2.0);
        for (var b = 0; b < batches; b++)
            mb.Compute(y, b * lanes, Math.Min(lanes, frames - b * lanes), store.Slice(b * mels, mels));
        var flatStore = MemoryMarshal.Cast<Vector<float>, float>(store);
        // unused lanes of the last batch hold zero power = -100 dB, never above a real maximum
        Decibels.ToDbNoClip(flatStore, 1.0, 1e-10);
        if (topDb is double td) Decibels.ClipTop(flatStore, td);
        var coef = new Vector<float>[n];
        var flatCoef = MemoryMarshal.Cast<Vector<float>, float>(coef.AsSpan());
        for (var b = 0; b < batches; b++)
        {
            dct.ApplyBatch(store.Slice(b * mels, mels), coef);
            var count = Math.Min(lanes, frames - b * lanes);
            for (var f = 0; f < count; f++)
            {
                var row = result.AsSpan((b * lanes + f) * n, n);
                for (var k = 0; k < n; k++) row[k] = flatCoef[k * lanes + f];
                if (lift is not null) TensorPrimitives.Multiply(row, lift, row);
            }
        }
        return result;
    }

    /// <summary>Mel bands of up to Lanes consecutive frames at once.</summary>
    private sealed class MelBatch(Stft stft, MelFilterbank fb, double power)
    {
        private readonly Vector<float>[] _pw = new Vector<float>[stft.Options.Bins];
        private readonly float[] _scratch = new float[stft.Options.NFft];

        public void Compute(ReadOnlySpan<float> y, int t0, int count, Span<Vector<float>> mel)
        {
            stft.PowerBatch(y, t0, count, _pw, _scratch);
            if (power == 1.0)
                for (var k = 0; k < _pw.Length; k++) _pw[k] = Vector.SquareRoot(_pw[k]);
            fb.ApplyBatch(_pw, mel);
        }
    }

    /// <summary>
    /// librosa.feature.mfcc(y, sr, ...): power_to_db(melspectrogram, ref 1, amin 1e-10,
    /// <paramref name="topDb"/>) → DCT along mel bands → first <paramref name="nMfcc"/> coefficients,
    /// optionally liftered. Returns [frames, nMfcc].
    /// </summary>
    public static float[] Mfcc(ReadOnlySpan<float> y, int sampleRate, StftOptions stft, MelOptions mel, int nMfcc = 20,
        DctType dctType = DctType.Type2, DctNorm norm = DctNorm.Ortho, double lifter = 0, double? topDb = 80.0)
    {
        CheckMfcc(mel.NMels, nMfcc, lifter);
        CheckAgreement(sampleRate, stft, mel);
        var stftProc = new Stft(stft);
        var fb = new MelFilterbank(mel);
        var frames = stftProc.CheckedFrames(y);
        return MfccCore(stftProc, fb, new Dct(mel.NMels, nMfcc, dctType, norm), Lifter(nMfcc, lifter), topDb, y, frames);
    }

    internal static void CheckMfcc(int nMels, int nMfcc, double lifter)
    {
        var p = new Problems();
        p.Require(nMfcc >= 1, $"n_mfcc must be at least 1 (got {nMfcc})");
        p.Require(nMfcc <= nMels, $"n_mfcc ({nMfcc}) must not exceed n_mels ({nMels})");
        p.Require(lifter >= 0 && double.IsFinite(lifter), $"lifter must be non-negative (got {lifter})");
        p.ThrowIfAny("mfcc");
    }

    /// <summary>DCT (and lifter) of a log-mel matrix [frames, nMels] → [frames, nMfcc].</summary>
    public static float[] MfccFromLogMel(ReadOnlySpan<float> logMel, int nMels, int nMfcc, DctType dctType = DctType.Type2,
        DctNorm norm = DctNorm.Ortho, double lifter = 0)
    {
        CheckMfcc(nMels, nMfcc, lifter);
        var frames = logMel.Length / nMels;
        var dct = new Dct(nMels, nMfcc, dctType, norm);
        var result = new float[frames * nMfcc];
        var lift = Lifter(nMfcc, lifter);
        for (var t = 0; t < frames; t++)
        {
            var dst = result.AsSpan(t * nMfcc, nMfcc);
            dct.Apply(logMel.Slice(t * nMels, nMels), dst);
            if (lift is not null) TensorPrimitives.Multiply(dst, lift, dst);
        }
        return result;
    }

    /// <summary>librosa's lifter weights 1 + (L/2)·sin(π(i+1)/L), or null for L = 0.</summary>
    internal static float[]? Lifter(int nMfcc, double lifter)
    {
        if (lifter <= 0) return null;
        var lift = new float[nMfcc];
        for (var i = 0; i < nMfcc; i++) lift[i] = (float)(1 + lifter / 2 * Math.Sin(Math.PI * (i + 1) / lifter));
        return lift;
    }
}
