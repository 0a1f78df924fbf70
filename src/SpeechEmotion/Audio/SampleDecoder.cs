using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SpeechEmotion.Audio;

/// <summary>Converts raw little-endian WAV sample bytes to float32 and combines channels.</summary>
internal static class SampleDecoder
{
    private static readonly float[] MuLawTable = BuildTable(MuLawToLinear);
    private static readonly float[] ALawTable = BuildTable(ALawToLinear);

    /// <summary>
    /// Decodes whole frames of <paramref name="raw"/> (interleaved, <paramref name="format"/>'s layout) into
    /// <paramref name="dest"/> (interleaved float, same sample count).
    /// </summary>
    public static void ToFloat(ReadOnlySpan<byte> raw, WavFormat format, Span<float> dest)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("WAV decoding assumes a little-endian CPU.");
        switch (format.Encoding, format.BitsPerSample)
        {
            case (AudioEncoding.PcmInteger, 8):
                for (int i = 0; i < dest.Length; i++) dest[i] = (raw[i] - 128) * (1f / 128f);
                break;
            case (AudioEncoding.PcmInteger, 16):
                TensorPrimitives.ConvertChecked<short, float>(MemoryMarshal.Cast<byte, short>(raw[..(dest.Length * 2)]), dest);
                TensorPrimitives.Multiply(dest, 1f / 32768f, dest);
                break;
            case (AudioEncoding.PcmInteger, 24):
                for (int i = 0, j = 0; i < dest.Length; i++, j += 3)
                    dest[i] = (raw[j] | (raw[j + 1] << 8) | ((sbyte)raw[j + 2] << 16)) * (1f / 8388608f);
                break;
            case (AudioEncoding.PcmInteger, 32):
                TensorPrimitives.ConvertChecked<int, float>(MemoryMarshal.Cast<byte, int>(raw[..(dest.Length * 4)]), dest);
                TensorPrimitives.Multiply(dest, 1f / 2147483648f, dest);
                break;
            case (AudioEncoding.IeeeFloat, 32):
                MemoryMarshal.Cast<byte, float>(raw[..(dest.Length * 4)]).CopyTo(dest);
                break;
            case (AudioEncoding.IeeeFloat, 64):
                TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<byte, double>(raw[..(dest.Length * 8)]), dest);
                break;
            case (AudioEncoding.MuLaw, 8):
                for (int i = 0; i < dest.Length; i++) dest[i] = MuLawTable[raw[i]];
                break;
            case (AudioEncoding.ALaw, 8):
                for (int i = 0; i < dest.Length; i++) dest[i] = ALawTable[raw[i]];
                break;
            default:
                throw new AudioFormatException($"No decoder for {format.Codec}.");
        }
    }

    /// <summary>Index of the first NaN or infinite value, or -1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> x)
    {
        // A product with zero is NaN exactly when the value is NaN or infinite: one vectorised pass for the common clean case.
        if (float.IsFinite(TensorPrimitives.Sum(x) * 0f)) return -1;
        for (int i = 0; i < x.Length; i++) if (!float.IsFinite(x[i])) return i;
        return -1;
    }

    /// <summary>Averages the <paramref name="channels"/> interleaved channels of <paramref name="x"/> into <paramref name="dest"/> (frames).</summary>
    public static void MixDown(ReadOnlySpan<float> x, int channels, Span<float> dest)
    {
        int frames = dest.Length;
        if (channels == 1) { x[..frames].CopyTo(dest); return; }
        float scale = 1f / channels;
        if (channels == 2)
        {
            for (int f = 0; f < frames; f++) dest[f] = (x[2 * f] + x[2 * f + 1]) * scale;
            return;
        }
        for (int f = 0; f < frames; f++)
        {
            float s = 0f;
            var frame = x.Slice(f * channels, channels);
            for (int c = 0; c < frame.Length; c++) s += frame[c];
            dest[f] = s * scale;
        }
    }

    /// <summary>Copies channel <paramref name="channel"/> of interleaved <paramref name="x"/> into <paramref name="dest"/> (frames).</summary>
    public static void Pick(ReadOnlySpan<float> x, int channels, int channel, Span<float> dest)
    {
        for (int f = 0; f < dest.Length; f++) dest[f] = x[f * channels + channel];
    }

    private static float[] BuildTable(Func<byte, short> decode)
    {
        var t = new float[256];
        for (int i = 0; i < 256; i++) t[i] = decode((byte)i) / 32768f;
        return t;
    }

    // ITU-T G.711 expansion.
    internal static short MuLawToLinear(byte code)
    {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    internal static short ALawToLinear(byte code)
    {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        t = seg switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (seg - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }
}
