namespace SpeechEmotion.Audio;

/// <summary>How the samples were stored in the source before decoding to float32.</summary>
public enum AudioEncoding
{
    /// <summary>Linear PCM integers (8-bit unsigned, 16/24/32-bit signed).</summary>
    PcmInteger,
    /// <summary>IEEE 754 floating point (32 or 64 bit).</summary>
    IeeeFloat,
    /// <summary>G.711 mu-law (8 bit, companded).</summary>
    MuLaw,
    /// <summary>G.711 A-law (8 bit, companded).</summary>
    ALaw,
    /// <summary>A compressed codec decoded by ffmpeg (MP3, FLAC, Vorbis, Opus, AAC, ...).</summary>
    Compressed,
}

/// <summary>What the source file was, before decoding.</summary>
/// <param name="Container">Container name: "WAV", "RF64", or ffmpeg's format name (e.g. "mp3", "ogg", "flac").</param>
/// <param name="Encoding">Sample encoding in the source.</param>
/// <param name="Codec">Human-readable codec, e.g. "PCM 16-bit", "IEEE float 32-bit", "mu-law", "mp3".</param>
/// <param name="BitsPerSample">Bits per stored sample (0 when not meaningful, e.g. compressed codecs).</param>
/// <param name="Channels">Channel count in the source (≥ 1).</param>
/// <param name="SampleRate">Sample rate of the source in Hz.</param>
public sealed record AudioSourceFormat(
    string Container, AudioEncoding Encoding, string Codec, int BitsPerSample, int Channels, int SampleRate);

/// <summary>
/// Decoded audio: float32 samples, nominally in [-1, 1] (integer encodings map full scale to ±1;
/// float sources are passed through unchanged apart from rejecting NaN/Inf).
/// </summary>
public sealed class AudioBuffer
{
    /// <summary>Creates a buffer. <paramref name="samples"/> is interleaved when <paramref name="channels"/> &gt; 1.</summary>
    /// <param name="samples">Samples, interleaved by frame when there is more than one channel; length a multiple of <paramref name="channels"/>.</param>
    /// <param name="sampleRate">Sample rate in Hz (&gt; 0).</param>
    /// <param name="source">What the source was before decoding.</param>
    /// <param name="channels">Channels in <paramref name="samples"/> (1 unless channels were kept).</param>
    public AudioBuffer(float[] samples, int sampleRate, AudioSourceFormat source, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (samples.Length % channels != 0)
            throw new ArgumentException($"Sample count {samples.Length} is not a multiple of the channel count {channels}.", nameof(samples));
        Samples = samples;
        SampleRate = sampleRate;
        Source = source;
        Channels = channels;
    }

    /// <summary>Samples (mono unless channels were kept; then interleaved by frame).</summary>
    public float[] Samples { get; }

    /// <summary>Sample rate of <see cref="Samples"/> in Hz (the target rate when resampling was asked for).</summary>
    public int SampleRate { get; }

    /// <summary>Channels interleaved in <see cref="Samples"/> (1 after mixdown or picking a channel).</summary>
    public int Channels { get; }

    /// <summary>What the source was before decoding.</summary>
    public AudioSourceFormat Source { get; }

    /// <summary>Number of frames (samples per channel).</summary>
    public int Frames => Samples.Length / Channels;

    /// <summary>Duration in seconds: <see cref="Frames"/> / <see cref="SampleRate"/>.</summary>
    public double Duration => (double)Frames / SampleRate;
}
