using System.Text.Json;
using SpeechEmotion.Audio;
using SpeechEmotion.Features;

namespace SpeechEmotion.Cli.Tests;

public class FeaturesCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "ser-features-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private static string Sample(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "samples", name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException(name);
    }

    [Fact]
    public void Writes_npy_files_equal_to_the_library_output()
    {
        var a = Sample("angry-actor03.wav");
        var b = Sample("sad-actor09.wav");
        var (code, output, err) = CliRunner.Run("features", "--set", "mfcc", "--param", "n_mfcc=20", "--param", "deltas=1", a, b, "--out", _out, "--threads", "2");
        Assert.True(code == 0, err);
        Assert.Contains("angry-actor03.npy", output);
        var (rows, cols, data) = FeatureFiles.ReadNpy(Path.Combine(_out, "angry-actor03.npy"));
        var set = FeatureSets.FromJson(File.ReadAllText(Path.Combine(_out, "featureset.json")));
        var audio = AudioReader.Read(a, new AudioReadOptions { TargetSampleRate = 16000 });
        var expected = set.Extract(audio.Samples, 16000);
        Assert.Equal((expected.Frames, expected.Features), (rows, cols));
        Assert.Equal(40, cols);
        Assert.Equal(expected.Data, data);
        Assert.True(File.Exists(Path.Combine(_out, "sad-actor09.npy")));
    }

    [Fact]
    public void Npy_header_is_numpy_v1_with_64_byte_alignment()
    {
        var m = new FeatureMatrix(2, 3, [1, 2, 3, 4, 5, 6], FeatureMatrix.Numbered("f", 3));
        var path = Path.Combine(_out, "x.npy");
        FeatureFiles.Write(path, m, FeatureFileFormat.Npy);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", System.Text.Encoding.ASCII.GetString(bytes, 1, 5));
        Assert.Equal((1, 0), (bytes[6], bytes[7]));
        var hlen = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + hlen) % 64);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, hlen);
        Assert.Contains("'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + hlen + 24, bytes.Length);
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 10 + hlen + 20));
    }

    [Fact]
    public void Writes_csv_and_json()
    {
        var a = Sample("happy-actor06.wav");
        Assert.Equal(0, CliRunner.Run("features", "--set", "zcr-rms-mfcc", a, "--out", _out, "--format", "csv").Code);
        var lines = File.ReadAllLines(Path.Combine(_out, "happy-actor06.csv"));
        Assert.StartsWith("zcr,rms,mfcc_0,", lines[0]);
        Assert.Equal(402, lines.Length); // header + 401 frames
        Assert.Equal(0, CliRunner.Run("features", "--set", "functionals", "-p", "set=mfcc", a, "--out", _out, "--format", "json").Code);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "happy-actor06.json")));
        Assert.Equal(1, doc.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal(26, doc.RootElement.GetProperty("features").GetInt32());
        Assert.Equal("functionals", doc.RootElement.GetProperty("set").GetProperty("name").GetString());
    }

    [Fact]
    public void Unknown_set_or_parameter_is_bad_input()
    {
        var a = Sample("happy-actor06.wav");
        var (code, _, err) = CliRunner.Run("features", "--set", "nope", a, "--out", _out);
        Assert.Equal(3, code);
        Assert.Contains("'nope'", err);
        (code, _, err) = CliRunner.Run("features", "--set", "mfcc", "--param", "hop_length=0", a, "--out", _out);
        Assert.Equal(3, code);
        Assert.Contains("hop_length", err);
        (code, _, err) = CliRunner.Run("features", "--set", "mfcc", "--param", "oops", a, "--out", _out);
        Assert.Equal(3, code);
        Assert.Contains("'oops'", err);
    }

    [Fact]
    public void A_bad_file_fails_alone()
    {
        Directory.CreateDirectory(_out);
        var bad = Path.Combine(_out, "bad.wav");
        File.WriteAllText(bad, "not audio");
        var (code, output, err) = CliRunner.Run("features", "--set", "logmel", Sample("sad-actor09.wav"), bad, "--out", Path.Combine(_out, "o"));
        Assert.Equal(3, code);
        Assert.Contains("bad.wav", err);
        Assert.Contains("sad-actor09.npy", output);
        Assert.True(File.Exists(Path.Combine(_out, "o", "sad-actor09.npy")));
    }

    [Fact]
    public void Bench_features_prints_one_json_line()
    {
        var (code, output, err) = CliRunner.Run("bench", "features", "--set", "mfcc", "--seconds", "2", "--repeats", "1");
        Assert.True(code == 0, err);
        var lines = output.Trim().Split('\n');
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        Assert.True(doc.RootElement.GetProperty("throughput").GetProperty("mfcc").GetDouble() > 0);
        Assert.Equal("audio_seconds_per_second", doc.RootElement.GetProperty("unit").GetString());
    }
}
