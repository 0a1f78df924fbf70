using System.Buffers.Binary;

namespace SpeechEmotion.Tests.Corpora;

/// <summary>Minimal 16-bit PCM WAV reading/writing for corpus tests (the library's reader lives in Audio).</summary>
internal static class TestWav
{
    public static (float[] Samples, int Rate) Read(string path)
    {
        var b = File.ReadAllBytes(path);
        int pos = 12, rate = 0, channels = 1, bits = 16;
        while (pos + 8 <= b.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(b, pos, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(pos + 4));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(pos + 10));
                rate = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(pos + 12));
                bits = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(pos + 22));
            }
            else if (id == "data")
            {
                if (bits != 16) throw new InvalidDataException("16-bit only");
                size = Math.Min(size, b.Length - pos - 8);
                var n = size / 2 / channels;
                var s = new float[n];
                for (int i = 0; i < n; i++) s[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(pos + 8 + i * 2 * channels)) / 32768f;
                return (s, rate);
            }
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"no data chunk in {path}");
    }

    public static void Write(string path, ReadOnlySpan<float> samples, int rate)
    {
        var data = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)Math.Clamp(MathF.Round(samples[i] * 32767f), -32768, 32767));
        using var fs = File.Create(path);
        using var w = new BinaryWriter(fs);
        w.Write("RIFF"u8); w.Write(36 + data.Length); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(data.Length); w.Write(data);
    }

    /// <summary>Applies gain, white noise at <paramref name="snrDb"/> (relative to the clip RMS) and a shift in samples (positive delays).</summary>
    public static float[] Modify(float[] x, float gain, double snrDb, int shift, int seed)
    {
        var rms = Math.Sqrt(x.Select(v => (double)v * v).Average());
        var noise = rms * Math.Pow(10, -snrDb / 20);
        var rng = new Random(seed);
        var y = new float[x.Length];
        for (int i = 0; i < y.Length; i++)
        {
            var src = i - shift;
            var v = src >= 0 && src < x.Length ? x[src] : 0f;
            // Box-Muller gaussian noise
            var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[i] = (float)(v * gain + (double.IsFinite(snrDb) ? g * noise * gain : 0));
        }
        return y;
    }
}
