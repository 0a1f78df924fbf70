using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Benchmarks.Audio;

/// <summary>
/// Decode + resample 48 kHz → 16 kHz on 60 s of speech (RAVDESS clips upsampled to 48 kHz, concatenated,
/// written as a 16-bit WAV in the temp folder). The audio-s/s column is 60 s divided by the mean time.
/// Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*DecodeResample*'</c>.
/// </summary>
[Config(typeof(AudioSecondsConfig))]
[MemoryDiagnoser]
public class DecodeResampleBenchmark
{
    internal const double AudioSeconds = 60;
    private string _path = "";
    private float[] _samples48k = [];

    [GlobalSetup]
    public void Setup()
    {
        var shared = SharedFolder.Find();
        var clips = Directory.GetFiles(Path.Combine(shared, "datasets", "ravdess-speech-16k"), "*.wav", SearchOption.AllDirectories).Order().ToArray();
        var all = new List<float>((int)(AudioSeconds * 48000));
        foreach (var clip in clips)
        {
            var a = AudioReader.Read(clip, new AudioReadOptions { TargetSampleRate = 48000 });
            all.AddRange(a.Samples.Take((int)(AudioSeconds * 48000) - all.Count));
            if (all.Count >= AudioSeconds * 48000) break;
        }
        _samples48k = [.. all];
        _path = Path.Combine(Path.GetTempPath(), $"ser-bench-60s-48k-{Environment.ProcessId}.wav");
        WavWriter.Write(_path, _samples48k, 48000, WavSampleFormat.Pcm16);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    /// <summary>The measured figure: read the 48 kHz WAV and resample to 16 kHz (default quality).</summary>
    [Benchmark(Baseline = true)]
    public int DecodeAndResampleTo16k() => AudioReader.Read(_path, new AudioReadOptions { TargetSampleRate = 16000 }).Samples.Length;

    [Benchmark]
    public int DecodeOnly() => AudioReader.Read(_path).Samples.Length;

    [Benchmark]
    [Arguments(ResamplerQuality.Fast)]
    [Arguments(ResamplerQuality.High)]
    [Arguments(ResamplerQuality.VeryHigh)]
    public int ResampleOnly(ResamplerQuality quality) => Resampler.Resample(_samples48k, 48000, 16000, quality).Length;
}

/// <summary>Adds the audio-s/s column for the fixed 60 s of audio.</summary>
public sealed class AudioSecondsConfig : ManualConfig
{
    public AudioSecondsConfig() => AddColumn(new AudioSecondsColumn("DecodeAudioSecondsPerSecond", () => DecodeResampleBenchmark.AudioSeconds));
}
