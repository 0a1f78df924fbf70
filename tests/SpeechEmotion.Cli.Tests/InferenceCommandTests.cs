using System.Text.Json.Nodes;
using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Packaging;

namespace SpeechEmotion.Cli.Tests;

public sealed class InferenceCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ser-cli-inf-").FullName;
    private readonly string _model;

    public InferenceCommandTests()
    {
        var set = FeatureSets.Create("functionals");
        int width = set.Extract(Tone(1.0, 16_000), 16_000).Features;
        var spec = new ModelSpec { Architecture = "functionals-mlp", Features = width, Classes = 3, Parameters = new JsonObject { ["hidden"] = new JsonArray(16) } };
        var net = ModelZoo.Create(spec, 3);
        _model = Path.Combine(_dir, "tiny.sermodel");
        ModelPackage.Save(_model, new ModelManifest
        {
            Labels = ["neutral", "happy", "angry"], FeatureSet = set.ToJson(), Spec = spec, Seed = 3,
            Preparation = new InputPreparation { Layout = InputLayout.Vector, Mode = LengthMode.Vector, Features = width, Mean = new float[width], Std = Enumerable.Repeat(10f, width).ToArray() },
        }, net.StateDict());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static float[] Tone(double seconds, int rate, double f0 = 140)
    {
        var x = new float[(int)(seconds * rate)];
        for (int i = 0; i < x.Length; i++) { double t = (double)i / rate; x[i] = (float)(0.3 * (0.6 + 0.4 * Math.Sin(6 * Math.PI * t)) * Math.Sin(2 * Math.PI * f0 * t)); }
        return x;
    }

    private string Wav(string name, float[] x, int rate = 16_000)
    {
        var p = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        WavWriter.Write(p, x, rate, WavSampleFormat.Pcm16);
        return p;
    }

    [Fact]
    public void PredictPrintsJsonWithProbabilitiesAndContinuesPastBadFiles()
    {
        var good = Wav("in/a.wav", Tone(1.5, 16_000));
        var good48 = Wav("in/b.wav", Tone(1.5, 48_000, 200), 48_000);
        var bad = Path.Combine(_dir, "in", "c.wav");
        File.WriteAllText(bad, "not audio");
        var silent = Wav("in/d.wav", new float[16_000]);
        var (code, stdout, stderr) = CliRunner.Run("predict", Path.Combine(_dir, "in"), "--model", _model, "--json", "--top", "0");
        Assert.Equal(ExitCodes.BadInput, code);
        var arr = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(2, arr.Count);
        foreach (var o in arr)
        {
            var probs = o!["probabilities"]!.AsObject();
            Assert.Equal(3, probs.Count);
            Assert.Equal(1.0, probs.Sum(kv => kv.Value!.GetValue<double>()), 4);
        }
        Assert.Contains("c.wav", stderr);
        Assert.Contains("silent", stderr);
        Assert.Contains("2 input(s) failed; 2 of 4", stderr);
        _ = (good, good48, silent);
    }

    [Fact]
    public void PredictTableCsvJsonlShardAndOutDir()
    {
        for (int i = 0; i < 6; i++) Wav($"many/c{i}.wav", Tone(1.0, 16_000, 110 + 20 * i));
        var (code, table, _) = CliRunner.Run("predict", Path.Combine(_dir, "many", "*.wav"), "-m", _model);
        Assert.Equal(0, code);
        Assert.Equal(7, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var (_, csv, _) = CliRunner.Run("predict", Path.Combine(_dir, "many"), "-m", _model, "--csv");
        Assert.StartsWith("file,label,confidence,p_neutral,p_happy,p_angry,arousal,valence,duration", csv);
        var (_, jsonl, _) = CliRunner.Run("predict", Path.Combine(_dir, "many"), "-m", _model, "--jsonl", "--threads", "2");
        Assert.Equal(6, jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)).Count());
        int total = 0;
        for (int s = 0; s < 3; s++)
        {
            var (c, o, _) = CliRunner.Run("predict", Path.Combine(_dir, "many"), "-m", _model, "--jsonl", "--shard", $"{s}/3");
            Assert.Equal(0, c);
            total += o.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }
        Assert.Equal(6, total);
        var outDir = Path.Combine(_dir, "out");
        Assert.Equal(0, CliRunner.Run("predict", Path.Combine(_dir, "many"), "-m", _model, "--out", outDir).Code);
        Assert.Equal(6, Directory.GetFiles(outDir, "*.json").Length);
        var (again, _, err) = CliRunner.Run("predict", Path.Combine(_dir, "many"), "-m", _model, "--out", outDir);
        Assert.Equal(0, again);
        Assert.Contains("6 file(s) skipped", err);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("predict", "x.wav", "-m", _model, "--json", "--csv").Code);
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run("predict", Path.Combine(_dir, "many"), "-m", _model, "--shard", "3/3").Code);
    }

    [Fact]
    public void BadModelsAreExitThreeWithTheFileNamed()
    {
        var wav = Wav("ok.wav", Tone(1.0, 16_000));
        var bytes = File.ReadAllBytes(_model);
        var truncated = Path.Combine(_dir, "truncated.sermodel");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var (code, _, err) = CliRunner.Run("predict", wav, "--model", truncated);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("truncated.sermodel", err);
        var future = (byte[])bytes.Clone();
        future[8] = 99;
        System.Security.Cryptography.SHA256.HashData(future.AsSpan(0, future.Length - 32)).CopyTo(future.AsSpan(future.Length - 32));
        var futurePath = Path.Combine(_dir, "future.sermodel");
        File.WriteAllBytes(futurePath, future);
        var (code2, _, err2) = CliRunner.Run("predict", wav, "--model", futurePath);
        Assert.Equal(ExitCodes.BadInput, code2);
        Assert.Contains("newer", err2);
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run("predict", wav, "--model", Path.Combine(_dir, "none.sermodel")).Code);
    }

    [Fact]
    public void TimelineWritesJsonAndPlots()
    {
        var x = new float[16_000 * 8];
        Tone(2.5, 16_000).CopyTo(x, 16_000);
        Tone(2.0, 16_000, 220).CopyTo(x, 16_000 * 5);
        var wav = Wav("long.wav", x);
        var svg = Path.Combine(_dir, "plot.svg");
        var html = Path.Combine(_dir, "plot.html");
        var (code, stdout, _) = CliRunner.Run("timeline", wav, "-m", _model, "--window", "1.5", "--hop", "0.5", "--json", "--svg", svg, "--html", html);
        Assert.Equal(0, code);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal(2, o["segments"]!.AsArray().Count);
        Assert.True(o["windows"]!.AsArray().Count >= 4);
        System.Xml.Linq.XDocument.Load(svg);
        Assert.Contains("<svg", File.ReadAllText(html));
        var (code2, csv, _) = CliRunner.Run("timeline", wav, "-m", _model, "--csv");
        Assert.Equal(0, code2);
        Assert.StartsWith("start,end,segment,label,p_neutral", csv);
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run("timeline", Path.Combine(_dir, "missing.wav"), "-m", _model).Code);
    }

    [Fact]
    public void ListenReadsRawPcmAndWav()
    {
        var x = Tone(3.0, 16_000);
        var raw = Path.Combine(_dir, "live.raw");
        File.WriteAllBytes(raw, x.SelectMany(v => BitConverter.GetBytes((short)(v * 32767))).ToArray());
        var (code, stdout, _) = CliRunner.Run("listen", "-m", _model, "--input", raw, "--hop", "0.5", "--json");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal([1.0, 1.5, 2.0, 2.5, 3.0], lines.Select(l => l["end"]!.GetValue<double>()));
        Assert.All(lines, l => Assert.NotNull(l["latency_ms"]));
        var wav = Wav("live8k.wav", Tone(2.0, 8_000), 8_000);
        var (code2, text, _) = CliRunner.Run("listen", "-m", _model, "--input", wav, "--hop", "1");
        Assert.Equal(0, code2);
        Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void PackageTurnsATrainerModelIntoALoadableSermodel()
    {
        var loaded = ModelPackage.Load(_model);
        var json = Path.Combine(_dir, "fold1", "model.json");
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        SpeechEmotion.Training.TrainedModelFile.Save(json, new SpeechEmotion.Training.TrainedModel(
            loaded.Manifest.Spec, loaded.Manifest.Preparation, loaded.Manifest.Labels, loaded.Manifest.FeatureSet, loaded.StateDict));
        var packaged = Path.Combine(_dir, "packaged.sermodel");
        var (code, stdout, _) = CliRunner.Run("package", json, "--out", packaged, "--licence", "CC0", "--training-data", "unit test");
        Assert.Equal(0, code);
        Assert.Contains("3 labels", stdout);
        var again = ModelPackage.Load(packaged);
        Assert.Equal("CC0", again.Manifest.Licence);
        foreach (var (k, t) in loaded.StateDict) Assert.Equal(t.ToArray(), again.StateDict[k].ToArray());
        var wav = Wav("pkg.wav", Tone(1.0, 16_000));
        var a = CliRunner.Run("predict", wav, "-m", _model, "--csv").Out;
        var b = CliRunner.Run("predict", wav, "-m", packaged, "--csv").Out;
        Assert.Equal(a, b);
    }

    [Fact]
    public void CalibrateWritesAModelWithAFittedTemperature()
    {
        Wav("val/a.wav", Tone(1.0, 16_000, 120));
        Wav("val/b.wav", Tone(1.0, 16_000, 260));
        var csv = Path.Combine(_dir, "val", "list.csv");
        File.WriteAllText(csv, "path,label\na.wav,happy\nb.wav,angry\n");
        var outPath = Path.Combine(_dir, "calibrated.sermodel");
        var (code, stdout, _) = CliRunner.Run("calibrate", _model, csv, "--out", outPath);
        Assert.Equal(0, code);
        Assert.Contains("temperature", stdout);
        double t = ModelPackage.Load(outPath).Manifest.Temperature;
        Assert.InRange(t, SpeechEmotion.Inference.TemperatureCalibration.MinTemperature, SpeechEmotion.Inference.TemperatureCalibration.MaxTemperature);
        Assert.NotEqual(1.0, t);
        File.WriteAllText(csv, "path,label\na.wav,bored\n");
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run("calibrate", _model, csv, "--out", outPath).Code);
    }
}
