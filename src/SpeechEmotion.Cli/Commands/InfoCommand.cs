using System.CommandLine;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser info FILE...</c>: format, encoding, channels, rate, duration, peak, RMS.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Audio files to describe.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file." };
        var cmd = new Command("info", "Describe audio files: format, encoding, channels, rate, duration, peak, RMS.");
        cmd.Arguments.Add(files);
        cmd.Options.Add(json);
        cmd.SetAction((parse) =>
        {
            parse.InvocationConfiguration.Output.WriteLine("info: not implemented yet");
            return ExitCodes.Failure;
        });
        return cmd;
    }
}
