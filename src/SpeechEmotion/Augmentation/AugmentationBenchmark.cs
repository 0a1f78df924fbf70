using System.Diagnostics;
using System.Text.Json;
using SpeechEmotion.Features;

namespace SpeechEmotion.Augmentation;

/// <summary>Options of <see cref="AugmentationBenchmark.Run"/>.</summary>
public sealed record AugmentationBenchmarkOptions
{
    /// <summary>The recipe timed; null means <see cref="AugmentationRecipes.Default"/>.</summary>
    public AugmentationPipelineOptions? Recipe { get; init; }

    /// <summary>Training utterances (16 kHz after loading); null: 20 seeded speech-like 3 s signals.</summary>
    public IReadOnlyList<AudioItem>? Items { get; init; }

    /// <summary>Epochs over the items per timed repetition. Default 2.</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Worker threads (utterances in parallel). Default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Timed repetitions; the median is reported. Default 3.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Also time every waveform transform alone (p = 1). Default true.</summary>
    public bool PerTransform { get; init; } = true;
}

/// <summary>
/// Throughput of augmentation in audio-seconds per second (seconds of input audio augmented per second of
/// wall time and of process CPU time), the unit of ../shared/reference/PEERS.md. Audio is decoded once
/// before timing: the figures are of augmentation only.
/// </summary>
public static class AugmentationBenchmark
{
    /// <summary>Runs the measurement; returns one JSON line.</summary>
    public static string Run(AugmentationBenchmarkOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        new Problems()
            .Require(o.Epochs is >= 1 and <= 100, $"epochs must be in 1..100 (got {o.Epochs})")
            .Require(o.Threads is >= 1 and <= 256, $"threads must be in 1..256 (got {o.Threads})")
            .Require(o.Repeats is >= 1 and <= 100, $"repeats must be in 1..100 (got {o.Repeats})")
            .ThrowIfAny("bench augment");
        const int sr = 16000;
        var items = (o.Items ?? Enumerable.Range(0, 20).Select(i => new AudioItem
        {
            Id = $"speechlike:{i:00}", Speaker = $"s{i % 5}", Samples = FeatureBenchmark.SpeechLike(sr, 3.0, 100 + i), SampleRate = sr,
        }).ToList()).ToList();
        if (items.Count < 2) throw new AugmentationException("The augmentation benchmark needs at least two utterances (babble uses the others).");
        var audio = items.Select(i => i.Load(sr)).ToArray();
        var memory = items.Select((it, k) => it with { Samples = audio[k], SampleRate = sr, Path = null }).ToList();
        var part = TrainingPart.Create("bench", memory, [], []);
        var seconds = audio.Sum(a => a.Length) / (double)sr * o.Epochs;
        var recipe = o.Recipe ?? AugmentationRecipes.Default;
        var results = new List<(string Name, double Wall, double Cpu)>();
        results.Add(Measure("recipe", new AugmentationPipeline(recipe, part), memory, audio, o, seconds));
        if (o.PerTransform)
        {
            var seen = new HashSet<string>();
            var all = recipe.Waveform.Concat(new WaveformTransformOptions[]
            {
                new PitchShiftOptions(), new TimeStretchOptions(), new ClippingOptions(), new SpeedOptions(), new ReverbOptions(),
                new NoiseOptions { Kinds = [NoiseKind.Babble] }, new NoiseOptions { Kinds = [NoiseKind.Pink] }, new TelephoneOptions(),
            });
            foreach (var t in all)
            {
                var name = t is NoiseOptions n && n.Kinds.Count == 1 ? $"noise_{n.Kinds[0].ToString().ToLowerInvariant()}" : t.Type;
                if (!seen.Add(name)) continue;
                var single = new AugmentationPipelineOptions { Seed = recipe.Seed, Waveform = [t with { Probability = 1 }] };
                results.Add(Measure(name, new AugmentationPipeline(single, part), memory, audio, o, seconds));
            }
        }
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "augment");
            w.WriteString("unit", "audio_seconds_per_second");
            w.WriteNumber("audio_seconds", Math.Round(seconds, 2));
            w.WriteNumber("utterances", items.Count);
            w.WriteNumber("threads", o.Threads);
            w.WriteString("recipe", o.Recipe is null ? "default" : "given");
            w.WriteStartObject("throughput");
            foreach (var r in results) w.WriteNumber(r.Name, Math.Round(r.Wall, 1));
            w.WriteEndObject();
            w.WriteStartObject("throughput_cpu_time");
            foreach (var r in results) w.WriteNumber(r.Name, Math.Round(r.Cpu, 1));
            w.WriteEndObject();
            w.WriteString("machine", $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static (string, double, double) Measure(string name, AugmentationPipeline pipeline, IReadOnlyList<AudioItem> items, float[][] audio,
        AugmentationBenchmarkOptions o, double seconds)
    {
        void Work(int epochOffset)
        {
            var n = items.Count * o.Epochs;
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = o.Threads }, j =>
                pipeline.Apply(items[j % items.Count].Id, audio[j % items.Count], 16000, epochOffset + j / items.Count));
        }
        Work(1000); // warm-up: JIT, babble cache
        var wall = new List<double>();
        var cpu = new List<double>();
        var proc = Process.GetCurrentProcess();
        for (var r = 0; r < o.Repeats; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            Work(r * o.Epochs);
            wall.Add(sw.Elapsed.TotalSeconds);
            proc.Refresh();
            cpu.Add((proc.TotalProcessorTime - c0).TotalSeconds);
        }
        wall.Sort();
        cpu.Sort();
        return (name, seconds / wall[wall.Count / 2], seconds / Math.Max(1e-6, cpu[cpu.Count / 2]));
    }
}
