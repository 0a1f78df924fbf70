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
