using BenchmarkDotNet.Attributes;
using SpeechEmotion.Dsp;
using SpeechEmotion.Features;

namespace SpeechEmotion.Benchmarks.Features;

/// <summary>
/// 60 s of 16 kHz speech-like audio with the librosa sr16000 reference parameters (n_fft 512, hop 160,
/// win 400, 64 mels) and the 22.05 kHz librosa defaults. Divide 60 s by the mean to compare with the
/// audio-seconds-per-second figures of ../shared/reference/PEERS.md (or run `ser bench features`).
/// </summary>
[MemoryDiagnoser]
public class FeatureBenchmarks
{
    private float[] _y16 = [], _y22 = [];
    private readonly StftOptions _s16 = new() { NFft = 512, HopLength = 160, WinLength = 400 };
    private readonly MelOptions _m16 = new() { SampleRate = 16000, NFft = 512, NMels = 64 };
    private readonly StftOptions _s22 = new() { NFft = 2048, HopLength = 512 };
    private readonly MelOptions _m22 = new() { SampleRate = 22050, NFft = 2048, NMels = 128 };

    [GlobalSetup]
    public void Setup()
    {
        _y16 = FeatureBenchmark.SpeechLike(16000, 60, 1);
        _y22 = FeatureBenchmark.SpeechLike(22050, 60, 1);
    }

    [Benchmark] public float[] Mfcc13_16k() => MelSpectrogram.Mfcc(_y16, 16000, _s16, _m16, 13);
    [Benchmark] public float[] Zcr_16k() => TimeDomain.ZeroCrossingRate(_y16, 400, 160);
    [Benchmark] public float[] Rms_16k() => TimeDomain.Rms(_y16, 400, 160);

    [Benchmark]
    public float[] ZcrRmsMfcc13_16k()
    {
        TimeDomain.ZeroCrossingRate(_y16, 400, 160);
        TimeDomain.Rms(_y16, 400, 160);
        return MelSpectrogram.Mfcc(_y16, 16000, _s16, _m16, 13);
    }

    [Benchmark]
    public float[] ZcrRmsMfcc20_22050Defaults()
    {
        TimeDomain.ZeroCrossingRate(_y22, 2048, 512);
        TimeDomain.Rms(_y22, 2048, 512);
        return MelSpectrogram.Mfcc(_y22, 22050, _s22, _m22, 20);
    }

    [Benchmark] public FeatureMatrix Lld_16k() => FeatureSets.Create("lld").Extract(_y16, 16000);
}

/// <summary>Single real FFTs; GFLOP/s = 2.5·n·log2(n) / time.</summary>
public class FftBenchmarks
{
    [Params(400, 512, 2048)]
    public int N { get; set; }

    private RealFft _fft = null!;
    private float[] _x = [], _re = [], _im = [];

    [GlobalSetup]
    public void Setup()
    {
        _fft = new RealFft(N);
        _x = FeatureBenchmark.SpeechLike(16000, N / 16000.0, 3);
        _re = new float[N / 2 + 1];
        _im = new float[N / 2 + 1];
    }

    [Benchmark] public void Forward() => _fft.Forward(_x, _re, _im);
}
