using SpeechEmotion.Audio;
using System.Diagnostics;
using SpeechEmotion.Features.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Egemaps;

/// <summary>
/// Our 88 functionals against openSMILE's on real corpora: per-feature Pearson correlation and median
/// relative error over a fixed subset (every 12th clip; all 1735 clips with SER_FULL=1).
/// </summary>
public sealed class DatasetFunctionalsTests(ITestOutputHelper output)
{
    private static readonly string[] RelErrorGroups = ["loudness", "spectralFlux", "mfcc", "alphaRatio", "hammarberg", "slope", "equivalentSoundLevel"];

    [Fact]
    public void FunctionalsCorrelateWithOpenSmile()
    {
        var reference = OpensmileCsv.Read(SharedData.Path("reference/opensmile/egemaps_v02_functionals_datasets.csv"));
        Assert.Equal(EgemapsNames.Functionals, reference.Columns);
        bool full = Environment.GetEnvironmentVariable("SER_FULL") == "1";
        var order = Enumerable.Range(0, reference.Names.Count).OrderBy(i => reference.Names[i], StringComparer.Ordinal).ToArray();
        var picked = full ? order : order.Where((_, k) => k % 12 == 0).ToArray();
        var ours = new float[picked.Length][];
        var sw = Stopwatch.StartNew();
        var extractor = new EgemapsExtractor();
        double audioSeconds = 0;
        Parallel.For(0, picked.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var x = AudioReader.Read(SharedData.Path(reference.Names[picked[k]])).Samples;
            ours[k] = extractor.ExtractFunctionals(x, 16000);
            lock (ours) audioSeconds += x.Length / 16000.0;
        });
        sw.Stop();
        output.WriteLine($"{picked.Length} clips, {audioSeconds:F0} s of audio in {sw.Elapsed.TotalSeconds:F1} s");

        int strong = 0, weak = 0, badRel = 0;
        output.WriteLine($"{"feature",-46} {"r",8} {"medRelErr",10}");
        for (int f = 0; f < 88; f++)
        {
            var a = ours.Select(v => (double)v[f]).ToArray();
            var b = picked.Select(i => (double)reference.Rows[i][f]).ToArray();
            double r = Stats.Pearson(a, b);
            double rel = Stats.MedianRelError(a, b);
            string name = EgemapsNames.Functionals[f];
            bool relChecked = RelErrorGroups.Any(g => name.StartsWith(g, StringComparison.Ordinal)) && !name.Contains("stddevNorm") && !name.Contains("Slope") && !name.Contains("PeaksPerSec");
            if (r >= 0.95) strong++;
            if (r < 0.80) weak++;
            if (relChecked && rel > 0.05) badRel++;
            output.WriteLine($"{name,-46} {r,8:F4} {rel,10:P2}{(r < 0.95 ? "  < 0.95" : "")}{(relChecked && rel > 0.05 ? "  REL" : "")}");
            if (r < 0.95)
            {
                // The clips that pull the correlation down, to see whether a discrepancy is systematic.
                foreach (int k in Enumerable.Range(0, a.Length).OrderByDescending(k => Math.Abs(a[k] - b[k])).Take(3))
                    output.WriteLine($"    {reference.Names[picked[k]]}: ours {a[k]:G6}, openSMILE {b[k]:G6}");
            }
        }
        output.WriteLine($"r >= 0.95: {strong}/88; r < 0.80: {weak}; relative-error failures: {badRel}");
        Assert.True(strong >= 80, $"only {strong} of 88 functionals have r >= 0.95");
        Assert.Equal(0, weak);
        Assert.Equal(0, badRel);
    }
}
