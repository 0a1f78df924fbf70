using System.CommandLine;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser package MODEL_JSON --out FILE.sermodel [--cv-report report.json] [--training-data TEXT] [--licence TEXT]</c>.</summary>
internal static class PackageCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A fold's model.json from ser train / ser cv." };
        var output = new Option<string>("--out", "-o") { Description = "The .sermodel to write.", Required = true };
        var report = new Option<string?>("--cv-report") { Description = "report.json of ser cv on the same config (scores go into the manifest)." };
        var data = new Option<string>("--training-data") { Description = "What the weights were trained on.", DefaultValueFactory = _ => "" };
        var licence = new Option<string>("--licence") { Description = "Licence of the training data that applies to the weights.", DefaultValueFactory = _ => "" };
        var cmd = new Command("package", "Package a trained model as a portable .sermodel for ser predict/timeline/listen.");
        cmd.Arguments.Add(model);
        foreach (var o in new Option[] { output, report, data, licence }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var m = ModelExport.Package(parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(report), parse.GetValue(data)!, parse.GetValue(licence)!);
            parse.InvocationConfiguration.Output.WriteLine($"{parse.GetValue(output)}: {m.Spec.Architecture}, {m.Labels.Count} labels ({string.Join(", ", m.Labels)})");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
