using BenchmarkDotNet.Attributes;
using SpeechEmotion.Audio;
using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Benchmarks.Egemaps;

/// <summary>
/// eGeMAPS v02 on 60 s of real speech (RAVDESS clips concatenated), single-threaded, in-process.
/// Throughput in audio-seconds per second = 60 / mean time; PEERS.md: openSMILE ≈ 86 audio-s/s
/// (whole process). Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*Egemaps*'</c>.
/// </summary>
[MemoryDiagnoser]
public class EgemapsBenchmarks
{
    private float[] _signal = [];
    private readonly EgemapsExtractor _extractor = new();

    /// <summary>Seconds of audio per operation.</summary>
    public const double Seconds = 60.0;

    [GlobalSetup]
    public void Setup() => _signal = LoadSpeech(Seconds);

    [Benchmark(Description = "egemaps-v02 functionals, 60 s")]
    public float[] Functionals() => _extractor.ExtractFunctionals(_signal, 16000);

    [Benchmark(Description = "egemaps-v02-lld, 60 s")]
    public float[] Lld() => _extractor.ExtractLld(_signal, 16000, out _);

    /// <summary>Concatenates RAVDESS clips from ../shared until <paramref name="seconds"/> of 16 kHz audio.</summary>
    public static float[] LoadSpeech(double seconds)
    {
        var dir = SharedFolder.Find();
        var files = Directory.GetFiles(Path.Combine(dir, "datasets", "ravdess-speech-16k"), "*.wav", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToArray();
        var target = (int)(seconds * 16000);
        var result = new float[target];
        int pos = 0;
        for (int i = 0; pos < target; i++)
        {
            var x = AudioReader.Read(files[i % files.Length]).Samples;
            int n = Math.Min(x.Length, target - pos);
            x.AsSpan(0, n).CopyTo(result.AsSpan(pos));
            pos += n;
        }
        return result;
    }
}
