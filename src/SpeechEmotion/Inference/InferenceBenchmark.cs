using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Inference;

/// <summary>
/// End-to-end inference measurements for <c>ser bench inference</c>: warm single-clip latency (decode + resample
/// + features + network from a WAV on disk) and folder throughput through <see cref="BatchPrediction"/>.
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>Latency percentiles (ms) of <paramref name="iterations"/> warm <see cref="EmotionRecognizer.Recognize(string)"/> calls on <paramref name="clip"/>.</summary>
    public static JsonObject Latency(EmotionRecognizer recognizer, string clip, int iterations = 200)
    {
        for (int i = 0; i < 10; i++) recognizer.Recognize(clip);
        var ms = new double[iterations];
        double seconds = 0;
        for (int i = 0; i < iterations; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            seconds = recognizer.Recognize(clip).Duration;
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(ms);
        // Split of the same work: decode+resample, features, network (medians).
        var samples = recognizer.ReadClip(clip);
        var f = recognizer.Extract(samples);
        double Median(Action a)
        {
            var t = new double[Math.Max(10, iterations / 4)];
            for (int i = 0; i < t.Length; i++) { long s0 = Stopwatch.GetTimestamp(); a(); t[i] = Stopwatch.GetElapsedTime(s0).TotalMilliseconds; }
            Array.Sort(t);
            return Math.Round(t[t.Length / 2], 3);
        }
        double decode = Median(() => recognizer.ReadClip(clip)), features = Median(() => recognizer.Extract(samples)), network = Median(() => recognizer.Classify([f], [1.0]));
        return new JsonObject
        {
            ["decode_p50_ms"] = decode, ["features_p50_ms"] = features, ["network_p50_ms"] = network,
            ["bench"] = "inference-latency", ["clip"] = Path.GetFileName(clip), ["clip_seconds"] = Math.Round(seconds, 3),
            ["iterations"] = iterations, ["p50_ms"] = Math.Round(ms[iterations / 2], 3), ["p90_ms"] = Math.Round(ms[iterations * 9 / 10], 3),
            ["min_ms"] = Math.Round(ms[0], 3), ["model"] = recognizer.Manifest.Spec.Architecture, ["features"] = recognizer.FeatureSet.Name,
        };
    }

    /// <summary>Clips/s and audio-seconds/s over <paramref name="files"/> with <paramref name="parallelism"/> workers (after a warm-up pass over 16 files).</summary>
    public static JsonObject Throughput(EmotionRecognizer recognizer, IReadOnlyList<InputFile> files, int parallelism)
    {
        BatchPrediction.Run(recognizer, files.Take(16).ToArray(), new BatchOptions { Parallelism = parallelism });
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        var outcomes = BatchPrediction.Run(recognizer, files, new BatchOptions { Parallelism = parallelism });
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        double audio = outcomes.Sum(o => o.Prediction?.Duration ?? 0);
        return new JsonObject
        {
            ["bench"] = "inference-throughput", ["files"] = files.Count, ["failed"] = outcomes.Count(o => o.Error is not null),
            ["threads"] = parallelism, ["wall_s"] = Math.Round(wall, 3), ["clips_per_s"] = Math.Round(files.Count / wall, 1),
            ["audio_s_per_s"] = Math.Round(audio / wall, 1), ["cpu_s"] = Math.Round(cpu, 3),
            ["clips_per_cpu_s"] = Math.Round(files.Count / Math.Max(cpu, 1e-9), 1),
        };
    }
}
