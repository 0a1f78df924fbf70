using System.CommandLine;
using SpeechEmotion.Cli.Commands;

namespace SpeechEmotion.Cli;

/// <summary>Entry point of <c>ser</c>.</summary>
public static class Program
{
    /// <summary>Runs <c>ser</c> with the process's console.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs <c>ser</c> with the given writers; tests call this in-process.
    /// Exit codes: 0 ok, 2 usage, 3 bad input (see <see cref="ExitCodes"/>).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        // The default handler would swallow SpeechEmotionException as exit 1; the catch below maps it to exit 3.
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("Run 'ser --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(config);
        }
        catch (SpeechEmotionException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Builds the command tree; each command lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("ser — speech emotion recognition: features, training, evaluation and prediction.");
        foreach (var option in root.Options)
            if (option is VersionOption version) version.Action = new PrintVersionAction();
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(CvCommand.Create());
        root.Subcommands.Add(AugmentCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(TimelineCommand.Create());
        root.Subcommands.Add(ListenCommand.Create());
        root.Subcommands.Add(PackageCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }

    /// <summary>The library's version, e.g. "0.1.0".</summary>
    public static string Version =>
        typeof(SpeechEmotionException).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    // The default version action reads the entry assembly, which is the test host when run in-process.
    private sealed class PrintVersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return ExitCodes.Ok;
        }
    }
}

/// <summary>Process exit codes of <c>ser</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Generic failure (an internal error).</summary>
    public const int Failure = 1;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;
    /// <summary>An input file or configuration was bad.</summary>
    public const int BadInput = 3;
}
