using System.Text.Json.Nodes;

namespace SpeechEmotion.Web.Tests;

/// <summary>
/// A test double of <see cref="IEmotionEngine"/> for the HTTP layer: loud audio is "angry", quiet "neutral",
/// silence is refused like the real recognizer refuses it. It can block (concurrency tests) or stall until
/// cancelled (timeout tests). Never used outside tests.
/// </summary>
internal sealed class TestEngine : IEmotionEngine
{
    public TimeSpan Stall { get; init; } = TimeSpan.Zero;
    public SemaphoreSlim? Gate { get; init; }
    public double WindowSeconds { get; init; } = 1.0;
    public int Calls;

    public IReadOnlyList<string> Labels { get; } = ["neutral", "happy", "angry"];
    public int SampleRate => 16000;
    public JsonObject ModelCard => new() { ["labels"] = new JsonArray("neutral", "happy", "angry"), ["trainingData"] = "test double" };

    public WebPrediction Recognize(float[] samples, CancellationToken cancellation)
    {
        Interlocked.Increment(ref Calls);
        Gate?.Wait(cancellation);
        if (Stall > TimeSpan.Zero) Task.Delay(Stall, cancellation).Wait(cancellation);
        return Predict(samples) ?? throw new SpeechEmotionException("upload: the audio is silent");
    }

    internal WebPrediction? Predict(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += s * s;
        double rms = Math.Sqrt(sum / Math.Max(1, samples.Length));
        if (rms < 1e-4) return null;
        float angry = (float)Math.Clamp(rms * 4, 0.05, 0.9);
        var p = new Dictionary<string, float> { ["neutral"] = (1 - angry) * 0.7f, ["happy"] = (1 - angry) * 0.3f, ["angry"] = angry };
        var best = p.MaxBy(kv => kv.Value);
        return new WebPrediction(best.Key, best.Value, p, angry, 0.5f, samples.Length / 16000.0);
    }

    public IReadOnlyList<TimelineSegment> Timeline(float[] samples, CancellationToken cancellation)
    {
        var list = new List<TimelineSegment>();
        int w = (int)(WindowSeconds * SampleRate);
        for (int s = 0; s < samples.Length; s += w)
        {
            int e = Math.Min(samples.Length, s + w);
            var p = Predict(samples.AsSpan(s, e - s));
            if (p is not null) list.Add(new TimelineSegment(s / 16000.0, e / 16000.0, p));
        }
        return list;
    }

    public IStreamSession OpenStream() => new Session(this);

    private sealed class Session(TestEngine engine) : IStreamSession
    {
        private readonly List<float> _all = [];
        private int _next = (int)(engine.WindowSeconds * 16000);

        public IReadOnlyList<StreamResult> Push(ReadOnlySpan<float> samples)
        {
            _all.AddRange(samples);
            var results = new List<StreamResult>();
            int w = (int)(engine.WindowSeconds * 16000);
            while (_all.Count >= _next)
            {
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_all).Slice(_next - w, w);
                results.Add(new StreamResult((_next - w) / 16000.0, _next / 16000.0, engine.Predict(span)));
                _next += w;
            }
            return results;
        }

        public (WebPrediction?, IReadOnlyList<TimelineSegment>) Complete()
        {
            var all = _all.ToArray();
            return (engine.Predict(all), engine.Timeline(all, CancellationToken.None));
        }

        public void Dispose() { }
    }
}

internal static class Wav
{
    /// <summary>16-bit mono PCM WAV bytes of <paramref name="samples"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, int rate = 16000)
    {
        var bytes = new byte[44 + samples.Length * 2];
        var w = new BinaryWriter(new MemoryStream(bytes));
        w.Write("RIFF"u8); w.Write(36 + samples.Length * 2); w.Write("WAVE"u8); w.Write("fmt "u8);
        w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples.Length * 2);
        foreach (var s in samples) w.Write((short)Math.Clamp(s * 32767f, -32768f, 32767f));
        return bytes;
    }

    /// <summary>A seeded noisy tone of <paramref name="seconds"/> at <paramref name="amplitude"/>.</summary>
    public static float[] Tone(double seconds, float amplitude = 0.3f, int rate = 16000, int seed = 1)
    {
        var rng = new Random(seed);
        var x = new float[(int)(seconds * rate)];
        for (int i = 0; i < x.Length; i++)
            x[i] = amplitude * (0.8f * MathF.Sin(2 * MathF.PI * 220 * i / rate) + 0.2f * (float)(rng.NextDouble() * 2 - 1));
        return x;
    }

    public static string Samples(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "samples"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("samples/ not found above the test output"), "samples", name);
    }
}
