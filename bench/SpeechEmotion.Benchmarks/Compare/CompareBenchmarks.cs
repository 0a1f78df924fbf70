using BenchmarkDotNet.Attributes;
using SpeechEmotion.Benchmarks.Egemaps;
using SpeechEmotion.Features.Compare;

namespace SpeechEmotion.Benchmarks.Compare;

/// <summary>
/// ComParE 2016 on 60 s of real speech (RAVDESS clips concatenated), single-threaded, in-process.
/// Throughput in audio-seconds per second = 60 / mean time. The issue asks for 3x openSMILE's SMILExtract
/// with ComParE_2016.conf on the same machine (not in PEERS.md: measure it side by side).
/// Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*Compare*'</c>.
/// </summary>
[MemoryDiagnoser]
public class CompareBenchmarks
{
    private float[] _signal = [];
    private readonly CompareLldExtractor _extractor = new();

    /// <summary>Seconds of audio per operation.</summary>
    public const double Seconds = 60.0;

    [GlobalSetup]
    public void Setup() => _signal = EgemapsBenchmarks.LoadSpeech(Seconds);

    [Benchmark(Description = "compare16 functionals, 60 s")]
    public float[] Functionals() => CompareFeatureSets.Functionals(_signal, 16000);

    [Benchmark(Description = "compare16-lld, 60 s")]
    public float[] Lld() => _extractor.Extract(_signal, 16000, out _);
}
