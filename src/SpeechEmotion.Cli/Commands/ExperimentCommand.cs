using System.CommandLine;
using System.Globalization;
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
        var cmd = new Command(name, description);
        cmd.Arguments.Add(config);
        if (mode != RunMode.Evaluate) cmd.Options.Add(resume);
        cmd.Options.Add(allow);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var cfg = ExperimentYaml.Load(parse.GetValue(config)!.FullName);
            if (parse.GetValue(allow)) cfg = cfg with { Protocol = cfg.Protocol with { AllowLeakage = true } };
            if (parse.GetValue(output) is { } dir) cfg = cfg with { Output = dir.FullName };
            var observer = new TextProgress(o, ReferenceEquals(o, Console.Out) && !Console.IsOutputRedirected);
            var report = ExperimentRunner.Run(cfg, mode, parse.GetValue(resume), observer);
            PrintSummary(o, report, cfg.Output);
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

    /// <summary>Epoch lines with loss/UA; on a terminal also a live batch line.</summary>
    private sealed class TextProgress(TextWriter o, bool live) : IExperimentObserver
    {
        private string _fold = "";
        private int _lastPct = -1;

        public void OnStage(string message) => o.WriteLine(message + " ...");

        public void OnFeatures(int done, int total)
        {
            if (!live || done % 25 != 0 && done != total) return;
            lock (o) o.Write($"\rfeatures {done}/{total}" + (done == total ? "\n" : ""));
        }

        public void OnFold(string fold, int index, int count)
        {
            _fold = fold;
            o.WriteLine($"== {fold} ({index}/{count})");
        }

        public void OnBatch(int epoch, int batch, int batches, double loss, double ua)
        {
            if (!live) return;
            int pct = batch * 20 / batches;
            if (pct == _lastPct && batch != batches) return;
            _lastPct = pct;
            o.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_fold} epoch {epoch} [{new string('#', pct)}{new string('.', 20 - pct)}] loss {loss:F3} UA {ua * 100:F1}%   "));
        }

        public void OnEpoch(EpochRecord r, int epochs)
        {
            _lastPct = -1;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(live ? "\r" : "")}{_fold} epoch {r.Epoch}/{epochs}: loss {r.TrainLoss:F3} UA {r.TrainUa * 100:F1}% | val loss {r.ValidationLoss:F3} UA {r.ValidationUa * 100:F1}% WA {r.ValidationWa * 100:F1}% lr {r.LearningRate:G3} {r.Seconds:F1}s{(r.Best ? " *" : "")}"));
        }
    }
}
