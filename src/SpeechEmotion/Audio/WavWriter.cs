using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SpeechEmotion.Audio;

/// <summary>Sample format written by <see cref="WavWriter"/>.</summary>
public enum WavSampleFormat
{
    /// <summary>16-bit signed PCM; samples are clipped to [-1, 1] and rounded to the nearest step of 1/32768.</summary>
    Pcm16,
    /// <summary>32-bit IEEE float, written unchanged.</summary>
    Float32,
}

/// <summary>Writes mono or interleaved multichannel WAV files atomically (temporary file, then rename).</summary>
public static class WavWriter
{
    /// <summary>Writes <paramref name="samples"/> to <paramref name="path"/>; a reader never sees a half-written file.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="samples">Samples, interleaved by frame when <paramref name="channels"/> &gt; 1; must be finite.</param>
    /// <param name="sampleRate">Sample rate in Hz (1,000–768,000).</param>
    /// <param name="format">16-bit PCM or 32-bit float.</param>
    /// <param name="channels">Channel count (1–65,535); the sample count must be a multiple of it.</param>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(file, samples, sampleRate, format, channels, path);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException e)
        {
            TryDelete(temp);
            throw new AudioFormatException($"{path}: cannot write: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            TryDelete(temp);
            throw new AudioFormatException($"{path}: cannot write: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes a complete WAV file to <paramref name="stream"/> (not disposed).</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format, int channels = 1, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (sampleRate < WavFormat.MinSampleRate || sampleRate > WavFormat.MaxSampleRate)
            throw new AudioFormatException($"{name}: sample rate {sampleRate} Hz is outside {WavFormat.MinSampleRate}–{WavFormat.MaxSampleRate} Hz.");
        if (channels < 1 || channels > ushort.MaxValue)
            throw new AudioFormatException($"{name}: channel count {channels} is outside 1–65535.");
        if (samples.Length % channels != 0)
            throw new AudioFormatException($"{name}: {samples.Length} samples do not divide into {channels} channels.");
        if (SampleDecoder.FirstNonFinite(samples) is var bad and >= 0)
            throw new AudioFormatException($"{name}: sample {bad} is {samples[bad]}; only finite samples can be written.");
        if (!Enum.IsDefined(format)) throw new ArgumentOutOfRangeException(nameof(format));
        int bytesPerSample = format == WavSampleFormat.Pcm16 ? 2 : 4;
        long dataBytes = (long)samples.Length * bytesPerSample;
        if (dataBytes + 36 > uint.MaxValue)
            throw new AudioFormatException($"{name}: {dataBytes} bytes of audio exceed the 4 GiB WAV limit.");

        Span<byte> h = stackalloc byte[44];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], format == WavSampleFormat.Pcm16 ? WavFormat.TagPcm : WavFormat.TagFloat);
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)(sampleRate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], (ushort)(8 * bytesPerSample));
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], (uint)dataBytes);
        stream.Write(h);

        if (format == WavSampleFormat.Float32)
        {
            stream.Write(MemoryMarshal.AsBytes(samples));
            return;
        }
        const int block = 8192;
        short[] pcm = ArrayPool<short>.Shared.Rent(block);
        try
        {
            for (int start = 0; start < samples.Length; start += block)
            {
                var chunk = samples.Slice(start, Math.Min(block, samples.Length - start));
                for (int i = 0; i < chunk.Length; i++)
                    pcm[i] = (short)Math.Clamp(MathF.Round(chunk[i] * 32768f), -32768f, 32767f);
                stream.Write(MemoryMarshal.AsBytes(pcm.AsSpan(0, chunk.Length)));
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(pcm);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
