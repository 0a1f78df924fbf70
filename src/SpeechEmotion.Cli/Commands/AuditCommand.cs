using System.CommandLine;
using SpeechEmotion.Corpora;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary>
/// <c>ser audit [SPLIT.json | EXPERIMENT.yaml] [--corpus NAME --data PATH --protocol P]</c>: leakage audit of a saved
/// split, of every fold of an experiment (the audit training runs), or of a split made on the fly (optionally saved
/// with --save). Exit 3 when leaky unless --allow-leakage.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var split = new Argument<FileInfo?>("split") { Description = "A split file (speechemotion-split/1 JSON), or an experiment file (.yaml/.yml): all its folds are built and audited.", Arity = ArgumentArity.ZeroOrOne };
        var corpus = new Option<string?>("--corpus") { Description = $"Make the split from a corpus instead: {string.Join(", ", CorpusLoaders.KindNames)}." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Corpus root folder (with --corpus)." };
        var protocol = new Option<string>("--protocol") { Description = $"Split protocol with --corpus: {string.Join(", ", SplitProtocols.Names)}.", DefaultValueFactory = _ => "ravdess5" };
        var folds = new Option<int>("--folds") { Description = "Folds for --protocol kfold.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for seeded protocols.", DefaultValueFactory = _ => 0 };
        var save = new Option<FileInfo?>("--save") { Description = "Write the generated (or the experiment's) split to this file." };
        var noAudio = new Option<bool>("--no-audio") { Description = "Skip decoding: check speakers, ids, text and augmentation only." };
        var threshold = new Option<double>("--threshold") { Description = "Near-duplicate fingerprint similarity threshold.", DefaultValueFactory = _ => new LeakageAuditOptions().NearDuplicateThreshold };
        var allow = new Option<bool>("--allow-leakage") { Description = "Accept a leaky split (exit 0); the report says LEAKAGE ALLOWED." };
        var cmd = new Command("audit", "Check a split or a whole experiment for leakage: shared speakers, identical, near-identical or speed/pitch-altered audio, same text, augmented copies across the split.");
        cmd.Arguments.Add(split);
        foreach (var o in new Option[] { corpus, data, protocol, folds, seed, save, noAudio, threshold, allow }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(split);
            var corpusName = parse.GetValue(corpus);
            var root = parse.GetValue(data);
            if ((file is null) == (corpusName is null) || (corpusName is not null && root is null))
            {
                error.WriteLine("error: give either a split file or --corpus NAME --data PATH.");
                return ExitCodes.Usage;
            }
            var options = new LeakageAuditOptions { CheckAudio = !parse.GetValue(noAudio), NearDuplicateThreshold = parse.GetValue(threshold) };
            if (file is not null && file.Extension.ToLowerInvariant() is ".yaml" or ".yml")
            {
                var audit = ExperimentAudit.Run(file.FullName, options);
                output.Write(audit.ToText());
                if (parse.GetValue(save) is { } splitTarget)
                {
                    SplitFile.Save(audit.Splits, splitTarget.FullName);
                    output.WriteLine($"split saved to {splitTarget.FullName}");
                }
                return Verdict(audit.Report, parse.GetValue(allow), output, error);
            }
            SplitSet set;
            if (file is not null) set = SplitFile.Load(file.FullName);
            else
            {
                var loaded = CorpusLoaders.Load(CorpusLoaders.ParseKind(corpusName!), root!.FullName);
                if (loaded.Issues.Count > 0) error.WriteLine($"warning: {loaded.Issues.Count} file(s) not loaded (run 'ser datasets inspect' for the list).");
                set = SplitProtocols.Make(SplitProtocols.Parse(parse.GetValue(protocol)!), loaded.Utterances, parse.GetValue(folds), new SplitOptions { Seed = parse.GetValue(seed) });
                if (parse.GetValue(save) is { } target)
                {
                    SplitFile.Save(set, target.FullName);
                    output.WriteLine($"split saved to {target.FullName}");
                }
            }
            var report = LeakageAudit.Audit(set, options);
            if (report.IsLeaky && parse.GetValue(allow)) report = report with { LeakageAllowed = true };
            output.Write(report.ToText());
            if (set.Folds.Count > 1) output.Write("Per fold:" + Environment.NewLine + report.FoldSummary(set));
            foreach (var w in set.Warnings) output.WriteLine("warning: " + w);
            return Verdict(report, parse.GetValue(allow), output, error);
        });
        return cmd;
    }

    private static int Verdict(LeakageReport report, bool allow, TextWriter output, TextWriter error)
    {
        if (!report.IsLeaky) return ExitCodes.Ok;
        if (allow)
        {
            output.WriteLine("LEAKAGE ALLOWED (--allow-leakage): results on this split are not speaker/clip independent.");
            return ExitCodes.Ok;
        }
        error.WriteLine("error: the split is leaky; fix it or pass --allow-leakage.");
        return ExitCodes.BadInput;
    }
}
