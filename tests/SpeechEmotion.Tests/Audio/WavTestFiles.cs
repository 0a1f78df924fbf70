using System.Buffers.Binary;
using System.Text;

namespace SpeechEmotion.Tests.Audio;

/// <summary>Builds WAV byte images by hand, so tests control every header field.</summary>
internal static class WavTestFiles
{
    public static string Espeak16k => SharedData.Path("reference/audio/espeak_en_16k.wav");

    /// <summary>A canonical RIFF/WAVE image: fmt chunk, optional extra chunks before data, then data.</summary>
    public static byte[] Build(ushort tag, int channels, int rate, int bits, byte[] data,
        int? blockAlign = null, uint? dataSize = null, (string Id, byte[] Body)[]? extraChunks = null,
        byte[]? fmtOverride = null, string riff = "RIFF")
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(Encoding.ASCII.GetBytes(riff));
        w.Write(0u); // patched below
        w.Write("WAVE"u8);
        foreach (var (id, body) in extraChunks ?? [])
        {
            w.Write(Encoding.ASCII.GetBytes(id));
            w.Write((uint)body.Length);
            w.Write(body);
            if ((body.Length & 1) == 1) w.Write((byte)0);
        }
        var fmt = fmtOverride ?? Fmt(tag, channels, rate, bits, blockAlign);
        w.Write("fmt "u8);
        w.Write((uint)fmt.Length);
        w.Write(fmt);
        w.Write("data"u8);
        w.Write(dataSize ?? (uint)data.Length);
        w.Write(data);
        w.Flush();
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)rate);
        int align = blockAlign ?? channels * bits / 8;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body with sub-format <paramref name="subTag"/>.</summary>
    public static byte[] FmtExtensible(ushort subTag, int channels, int rate, int bits, int validBits, uint channelMask = 0)
    {
        var b = new byte[40];
        Fmt(0xFFFE, channels, rate, bits).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), channelMask);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(24), subTag);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(b, 26);
        return b;
    }

    public static byte[] Pcm16(params short[] samples)
    {
        var b = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), samples[i]);
        return b;
    }

    public static byte[] Float32(params float[] samples)
    {
        var b = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), samples[i]);
        return b;
    }

    /// <summary>Reads a float array from a librosa reference JSON by a path of property names.</summary>
    public static float[] ReferenceArray(string relative, params string[] path)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(SharedData.Path(relative)));
        var e = doc.RootElement;
        foreach (var p in path) e = e.GetProperty(p);
        var result = new float[e.GetArrayLength()];
        int i = 0;
        foreach (var v in e.EnumerateArray()) result[i++] = v.GetSingle();
        return result;
    }
}

internal static class WavTestFilesExtra
{
    /// <summary>An RF64 image: ds64 carries the sizes, RIFF and data sizes are 0xFFFFFFFF.</summary>
    public static byte[] BuildRf64(byte[] fmt, byte[] data, bool dataSizeInDs64 = true)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("RF64"u8); w.Write(0xFFFFFFFFu); w.Write("WAVE"u8);
        w.Write("ds64"u8); w.Write(28u);
        w.Write((ulong)(4 + 36 + 8 + fmt.Length + 8 + data.Length));
        w.Write(dataSizeInDs64 ? (ulong)data.Length : 0UL);
        w.Write(0UL); w.Write(0u);
        w.Write("fmt "u8); w.Write((uint)fmt.Length); w.Write(fmt);
        w.Write("data"u8); w.Write(0xFFFFFFFFu); w.Write(data);
        w.Flush();
        return ms.ToArray();
    }
}

/// <summary>A read-only stream that refuses to seek and returns short reads, like a pipe.</summary>
internal sealed class PipeLikeStream(byte[] data, int maxRead = 7) : Stream
{
    private int _pos;
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(buffer.Length, maxRead), data.Length - _pos);
        data.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }
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
