using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SpeechEmotion.Audio;
using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Benchmarks.Augmentation;

/// <summary>
/// Augmentation of 20 RAVDESS utterances (actors 01–05, 16 kHz, about 72 s of audio) once each: the default
/// recipe, and single transforms at p = 1. The audio-s/s column is the audio duration divided by the mean time.
/// Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*AugmentationPipeline*'</c>.
/// The same figures come from <c>ser bench augment --input ../shared/datasets/ravdess-speech-16k</c>.
/// </summary>
[Config(typeof(AugmentationSecondsConfig))]
[MemoryDiagnoser]
public class AugmentationPipelineBenchmark
{
    internal static double AudioSeconds;
    private List<AudioItem> _items = [];
    private float[][] _audio = [];
    private AugmentationPipeline _default = null!;
    private Dictionary<string, AugmentationPipeline> _single = [];
    private int _epoch;

    [GlobalSetup]
    public void Setup()
    {
        var root = Path.Combine(SharedFolder.Find(), "datasets", "ravdess-speech-16k");
        var files = Enumerable.Range(1, 5).SelectMany(a => Directory.GetFiles(Path.Combine(root, $"Actor_{a:00}"), "*.wav").Order().Take(4)).ToList();
        _audio = files.Select(f => AudioReader.Read(f, new AudioReadOptions { TargetSampleRate = 16000 }).Samples).ToArray();
        _items = files.Select((f, i) => new AudioItem { Id = Path.GetFileNameWithoutExtension(f), Samples = _audio[i], SampleRate = 16000, Speaker = Path.GetFileName(Path.GetDirectoryName(f)) }).ToList();
        AudioSeconds = _audio.Sum(a => a.Length) / 16000.0;
        var part = TrainingPart.Create("bench", _items, [], []);
        _default = new AugmentationPipeline(AugmentationRecipes.Default, part);
        WaveformTransformOptions[] singles =
        [
            new NoiseOptions { Kinds = [NoiseKind.Pink] }, new NoiseOptions { Kinds = [NoiseKind.Babble] }, new ReverbOptions(),
            new SpeedOptions(), new PitchShiftOptions(), new TimeStretchOptions(), new TelephoneOptions(), new GainOptions(),
        ];
        foreach (var t in singles)
        {
            var name = t is NoiseOptions n ? $"noise_{n.Kinds[0].ToString().ToLowerInvariant()}" : t.Type;
            _single[name] = new AugmentationPipeline(new AugmentationPipelineOptions { Waveform = [t with { Probability = 1 }] }, part);
        }
    }

    public static IEnumerable<string> Transforms() =>
        ["noise_pink", "noise_babble", "reverb", "speed", "pitch_shift", "time_stretch", "telephone", "gain"];

    [Benchmark(Baseline = true)]
    public int DefaultRecipe() => Run(_default);

    [Benchmark]
    [ArgumentsSource(nameof(Transforms))]
    public int Single(string transform) => Run(_single[transform]);

    private int Run(AugmentationPipeline p)
    {
        var e = _epoch++;
        var n = 0;
        for (var i = 0; i < _items.Count; i++) n += p.Apply(_items[i].Id, _audio[i], 16000, e).Samples.Length;
        return n;
    }
}

/// <summary>Adds the audio-s/s column; the duration is that of the RAVDESS files the setup loads.</summary>
public sealed class AugmentationSecondsConfig : ManualConfig
{
    public AugmentationSecondsConfig() => AddColumn(new AudioSecondsColumn("AugmentationAudioSecondsPerSecond", () =>
    {
        if (AugmentationPipelineBenchmark.AudioSeconds == 0) new AugmentationPipelineBenchmark().Setup();
        return AugmentationPipelineBenchmark.AudioSeconds;
    }));
}
