using System.CommandLine;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser bench inference [--model PATH] [--clip WAV] [--folder DIR] [--threads N]</c>: latency and throughput JSON lines.</summary>
internal static class BenchInferenceCommand
{
    internal static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = $"Model file; default {DefaultModel.RelativePath}." };
        var clip = new Option<string?>("--clip") { Description = "Clip for the latency run (default samples/angry-actor03.wav next to the model)." };
        var folder = new Option<string?>("--folder") { Description = "Folder/glob for the throughput run (skipped when absent)." };
        var threads = new Option<int>("--threads") { Description = "Workers for the throughput run.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var iterations = new Option<int>("--iterations") { Description = "Timed latency calls.", DefaultValueFactory = _ => 200 };
        var cmd = new Command("inference", "End-to-end recognition latency (3-s clip, warm) and folder throughput; prints JSON lines.");
        foreach (var o in new Option[] { model, clip, folder, threads, iterations }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var path = DefaultModel.Resolve(parse.GetValue(model));
            var r = EmotionRecognizer.Load(path, new RecognizerOptions { MaxConcurrency = Math.Max(1, parse.GetValue(threads)) });
            var c = parse.GetValue(clip) ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))!)!, "samples", "angry-actor03.wav");
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine(InferenceBenchmark.Latency(r, c, Math.Max(10, parse.GetValue(iterations))).ToJsonString());
            if (parse.GetValue(folder) is string f)
                o.WriteLine(InferenceBenchmark.Throughput(r, InputFiles.Expand([f], out _), Math.Max(1, parse.GetValue(threads))).ToJsonString());
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
