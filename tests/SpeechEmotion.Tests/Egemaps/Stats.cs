namespace SpeechEmotion.Tests.Egemaps;

/// <summary>Correlation and relative error used by the eGeMAPS comparisons.</summary>
internal static class Stats
{
    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        int n = a.Count;
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : (saa == sbb ? 1 : 0);
    }

    public static double MedianRelError(IReadOnlyList<double> ours, IReadOnlyList<double> reference)
    {
        var e = new List<double>();
        for (int i = 0; i < ours.Count; i++)
        {
            double d = Math.Abs(reference[i]);
            if (d < 1e-12) { if (Math.Abs(ours[i]) > 1e-12) e.Add(1); else e.Add(0); continue; }
            e.Add(Math.Abs(ours[i] - reference[i]) / d);
        }
        e.Sort();
        return e.Count == 0 ? 0 : e[e.Count / 2];
    }
}
