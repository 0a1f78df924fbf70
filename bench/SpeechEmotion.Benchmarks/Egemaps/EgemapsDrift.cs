using SpeechEmotion.Audio;
using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Benchmarks.Egemaps;

/// <summary>
/// Guards optimisation work: <c>egemaps-drift dump FILE</c> writes the functionals of every 12th clip of the
/// openSMILE reference list and the LLDs of the three reference clips; <c>egemaps-drift compare OLD NEW</c>
/// prints, per functional, how far two dumps differ (largest relative difference and how many clips moved by more than 1e-4 relative).
/// </summary>
public static class EgemapsDrift
{
    /// <summary>Entry point.</summary>
    public static void Run(string[] args)
    {
        if (args is ["dump", var file]) Dump(file);
        else if (args is ["compare", var a, var b]) Compare(a, b);
        else Console.Error.WriteLine("usage: egemaps-drift dump FILE | compare OLD NEW");
    }

    private static void Dump(string file)
    {
        var shared = SharedFolder.Find();
        var names = File.ReadLines(Path.Combine(shared, "reference", "opensmile", "egemaps_v02_functionals_datasets.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l[..l.IndexOf(';')].Trim('\'')).Order(StringComparer.Ordinal).Where((_, k) => k % 12 == 0).ToArray();
        var ex = new EgemapsExtractor();
        using var w = new BinaryWriter(File.Create(file));
        w.Write(names.Length);
        foreach (var n in names)
            foreach (var v in ex.ExtractFunctionals(AudioReader.Read(Path.Combine(shared, n)).Samples, 16000)) w.Write(v);
        foreach (var clip in new[] { "espeak_en", "ravdess_a01_angry", "chirp_noise" })
        {
            var lld = ex.ExtractLld(AudioReader.Read(Path.Combine(shared, "reference", "audio", $"{clip}_16k.wav")).Samples, 16000, out _);
            w.Write(lld.Length);
            foreach (var v in lld) w.Write(v);
        }
    }

    private static (float[][] Func, float[][] Lld) Load(string file)
    {
        using var r = new BinaryReader(File.OpenRead(file));
        int n = r.ReadInt32();
        var func = new float[n][];
        for (int i = 0; i < n; i++) { func[i] = new float[88]; for (int f = 0; f < 88; f++) func[i][f] = r.ReadSingle(); }
        var lld = new float[3][];
        for (int c = 0; c < 3; c++) { lld[c] = new float[r.ReadInt32()]; for (int i = 0; i < lld[c].Length; i++) lld[c][i] = r.ReadSingle(); }
        return (func, lld);
    }

    private static void Compare(string oldFile, string newFile)
    {
        var (fa, la) = Load(oldFile);
        var (fb, lb) = Load(newFile);
        int moved = 0;
        for (int f = 0; f < 88; f++)
        {
            double worst = 0; int count = 0;
            for (int i = 0; i < fa.Length; i++)
            {
                double d = Math.Abs(fa[i][f] - fb[i][f]) / (Math.Abs(fa[i][f]) + 1e-6);
                worst = Math.Max(worst, d);
                if (d > 1e-4) count++;
            }
            if (count > 0) { moved++; Console.WriteLine($"{EgemapsNames.Functionals[f],-46} max rel {worst:E2}, clips > 1e-4: {count}/{fa.Length}"); }
        }
        Console.WriteLine($"{moved}/88 functionals moved by more than 1e-4 relative on some clip");
        for (int c = 0; c < 3; c++)
        {
            if (la[c].Length != lb[c].Length) { Console.WriteLine($"LLD clip {c}: lengths differ"); continue; }
            for (int col = 0; col < 25; col++)
            {
                int count = 0; double worst = 0;
                for (int t = col; t < la[c].Length; t += 25)
                {
                    double d = Math.Abs(la[c][t] - lb[c][t]) / (Math.Abs(la[c][t]) + 1e-6);
                    worst = Math.Max(worst, d);
                    if (d > 1e-4) count++;
                }
                if (count > 0) Console.WriteLine($"LLD clip {c} {EgemapsNames.Llds[col],-30} frames > 1e-4: {count}, max rel {worst:E2}");
            }
        }
    }
}
