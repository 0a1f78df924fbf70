namespace SpeechEmotion.Audio;

/// <summary>
/// Reads audio into float32: WAV (RIFF/RF64: PCM 8/16/24/32, float 32/64, G.711, EXTENSIBLE) built in;
/// MP3/FLAC/OGG/Opus/M4A/WebM and anything else ffmpeg knows through ffmpeg when it is on PATH.
/// Every decoding problem is an <see cref="AudioFormatException"/> naming the source.
/// </summary>
public static class AudioReader
{
    /// <summary>Formats decoded without external tools.</summary>
    public const string BuiltInFormats = "WAV (RIFF/RF64/BW64: PCM 8/16/24/32-bit, IEEE float 32/64-bit, G.711 mu-law/A-law, WAVE_FORMAT_EXTENSIBLE)";

    /// <summary>Reads and decodes the file at <paramref name="path"/>.</summary>
    /// <param name="path">A WAV file, or any format ffmpeg decodes when ffmpeg is on PATH.</param>
    /// <param name="options">Channel handling and optional target sample rate; null means <see cref="AudioReadOptions.Default"/>.</param>
    /// <exception cref="AudioFormatException">The file is missing, unreadable, malformed or of an unsupported format.</exception>
    public static AudioBuffer Read(string path, AudioReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= AudioReadOptions.Default;
        options.Validate();
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AudioFormatException($"{path}: cannot open: {e.Message}", e);
        }
        using (file)
        {
            Span<byte> magic = stackalloc byte[4];
            int n = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
            if (n == 0) throw new AudioFormatException($"{path}: the file is empty.");
            file.Position = 0;
            if (WavDecoder.IsWav(magic[..n])) return WavDecoder.Decode(file, path, options);
        }
        return FfmpegDecoder.DecodeFile(path, options);
    }

    /// <summary>Decodes audio held in memory (a whole file's bytes).</summary>
    /// <param name="data">The bytes of a WAV file, or of a format ffmpeg decodes when ffmpeg is on PATH.</param>
    /// <param name="options">Channel handling and optional target sample rate; null means <see cref="AudioReadOptions.Default"/>.</param>
    /// <param name="sourceName">Name used in error messages.</param>
    public static unsafe AudioBuffer Read(ReadOnlySpan<byte> data, AudioReadOptions? options = null, string sourceName = "buffer")
    {
        options ??= AudioReadOptions.Default;
        options.Validate();
        if (data.IsEmpty) throw new AudioFormatException($"{sourceName}: no bytes.");
        fixed (byte* p = data)
        {
            using var stream = new UnmanagedMemoryStream(p, data.Length);
            if (WavDecoder.IsWav(data)) return WavDecoder.Decode(stream, sourceName, options);
            return FfmpegDecoder.DecodeStream(stream, sourceName, options);
        }
    }

    /// <summary>
    /// Decodes from a stream that need not be seekable (e.g. stdin or a pipe), reading in bounded chunks;
    /// a WAV data size of 0 or 0xFFFFFFFF (as streamed by arecord/ffmpeg) reads to the end of the stream.
    /// The stream is not disposed.
    /// </summary>
    /// <param name="stream">Readable stream positioned at the start of the file.</param>
    /// <param name="options">Channel handling and optional target sample rate; null means <see cref="AudioReadOptions.Default"/>.</param>
    /// <param name="sourceName">Name used in error messages.</param>
    public static AudioBuffer Read(Stream stream, AudioReadOptions? options = null, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= AudioReadOptions.Default;
        options.Validate();
        byte[] magic = new byte[4];
        long start = stream.CanSeek ? stream.Position : 0;
        int n = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (n == 0) throw new AudioFormatException($"{sourceName}: the stream is empty.");
        Stream whole;
        if (stream.CanSeek)
        {
            stream.Position = start;
            whole = stream;
        }
        else whole = new PrefixedStream(magic.AsMemory(0, n), stream);
        return WavDecoder.IsWav(magic.AsSpan(0, n))
            ? WavDecoder.Decode(whole, sourceName, options)
            : FfmpegDecoder.DecodeStream(whole, sourceName, options);
    }

    /// <summary>Replays the bytes already read for sniffing, then continues with the inner stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (!_prefix.IsEmpty)
            {
                int n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }
            return inner.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
