using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SpeechEmotion.Evaluation;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary>Shared shape of <c>ser train</c>, <c>ser cv</c> and <c>ser evaluate</c>: read the YAML, run, print the summary.</summary>
internal static class ExperimentCommand
{
    public static Command Create(string name, string description, RunMode mode)
    {
        var config = new Argument<FileInfo>("config") { Description = "Experiment YAML (see experiments/)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoints in the output folder (finished folds are reused)." };
        var allow = new Option<bool>("--allow-leakage") { Description = "Accept a leaky split; every report is then labelled LEAKY." };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "Output folder (overrides the YAML's 'output')." };
        var robustness = new Option<bool>("--robustness") { Description = "After cross-validation, score every fold model on its test fold with babble and pink noise at 10 and 0 dB SNR (robustness.json/.md)." };
        var compare = new Option<FileInfo?>("--compare-with") { Description = "With --robustness: another experiment's robustness.json, printed as the first column of the table." };
        var cmd = new Command(name, description);
        cmd.Arguments.Add(config);
        if (mode != RunMode.Evaluate) cmd.Options.Add(resume);
        if (mode == RunMode.CrossValidate) { cmd.Options.Add(robustness); cmd.Options.Add(compare); }
        cmd.Options.Add(allow);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var cfg = ExperimentYaml.Load(parse.GetValue(config)!.FullName);
            if (parse.GetValue(allow)) cfg = cfg with { Protocol = cfg.Protocol with { AllowLeakage = true } };
            if (parse.GetValue(output) is { } dir) cfg = cfg with { Output = dir.FullName };
            // A live Spectre progress bar only on a real terminal; redirected output (files, CI, tests) gets plain lines.
            bool terminal = ReferenceEquals(o, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            IExperimentObserver observer = new TextProgress(o);
            ExperimentReport report = null!;
            if (terminal)
                AnsiConsole.Progress().AutoClear(true).HideCompleted(true)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx => report = ExperimentRunner.Run(cfg, mode, parse.GetValue(resume), observer = new LiveProgress(ctx)));
            else report = ExperimentRunner.Run(cfg, mode, parse.GetValue(resume), observer);
            PrintSummary(o, report, cfg.Output);
            if (mode == RunMode.CrossValidate && parse.GetValue(robustness))
            {
                var rob = RobustnessEvaluation.Run(cfg, observer: new TextProgress(o));
                var other = parse.GetValue(compare) is { } f ? RobustnessEvaluation.Load(f.FullName) : null;
                o.Write(RobustnessEvaluation.Markdown(other is null ? [rob] : [other, rob]));
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void PrintSummary(TextWriter o, ExperimentReport r, string folder)
    {
        if (r.Leaky) o.WriteLine("WARNING: LEAKY SPLIT (allowed explicitly) — these figures overstate accuracy on new speakers.");
        foreach (var f in r.Folds)
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Fold}: WA {f.Test.WeightedAccuracy * 100:F1}%  UA {f.Test.UnweightedAverageRecall * 100:F1}%  F1 {f.Test.MacroF1 * 100:F1}%  (best epoch {f.BestEpoch}/{f.Epochs}, {f.TrainSeconds:F0} s)"));
        var s = r.Summary;
        o.WriteLine($"{r.Name}: WA {s.WeightedAccuracy.ToString(100)}  UA {s.UnweightedAverageRecall.ToString(100)}  F1 {s.MacroF1.ToString(100)}  over {r.Folds.Count} fold(s){(r.Leaky ? "  [LEAKY]" : "")}");
        o.WriteLine($"reports: {Path.Combine(folder, "report.html")} (.md, .json)");
    }

    /// <summary>Plain progress lines (stages, folds, one line per epoch with loss/UA) for redirected output.</summary>
    private sealed class TextProgress(TextWriter o) : IExperimentObserver
    {
        private string _fold = "";

        public void OnStage(string message) => o.WriteLine(message + " ...");

        public void OnFeatures(int done, int total) { }

        public void OnFold(string fold, int index, int count)
        {
            _fold = fold;
            o.WriteLine($"== {fold} ({index}/{count})");
        }

        public void OnBatch(int epoch, int batch, int batches, double loss, double ua) { }

        public void OnEpoch(EpochRecord r, int epochs) => o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_fold} epoch {r.Epoch}/{epochs}: loss {r.TrainLoss:F3} UA {r.TrainUa * 100:F1}% | val loss {r.ValidationLoss:F3} UA {r.ValidationUa * 100:F1}% WA {r.ValidationWa * 100:F1}% lr {r.LearningRate:G3} {r.Seconds:F1}s{(r.Best ? " *" : "")}"));
    }

    /// <summary>Spectre progress: one bar for the current stage or feature extraction, one per fold with live loss/UA.</summary>
    private sealed class LiveProgress(ProgressContext ctx) : IExperimentObserver
    {
        private ProgressTask? _stage, _fold;
        private string _name = "";
        private double _bestVal;

        public void OnStage(string message)
        {
            _stage?.StopTask();
            _stage = ctx.AddTask(Markup.Escape(message), maxValue: 1);
        }

        public void OnFeatures(int done, int total)
        {
            if (_stage is not { } t) return;
            t.MaxValue = total;
            t.Value = done;
        }

        public void OnFold(string fold, int index, int count)
        {
            _stage?.StopTask();
            _fold?.StopTask();
            _name = $"{fold} ({index}/{count})";
            _bestVal = 0;
            _fold = ctx.AddTask(Markup.Escape(_name), maxValue: 1);
        }

        public void OnBatch(int epoch, int batch, int batches, double loss, double ua)
        {
            if (_fold is not { } t) return;
            t.Value = Math.Min(t.MaxValue, epoch - 1 + (double)batch / batches);
            t.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{_name} epoch {epoch}: loss {loss:F3} UA {ua * 100:F1}% | best val UA {_bestVal * 100:F1}%"));
        }

        public void OnEpoch(EpochRecord r, int epochs)
        {
            if (_fold is not { } t) return;
            if (r.ValidationUa > _bestVal) _bestVal = r.ValidationUa;
            t.MaxValue = epochs;
            t.Value = r.Epoch;
            t.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{_name} epoch {r.Epoch}/{epochs}: loss {r.TrainLoss:F3} UA {r.TrainUa * 100:F1}% | val UA {r.ValidationUa * 100:F1}% (best {_bestVal * 100:F1}%)"));
        }
    }
}
