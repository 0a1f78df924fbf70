using BenchmarkDotNet.Attributes;
using SpeechEmotion.Corpora;

namespace SpeechEmotion.Benchmarks.Corpora;

/// <summary>
/// Leakage-audit kernels on 3.5 s of synthetic 16 kHz speech-like audio: fingerprinting (divide 3.5 s by the
/// mean time for audio-seconds per second), pairwise similarity (pairs per second = 1 / mean time) and the
/// content hash.
/// </summary>
[MemoryDiagnoser]
public class FingerprintBenchmarks
{
    private float[] _a = [], _b = [];
    private AudioFingerprint _fa = null!, _fb = null!;

    [GlobalSetup]
    public void Setup()
    {
        float[] Make(int seed)
        {
            var r = new Random(seed);
            var x = new float[56000];
            for (int i = 0; i < x.Length; i++)
            {
                var env = 0.5 + 0.5 * Math.Sin(2 * Math.PI * 3 * i / 16000.0);
                x[i] = (float)(env * (0.3 * Math.Sin(2 * Math.PI * (150 + 50 * Math.Sin(i / 8000.0)) * i / 16000.0) + 0.05 * (r.NextDouble() - 0.5)));
            }
            return x;
        }
        _a = Make(1);
        _b = Make(2);
        _fa = AudioFingerprint.Compute(_a, 16000);
        _fb = AudioFingerprint.Compute(_b, 16000);
    }

    /// <summary>Fingerprint of 3.5 s at 16 kHz.</summary>
    [Benchmark]
    public AudioFingerprint Fingerprint() => AudioFingerprint.Compute(_a, 16000);

    /// <summary>One pairwise similarity with a ±0.2 s shift search.</summary>
    [Benchmark]
    public double Similarity() => AudioFingerprint.Similarity(_fa, _fb);

    /// <summary>SHA-256 content hash of 3.5 s at 16 kHz.</summary>
    [Benchmark]
    public string ContentHash() => AudioHash.Of(_a, 16000);
}
