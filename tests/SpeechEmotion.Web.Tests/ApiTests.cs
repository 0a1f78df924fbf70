using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Web.Tests;

public sealed class ApiTests
{
    private static ByteArrayContent WavContent(byte[] wav, string type = "audio/wav")
    {
        var c = new ByteArrayContent(wav);
        c.Headers.ContentType = new MediaTypeHeaderValue(type);
        return c;
    }

    [Fact]
    public async Task HealthModelAndOpenApiAnswer()
    {
        await using var host = new ApiHost();
        var health = await host.Client.GetFromJsonAsync<JsonObject>("/api/v1/health");
        Assert.Equal("ok", (string?)health!["status"]);
        var model = await host.Client.GetFromJsonAsync<JsonObject>("/api/v1/model");
        Assert.Equal(["neutral", "happy", "angry"], model!["labels"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(16000, (int)model["sampleRate"]!);
        Assert.Equal("test double", (string?)model["card"]!["trainingData"]);
        var doc = await host.Client.GetFromJsonAsync<JsonObject>("/api/v1/openapi.json");
        Assert.Equal("3.0.3", (string?)doc!["openapi"]);
        // Every API route the app maps is described.
        var routes = host.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r.StartsWith("/api/")).ToList();
        Assert.Equal(5, routes.Count);
        foreach (var r in routes) Assert.True(doc["paths"]!.AsObject().ContainsKey(r), r);
    }

    [Fact]
    public async Task RawWavBodyIsRecognised()
    {
        await using var host = new ApiHost();
        var r = await host.Client.PostAsync("/api/v1/recognize", WavContent(Wav.Encode(Wav.Tone(2, 0.3f))));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("angry", (string?)body!["label"]);
        Assert.Equal(2.0, (double)body["duration"]!, 3);
        var p = body["probabilities"]!.AsObject();
        Assert.Equal(3, p.Count);
        Assert.Equal(1.0, p.Sum(kv => (double)kv.Value!), 4);
        Assert.NotNull(body["arousal"]);
        Assert.Null(body["timeline"]); // a short clip has no timeline
    }

    [Fact]
    public async Task MultipartUploadOfASampleAtAnotherRateIsResampledAndLongAudioGetsATimeline()
    {
        await using var host = new ApiHost(new WebServerOptions { Port = 0, TimelineMinSeconds = 3 });
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Wav.Samples("angry-actor03.wav")));
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "angry-actor03.wav");
        var r = await host.Client.PostAsync("/api/v1/recognize", form);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(4.404, (double)body!["duration"]!, 2);
        var timeline = body["timeline"]!.AsArray();
        Assert.True(timeline.Count >= 4, $"{timeline.Count} segments");
        Assert.True((double)timeline[^1]!["end"]! > 4.3);

        // 44.1 kHz stereo input is mixed and resampled to the model's 16 kHz.
        var tone = Wav.Tone(1.5, 0.3f, rate: 44100);
        var r2 = await host.Client.PostAsync("/api/v1/recognize", WavContent(Wav.Encode(tone, 44100), "audio/x-wav"));
        var b2 = await r2.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(1.5, (double)b2!["duration"]!, 2);
        Assert.Equal(16000, (int)b2["sampleRate"]!);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("audio/mpeg")]
    public async Task WrongContentTypeIs415(string type)
    {
        await using var host = new ApiHost();
        var r = await host.Client.PostAsync("/api/v1/recognize", WavContent(Wav.Encode(Wav.Tone(1)), type));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
        var none = new ByteArrayContent([1, 2, 3]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Client.PostAsync("/api/v1/recognize", none)).StatusCode);
    }

    [Fact]
    public async Task MalformedBodiesAre400AndSilenceIs422()
    {
        await using var host = new ApiHost();
        async Task<(HttpStatusCode, string)> Post(HttpContent c)
        {
            var r = await host.Client.PostAsync("/api/v1/recognize", c);
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }
        var (s1, t1) = await Post(WavContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Contains("no audio", t1);
        var (s2, _) = await Post(WavContent(Encoding.ASCII.GetBytes("this is not a wav file at all, not even close")));
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        var wav = Wav.Encode(Wav.Tone(1));
        var (s3, _) = await Post(WavContent(wav[..30])); // truncated header
        Assert.Equal(HttpStatusCode.BadRequest, s3);
        var broken = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nabc", Encoding.ASCII);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var (s4, _) = await Post(broken);
        Assert.Equal(HttpStatusCode.BadRequest, s4);
        using var noFile = new MultipartFormDataContent { { new StringContent("hello"), "note" } };
        var (s5, t5) = await Post(noFile);
        Assert.Equal(HttpStatusCode.BadRequest, s5);
        Assert.Contains("no file", t5);
        var (s6, t6) = await Post(WavContent(Wav.Encode(new float[16000])));
        Assert.Equal((HttpStatusCode)422, s6);
        Assert.Contains("silent", t6);
    }

    [Fact]
    public async Task OversizeBodiesAre413WithOrWithoutContentLength()
    {
        await using var host = new ApiHost(new WebServerOptions { Port = 0, MaxBodyBytes = 64 * 1024 });
        var big = Wav.Encode(Wav.Tone(3)); // 96 kB
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client.PostAsync("/api/v1/recognize", WavContent(big))).StatusCode);
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/recognize") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client.SendAsync(request)).StatusCode);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(big), "file", "big.wav" } };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client.PostAsync("/api/v1/recognize", form)).StatusCode);
        // Just under the limit is fine.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/v1/recognize", WavContent(Wav.Encode(Wav.Tone(1.5))))).StatusCode);
    }

    [Fact]
    public async Task AudioLongerThanTheLimitIs413()
    {
        await using var host = new ApiHost(new WebServerOptions { Port = 0, MaxAudioSeconds = 2 });
        var r = await host.Client.PostAsync("/api/v1/recognize", WavContent(Wav.Encode(Wav.Tone(2.5))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Contains("at most 2 s", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SlowRecognitionTimesOutWith504()
    {
        var engine = new TestEngine { Stall = TimeSpan.FromSeconds(30) };
        await using var host = new ApiHost(new WebServerOptions { Port = 0, RequestTimeout = TimeSpan.FromMilliseconds(300) }, engine);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = await host.Client.PostAsync("/api/v1/recognize", WavContent(Wav.Encode(Wav.Tone(1))));
        Assert.Equal(HttpStatusCode.GatewayTimeout, r.StatusCode);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ConcurrencyLimitRejectsBeyondSlotsAndQueue()
    {
        var gate = new SemaphoreSlim(0);
        var engine = new TestEngine { Gate = gate };
        await using var host = new ApiHost(new WebServerOptions { Port = 0, MaxConcurrentRequests = 1, QueueLimit = 1 }, engine);
        var wav = Wav.Encode(Wav.Tone(1));
        var first = host.Client.PostAsync("/api/v1/recognize", WavContent(wav));
        while (Volatile.Read(ref engine.Calls) == 0) await Task.Delay(10);
        var queued = host.Client.PostAsync("/api/v1/recognize", WavContent(wav));
        await Task.Delay(100);
        var rejected = await host.Client.PostAsync("/api/v1/recognize", WavContent(wav));
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        // Cheap endpoints are not held up by the recognition slots.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/model")).StatusCode);
        gate.Release(2);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
    }

    [Fact]
    public async Task RateLimiterAnswers429WithRetryAfter()
    {
        await using var host = new ApiHost(new WebServerOptions { Port = 0, RequestsPerMinute = 12 }); // bucket of 2
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/model")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/model")).StatusCode);
        var r = await host.Client.GetAsync("/api/v1/model");
        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        Assert.True(r.Headers.RetryAfter is not null || r.Headers.Contains("Retry-After"));
        // The page itself is not rate limited.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await host.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task ApiKeyIsRequiredWhenConfigured()
    {
        const string key = "s3cret-key-123";
        await using var host = new ApiHost(new WebServerOptions { Port = 0, ApiKey = key });
        var missing = await host.Client.GetAsync("/api/v1/model");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("required", await missing.Content.ReadAsStringAsync());
        Assert.True(missing.Headers.WwwAuthenticate.Count > 0);
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model") { Headers = { { "X-API-Key", "s3cret-key-124" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(wrong)).StatusCode);
        var posted = new HttpRequestMessage(HttpMethod.Post, "/api/v1/recognize") { Content = WavContent(Wav.Encode(Wav.Tone(1))) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(posted)).StatusCode);
        var right = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model") { Headers = { { "X-API-Key", key } } };
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(right)).StatusCode);
        var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(bearer)).StatusCode);
        // Health and the page stay open.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/")).StatusCode);
        // The WebSocket takes the key as a query parameter; without it the upgrade is refused.
        var ws = host.Server.CreateWebSocketClient();
        await Assert.ThrowsAnyAsync<Exception>(() => ws.ConnectAsync(new Uri(host.Server.BaseAddress, "api/v1/stream"), default));
        using var ok = await ws.ConnectAsync(new Uri(host.Server.BaseAddress, $"api/v1/stream?api_key={key}"), default);
        Assert.Equal(WebSocketState.Open, ok.State);
    }

    [Fact]
    public async Task NoCorsHeadersUnlessConfigured()
    {
        await using (var host = new ApiHost())
        {
            var req = new HttpRequestMessage(HttpMethod.Options, "/api/v1/model");
            req.Headers.Add("Origin", "https://example.org");
            req.Headers.Add("Access-Control-Request-Method", "GET");
            var r = await host.Client.SendAsync(req);
            Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"));
            var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model") { Headers = { { "Origin", "https://example.org" } } };
            Assert.False((await host.Client.SendAsync(get)).Headers.Contains("Access-Control-Allow-Origin"));
        }
        await using (var host = new ApiHost(new WebServerOptions { Port = 0, CorsOrigins = ["https://example.org"] }))
        {
            var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model") { Headers = { { "Origin", "https://example.org" } } };
            var r = await host.Client.SendAsync(get);
            Assert.Equal("https://example.org", r.Headers.GetValues("Access-Control-Allow-Origin").Single());
            var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model") { Headers = { { "Origin", "https://evil.example" } } };
            Assert.False((await host.Client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task PageAndScriptsAreServedWithoutExternalReferences()
    {
        await using var host = new ApiHost();
        var html = await host.Client.GetStringAsync("/");
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("<label class=\"file-label\" for=\"upload\">", html);
        foreach (var file in new[] { "/app.js", "/pcm-worklet.js", "/style.css" })
        {
            var text = await host.Client.GetStringAsync(file);
            Assert.DoesNotContain("https://", text.Replace("https:' ? 'wss'", "")); // no CDN
        }
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void InvalidOptionsListEveryProblem()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new WebServerOptions
        {
            Port = 70000, MaxBodyBytes = 10, ApiKey = "short", MaxConcurrentRequests = 0, CorsOrigins = ["not a url"],
        }.Validate());
        Assert.Equal(5, e.Problems.Count);
        var parsed = Program.ParseArguments(["--port", "6001", "--api-key", "abcdefgh1", "--max-seconds", "20", "--json-logs"]);
        Assert.Equal(6001, parsed.Port);
        Assert.Equal("abcdefgh1", parsed.ApiKey);
        Assert.Equal(20, parsed.MaxAudioSeconds);
        Assert.True(parsed.JsonLogs);
        Assert.Equal("127.0.0.1", parsed.Host);
        Assert.Throws<InvalidOptionsException>(() => Program.ParseArguments(["--bogus", "1"]));
    }
}
