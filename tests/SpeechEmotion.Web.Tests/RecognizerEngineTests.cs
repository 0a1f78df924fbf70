using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using SpeechEmotion.Audio;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Web.Tests;

/// <summary>The service over the real recognizer (a small seeded model): answers agree with the library's.</summary>
public sealed class RecognizerEngineTests
{
    [Fact]
    public async Task RecognizeAnswersWhatTheLibraryAnswers()
    {
        var engine = TinyModel.Engine();
        await using var host = new ApiHost(new WebServerOptions { Port = 0, TimelineMinSeconds = 4 }, engine);
        var path = Wav.Samples("angry-actor03.wav");
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        var r = await host.Client.PostAsync("/api/v1/recognize", content);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonObject>();

        var expected = EmotionRecognizer.Load(TinyModel.Path).Recognize(path);
        Assert.Equal(expected.Label, (string?)body!["label"]);
        for (int i = 0; i < expected.Labels.Count; i++)
            Assert.Equal(expected.Probabilities[i], (float)body["probabilities"]![expected.Labels[i]]!, 5);
        var timeline = body["timeline"]!.AsArray();
        Assert.NotEmpty(timeline);
        foreach (var s in timeline)
        {
            Assert.True((double)s!["end"]! > (double)s["start"]!);
            Assert.Equal(1.0, s["prediction"]!["probabilities"]!.AsObject().Sum(kv => (double)kv.Value!), 3);
        }
        var model = await host.Client.GetFromJsonAsync<JsonObject>("/api/v1/model");
        Assert.Equal(["neutral", "happy", "sad", "angry"], model!["labels"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("CC0", (string?)model["card"]!["licence"]);
        // Silence is refused as unrecognisable, not answered.
        var silent = new ByteArrayContent(Wav.Encode(new float[16000]));
        silent.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        Assert.Equal((HttpStatusCode)422, (await host.Client.PostAsync("/api/v1/recognize", silent)).StatusCode);
    }

    [Fact]
    public async Task LiveStreamOfASampleGivesRollingResultsAndATimeline()
    {
        await using var host = new ApiHost(new WebServerOptions { Port = 0 }, TinyModel.Engine());
        using var ws = await host.Server.CreateWebSocketClient().ConnectAsync(new Uri(host.Server.BaseAddress, "api/v1/stream"), default);
        var audio = AudioReader.Read(Wav.Samples("happy-actor06.wav"), new AudioReadOptions { TargetSampleRate = 16000 });
        var pcm = new byte[audio.Samples.Length * 2];
        for (int i = 0; i < audio.Samples.Length; i++) BitConverter.TryWriteBytes(pcm.AsSpan(i * 2), (short)Math.Clamp(audio.Samples[i] * 32767, -32768, 32767));
        for (int off = 0; off < pcm.Length; off += 3199) // 0.1 s, odd so samples straddle messages
            await ws.SendAsync(pcm.AsMemory(off, Math.Min(3199, pcm.Length - off)), WebSocketMessageType.Binary, true, default);
        await ws.SendAsync("end"u8.ToArray(), WebSocketMessageType.Text, true, default);
        var results = new List<JsonObject>();
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var ms = new MemoryStream();
            WebSocketReceiveResult r;
            do { r = await ws.ReceiveAsync(buffer, default); ms.Write(buffer, 0, r.Count); } while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
            if (r.MessageType == WebSocketMessageType.Close) break;
            results.Add(JsonNode.Parse(ms.ToArray())!.AsObject());
        }
        var rolling = results.Where(m => (string?)m["type"] == "result").ToList();
        Assert.True(rolling.Count >= 4, $"{rolling.Count} rolling results");
        Assert.All(rolling.Zip(rolling.Skip(1)), p => Assert.True((double)p.Second["end"]! > (double)p.First["end"]!));
        Assert.Contains(rolling, m => m["prediction"] is not null);
        var final = results.Single(m => (string?)m["type"] == "final");
        Assert.Equal(audio.Duration, (double)final["duration"]!, 2);
        Assert.NotNull(final["overall"]);
        Assert.NotEmpty(final["timeline"]!.AsArray());
    }
}
