using SpeechEmotion.Corpora;

namespace SpeechEmotion.Training;

/// <summary>The leakage audit of a whole experiment: its splits and the report, per fold.</summary>
/// <param name="Config">The experiment.</param>
/// <param name="Splits">Every fold of its protocol.</param>
/// <param name="Report">The audit (the same one training runs; <see cref="LeakageReport.LeakageAllowed"/> is false here).</param>
public sealed record ExperimentAuditResult(ExperimentConfig Config, SplitSet Splits, LeakageReport Report)
{
    /// <summary>The report, a per-fold summary and the split warnings, as text.</summary>
    public string ToText(int perKind = 10)
    {
        var text = $"Experiment '{Config.Name}': {Config.Corpora.Count} corpus/corpora, protocol {Splits.Protocol}, {Splits.Folds.Count} fold(s)"
            + (Config.Protocol.AllowLeakage ? " (the file sets allow_leakage: true)" : "") + Environment.NewLine
            + Report.ToText(perKind) + "Per fold:" + Environment.NewLine + Report.FoldSummary(Splits);
        foreach (var w in Splits.Warnings) text += "warning: " + w + Environment.NewLine;
        return text;
    }
}

/// <summary>
/// <c>ser audit EXPERIMENT.yaml</c>: loads the experiment's corpora, label map and protocol, builds every fold
/// and audits them with exactly the code training uses (<see cref="ExperimentDataLoader.Load"/>), but never
/// refuses: the caller decides what a leaky result means.
/// </summary>
public static class ExperimentAudit
{
    /// <summary>Audits the experiment at <paramref name="yamlPath"/>.</summary>
    /// <param name="yamlPath">Experiment file.</param>
    /// <param name="options">Audit options; null: defaults (audio compared, whatever the file's audit_audio says).</param>
    /// <exception cref="InvalidOptionsException">The experiment file is invalid.</exception>
    public static ExperimentAuditResult Run(string yamlPath, LeakageAuditOptions? options = null)
    {
        var config = ExperimentYaml.Load(yamlPath);
        return Run(config, options);
    }

    /// <summary>Audits <paramref name="config"/>.</summary>
    public static ExperimentAuditResult Run(ExperimentConfig config, LeakageAuditOptions? options = null)
    {
        // Allowing leakage here only stops Load from throwing; the flag is cleared again on the report.
        var data = ExperimentDataLoader.Load(config with { Protocol = config.Protocol with { AllowLeakage = true } }, options ?? new LeakageAuditOptions());
        return new ExperimentAuditResult(config, data.Splits, data.Leakage with { LeakageAllowed = false });
    }
}
