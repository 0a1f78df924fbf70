using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Features;

/// <summary>Parameters of <see cref="FeatureBenchmark.Run"/>.</summary>
public sealed record FeatureBenchmarkOptions
{
    /// <summary>A registered set to time; null times the standard suite that PEERS.md reports for librosa.</summary>
    public string? Set { get; init; }
    /// <summary>Parameters of <see cref="Set"/>.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
    /// <summary>Seconds of audio per measurement (> 0). Default 60.</summary>
    public double Seconds { get; init; } = 60;
    /// <summary>Concurrent threads, each extracting its own copy (>= 1). Default 1.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Timed repetitions; the median is reported (>= 1). Default 7.</summary>
    public int Repeats { get; init; } = 5;
    /// <summary>Signal to use at 16 kHz (and its 22.05 kHz version for the defaults row); null generates a seeded speech-like signal.</summary>
    public float[]? Signal16k { get; init; }
}

/// <summary>
/// Throughput of feature extraction in audio-seconds per second (higher is better), the unit of
/// ../shared/reference/PEERS.md, plus the FFT's GFLOP/s (2.5·n·log2 n flops per real transform).
/// </summary>
public static class FeatureBenchmark
{
    /// <summary>Runs the measurement and returns one JSON line.</summary>
    public static string Run(FeatureBenchmarkOptions o)
    {
        var p = new Problems();
        p.Require(o.Seconds > 0 && o.Seconds <= 3600, $"seconds must be in (0, 3600] (got {o.Seconds})");
        p.Require(o.Threads >= 1 && o.Threads <= 256, $"threads must be in 1..256 (got {o.Threads})");
        p.Require(o.Repeats >= 1, $"repeats must be at least 1 (got {o.Repeats})");
        p.ThrowIfAny("bench features");
        var results = new SortedDictionary<string, (double Wall, double Cpu)>(StringComparer.Ordinal);
        var y16 = Fit(o.Signal16k ?? SpeechLike(16000, o.Seconds, 1), (int)(o.Seconds * 16000));
        if (o.Set is not null)
        {
            var set = FeatureSets.Create(o.Set, o.Parameters);
            var y = set.SampleRate == 16000 ? y16 : SpeechLike(set.SampleRate, o.Seconds, 1);
            results[o.Set] = Measure(o, () => set.Extract(y, set.SampleRate));
        }
        else
        {
            var s16 = new StftOptions { NFft = 512, HopLength = 160, WinLength = 400 };
            var m16 = new MelOptions { SampleRate = 16000, NFft = 512, NMels = 64 };
            results["mfcc13"] = Measure(o, () => MelSpectrogram.Mfcc(y16, 16000, s16, m16, 13));
            results["zero_crossing_rate"] = Measure(o, () => TimeDomain.ZeroCrossingRate(y16, 400, 160));
            results["rms"] = Measure(o, () => TimeDomain.Rms(y16, 400, 160));
            results["zcr_rms_mfcc13"] = Measure(o, () =>
            {
                TimeDomain.ZeroCrossingRate(y16, 400, 160);
                TimeDomain.Rms(y16, 400, 160);
                MelSpectrogram.Mfcc(y16, 16000, s16, m16, 13);
            });
            var y22 = SpeechLike(22050, o.Seconds, 1);
            var s22 = new StftOptions { NFft = 2048, HopLength = 512 };
            var m22 = new MelOptions { SampleRate = 22050, NFft = 2048, NMels = 128 };
            results["zcr_rms_mfcc20_22050_defaults"] = Measure(o, () =>
            {
                TimeDomain.ZeroCrossingRate(y22, 2048, 512);
                TimeDomain.Rms(y22, 2048, 512);
                MelSpectrogram.Mfcc(y22, 22050, s22, m22, 20);
            });
            results["lld"] = Measure(o, () => FeatureSets.Create("lld").Extract(y16, 16000));
        }
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "features");
            w.WriteString("unit", "audio_seconds_per_second");
            w.WriteNumber("seconds", o.Seconds);
            w.WriteNumber("threads", o.Threads);
            w.WriteString("signal", o.Signal16k is null ? "generated speech-like (seeded)" : "given");
            w.WriteStartObject("throughput");
            foreach (var kv in results) w.WriteNumber(kv.Key, Math.Round(kv.Value.Wall, 1));
            w.WriteEndObject();
            // process CPU time instead of wall time: robust on a loaded machine (excludes time spent descheduled)
            w.WriteStartObject("throughput_cpu_time");
            foreach (var kv in results) w.WriteNumber(kv.Key, Math.Round(kv.Value.Cpu, 1));
            w.WriteEndObject();
            if (o.Set is null)
            {
                w.WriteStartObject("fft_gflops");
                foreach (var n in new[] { 400, 512, 2048 }) w.WriteNumber(n.ToString(CultureInfo.InvariantCulture), Math.Round(FftGflops(n), 2));
                w.WriteEndObject();
                // the STFT path: SIMD lanes carry frames (window, FFT and |X|² included)
                w.WriteStartObject("stft_batched_fft_gflops");
                foreach (var n in new[] { 400, 512, 2048 }) w.WriteNumber(n.ToString(CultureInfo.InvariantCulture), Math.Round(BatchedFftGflops(n), 2));
                w.WriteEndObject();
            }
            w.WriteString("machine", $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>GFLOP/s of <see cref="RealFft.Forward"/> at length <paramref name="n"/> on one thread (2.5·n·log2 n flops per call).</summary>
    public static double FftGflops(int n)
    {
        var fft = new RealFft(n);
        var x = SpeechLike(16000, (double)n / 16000, 2);
        var re = new float[n / 2 + 1]; var im = new float[n / 2 + 1];
        var reps = Math.Max(1000, 20_000_000 / n);
        for (var i = 0; i < reps / 10; i++) fft.Forward(x, re, im);
        var best = double.MaxValue;
        var proc = Process.GetCurrentProcess();
        for (var r = 0; r < 5; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < reps; i++) fft.Forward(x, re, im);
            var wall = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            // the smaller of wall and CPU time: CPU time excludes time descheduled on a loaded machine
            best = Math.Min(best, Math.Min(wall, Math.Max(1e-6, (proc.TotalProcessorTime - c0).TotalSeconds)));
        }
        return 2.5 * n * Math.Log2(n) * reps / best / 1e9;
    }

    /// <summary>GFLOP/s of the multi-frame STFT power path at length <paramref name="n"/> (2.5·n·log2 n flops per frame).</summary>
    public static double BatchedFftGflops(int n)
    {
        if (!BatchRealFft.Supports(n)) return 0;
        var stft = new Stft(new StftOptions { NFft = n, HopLength = n / 4 });
        var y = SpeechLike(16000, 4.0, 2);
        var frames = stft.CheckedFrames(y);
        var lanes = System.Numerics.Vector<float>.Count;
        var pw = new System.Numerics.Vector<float>[n / 2 + 1];
        var scratch = new float[n];
        void Run() { for (var t0 = 0; t0 < frames; t0 += lanes) stft.PowerBatch(y, t0, Math.Min(lanes, frames - t0), pw, scratch); }
        for (var i = 0; i < 20; i++) Run();
        var reps = Math.Max(5, 2_000_000 / (n * frames / 64 + 1));
        var best = double.MaxValue;
        var proc = Process.GetCurrentProcess();
        for (var r = 0; r < 5; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < reps; i++) Run();
            var wall = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            best = Math.Min(best, Math.Min(wall, Math.Max(1e-6, (proc.TotalProcessorTime - c0).TotalSeconds)));
        }
        return 2.5 * n * Math.Log2(n) * frames * reps / best / 1e9;
    }

    private static (double Wall, double Cpu) Measure(FeatureBenchmarkOptions o, Action work)
    {
        // warm-up until tier-1 JIT code and caches settle; size repeats to >= 0.25 s so that the
        // coarse process CPU clock (4-10 ms ticks on Linux) does not quantise the result
        var warm = Stopwatch.StartNew();
        var calls = 0;
        do { work(); calls++; } while (warm.Elapsed.TotalSeconds < 1.0 || calls < 10);
        var perCall = warm.Elapsed.TotalSeconds / calls;
        var inner = Math.Max(1, (int)Math.Ceiling(0.25 / Math.Max(perCall, 1e-6)));
        var times = new List<double>();
        var cpu = new List<double>();
        var proc = Process.GetCurrentProcess();
        for (var r = 0; r < o.Repeats; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < inner; i++)
            {
                if (o.Threads == 1) work();
                else Parallel.For(0, o.Threads, new ParallelOptions { MaxDegreeOfParallelism = o.Threads }, _ => work());
            }
            times.Add(sw.Elapsed.TotalSeconds / inner);
            proc.Refresh();
            cpu.Add((proc.TotalProcessorTime - c0).TotalSeconds / inner);
        }
        times.Sort();
        cpu.Sort();
        return (o.Seconds * o.Threads / times[times.Count / 2], o.Seconds * o.Threads / Math.Max(1e-6, cpu[cpu.Count / 2]));
    }

    private static float[] Fit(float[] y, int n)
    {
        if (y.Length == n) return y;
        var r = new float[n];
        for (var i = 0; i < n; i++) r[i] = y[i % y.Length];
        return r;
    }

    /// <summary>
    /// A seeded speech-like test signal: a harmonic voice with a wandering pitch (90–250 Hz),
    /// syllable-rate amplitude modulation, noise bursts and pauses. Amplitude below 0.5.
    /// </summary>
    public static float[] SpeechLike(int sampleRate, double seconds, int seed)
    {
        var n = (int)Math.Round(sampleRate * seconds);
        var y = new float[n];
        var rng = new Random(seed);
        double phase = 0, f0 = 140;
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / sampleRate;
            if (i % 160 == 0) f0 = Math.Clamp(f0 + (rng.NextDouble() - 0.5) * 6, 90, 250);
            phase += 2 * Math.PI * f0 / sampleRate;
            var syll = Math.Max(0, Math.Sin(2 * Math.PI * 4 * t)); // ~4 syllables per second
            var pause = (int)(t / 2.5) % 4 == 3 ? 0.02 : 1.0;
            double v = 0;
            for (var h = 1; h <= 20 && h * f0 < sampleRate / 2.0; h++) v += Math.Sin(h * phase) / h;
            v = 0.15 * v * syll * pause + 0.01 * (rng.NextDouble() - 0.5);
            y[i] = (float)v;
        }
        return y;
    }
}
