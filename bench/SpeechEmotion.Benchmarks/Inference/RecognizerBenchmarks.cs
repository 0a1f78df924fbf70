using BenchmarkDotNet.Attributes;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Benchmarks.Inference;

/// <summary>
/// End-to-end recognition with the shipped default model: a 3-s clip from a WAV on disk (decode, features,
/// network) and the features-ready network step alone. Target: ≤ 10 ms p50 for the whole clip.
/// Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*RecognizerBenchmarks*'</c>.
/// For folder throughput use <c>ser bench inference --folder DIR</c>.
/// </summary>
[MemoryDiagnoser]
public class RecognizerBenchmarks
{
    private EmotionRecognizer _recognizer = null!;
    private string _clip = "";
    private float[] _samples = [];
    private SpeechEmotion.Features.FeatureMatrix _features = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = DefaultModel.Find() ?? throw new InvalidOperationException("models/default.sermodel not found");
        _recognizer = EmotionRecognizer.Load(model);
        var sample = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(model)!)!, "samples", "angry-actor03.wav");
        _samples = _recognizer.ReadClip(sample)[..(3 * _recognizer.SampleRate)];
        _clip = Path.Combine(Path.GetTempPath(), $"ser-bench-3s-{Environment.ProcessId}.wav");
        SpeechEmotion.Audio.WavWriter.Write(_clip, _samples, _recognizer.SampleRate, SpeechEmotion.Audio.WavSampleFormat.Pcm16);
        _features = _recognizer.Extract(_samples);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_clip);

    /// <summary>Decode + features + network for a 3-s WAV.</summary>
    [Benchmark]
    public EmotionPrediction RecognizeFile3s() => _recognizer.Recognize(_clip);

    /// <summary>Features + network for 3 s of samples already in memory.</summary>
    [Benchmark]
    public EmotionPrediction RecognizeSamples3s() => _recognizer.Recognize(_samples, _recognizer.SampleRate);

    /// <summary>The network alone on prepared features.</summary>
    [Benchmark]
    public IReadOnlyList<EmotionPrediction> Network() => _recognizer.Classify([_features], [3.0]);
}
