using System.Diagnostics;
using System.Globalization;
using SpeechEmotion.Features;
using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Benchmarks.Egemaps;

/// <summary>
/// Time per stage of eGeMAPS functionals on 60 s of 16 kHz audio, single-threaded: prints one line per
/// stage (ms per 60 s, median of the repetitions) and the total in audio-seconds per second.
/// Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- egemaps-stages [reps] [speech|generated]</c>.
/// </summary>
public static class EgemapsStageProfile
{
    /// <summary>Runs the profile and writes it to the console.</summary>
    public static void Run(string[] args)
    {
        int reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9;
        bool generated = args.Length > 1 && args[1] == "generated";
        const double seconds = 60;
        var signal = generated ? FeatureBenchmark.SpeechLike(16000, seconds, 1) : EgemapsBenchmarks.LoadSpeech(seconds);
        var extractor = new EgemapsExtractor();
        for (int i = 0; i < 5; i++) extractor.ExtractFunctionals(signal, 16000);
        var per = new List<double>[EgemapsStageTimes.Names.Length];
        for (int s = 0; s < per.Length; s++) per[s] = [];
        var totals = new List<double>();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        for (int r = 0; r < reps; r++)
        {
            var st = new EgemapsStageTimes();
            var sw = Stopwatch.StartNew();
            extractor.ExtractFunctionals(signal, 16000, st);
            totals.Add(sw.Elapsed.TotalSeconds);
            for (int s = 0; s < per.Length; s++) per[s].Add(st.Seconds(s));
        }
        Console.WriteLine($"eGeMAPS functionals, {seconds} s of {(generated ? "generated speech-like" : "RAVDESS speech")} audio, 1 thread, median of {reps}:");
        for (int s = 0; s < per.Length; s++)
            Console.WriteLine($"  {EgemapsStageTimes.Names[s],-16} {Median(per[s]) * 1000,8:F1} ms");
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds / reps;
        double total = Median(totals);
        Console.WriteLine($"  {"total",-16} {total * 1000,8:F1} ms  = {seconds / total:F0} audio-s/s");
        // Process CPU time is steadier than wall time on a loaded machine (it excludes time descheduled).
        Console.WriteLine($"  {"total_cpu",-16} {cpu * 1000,8:F1} ms  = {seconds / cpu:F0} audio-s/s");
    }

    private static double Median(List<double> x)
    {
        var s = x.Order().ToArray();
        return s[s.Length / 2];
    }
}
