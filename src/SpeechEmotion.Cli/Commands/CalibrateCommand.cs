using System.CommandLine;
using System.Globalization;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser calibrate MODEL CLIPS.csv --out FILE</c>: temperature scaling on labelled validation clips (CSV: path,label; paths relative to the CSV or to --root).</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The .sermodel to calibrate." };
        var list = new Argument<string>("clips") { Description = "CSV with header path,label: validation clips (never test data)." };
        var root = new Option<string?>("--root") { Description = "Folder the CSV's paths are relative to (default: the CSV's folder)." };
        var output = new Option<string>("--out", "-o") { Description = "Calibrated model to write (may be the input).", Required = true };
        var cmd = new Command("calibrate", "Fit the softmax temperature of a model on labelled validation clips.");
        cmd.Arguments.Add(model);
        cmd.Arguments.Add(list);
        cmd.Options.Add(root);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var csv = parse.GetValue(list)!;
            var clips = CalibrationList.Read(csv, parse.GetValue(root));
            var (t, before, after) = ModelCalibration.Calibrate(parse.GetValue(model)!, clips, parse.GetValue(output)!);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"temperature {t:F3} on {clips.Count} clips: NLL {before:F4} -> {after:F4} nats; wrote {parse.GetValue(output)}"));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
