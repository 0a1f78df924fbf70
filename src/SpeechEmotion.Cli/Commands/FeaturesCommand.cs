using System.CommandLine;
using SpeechEmotion.Features;
using Spectre.Console;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser features --set NAME [--param k=v ...] IN... --out DIR [--format npy|csv|json] [--threads N]</c>.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var inputs = new Argument<FileInfo[]>("inputs") { Description = "Audio files.", Arity = ArgumentArity.OneOrMore };
        var set = new Option<string>("--set") { Description = $"Feature set: {string.Join(", ", FeatureSets.Names)}.", Required = true };
        var param = new Option<string[]>("--param", "-p") { Description = "Set parameter k=v (repeatable), e.g. --param n_mfcc=40.", AllowMultipleArgumentsPerToken = false };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder (created if missing).", Required = true };
        var format = new Option<FeatureFileFormat>("--format") { Description = "npy (float32 [frames, features]), csv or json.", DefaultValueFactory = _ => FeatureFileFormat.Npy };
        var threads = new Option<int>("--threads") { Description = "Files processed in parallel (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("features", "Extract a feature set from audio files into one .npy/.csv/.json per file.");
        cmd.Arguments.Add(inputs);
        cmd.Options.Add(set);
        cmd.Options.Add(param);
        cmd.Options.Add(outDir);
        cmd.Options.Add(format);
        cmd.Options.Add(threads);
        cmd.SetAction(parse =>
        {
            // System.CommandLine's default handler would turn library errors into exit 1; map them to 3 here
            try
            {
                var output = parse.InvocationConfiguration.Output;
                var error = parse.InvocationConfiguration.Error;
                var parameters = ParseParams(parse.GetValue(param) ?? []);
                var featureSet = FeatureSets.Create(parse.GetValue(set)!, parameters);
                var files = (parse.GetValue(inputs) ?? []).Select(f => f.ToString()).ToArray();
                var dir = parse.GetValue(outDir)!.FullName;
                IReadOnlyList<FeatureBatchItem> results;
                var interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && files.Length > 1;
                if (interactive)
                {
                    IReadOnlyList<FeatureBatchItem>? r = null;
                    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                    console.Progress().Start(ctx =>
                    {
                        var task = ctx.AddTask($"features ({featureSet.Name})", maxValue: files.Length);
                        r = FeatureBatch.Run(files, featureSet, dir, parse.GetValue(format), parse.GetValue(threads), _ => task.Increment(1));
                    });
                    results = r!;
                }
                else results = FeatureBatch.Run(files, featureSet, dir, parse.GetValue(format), parse.GetValue(threads));
                var failed = results.Where(r => r.Error is not null).ToList();
                foreach (var r in results.Where(r => r.Error is null)) output.WriteLine($"{r.Input} -> {r.Output} ({r.Frames} frames)");
                foreach (var r in failed) error.WriteLine($"error: {r.Error}");
                if (failed.Count > 0) error.WriteLine($"{failed.Count} of {results.Count} file(s) failed.");
                return failed.Count > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
            }
            catch (SpeechEmotionException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    /// <summary>k=v pairs into a dictionary; a malformed pair is a usage error reported as bad input.</summary>
    internal static Dictionary<string, string> ParseParams(IEnumerable<string> pairs)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new Problems();
        foreach (var kv in pairs)
        {
            var i = kv.IndexOf('=');
            if (i <= 0) { problems.Add($"--param '{kv}' must look like name=value"); continue; }
            d[kv[..i].Trim()] = kv[(i + 1)..].Trim();
        }
        problems.ThrowIfAny("--param");
        return d;
    }
}
