using System.CommandLine;
using System.Globalization;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>arecord -f S16_LE -r 16000 -c 1 -t raw | ser listen [--rate HZ] [--channels N] [--window S] [--hop S] [--json]</c>.</summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = $"Model file (.sermodel); default {DefaultModel.RelativePath}." };
        var input = new Option<string>("--input", "-i") { Description = "Read from this file instead of stdin ('-' = stdin).", DefaultValueFactory = _ => "-" };
        var rate = new Option<int>("--rate", "-r") { Description = "Sample rate of raw s16le input (Hz); a WAV header overrides it.", DefaultValueFactory = _ => 16_000 };
        var channels = new Option<int>("--channels", "-c") { Description = "Interleaved channels of raw input (averaged).", DefaultValueFactory = _ => 1 };
        var window = new Option<double>("--window") { Description = "Seconds each rolling prediction looks back over.", DefaultValueFactory = _ => new StreamingOptions().WindowSeconds };
        var hop = new Option<double>("--hop") { Description = "Print a prediction every this many seconds of audio.", DefaultValueFactory = _ => new StreamingOptions().HopSeconds };
        var smoothing = new Option<double>("--smoothing") { Description = "Exponential smoothing across hops, 0..0.99.", DefaultValueFactory = _ => new StreamingOptions().Smoothing };
        var json = new Option<bool>("--json") { Description = "One JSON object per hop instead of text." };
        var cmd = new Command("listen", "Live emotion from raw s16le PCM or a WAV stream on stdin (e.g. arecord -f S16_LE -r 16000 -c 1 -t raw | ser listen).");
        foreach (var o in new Option[] { model, input, rate, channels, window, hop, smoothing, json }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var recognizer = EmotionRecognizer.Load(DefaultModel.Resolve(parse.GetValue(model)));
                var options = new StreamingOptions
                {
                    InputSampleRate = parse.GetValue(rate), WindowSeconds = parse.GetValue(window), HopSeconds = parse.GetValue(hop),
                    Smoothing = parse.GetValue(smoothing), MinSeconds = Math.Min(1, parse.GetValue(window)),
                };
                options.Validate();
                var path = parse.GetValue(input)!;
                using var stream = path == "-" ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                bool asJson = parse.GetValue(json);
                var inv = CultureInfo.InvariantCulture;
                double seconds = LiveAudio.Run(stream, recognizer, options, parse.GetValue(channels), r =>
                {
                    if (asJson)
                    {
                        var o = new System.Text.Json.Nodes.JsonObject { ["start"] = Math.Round(r.Start, 3), ["end"] = Math.Round(r.End, 3), ["latency_ms"] = Math.Round(r.ProcessingMilliseconds, 2) };
                        if (r.Prediction is { } p) o = MergeInto(o, PredictionJson.ToJson("-", p));
                        else o["label"] = "silence";
                        output.WriteLine(o.ToJsonString());
                    }
                    else if (r.Prediction is { } p)
                        output.WriteLine($"{r.End.ToString("0.0", inv),7}s  {p.Label,-10} {p.Confidence.ToString("0.00", inv)}  {string.Join("  ", p.Top(3).Select(t => $"{t.Label} {t.Probability.ToString("0.00", inv)}"))}");
                    else output.WriteLine($"{r.End.ToString("0.0", inv),7}s  (silence)");
                    output.Flush();
                });
                error.WriteLine($"{seconds.ToString("0.0", inv)} s of audio processed.");
                return ExitCodes.Ok;
            }
            catch (SpeechEmotionException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
            catch (IOException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    private static System.Text.Json.Nodes.JsonObject MergeInto(System.Text.Json.Nodes.JsonObject head, System.Text.Json.Nodes.JsonObject p)
    {
        foreach (var (k, v) in p.ToArray())
        {
            if (k is "file" or "duration") continue;
            p.Remove(k);
            head[k] = v;
        }
        return head;
    }
}
