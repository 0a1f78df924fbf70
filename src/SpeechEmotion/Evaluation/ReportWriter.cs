using System.Globalization;
using System.Net;
using System.Text;
using SpeechEmotion.Corpora;

namespace SpeechEmotion.Evaluation;

/// <summary>Writes an <see cref="ExperimentReport"/> as report.json, report.md and a self-contained report.html
/// (inline CSS and SVG: confusion matrix and learning curves; no scripts, no external files).</summary>
public static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the three files into <paramref name="folder"/> atomically; returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(ExperimentReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new[] { ("report.json", report.ToJson()), ("report.md", Markdown(report)), ("report.html", Html(report)) };
        foreach (var (name, text) in files) AtomicFile.WriteAllText(Path.Combine(folder, name), text);
        return files.Select(f => Path.Combine(folder, f.Item1)).ToArray();
    }

    private static string P(double v) => (v * 100).ToString("F1", Inv);

    /// <summary>Markdown: summary table, per-fold table, per-class scores, pooled confusion matrix.</summary>
    public static string Markdown(ExperimentReport r)
    {
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(r.Title).AppendLine();
        if (r.Leaky)
            sb.AppendLine("> **WARNING: leaky split.** Speakers or copies of the same recording appear on both sides of the split, so these figures overstate accuracy on new speakers. They are shown only to reproduce the original recipe.").AppendLine();
        if (r.Description is not null) sb.AppendLine(r.Description).AppendLine();
        sb.AppendLine($"- Model: `{r.Architecture}` ({r.Parameters:N0} parameters); features: `{r.FeatureSet}`; labels: {r.Labels}; seed {r.Seed}");
        sb.AppendLine($"- Protocol: {r.Protocol}");
        sb.AppendLine($"- Leakage audit: {r.LeakageSummary}");
        sb.AppendLine($"- Created {r.Created:yyyy-MM-dd HH:mm} UTC, tool {r.ToolVersion}").AppendLine();
        var s = r.Summary;
        sb.AppendLine("| WA % | UA % | macro-F1 % | folds |").AppendLine("|---|---|---|---|");
        sb.AppendLine($"| {s.WeightedAccuracy.ToString(100)} | {s.UnweightedAverageRecall.ToString(100)} | {s.MacroF1.ToString(100)} | {r.Folds.Count} |").AppendLine();
        sb.AppendLine("## Folds").AppendLine().AppendLine("| fold | test speakers | train/val/test | WA % | UA % | F1 % | val UA % | best epoch / run | train s |").AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var f in r.Folds)
            sb.AppendLine($"| {f.Fold} | {string.Join(" ", f.TestSpeakers)} | {string.Join("/", f.Sizes)} | {P(f.Test.WeightedAccuracy)} | {P(f.Test.UnweightedAverageRecall)} | {P(f.Test.MacroF1)} | {P(f.ValidationUa)} | {f.BestEpoch} / {f.Epochs} | {f.TrainSeconds.ToString("F0", Inv)} |");
        sb.AppendLine().AppendLine("## Pooled per-class scores").AppendLine();
        var pooled = ClassificationMetrics.FromConfusion(s.PooledConfusion, r.Classes);
        sb.AppendLine("| class | precision % | recall % | F1 % | support |").AppendLine("|---|---|---|---|---|");
        for (int c = 0; c < r.Classes.Count; c++)
            sb.AppendLine($"| {r.Classes[c]} | {P(pooled.Precision[c])} | {P(pooled.Recall[c])} | {P(pooled.F1[c])} | {pooled.Support[c]} |");
        sb.AppendLine().AppendLine("## Pooled confusion matrix (rows: truth, columns: prediction)").AppendLine();
        sb.Append("| |").AppendJoin("", r.Classes.Select(c => $" {c} |")).AppendLine();
        sb.Append("|---|").AppendJoin("", r.Classes.Select(_ => "---|")).AppendLine();
        for (int t = 0; t < r.Classes.Count; t++)
            sb.Append($"| **{r.Classes[t]}** |").AppendJoin("", s.PooledConfusion[t].Select(v => $" {v} |")).AppendLine();
        return sb.ToString();
    }

    /// <summary>Self-contained HTML page.</summary>
    public static string Html(ExperimentReport r)
    {
        string E(string? t) => WebUtility.HtmlEncode(t ?? "");
        var s = r.Summary;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Title)).Append("</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}.warn{background:#fde8e8;border:2px solid #c00;padding:1em;font-weight:bold}")
          .Append(".big{font-size:1.4em}svg text{font-family:system-ui,sans-serif}</style></head><body>");
        sb.Append("<h1>").Append(E(r.Title)).Append("</h1>");
        if (r.Leaky) sb.Append("<p class=\"warn\">LEAKY SPLIT: speakers or copies of the same recording are on both sides; these figures overstate accuracy on new speakers.</p>");
        if (r.Description is not null) sb.Append("<p>").Append(E(r.Description)).Append("</p>");
        sb.Append("<p>Model <code>").Append(E(r.Architecture)).Append("</code> (").Append(r.Parameters.ToString("N0", Inv)).Append(" parameters), features <code>")
          .Append(E(r.FeatureSet)).Append("</code>, labels ").Append(E(r.Labels)).Append(", seed ").Append(r.Seed).Append("<br>Protocol: ").Append(E(r.Protocol))
          .Append("<br>Leakage audit: ").Append(E(r.LeakageSummary)).Append("</p>");
        sb.Append("<table class=\"big\"><tr><th>WA %</th><th>UA %</th><th>macro-F1 %</th><th>folds</th></tr><tr><td>")
          .Append(s.WeightedAccuracy.ToString(100)).Append("</td><td>").Append(s.UnweightedAverageRecall.ToString(100)).Append("</td><td>")
          .Append(s.MacroF1.ToString(100)).Append("</td><td>").Append(r.Folds.Count).Append("</td></tr></table>");
        sb.Append("<h2>Folds</h2><table><tr><th>fold</th><th>train/val/test</th><th>WA %</th><th>UA %</th><th>F1 %</th><th>val UA %</th><th>best epoch / run</th><th>train s</th></tr>");
        foreach (var f in r.Folds)
            sb.Append("<tr><td>").Append(E(f.Fold)).Append("</td><td>").Append(string.Join("/", f.Sizes)).Append("</td><td>").Append(P(f.Test.WeightedAccuracy))
              .Append("</td><td>").Append(P(f.Test.UnweightedAverageRecall)).Append("</td><td>").Append(P(f.Test.MacroF1)).Append("</td><td>").Append(P(f.ValidationUa))
              .Append("</td><td>").Append(f.BestEpoch).Append(" / ").Append(f.Epochs).Append("</td><td>").Append(f.TrainSeconds.ToString("F0", Inv)).Append("</td></tr>");
        sb.Append("</table><h2>Pooled confusion matrix (row-normalised; counts in cells)</h2>");
        sb.Append(ConfusionSvg(s.PooledConfusion, r.Classes));
        sb.Append("<h2>Learning curves</h2>");
        foreach (var f in r.Folds.Where(f => f.Curve.Count > 0))
            sb.Append("<h3>").Append(E(f.Fold)).Append("</h3>").Append(CurveSvg(f.Curve, f.BestEpoch));
        if (r.Config is not null) sb.Append("<h2>Experiment</h2><pre>").Append(E(r.Config)).Append("</pre>");
        sb.Append("</body></html>");
        return sb.ToString();
    }

    /// <summary>SVG heat map of <paramref name="counts"/> (row-normalised colour, counts and percentages as text).</summary>
    public static string ConfusionSvg(int[][] counts, IReadOnlyList<string> names)
    {
        int n = counts.Length, cell = 56, left = 100, top = 90;
        var sb = new StringBuilder();
        int w = left + n * cell + 10, h = top + n * cell + 30;
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"confusion matrix\">");
        for (int t = 0; t < n; t++)
        {
            double row = Math.Max(1, counts[t].Sum());
            sb.Append(Inv, $"<text x=\"{left - 6}\" y=\"{top + t * cell + cell / 2 + 4}\" text-anchor=\"end\" font-size=\"12\">{WebUtility.HtmlEncode(names[t])}</text>");
            for (int p = 0; p < n; p++)
            {
                double frac = counts[t][p] / row;
                int shade = (int)Math.Round(255 - frac * 200);
                string fill = t == p ? $"rgb({shade},{shade},255)" : $"rgb(255,{shade},{shade})";
                sb.Append(Inv, $"<rect x=\"{left + p * cell}\" y=\"{top + t * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#fff\"/>");
                sb.Append(Inv, $"<text x=\"{left + p * cell + cell / 2}\" y=\"{top + t * cell + cell / 2}\" text-anchor=\"middle\" font-size=\"12\">{counts[t][p]}</text>");
                sb.Append(Inv, $"<text x=\"{left + p * cell + cell / 2}\" y=\"{top + t * cell + cell / 2 + 14}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">{frac * 100:F0}%</text>");
            }
        }
        for (int p = 0; p < n; p++)
            sb.Append(Inv, $"<text transform=\"translate({left + p * cell + cell / 2 + 4},{top - 6}) rotate(-45)\" font-size=\"12\">{WebUtility.HtmlEncode(names[p])}</text>");
        sb.Append(Inv, $"<text x=\"{left + n * cell / 2}\" y=\"{h - 6}\" text-anchor=\"middle\" font-size=\"12\">predicted</text>");
        return sb.Append("</svg>").ToString();
    }

    /// <summary>SVG line chart: losses (left) and UA (right) per epoch, the restored epoch marked.</summary>
    public static string CurveSvg(IReadOnlyList<CurvePoint> curve, int bestEpoch)
    {
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"240\" role=\"img\" aria-label=\"learning curves\">");
        double maxLoss = Math.Max(1e-9, curve.Max(c => Math.Max(Finite(c.TrainLoss), Finite(c.ValidationLoss))));
        int maxEpoch = Math.Max(1, curve.Max(c => c.Epoch));
        Panel(sb, 0, "loss", maxLoss, [(curve.Select(c => (c.Epoch, c.TrainLoss)).ToArray(), "#1f77b4", "train"), (curve.Select(c => (c.Epoch, c.ValidationLoss)).ToArray(), "#d62728", "validation")], maxEpoch, bestEpoch);
        Panel(sb, 430, "UA", 1, [(curve.Select(c => (c.Epoch, c.TrainUa)).ToArray(), "#1f77b4", "train"), (curve.Select(c => (c.Epoch, c.ValidationUa)).ToArray(), "#d62728", "validation")], maxEpoch, bestEpoch);
        return sb.Append("</svg>").ToString();
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;


    private static void Panel(StringBuilder sb, int x0, string title, double yMax, ((int Epoch, double Value)[] Points, string Colour, string Name)[] series, int maxEpoch, int best)
    {
        const int w = 400, h = 180, left = 40, top = 20;
        double X(int e) => x0 + left + (maxEpoch == 1 ? 0 : (e - 1) * (double)w / (maxEpoch - 1));
        double Y(double v) => top + h - Math.Clamp(Finite(v) / yMax, 0, 1) * h;
        sb.Append(Inv, $"<rect x=\"{x0 + left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#999\"/>");
        sb.Append(Inv, $"<text x=\"{x0 + left}\" y=\"{top - 6}\" font-size=\"12\">{title} (max {yMax:G3})</text>");
        sb.Append(Inv, $"<text x=\"{x0 + left + w}\" y=\"{top + h + 16}\" text-anchor=\"end\" font-size=\"11\">epoch {maxEpoch}</text>");
        if (best > 0) sb.Append(Inv, $"<line x1=\"{X(best):F1}\" y1=\"{top}\" x2=\"{X(best):F1}\" y2=\"{top + h}\" stroke=\"#2ca02c\" stroke-dasharray=\"4 3\"/>");
        int ly = top + 14;
        foreach (var (points, colour, name) in series)
        {
            sb.Append("<polyline fill=\"none\" stroke=\"").Append(colour).Append("\" stroke-width=\"1.5\" points=\"")
              .AppendJoin(" ", points.Select(p => string.Create(Inv, $"{X(p.Epoch):F1},{Y(p.Value):F1}"))).Append("\"/>");
            sb.Append(Inv, $"<text x=\"{x0 + left + w - 4}\" y=\"{ly}\" text-anchor=\"end\" font-size=\"11\" fill=\"{colour}\">{name}</text>");
            ly += 14;
        }
    }
}
