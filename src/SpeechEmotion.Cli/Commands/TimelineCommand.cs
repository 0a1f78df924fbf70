using System.CommandLine;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser timeline FILE [--model PATH] [--window S] [--hop S] [--smooth N] [--no-vad] [--json|--csv] [--svg PATH] [--html PATH]</c>.</summary>
internal static class TimelineCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A (long) recording: call, interview, meeting." };
        var model = new Option<string?>("--model", "-m") { Description = $"Model file (.sermodel); default {DefaultModel.RelativePath}." };
        var window = new Option<double>("--window") { Description = "Window length (s).", DefaultValueFactory = _ => new TimelineOptions().WindowSeconds };
        var hop = new Option<double>("--hop") { Description = "Hop between windows (s).", DefaultValueFactory = _ => new TimelineOptions().HopSeconds };
        var smooth = new Option<int>("--smooth") { Description = "Moving average over N neighbouring windows (1 = off).", DefaultValueFactory = _ => new TimelineOptions().Smoothing };
        var noVad = new Option<bool>("--no-vad") { Description = "Slide over the whole file instead of detected speech only." };
        var json = new Option<bool>("--json") { Description = "Print JSON (segments and windows)." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (one row per window)." };
        var svg = new Option<string?>("--svg") { Description = "Write an SVG plot of probabilities over time to this path." };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML page (plot + segment table) to this path." };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Longest recording accepted (minutes).", DefaultValueFactory = _ => new TimelineOptions().MaxSeconds / 60 };
        var cmd = new Command("timeline", "Emotion over time: voice-activity segments, sliding windows, smoothing, plots.");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { model, window, hop, smooth, noVad, json, csv, svg, html, maxMinutes }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var recognizer = EmotionRecognizer.Load(DefaultModel.Resolve(parse.GetValue(model)));
                var options = new TimelineOptions
                {
                    WindowSeconds = parse.GetValue(window), HopSeconds = parse.GetValue(hop), Smoothing = parse.GetValue(smooth),
                    VoiceActivity = !parse.GetValue(noVad), MaxSeconds = parse.GetValue(maxMinutes) * 60,
                };
                var result = Timeline.Analyze(recognizer, parse.GetValue(file)!, options);
                if (parse.GetValue(svg) is string s) BatchPrediction.WriteAtomically(s, TimelinePlot.ToSvg(result));
                if (parse.GetValue(html) is string h) BatchPrediction.WriteAtomically(h, TimelinePlot.ToHtml(result));
                if (parse.GetValue(json)) output.WriteLine(result.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                else if (parse.GetValue(csv)) output.Write(result.ToCsv());
                else
                {
                    var inv = System.Globalization.CultureInfo.InvariantCulture;
                    output.WriteLine($"{result.Source}: {result.Duration.ToString("0.0", inv)} s, {result.Segments.Count} speech segment(s)");
                    output.WriteLine($"{"start",8} {"end",8}  {"emotion",-10} conf");
                    foreach (var seg in result.Segments)
                        output.WriteLine($"{seg.Start.ToString("0.00", inv),8} {seg.End.ToString("0.00", inv),8}  {seg.Label,-10} {seg.Confidence.ToString("0.00", inv)}");
                }
                if (result.Segments.Count == 0) error.WriteLine("note: no speech was detected.");
                return ExitCodes.Ok;
            }
            catch (SpeechEmotionException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }
}
