using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Packaging;

// Usage:
//   WebLoad make-model PATH                      writes a seeded, untrained functionals-mlp .sermodel (for load tests only)
//   WebLoad run --url http://127.0.0.1:5080 --clip samples/happy-actor06.wav --seconds 3 --concurrency 8
//               --duration 20 --warmup 3 [--server-pid PID] [--sample-every 5]
// Sends the clip cut/looped to --seconds of audio as a WAV body from --concurrency connections for --duration s
// (bounded: stops by itself) and prints one JSON line: requests/s, audio-seconds/s, p50/p99 ms, errors, and the
// server's resident memory (MiB) sampled every --sample-every s when --server-pid is given.
var inv = CultureInfo.InvariantCulture;
if (args.Length >= 2 && args[0] == "make-model") { MakeModel(args[1]); return 0; }
if (args.Length == 0 || args[0] != "run") { Console.Error.WriteLine("usage: WebLoad make-model PATH | WebLoad run --url URL --clip WAV ..."); return 2; }
var a = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2) a[args[i].TrimStart('-')] = args[i + 1];
string url = a.GetValueOrDefault("url", "http://127.0.0.1:5080").TrimEnd('/');
double clipSeconds = double.Parse(a.GetValueOrDefault("seconds", "3"), inv);
int concurrency = int.Parse(a.GetValueOrDefault("concurrency", "8"), inv);
double duration = double.Parse(a.GetValueOrDefault("duration", "20"), inv);
double warmup = double.Parse(a.GetValueOrDefault("warmup", "3"), inv);
double sampleEvery = double.Parse(a.GetValueOrDefault("sample-every", "5"), inv);
int? pid = a.TryGetValue("server-pid", out var p) ? int.Parse(p, inv) : null;

var audio = AudioReader.Read(a.GetValueOrDefault("clip", "samples/happy-actor06.wav"), new AudioReadOptions { TargetSampleRate = 16000 });
var clip = new float[(int)(clipSeconds * 16000)];
for (int i = 0; i < clip.Length; i++) clip[i] = audio.Samples[i % audio.Samples.Length];
var tmp = Path.Combine(Path.GetTempPath(), $"webload-{Environment.ProcessId}.wav");
WavWriter.Write(tmp, clip, 16000, WavSampleFormat.Pcm16);
var body = File.ReadAllBytes(tmp);
File.Delete(tmp);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
{ Timeout = TimeSpan.FromSeconds(60) };
async Task<(bool Ok, double Ms)> One()
{
    var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
    long t = Stopwatch.GetTimestamp();
    try
    {
        using var r = await http.PostAsync(url + "/api/v1/recognize", content);
        await r.Content.ReadAsByteArrayAsync();
        return (r.IsSuccessStatusCode, Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
    catch (Exception) { return (false, Stopwatch.GetElapsedTime(t).TotalMilliseconds); }
}

double Rss()
{
    if (pid is null) return double.NaN;
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], inv) / 1024;
    return double.NaN;
}

async Task<(List<double> Lat, int Errors, double Seconds)> Phase(double seconds, List<double>? rss)
{
    var lat = new List<double>();
    int errors = 0;
    var sw = Stopwatch.StartNew();
    var until = TimeSpan.FromSeconds(seconds);
    using var sampler = new CancellationTokenSource();
    var sampling = rss is null ? Task.CompletedTask : Task.Run(async () =>
    {
        while (!sampler.IsCancellationRequested) { rss.Add(Rss()); try { await Task.Delay(TimeSpan.FromSeconds(sampleEvery), sampler.Token); } catch (OperationCanceledException) { } }
    });
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (sw.Elapsed < until)
        {
            var (ok, ms) = await One();
            lock (lat) { lat.Add(ms); if (!ok) errors++; }
        }
    }));
    double elapsed = sw.Elapsed.TotalSeconds;
    sampler.Cancel();
    await sampling;
    rss?.Add(Rss());
    return (lat, errors, elapsed);
}

await Phase(warmup, null);
var rssSamples = new List<double>();
var (latencies, errs, secs) = await Phase(duration, rssSamples);
latencies.Sort();
double Pct(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
var result = new Dictionary<string, object?>
{
    ["bench"] = "web-recognize",
    ["clip_seconds"] = clipSeconds,
    ["concurrency"] = concurrency,
    ["duration_s"] = Math.Round(secs, 1),
    ["requests"] = latencies.Count,
    ["errors"] = errs,
    ["requests_per_s"] = Math.Round(latencies.Count / secs, 2),
    ["audio_seconds_per_s"] = Math.Round(latencies.Count * clipSeconds / secs, 1),
    ["p50_ms"] = Math.Round(Pct(0.50), 1),
    ["p99_ms"] = Math.Round(Pct(0.99), 1),
    ["max_ms"] = Math.Round(latencies.LastOrDefault(), 1),
    ["server_rss_mib"] = pid is null ? null : rssSamples.Where(double.IsFinite).Select(x => Math.Round(x, 1)).ToArray(),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return errs == 0 ? 0 : 1;

static void MakeModel(string path)
{
    var set = FeatureSets.Create("functionals");
    int features = set.Extract(new float[16000].Select((_, i) => 0.3f * MathF.Sin(i * 0.09f)).ToArray(), 16000).Features;
    string[] labels = ["neutral", "happy", "sad", "angry"];
    var spec = new ModelSpec { Architecture = "functionals-mlp", Features = features, Classes = labels.Length };
    var model = ModelZoo.Create(spec, seed: 11);
    ModelPackage.Save(path, new ModelManifest
    {
        Labels = labels,
        FeatureSet = set.ToJson(),
        Preparation = new InputPreparation
        {
            Layout = InputLayout.Vector, Mode = LengthMode.Vector, Features = features,
            Mean = new float[features], Std = Enumerable.Repeat(10f, features).ToArray(),
        },
        Spec = spec,
        Seed = 11,
        TrainingData = "none (seeded untrained model for load tests)",
        Licence = "CC0",
    }, model.StateDict());
    Console.WriteLine(path);
}
