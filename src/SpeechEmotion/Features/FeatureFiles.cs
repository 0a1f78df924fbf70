using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpeechEmotion.Features;

/// <summary>File formats for a <see cref="FeatureMatrix"/>.</summary>
public enum FeatureFileFormat
{
    /// <summary>numpy .npy v1.0: float32 little-endian, C order, shape (frames, features).</summary>
    Npy,
    /// <summary>Comma-separated, a header row of feature names, one row per frame.</summary>
    Csv,
    /// <summary>JSON object: set, frames, features, names, data (array of rows).</summary>
    Json,
}

/// <summary>Writes (atomically: temp file + rename) and reads feature matrices.</summary>
public static class FeatureFiles
{
    /// <summary>The file extension of <paramref name="format"/>, with the dot.</summary>
    public static string Extension(FeatureFileFormat format) => format switch
    {
        FeatureFileFormat.Npy => ".npy",
        FeatureFileFormat.Csv => ".csv",
        FeatureFileFormat.Json => ".json",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Writes <paramref name="m"/> to <paramref name="path"/>; <paramref name="setJson"/> (optional) is embedded in JSON output.</summary>
    public static void Write(string path, FeatureMatrix m, FeatureFileFormat format, string? setJson = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                switch (format)
                {
                    case FeatureFileFormat.Npy: WriteNpy(fs, m); break;
                    case FeatureFileFormat.Csv: WriteCsv(fs, m); break;
                    case FeatureFileFormat.Json: WriteJson(fs, m, setJson); break;
                    default: throw new ArgumentOutOfRangeException(nameof(format));
                }
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>numpy .npy v1.0 with a header padded to a multiple of 64 bytes.</summary>
    public static void WriteNpy(Stream s, FeatureMatrix m)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({m.Frames}, {m.Features}), }}";
        var total = 10 + dict.Length + 1;
        var pad = (64 - total % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        Span<byte> len = [(byte)(header.Length & 0xff), (byte)(header.Length >> 8)];
        s.Write(len);
        s.Write(Encoding.ASCII.GetBytes(header));
        if (BitConverter.IsLittleEndian)
            s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(m.Data.AsSpan()));
        else
        {
            var buf = new byte[4];
            foreach (var v in m.Data) { System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(buf, v); s.Write(buf); }
        }
    }

    /// <summary>Reads a 2-D float32 little-endian C-order .npy (as written by <see cref="WriteNpy"/>).</summary>
    /// <exception cref="SpeechEmotionException">The file is not such an array.</exception>
    public static (int Rows, int Cols, float[] Data) ReadNpy(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 10 || b[0] != 0x93 || Encoding.ASCII.GetString(b, 1, 5) != "NUMPY")
            throw new SpeechEmotionException($"{path}: not a .npy file");
        int hlen = b[8] | (b[9] << 8), off = 10;
        if (b[6] >= 2) { hlen = BitConverter.ToInt32(b, 8); off = 12; }
        var header = Encoding.ASCII.GetString(b, off, hlen);
        if (!header.Contains("'<f4'") || header.Contains("'fortran_order': True"))
            throw new SpeechEmotionException($"{path}: only float32 little-endian C-order arrays are supported ({header.Trim()})");
        var shape = header[(header.IndexOf('(') + 1)..header.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int rows = int.Parse(shape[0], CultureInfo.InvariantCulture), cols = shape.Length > 1 ? int.Parse(shape[1], CultureInfo.InvariantCulture) : 1;
        var data = new float[rows * cols];
        var start = off + hlen;
        if (b.Length - start < data.Length * 4) throw new SpeechEmotionException($"{path}: truncated data");
        Buffer.BlockCopy(b, start, data, 0, data.Length * 4);
        return (rows, cols, data);
    }

    private static void WriteCsv(Stream s, FeatureMatrix m)
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.WriteLine(string.Join(",", m.FeatureNames));
        var sb = new StringBuilder();
        for (var t = 0; t < m.Frames; t++)
        {
            sb.Clear();
            var row = m.Row(t);
            for (var j = 0; j < row.Length; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append(row[j].ToString("R", CultureInfo.InvariantCulture));
            }
            w.WriteLine(sb);
        }
    }

    private static void WriteJson(Stream s, FeatureMatrix m, string? setJson)
    {
        using var w = new Utf8JsonWriter(s);
        w.WriteStartObject();
        if (setJson is not null)
        {
            w.WritePropertyName("set");
            using var doc = JsonDocument.Parse(setJson);
            doc.RootElement.WriteTo(w);
        }
        w.WriteNumber("frames", m.Frames);
        w.WriteNumber("features", m.Features);
        w.WriteStartArray("names");
        foreach (var n in m.FeatureNames) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteStartArray("data");
        for (var t = 0; t < m.Frames; t++)
        {
            w.WriteStartArray();
            foreach (var v in m.Row(t)) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
