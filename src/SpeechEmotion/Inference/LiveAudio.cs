using System.Buffers.Binary;
using System.Text;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Inference;

/// <summary>
/// Feeds a live byte stream (stdin from <c>arecord</c>, a socket) into a <see cref="StreamingRecognizer"/> as the
/// bytes arrive: raw signed 16-bit little-endian PCM, or a WAV stream (16-bit PCM, header sniffed; a streamed data
/// size of 0 or 0xFFFFFFFF means "until the end"). Each read returns whatever the pipe holds, so results come out
/// one hop after their audio, not at the end of the stream.
/// </summary>
public static class LiveAudio
{
    /// <summary>Reads <paramref name="input"/> to its end (or cancellation), calling <paramref name="onResult"/> for every rolling result.</summary>
    /// <param name="input">The stream (not disposed).</param>
    /// <param name="recognizer">The model.</param>
    /// <param name="options">Window/hop/smoothing; <see cref="StreamingOptions.InputSampleRate"/> is the raw PCM rate (a WAV header overrides it).</param>
    /// <param name="channels">Interleaved channels of raw PCM (averaged); a WAV header overrides it.</param>
    /// <param name="onResult">Called for each result, on the reading thread.</param>
    /// <param name="cancel">Stops reading.</param>
    /// <returns>Seconds of audio processed.</returns>
    /// <exception cref="AudioFormatException">A WAV header that is not 16-bit PCM, or is malformed.</exception>
    public static double Run(Stream input, EmotionRecognizer recognizer, StreamingOptions options, int channels, Action<StreamingResult> onResult, CancellationToken cancel = default)
    {
        new Problems().Require(channels is >= 1 and <= 64, $"channels {channels} must be in 1..64").ThrowIfAny("live audio");
        var buffer = new byte[8192];
        int filled = ReadSome(input, buffer, 0, 12);
        int offset = 0;
        if (filled >= 12 && Encoding.ASCII.GetString(buffer, 0, 4) is "RIFF" or "RF64" && Encoding.ASCII.GetString(buffer, 8, 4) == "WAVE")
        {
            (options, channels, offset, filled) = ReadWavHeader(input, buffer, filled, options);
        }
        var stream = new StreamingRecognizer(recognizer, options);
        int frameBytes = 2 * channels;
        var mono = new float[buffer.Length / 2];
        int pending = filled - offset;
        Buffer.BlockCopy(buffer, offset, buffer, 0, pending);
        while (!cancel.IsCancellationRequested)
        {
            int frames = pending / frameBytes;
            if (frames > 0)
            {
                if (channels == 1) Emit(stream.PushPcm16(buffer.AsSpan(0, frames * 2)), onResult);
                else
                {
                    for (int f = 0; f < frames; f++)
                    {
                        int sum = 0;
                        for (int c = 0; c < channels; c++) sum += BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan((f * channels + c) * 2));
                        mono[f] = sum / (32768f * channels);
                    }
                    Emit(stream.Push(mono.AsSpan(0, frames)), onResult);
                }
                int used = frames * frameBytes;
                Buffer.BlockCopy(buffer, used, buffer, 0, pending - used);
                pending -= used;
            }
            int n = input.Read(buffer, pending, buffer.Length - pending);
            if (n <= 0) break;
            pending += n;
        }
        if (!cancel.IsCancellationRequested) Emit(stream.Flush(), onResult);
        return stream.Seconds;
    }

    private static void Emit(IReadOnlyList<StreamingResult> results, Action<StreamingResult> onResult)
    {
        foreach (var r in results) onResult(r);
    }

    private static int ReadSome(Stream s, byte[] buffer, int filled, int atLeast)
    {
        while (filled < atLeast)
        {
            int n = s.Read(buffer, filled, buffer.Length - filled);
            if (n <= 0) break;
            filled += n;
        }
        return filled;
    }

    /// <summary>Walks the chunks up to "data"; returns the options for its rate, its channels, and where the samples start in the buffer.</summary>
    private static (StreamingOptions, int Channels, int Offset, int Filled) ReadWavHeader(Stream input, byte[] buffer, int filled, StreamingOptions options)
    {
        int pos = 12, channels = 0, rate = 0, bits = 0, format = 0;
        while (true)
        {
            filled = ReadSome(input, buffer, filled, pos + 8);
            if (filled < pos + 8) throw new AudioFormatException("stdin: the WAV stream ends inside its header.");
            var id = Encoding.ASCII.GetString(buffer, pos, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(pos + 4));
            if (id == "data")
            {
                if (format == 0) throw new AudioFormatException("stdin: the WAV stream has no fmt chunk before its data.");
                if (bits != 16 || format is not (1 or 0xFFFE))
                    throw new AudioFormatException($"stdin: live WAV input must be 16-bit PCM (got format {format}, {bits} bits); use raw s16le or convert with ffmpeg/sox.");
                return (options with { InputSampleRate = rate }, channels, pos + 8, filled);
            }
            if (size > 4096) throw new AudioFormatException($"stdin: WAV header chunk '{id}' of {size} bytes is too large for a live stream.");
            filled = ReadSome(input, buffer, filled, pos + 8 + (int)size);
            if (filled < pos + 8 + size) throw new AudioFormatException("stdin: the WAV stream ends inside its header.");
            if (id == "fmt " && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 8));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 10));
                rate = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(pos + 12));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 22));
                if (channels < 1 || rate < 1000) throw new AudioFormatException($"stdin: WAV header has {channels} channels at {rate} Hz.");
            }
            pos += 8 + (int)size + (int)(size & 1);
            if (pos + 16 > buffer.Length) throw new AudioFormatException("stdin: the WAV header is too long for a live stream.");
        }
    }
}

/// <summary>Finds the default model: models/default.sermodel next to the executable, else in the nearest
/// enclosing folder (of the executable or the working folder) that has one, as in a source checkout.</summary>
public static class DefaultModel
{
    /// <summary>Relative location of the default model.</summary>
    public const string RelativePath = "models/default.sermodel";

    /// <summary>The default model's path, or null when none is found.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models", "default.sermodel");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary><paramref name="explicitPath"/> when given, else <see cref="Find"/>.</summary>
    /// <exception cref="Models.Packaging.ModelFormatException">No model given and none found.</exception>
    public static string Resolve(string? explicitPath) =>
        explicitPath ?? Find() ?? throw new Models.Packaging.ModelFormatException(
            $"no --model given and no {RelativePath} found next to the executable or in an enclosing folder; pass --model PATH.");
}
