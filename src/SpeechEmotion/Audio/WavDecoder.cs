using System.Buffers;
using System.Text;

namespace SpeechEmotion.Audio;

/// <summary>
/// Decodes RIFF/WAVE, RF64 and BW64 from a stream, seekable or not, in bounded chunks. Never trusts a
/// declared size for an allocation: memory grows with the bytes actually present.
/// </summary>
internal sealed class WavDecoder
{
    private const int ChunkBytes = 1 << 16;
    private const int MaxFmtBytes = 1 << 16;

    private readonly Stream _stream;
    private readonly string _source;
    private readonly long? _length;
    private long _position;

    private WavDecoder(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
        if (stream.CanSeek)
        {
            _length = stream.Length;
            _position = stream.Position;
        }
    }

    /// <summary>
    /// True when <paramref name="header"/> starts a WAV container this decoder reads; fewer than 4 bytes that begin
    /// one of the magics count too, so a truncated WAV is reported as such rather than handed to ffmpeg.
    /// </summary>
    public static bool IsWav(ReadOnlySpan<byte> header)
    {
        var h = header[..Math.Min(4, header.Length)];
        return !h.IsEmpty && ("RIFF"u8.StartsWith(h) || "RF64"u8.StartsWith(h) || "BW64"u8.StartsWith(h) || "RIFX"u8.StartsWith(h));
    }

    /// <summary>Decodes a whole WAV stream. <paramref name="source"/> names it in error messages.</summary>
    public static AudioBuffer Decode(Stream stream, string source, AudioReadOptions options) =>
        new WavDecoder(stream, source).Decode(options);

    private long? Remaining => _length - _position;

    private AudioBuffer Decode(AudioReadOptions options)
    {
        Span<byte> head = stackalloc byte[12];
        ReadExactly(head, "RIFF header");
        string container;
        if (head[..4].SequenceEqual("RIFF"u8)) container = "WAV";
        else if (head[..4].SequenceEqual("RF64"u8) || head[..4].SequenceEqual("BW64"u8)) container = "RF64";
        else if (head[..4].SequenceEqual("RIFX"u8))
            throw new AudioFormatException($"{_source}: big-endian RIFX files are not supported.");
        else throw new AudioFormatException($"{_source}: not a WAV file (starts with '{Printable(head[..4])}', expected 'RIFF' or 'RF64').");
        if (!head.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new AudioFormatException($"{_source}: RIFF form type is '{Printable(head.Slice(8, 4))}', expected 'WAVE'.");

        ulong? rf64DataSize = null;
        WavFormat? format = null;
        Span<byte> chunkHead = stackalloc byte[24];
        while (true)
        {
            if (ReadAtMost(chunkHead[..8]) < 8)
                throw new AudioFormatException(format is null
                    ? $"{_source}: no fmt chunk (file ends or is truncated before it)."
                    : $"{_source}: no data chunk (file ends or is truncated before it).");
            string id = Printable(chunkHead[..4]);
            uint size = WavFormat.ReadU32(chunkHead, 4);
            if (id == "data")
            {
                if (format is null) throw new AudioFormatException($"{_source}: data chunk comes before the fmt chunk.");
                ulong? dataSize = size switch
                {
                    0xFFFFFFFF when rf64DataSize is > 0 and < ulong.MaxValue => rf64DataSize,
                    0 or 0xFFFFFFFF => null, // streamed WAV: length unknown, read to the end
                    _ => size,
                };
                return DecodeData(format, dataSize, options);
            }
            if (Remaining is long rem && size > (ulong)rem)
                throw new AudioFormatException($"{_source}: chunk '{id}' declares {size} bytes but only {rem} remain (truncated or corrupt).");
            if (id == "fmt ")
            {
                if (format is not null) throw new AudioFormatException($"{_source}: more than one fmt chunk.");
                if (size > MaxFmtBytes) throw new AudioFormatException($"{_source}: fmt chunk declares {size} bytes; at most {MaxFmtBytes} are plausible.");
                var body = new byte[size];
                ReadExactly(body, "fmt chunk");
                SkipPad(size);
                format = WavFormat.Parse(body, container, _source);
            }
            else if (id == "ds64" && container == "RF64")
            {
                if (size < 24) throw new AudioFormatException($"{_source}: ds64 chunk is {size} bytes; at least 24 are required.");
                ReadExactly(chunkHead, "ds64 chunk");
                rf64DataSize = WavFormat.ReadU64(chunkHead, 8);
                Skip(size - 24L, "ds64 chunk");
                SkipPad(size);
            }
            else
            {
                Skip(size, $"'{id}' chunk");
                SkipPad(size);
            }
        }
    }

    private AudioBuffer DecodeData(WavFormat format, ulong? declared, AudioReadOptions options)
    {
        if (options.Channels == ChannelMode.Pick && options.Channel >= format.Channels)
            throw new AudioFormatException($"{_source}: channel {options.Channel} was requested but the file has {format.Channels} channel(s).");
        int outChannels = options.Channels == ChannelMode.Keep ? format.Channels : 1;
        int block = format.BlockAlign;

        ulong? toRead = declared;
        if (Remaining is long rem)
        {
            if (declared is ulong d && d > (ulong)rem)
                throw new AudioFormatException($"{_source}: data chunk declares {d} bytes but only {rem} remain (truncated or corrupt).");
            toRead ??= (ulong)rem;
        }
        // Known sizes are only trusted for allocation when they are backed by bytes actually present.
        long capacityFrames = Remaining is null ? Math.Min((long)Math.Min(toRead ?? 0, int.MaxValue) / block, 1 << 14) : (long)toRead!.Value / block;
        if (capacityFrames * outChannels > Array.MaxLength)
            throw new AudioFormatException($"{_source}: {capacityFrames} frames are too many to decode into memory at once.");
        // Mono output is resampled while decoding: the native-rate signal never exists in full.
        StreamingResampler? resampler = options.TargetSampleRate is int target && target != format.SampleRate && outChannels == 1
            ? new StreamingResampler(format.SampleRate, target, options.ResamplerQuality)
            : null;
        if (resampler is not null) capacityFrames = Math.Min(Array.MaxLength, resampler.OutputLengthLong(capacityFrames));
        var output = new FloatBuilder((int)(capacityFrames * outChannels));

        // Short sources get short scratch buffers: memory follows the bytes actually present.
        int framesPerChunk = (int)Math.Clamp(Math.Min((long)ChunkBytes / block, toRead is ulong t && Remaining is not null ? (long)(t / (ulong)block) + 1 : long.MaxValue), 1, int.MaxValue);
        long frameIndex = 0;
        byte[] raw = ArrayPool<byte>.Shared.Rent(framesPerChunk * block);
        float[] interleaved = ArrayPool<float>.Shared.Rent(framesPerChunk * format.Channels);
        float[]? mono = resampler is null ? null : ArrayPool<float>.Shared.Rent(framesPerChunk);
        try
        {
            ulong left = toRead ?? ulong.MaxValue;
            int carried = 0;
            bool floatSource = format.Encoding == AudioEncoding.IeeeFloat;
            while (left > 0)
            {
                int want = (int)Math.Min((ulong)(framesPerChunk * block - carried), left);
                int got = ReadAtMost(raw.AsSpan(carried, want));
                left -= (ulong)got;
                int have = carried + got;
                int frames = have / block;
                if (frames > 0)
                {
                    var samples = interleaved.AsSpan(0, frames * format.Channels);
                    SampleDecoder.ToFloat(raw.AsSpan(0, frames * block), format, samples);
                    if (floatSource && SampleDecoder.FirstNonFinite(samples) is var bad and >= 0)
                        throw new AudioFormatException(
                            $"{_source}: sample {frameIndex + bad / format.Channels} (channel {bad % format.Channels}) is {samples[bad]}; float WAV samples must be finite.");
                    var dest = mono is null ? output.Append(frames * outChannels) : mono.AsSpan(0, frames);
                    switch (options.Channels)
                    {
                        case ChannelMode.Keep: samples.CopyTo(dest); break;
                        case ChannelMode.Pick: SampleDecoder.Pick(samples, format.Channels, options.Channel, dest); break;
                        default: SampleDecoder.MixDown(samples, format.Channels, dest); break;
                    }
                    frameIndex += frames;
                    if (resampler is not null)
                    {
                        int capacity = resampler.MaxOutputLength(frames);
                        output.Shrink(capacity - resampler.Process(dest, output.Append(capacity)));
                    }
                }
                carried = have - frames * block;
                if (carried > 0) raw.AsSpan(frames * block, carried).CopyTo(raw);
                if (got < want)
                {
                    if (toRead is not null && left > 0)
                        throw new AudioFormatException($"{_source}: data chunk declares {toRead} bytes but the stream ended after {toRead - left} (truncated).");
                    break; // end of a streamed WAV; a trailing partial frame is dropped
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<float>.Shared.Return(interleaved);
            if (mono is not null) ArrayPool<float>.Shared.Return(mono);
        }

        if (resampler is not null)
        {
            int capacity = (int)(resampler.OutputLengthLong(frameIndex) - output.Count);
            output.Shrink(capacity - resampler.Flush(output.Append(capacity)));
            return new AudioBuffer(output.ToArray(), resampler.ToRate, format.ToSource());
        }
        var buffer = new AudioBuffer(output.ToArray(), format.SampleRate, format.ToSource(), outChannels);
        return options.TargetSampleRate is int target2 && target2 != format.SampleRate
            ? Resampler.Resample(buffer, target2, options.ResamplerQuality)
            : buffer;
    }

    private void ReadExactly(Span<byte> dest, string what)
    {
        int got = ReadAtMost(dest);
        if (got < dest.Length)
            throw new AudioFormatException($"{_source}: truncated {what}: needed {dest.Length} bytes, found {got}.");
    }

    private int ReadAtMost(Span<byte> dest)
    {
        int total = 0;
        try
        {
            while (total < dest.Length)
            {
                int n = _stream.Read(dest[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (IOException e)
        {
            throw new AudioFormatException($"{_source}: read failed: {e.Message}", e);
        }
        _position += total;
        return total;
    }

    private void Skip(long count, string what)
    {
        if (count <= 0) return;
        if (_stream.CanSeek)
        {
            if (Remaining is long rem && count > rem)
                throw new AudioFormatException($"{_source}: {what} declares {count} bytes but only {rem} remain (truncated or corrupt).");
            _stream.Seek(count, SeekOrigin.Current);
            _position += count;
            return;
        }
        Span<byte> scratch = stackalloc byte[4096];
        long left = count;
        while (left > 0)
        {
            int n = ReadAtMost(scratch[..(int)Math.Min(left, scratch.Length)]);
            if (n == 0) throw new AudioFormatException($"{_source}: truncated {what}: the stream ended {left} bytes early.");
            left -= n;
        }
    }

    // RIFF pads odd-sized chunks to an even length; a missing pad at the very end is tolerated.
    private void SkipPad(uint size)
    {
        if ((size & 1) == 0) return;
        Span<byte> one = stackalloc byte[1];
        ReadAtMost(one);
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        var sb = new StringBuilder(id.Length);
        foreach (byte b in id) sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        return sb.ToString();
    }

    /// <summary>A float array that grows by doubling, so unknown lengths cost amortised O(1) per sample.</summary>
    private sealed class FloatBuilder(int capacity)
    {
        private float[] _data = new float[Math.Max(capacity, 16)];
        private int _count;

        public Span<float> Append(int count)
        {
            if (_count + (long)count > Array.MaxLength)
                throw new AudioFormatException($"Audio longer than {Array.MaxLength} samples cannot be decoded into memory at once.");
            if (_count + count > _data.Length)
                Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(_data.Length * 2L, _count + (long)count)));
            var s = _data.AsSpan(_count, count);
            _count += count;
            return s;
        }

        public int Count => _count;

        /// <summary>Gives back the last <paramref name="count"/> appended elements.</summary>
        public void Shrink(int count) => _count -= count;

        public float[] ToArray()
        {
            if (_count == _data.Length) return _data;
            Array.Resize(ref _data, _count);
            return _data;
        }
    }
}
