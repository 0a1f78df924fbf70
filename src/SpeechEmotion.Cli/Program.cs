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
        var root = BuildRoot(args);
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

    /// <summary>Builds the whole command tree; each command lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot() => BuildRoot([]);

    /// <summary>
    /// Builds the command tree for <paramref name="args"/>: when the first argument names a command, only that
    /// command's subtree (a short process then skips creating the other commands and loading the assemblies
    /// they touch, e.g. SpeechEmotion.Web and ASP.NET for <c>serve</c>); otherwise every command, so that root
    /// help, suggestions for misspelt commands and directives see them all.
    /// </summary>
    public static RootCommand BuildRoot(IReadOnlyList<string> args)
    {
        var root = new RootCommand("ser — speech emotion recognition: features, training, evaluation and prediction.");
        foreach (var option in root.Options)
            if (option is VersionOption version) version.Action = new PrintVersionAction();
        var only = args.Count > 0 ? Array.FindIndex(Commands, c => c.Name == args[0]) : -1;
        if (only >= 0) root.Subcommands.Add(Commands[only].Create());
        else foreach (var (_, create) in Commands) root.Subcommands.Add(create());
        return root;
    }

    // Name and factory of every command, in help order; register a new command with one line here.
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("info", InfoCommand.Create),
        ("audit", AuditCommand.Create),
        ("cache", CacheCommand.Create),
        ("datasets", DatasetsCommand.Create),
        ("features", FeaturesCommand.Create),
        ("bench", BenchCommand.Create),
        ("train", TrainCommand.Create),
        ("cv", CvCommand.Create),
        ("augment", AugmentCommand.Create),
        ("evaluate", EvaluateCommand.Create),
        ("predict", PredictCommand.Create),
        ("timeline", TimelineCommand.Create),
        ("listen", ListenCommand.Create),
        ("package", PackageCommand.Create),
        ("calibrate", CalibrateCommand.Create),
        ("serve", ServeCommand.Create),
    ];

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
