using System.CommandLine;
using SpeechEmotion.Inference;
using Spectre.Console;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser predict FILE|DIR|GLOB... [--model PATH] [--json|--csv|--jsonl] [--top K] [--shard I/N] [--out DIR] [--threads N]</c>.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Audio files, folders (searched recursively) or globs ('**' spans folders).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model", "-m") { Description = $"Model file (.sermodel); default {DefaultModel.RelativePath} next to ser or in the checkout." };
        var json = new Option<bool>("--json") { Description = "Print one JSON array." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (one row per file)." };
        var jsonl = new Option<bool>("--jsonl") { Description = "Print one JSON object per line, as files finish." };
        var top = new Option<int>("--top") { Description = "Show the K most probable emotions (0 = all).", DefaultValueFactory = _ => 3 };
        var shard = new Option<string?>("--shard") { Description = "Process only shard I of N (0-based, e.g. 0/4): a stable partition by path hash for job arrays." };
        var outDir = new Option<string?>("--out", "-o") { Description = "Write one JSON per input into this folder (atomic; inputs already done are skipped)." };
        var threads = new Option<int>("--threads") { Description = "Files processed in parallel (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Longest clip accepted (longer files fail; use 'ser timeline').", DefaultValueFactory = _ => RecognizerOptions.Default.MaxClipSeconds };
        var cmd = new Command("predict", "Recognise the emotion of each audio file.");
        cmd.Arguments.Add(inputs);
        foreach (var o in new Option[] { model, json, csv, jsonl, top, shard, outDir, threads, maxSeconds }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (new[] { parse.GetValue(json), parse.GetValue(csv), parse.GetValue(jsonl) }.Count(b => b) > 1)
            {
                error.WriteLine("error: choose at most one of --json, --csv, --jsonl.");
                return ExitCodes.Usage;
            }
            try
            {
                var modelPath = DefaultModel.Resolve(parse.GetValue(model));
                var recognizer = EmotionRecognizer.Load(modelPath, new RecognizerOptions { MaxClipSeconds = parse.GetValue(maxSeconds) });
                var files = InputFiles.Expand(parse.GetValue(inputs) ?? [], out var unmatched);
                var options = new BatchOptions
                {
                    Parallelism = Math.Max(1, parse.GetValue(threads)),
                    Shard = parse.GetValue(shard) is string s ? Shard.Parse(s) : Shard.All,
                    OutputDirectory = parse.GetValue(outDir),
                };
                int k = parse.GetValue(top);
                bool asJsonl = parse.GetValue(jsonl);
                var gate = new object();
                Action<FileOutcome>? onEach = asJsonl
                    ? o => { if (o.Prediction is not null) lock (gate) output.WriteLine(PredictionJson.ToJson(o.Input.Path, o.Prediction, k).ToJsonString()); }
                    : null;
                IReadOnlyList<FileOutcome> outcomes;
                bool interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && files.Count > 4;
                if (interactive)
                {
                    IReadOnlyList<FileOutcome>? r = null;
                    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                    console.Progress().Start(ctx =>
                    {
                        var task = ctx.AddTask("predict", maxValue: files.Count);
                        r = BatchPrediction.Run(recognizer, files, options, o => { task.Increment(1); onEach?.Invoke(o); });
                    });
                    outcomes = r!;
                }
                else outcomes = BatchPrediction.Run(recognizer, files, options, onEach);

                var done = outcomes.Where(o => o.Prediction is not null).ToList();
                if (parse.GetValue(json))
                    output.WriteLine(new System.Text.Json.Nodes.JsonArray(done.Select(o => (System.Text.Json.Nodes.JsonNode?)PredictionJson.ToJson(o.Input.Path, o.Prediction!, k)).ToArray())
                        .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                else if (parse.GetValue(csv))
                {
                    output.WriteLine(PredictionJson.CsvHeader(recognizer.Labels));
                    foreach (var o in done) output.WriteLine(PredictionJson.CsvRow(o.Input.Path, o.Prediction!));
                }
                else if (!asJsonl) WriteTable(output, done, k);

                int skipped = outcomes.Count(o => o.Skipped);
                if (skipped > 0) error.WriteLine($"{skipped} file(s) skipped: their output already exists in {options.OutputDirectory}.");
                var failed = outcomes.Where(o => o.Error is not null).ToList();
                foreach (var u in unmatched) error.WriteLine($"error: {u}: no such file, folder or matching audio.");
                foreach (var f in failed) error.WriteLine($"error: {f.Error}");
                if (failed.Count + unmatched.Count > 0)
                    error.WriteLine($"{failed.Count + unmatched.Count} input(s) failed; {done.Count} of {outcomes.Count} file(s) recognised.");
                if (files.Count == 0 && unmatched.Count == 0) error.WriteLine("error: no audio files found in the inputs.");
                return failed.Count + unmatched.Count > 0 || files.Count == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
            }
            catch (SpeechEmotionException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<FileOutcome> done, int k)
    {
        if (done.Count == 0) return;
        int width = Math.Min(60, done.Max(o => o.Input.Path.Length));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        output.WriteLine($"{"file".PadRight(width)}  {"emotion",-10} {"conf",5}  top");
        foreach (var o in done)
        {
            var p = o.Prediction!;
            var name = o.Input.Path.Length > width ? "…" + o.Input.Path[^(width - 1)..] : o.Input.Path.PadRight(width);
            var tops = string.Join("  ", p.Top(k > 0 ? k : p.Labels.Count).Select(t => $"{t.Label} {t.Probability.ToString("0.00", inv)}"));
            var extra = (p.Arousal is float a ? $"  arousal {a.ToString("0.00", inv)}" : "") + (p.Valence is float v ? $"  valence {v.ToString("0.00", inv)}" : "");
            output.WriteLine($"{name}  {p.Label,-10} {p.Confidence.ToString("0.00", inv),5}  {tops}{extra}");
        }
    }
}
