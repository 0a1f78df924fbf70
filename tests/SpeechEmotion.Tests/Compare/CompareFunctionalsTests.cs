using SpeechEmotion.Features.Compare;
using SpeechEmotion.Tests.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Compare;

/// <summary>
/// The ComParE functionals fed with openSMILE's own LLD contours, against openSMILE's functionals of the same
/// clips: isolates the functional definitions from the descriptor extraction.
/// </summary>
public sealed class CompareFunctionalsTests(ITestOutputHelper output)
{
    private static readonly string[] Clips = ["espeak_en", "ravdess_a01_angry", "chirp_noise"];

    [Fact]
    public void NamesAreOpensmilesInOrder()
    {
        var func = OpensmileCsv.Read(SharedData.Path("reference/opensmile/espeak_en.compare16_func.csv"));
        Assert.Equal(func.Columns, CompareNames.Functionals);
        var lld = OpensmileCsv.Read(SharedData.Path("reference/opensmile/espeak_en.compare16_lld.csv"));
        Assert.Equal(lld.Columns, CompareNames.Llds);
    }

    /// <summary>Per functional type: how many (clip, descriptor) values agree with openSMILE within 2 % (or 1e-6 absolute).</summary>
    internal static Dictionary<string, (int Ok, int Total)> AgreementByFunctional(ITestOutputHelper? log)
    {
        var stats = new Dictionary<string, (int Ok, int Total)>();
        foreach (var clip in Clips)
        {
            var lld = OpensmileCsv.Read(SharedData.Path($"reference/opensmile/{clip}.compare16_lld.csv"));
            var func = OpensmileCsv.Read(SharedData.Path($"reference/opensmile/{clip}.compare16_func.csv"));
            var ours = new float[CompareFunctionals.Count];
            // openSMILE summarises every frame but the last one it writes.
            CompareFunctionals.Compute(lld.Flat(), lld.Rows.Count - 1, ours);
            for (int i = 0; i < ours.Length; i++)
            {
                string name = CompareNames.Functionals[i];
                string fn = name[(name.LastIndexOf("_sma", StringComparison.Ordinal) + 4)..].TrimStart('_');
                fn = fn.StartsWith("de", StringComparison.Ordinal) ? "de:" + fn[(fn.IndexOf('_') + 1)..] : fn;
                if (CompareNames.VoicingLlds.Any(v => name.StartsWith(v, StringComparison.Ordinal))) fn = "voicing:" + fn;
                double r = func.Rows[0][i], o = ours[i];
                bool ok = Math.Abs(o - r) <= 1e-6 + 0.02 * Math.Abs(r);
                var s = stats.GetValueOrDefault(fn);
                stats[fn] = (s.Ok + (ok ? 1 : 0), s.Total + 1);
                if (!ok && log is not null && clip == "espeak_en" && (name.StartsWith("pcm_RMSenergy_sma_", StringComparison.Ordinal) || name.StartsWith("mfcc_sma[3]_", StringComparison.Ordinal) || name.StartsWith("F0final_sma_", StringComparison.Ordinal) || name.StartsWith("jitterLocal_sma_", StringComparison.Ordinal)))
                    log.WriteLine($"{clip} {name}: ours {o:G6} ref {r:G6}");
            }
        }
        return stats;
    }

    [Fact]
    public void FunctionalsOfReferenceLldsAgreeWithOpensmile()
    {
        var stats = AgreementByFunctional(output);
        int ok = 0, total = 0;
        foreach (var (fn, s) in stats.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{fn,-32} {s.Ok,4}/{s.Total,-4}");
            ok += s.Ok; total += s.Total;
        }
        output.WriteLine($"all: {ok}/{total} within 2 %");
        // Measured: 15819 of 19119 (82.7 %); the rest are segment lengths, LPC, peak spacing and the frame-count
        // conventions of openSMILE's functional components (see the report).
        Assert.True(ok >= 0.82 * total, $"{ok}/{total}");
        // Functionals whose definition is settled agree on every descriptor of all three clips.
        foreach (var fn in new[] { "range", "stddev", "rqmean", "amean", "flatness", "pctlrange0-1", "percentile1.0", "percentile99.0",
                     "linregc1", "linregc2", "linregerrQ", "qregc1", "qregc2", "qregc3", "qregerrQ", "risetime", "peakRangeAbs", "peakRangeRel",
                     "minRangeRel", "de:range", "de:stddev", "de:rqmean", "de:percentile1.0", "de:percentile99.0", "de:pctlrange0-1",
                     "voicing:flatness", "voicing:stddev", "voicing:quartile2", "voicing:upleveltime50", "voicing:lpgain", "voicing:linregerrQ",
                     "voicing:de:amean", "voicing:de:linregc1", "voicing:de:qregc3", "voicing:de:quartile2", "voicing:ff0_nnz", "voicing:ff0_meanSegLen" })
            Assert.True(stats[fn].Ok == stats[fn].Total, $"{fn}: {stats[fn].Ok}/{stats[fn].Total}");
    }
}
