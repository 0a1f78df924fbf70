using System.CommandLine;
using SpeechEmotion.Corpora;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser datasets inspect PATH --corpus NAME</c>: counts per label/speaker/gender and problems.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Corpus root folder (or manifest file for --corpus manifest)." };
        var corpus = new Option<string>("--corpus") { Description = $"Corpus layout: {string.Join(", ", CorpusLoaders.KindNames)}.", Required = true };
        var noDecode = new Option<bool>("--no-decode") { Description = "Do not decode audio (faster; no unreadable/identical-audio check)." };
        var json = new Option<bool>("--json") { Description = "Print the full inspection as JSON." };
        var inspect = new Command("inspect", "Count utterances per label, speaker and gender; list unreadable files, unknown labels and duplicates.");
        inspect.Arguments.Add(path);
        inspect.Options.Add(corpus);
        inspect.Options.Add(noDecode);
        inspect.Options.Add(json);
        inspect.SetAction(parse =>
        {
            var loader = CorpusLoaders.Create(CorpusLoaders.ParseKind(parse.GetValue(corpus)!));
            var result = loader.Load(parse.GetValue(path)!);
            var inspection = DatasetInspection.Run(result, loader.Labels, decode: !parse.GetValue(noDecode));
            parse.InvocationConfiguration.Output.Write(parse.GetValue(json) ? inspection.ToJson() + Environment.NewLine : inspection.ToText());
            return ExitCodes.Ok;
        });
        var cmd = new Command("datasets", "Work with emotion corpora.");
        cmd.Subcommands.Add(inspect);
        return cmd;
    }
}
