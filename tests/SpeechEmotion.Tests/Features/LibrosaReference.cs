using System.Text.Json;

namespace SpeechEmotion.Tests.Features;

/// <summary>One librosa reference feature: [rows, frames] as librosa returns it, plus its params.</summary>
public sealed record RefFeature(int Rows, int Frames, float[] Data, JsonElement Params)
{
    public float this[int row, int frame] => Data[row * Frames + frame];
    public double MaxAbs => Data.Max(v => Math.Abs((double)v));
}

/// <summary>One parameter set of a reference clip (sr16000 or sr22050_defaults).</summary>
public sealed record RefSet(string Clip, string Name, JsonElement Params, float[] Signal, IReadOnlyDictionary<string, RefFeature> Features)
{
    public int Sr => Params.GetProperty("sr").GetInt32();
    public int NFft => Params.GetProperty("n_fft").GetInt32();
    public int Hop => Params.GetProperty("hop_length").GetInt32();
    public int Win => Params.GetProperty("win_length").GetInt32();
    public int NMels => Params.GetProperty("n_mels").GetInt32();
    public override string ToString() => $"{Clip}/{Name}";
}

/// <summary>
/// Parses ../shared/reference/librosa/*.json once per process (they are large) and decodes the
/// input WAVs (16-bit PCM / 32768, as librosa.load with sr=None).
/// </summary>
public static class LibrosaReference
{
    public static readonly string[] Clips = ["espeak_en", "ravdess_a01_angry", "chirp_noise"];
    public static readonly string[] SetNames = ["sr16000", "sr22050_defaults"];

    private static readonly Lazy<IReadOnlyList<RefSet>> All = new(Load);

    public static IReadOnlyList<RefSet> Sets => All.Value;

    public static RefSet Get(string clip, string set) => Sets.First(s => s.Clip == clip && s.Name == set);

    public static IEnumerable<object[]> Cases() =>
        from c in Clips from s in SetNames select new object[] { c, s };

    private static List<RefSet> Load()
    {
        var list = new List<RefSet>();
        foreach (var clip in Clips)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.Path($"reference/librosa/{clip}.json")));
            foreach (var setName in SetNames)
            {
                var set = doc.RootElement.GetProperty("sets").GetProperty(setName);
                var source = set.GetProperty("signal").GetProperty("source").GetString()!;
                var signal = ReadWav16(SharedData.Path(source));
                var expected = set.GetProperty("signal").GetProperty("n_samples").GetInt32();
                if (signal.Length != expected) throw new InvalidDataException($"{source}: {signal.Length} samples, expected {expected}");
                var feats = new Dictionary<string, RefFeature>();
                foreach (var f in set.GetProperty("features").EnumerateObject())
                {
                    var shape = f.Value.GetProperty("shape");
                    int rows = shape[0].GetInt32(), frames = shape[1].GetInt32();
                    var data = new float[rows * frames];
                    var r = 0;
                    foreach (var row in f.Value.GetProperty("data").EnumerateArray())
                    {
                        var c = 0;
                        foreach (var v in row.EnumerateArray())
                            data[r * frames + c++] = v.ValueKind == JsonValueKind.Number ? v.GetSingle() : float.NaN;
                        if (c != frames) throw new InvalidDataException($"{clip}/{setName}/{f.Name}: truncated row");
                        r++;
                    }
                    feats[f.Name] = new RefFeature(rows, frames, data, f.Value.GetProperty("params").Clone());
                }
                list.Add(new RefSet(clip, setName, set.GetProperty("params").Clone(), signal, feats));
            }
        }
        return list;
    }

    /// <summary>Minimal 16-bit PCM WAV decoder (mono or channel-averaged) for the reference clips.</summary>
    public static float[] ReadWav16(string path)
    {
        var b = File.ReadAllBytes(path);
        int pos = 12, channels = 1, bits = 16;
        while (pos + 8 <= b.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(b, pos, 4);
            var size = BitConverter.ToInt32(b, pos + 4);
            if (id == "fmt ")
            {
                channels = BitConverter.ToInt16(b, pos + 10);
                bits = BitConverter.ToInt16(b, pos + 22);
            }
            else if (id == "data")
            {
                if (bits != 16) throw new InvalidDataException($"{path}: {bits}-bit");
                size = Math.Min(size, b.Length - pos - 8);
                var frames = size / 2 / channels;
                var y = new float[frames];
                for (var i = 0; i < frames; i++)
                {
                    double acc = 0;
                    for (var c = 0; c < channels; c++) acc += BitConverter.ToInt16(b, pos + 8 + 2 * (i * channels + c)) / 32768.0;
                    y[i] = (float)(acc / channels);
                }
                return y;
            }
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{path}: no data chunk");
    }
}
