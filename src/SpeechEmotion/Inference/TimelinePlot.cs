using System.Globalization;
using System.Net;
using System.Text;

namespace SpeechEmotion.Inference;

/// <summary>Self-contained plots of a <see cref="TimelineResult"/>: an SVG (no scripts, no external resources)
/// and an HTML page embedding it with a segment table.</summary>
public static class TimelinePlot
{
    private static readonly string[] Palette = ["#7f7f7f", "#f0b400", "#1f77b4", "#d62728", "#9467bd", "#2ca02c", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    /// <summary>Colour used for label <paramref name="index"/>.</summary>
    public static string Colour(int index) => Palette[index % Palette.Length];

    /// <summary>SVG line plot of the smoothed probability of each label over time (seconds), with speech segments shaded.</summary>
    public static string ToSvg(TimelineResult r, int width = 1000, int height = 360)
    {
        var inv = CultureInfo.InvariantCulture;
        const int left = 50, right = 130, top = 20, bottom = 40;
        double pw = width - left - right, ph = height - top - bottom, dur = Math.Max(r.Duration, 1e-3);
        string X(double t) => (left + t / dur * pw).ToString("0.#", inv);
        string Y(double p) => (top + (1 - p) * ph).ToString("0.#", inv);
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(inv, $"<title>Emotion probabilities over time: {WebUtility.HtmlEncode(Path.GetFileName(r.Source))}</title>\n");
        sb.Append(inv, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        foreach (var s in r.Segments)
            sb.Append(inv, $"<rect x=\"{X(s.Start)}\" y=\"{top}\" width=\"{(s.End - s.Start) / dur * pw:0.#}\" height=\"{ph:0.#}\" fill=\"#eef3fb\"><title>{s.Start:0.00}–{s.End:0.00} s: {WebUtility.HtmlEncode(s.Label)} ({s.Confidence:P0})</title></rect>\n");
        for (int g = 0; g <= 4; g++)
        {
            double p = g / 4.0;
            sb.Append(inv, $"<line x1=\"{left}\" x2=\"{left + pw:0.#}\" y1=\"{Y(p)}\" y2=\"{Y(p)}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{Y(p)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{p:0.##}</text>\n");
        }
        int ticks = 8;
        double step = NiceStep(dur / ticks);
        for (double t = 0; t <= dur + 1e-9; t += step)
            sb.Append(inv, $"<text x=\"{X(t)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{t:0.#}</text>\n");
        sb.Append(inv, $"<text x=\"{left + pw / 2:0.#}\" y=\"{height - 6}\" text-anchor=\"middle\">time (s)</text>\n");
        for (int k = 0; k < r.Labels.Count; k++)
        {
            var points = string.Join(' ', r.Windows.Select(w => $"{X((w.Start + w.End) / 2)},{Y(w.Smoothed[k])}"));
            if (r.Windows.Count > 0)
                sb.Append(inv, $"<polyline fill=\"none\" stroke=\"{Colour(k)}\" stroke-width=\"1.8\" points=\"{points}\"><title>{WebUtility.HtmlEncode(r.Labels[k])}</title></polyline>\n");
            sb.Append(inv, $"<rect x=\"{width - right + 12}\" y=\"{top + k * 18}\" width=\"12\" height=\"12\" fill=\"{Colour(k)}\"/><text x=\"{width - right + 30}\" y=\"{top + k * 18 + 10}\">{WebUtility.HtmlEncode(r.Labels[k])}</text>\n");
        }
        sb.Append(inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{pw:0.#}\" height=\"{ph:0.#}\" fill=\"none\" stroke=\"#333\"/>\n</svg>\n");
        return sb.ToString();
    }

    /// <summary>A standalone HTML page with the SVG and a table of segments.</summary>
    public static string ToHtml(TimelineResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var name = WebUtility.HtmlEncode(Path.GetFileName(r.Source));
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Emotion timeline: ").Append(name)
          .Append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style></head><body>\n")
          .Append(inv, $"<h1>Emotion timeline: {name}</h1>\n<p>{r.Duration:0.0} s, {r.Segments.Count} speech segment(s), {r.Windows.Count} window(s).</p>\n")
          .Append(ToSvg(r))
          .Append("<table><tr><th>start (s)</th><th>end (s)</th><th>emotion</th><th>confidence</th></tr>\n");
        foreach (var s in r.Segments)
            sb.Append(inv, $"<tr><td>{s.Start:0.00}</td><td>{s.End:0.00}</td><td style=\"text-align:left\">{WebUtility.HtmlEncode(s.Label)}</td><td>{s.Confidence:P1}</td></tr>\n");
        sb.Append("</table>\n</body></html>\n");
        return sb.ToString();
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0) return 1;
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1, 2, 5, 10 }) if (m * mag >= raw) return m * mag;
        return 10 * mag;
    }
}
