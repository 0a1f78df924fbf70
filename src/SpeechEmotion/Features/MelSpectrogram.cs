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
        var padded = stftProc.Prepare(y);
        var frames = stftProc.FramesOf(padded.Length);
        var result = new float[frames * fb.Mels];
        Fill(stftProc, fb, padded, frames, power, result);
        return result;
    }

    internal static void CheckAgreement(int sampleRate, StftOptions stft, MelOptions mel)
    {
        var p = new Problems();
        p.Require(mel.SampleRate == sampleRate, $"mel filters are for {mel.SampleRate} Hz but the signal is {sampleRate} Hz");
        p.Require(mel.NFft == stft.NFft, $"mel filters are for n_fft={mel.NFft} but the STFT uses {stft.NFft}");
        p.ThrowIfAny("mel spectrogram");
    }

    /// <summary>Fills [frames, mels] for an already padded signal; no allocation per frame.</summary>
    internal static void Fill(Stft stft, MelFilterbank fb, ReadOnlySpan<float> padded, int frames, double power, Span<float> dst)
    {
        var bins = stft.Options.Bins;
        var re = new float[bins]; var im = new float[bins]; var spec = new float[bins];
        var mels = fb.Mels;
        for (var t = 0; t < frames; t++)
        {
            stft.Frame(padded, t, re, im);
            Spectra.Power(re, im, spec);
            if (power == 1.0) System.Numerics.Tensors.TensorPrimitives.Sqrt(spec, spec);
            else if (power != 2.0) Spectra.Pow(spec, (float)(power / 2), spec);
            fb.Apply(spec, dst.Slice(t * mels, mels));
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
        var logMel = Compute(y, sampleRate, stft, mel);
        Decibels.PowerToDb(logMel, 1.0, 1e-10, topDb);
        return MfccFromLogMel(logMel, mel.NMels, nMfcc, dctType, norm, lifter);
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
        float[]? lift = null;
        if (lifter > 0)
        {
            lift = new float[nMfcc];
            for (var i = 0; i < nMfcc; i++) lift[i] = (float)(1 + lifter / 2 * Math.Sin(Math.PI * (i + 1) / lifter));
        }
        for (var t = 0; t < frames; t++)
        {
            var dst = result.AsSpan(t * nMfcc, nMfcc);
            dct.Apply(logMel.Slice(t * nMels, nMels), dst);
            if (lift is not null) System.Numerics.Tensors.TensorPrimitives.Multiply(dst, lift, dst);
        }
        return result;
    }
}
