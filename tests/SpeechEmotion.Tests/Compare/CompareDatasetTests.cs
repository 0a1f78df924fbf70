using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Features.Compare;
using SpeechEmotion.Tests.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Compare;

/// <summary>
/// Our ComParE 2016 functionals against openSMILE's on real speech (EmoDB and RAVDESS clips of the reference
/// subset): Pearson r per functional across clips, reported per descriptor group. CI uses every 5th clip of the
/// 193; SER_FULL=1 runs them all.
/// </summary>
public sealed class CompareDatasetTests(ITestOutputHelper output)
{
    internal static string GroupOf(string name)
    {
        string lld = name[..(name.IndexOf("_sma", StringComparison.Ordinal) + 4)];
        bool delta = name.Contains("_sma_de", StringComparison.Ordinal);
        string g = lld switch
        {
            _ when lld.StartsWith("audSpec_Rfilt", StringComparison.Ordinal) => "audSpec_Rfilt",
            _ when lld.StartsWith("mfcc", StringComparison.Ordinal) => "mfcc",
            _ when lld.StartsWith("pcm_fftMag", StringComparison.Ordinal) => "spectral",
            "audspec_lengthL1norm_sma" or "audspecRasta_lengthL1norm_sma" or "pcm_RMSenergy_sma" => "energy",
            "pcm_zcr_sma" => "zcr",
            _ => "voicing",
        };
        return delta ? g + "_de" : g;
    }

    [Fact]
    public void FunctionalsCorrelateWithOpensmileAcrossClips()
    {
        var reference = OpensmileCsv.Read(SharedData.Path("reference/opensmile/compare16_functionals_datasets_subset.csv"));
        Assert.Equal(CompareNames.Functionals, reference.Columns);
        bool full = Environment.GetEnvironmentVariable("SER_FULL") == "1";
        var pick = Enumerable.Range(0, reference.Names.Count).Where(i => full || i % 5 == 0).ToArray();
        var ours = new float[pick.Length][];
        Parallel.For(0, pick.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var audio = AudioReader.Read(SharedData.Path(reference.Names[pick[k]]));
            Assert.Equal(16000, audio.SampleRate);
            ours[k] = FeatureSets.Create("compare16").Extract(audio.Samples, audio.SampleRate).Data;
        });
        int cols = CompareNames.Functionals.Count;
        var r = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            var a = new double[pick.Length]; var b = new double[pick.Length];
            for (int k = 0; k < pick.Length; k++) { a[k] = ours[k][j]; b[k] = reference.Rows[pick[k]][j]; }
            r[j] = Stats.Pearson(a, b);
        }
        output.WriteLine($"{pick.Length} clips; share of functionals with r >= 0.9 (and median r) per descriptor group:");
        foreach (var g in Enumerable.Range(0, cols).GroupBy(j => GroupOf(CompareNames.Functionals[j])).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rs = g.Select(j => r[j]).OrderBy(x => x).ToArray();
            output.WriteLine($"  {g.Key,-16} {rs.Count(x => x >= 0.9),5}/{rs.Length,-5} ({100.0 * rs.Count(x => x >= 0.9) / rs.Length,5:F1} %)  median r {rs[rs.Length / 2]:F3}");
            // The functional types that fail most often in this group.
            var worst = g.Where(j => !(r[j] >= 0.9)).GroupBy(j => CompareNames.Functionals[j][(CompareNames.Functionals[j].LastIndexOf('_') + 1)..])
                .OrderByDescending(f => f.Count()).Take(8).Select(f => $"{f.Key}:{f.Count()}");
            output.WriteLine($"      failing: {string.Join(' ', worst)}");
        }
        output.WriteLine("per functional type (all descriptors):");
        foreach (var g in Enumerable.Range(0, cols).GroupBy(j => CompareNames.Functionals[j][(CompareNames.Functionals[j].LastIndexOf('_') + 1)..]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rs = g.Select(j => r[j]).OrderBy(x => x).ToArray();
            output.WriteLine($"  {g.Key,-20} {rs.Count(x => x >= 0.9),5}/{rs.Length,-5} median r {rs[rs.Length / 2]:F3}");
        }
        double share = r.Count(x => x >= 0.9) / (double)cols;
        output.WriteLine($"overall: {100 * share:F1} % of {cols} functionals with r >= 0.9 (issue target: 90 %)");
        // Measured on the 39-clip CI subset: 79.7 % (all 193 clips: 80.0 %; session 1: 57.8 %). The target (90 % on all 193 clips) is
        // not reached yet: the voicing group (F0, jitter, shimmer), minSegLen, peak spacing and the LPC functionals.
        if (!full) Assert.True(share >= 0.79, $"only {100 * share:F1} % of the functionals reach r >= 0.9");
    }
}
