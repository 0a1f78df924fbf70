using System.Globalization;

namespace SpeechEmotion.Tests.Egemaps;

/// <summary>Reads openSMILE's ';'-separated CSV output (first columns name;frameTime).</summary>
internal sealed class OpensmileCsv
{
    public required string[] Columns { get; init; }
    public required List<string> Names { get; init; }
    public required List<float[]> Rows { get; init; }

    public static OpensmileCsv Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(';');
        var cols = header[2..];
        var names = new List<string>();
        var rows = new List<float[]>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var parts = lines[i].Split(';');
            names.Add(parts[0].Trim('\''));
            var row = new float[cols.Length];
            for (int j = 0; j < cols.Length; j++) row[j] = float.Parse(parts[j + 2], NumberStyles.Float, CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return new OpensmileCsv { Columns = cols, Names = names, Rows = rows };
    }

    public float[] Column(string name)
    {
        int j = Array.IndexOf(Columns, name);
        if (j < 0) throw new KeyNotFoundException(name);
        return Rows.Select(r => r[j]).ToArray();
    }

    /// <summary>All rows flattened row-major [rows, columns].</summary>
    public float[] Flat() => Rows.SelectMany(r => r).ToArray();
}
