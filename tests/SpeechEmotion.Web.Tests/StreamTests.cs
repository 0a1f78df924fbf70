using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Web.Tests;

public sealed class StreamTests
{
    private static byte[] Pcm(float[] x)
    {
        var b = new byte[x.Length * 2];
        for (int i = 0; i < x.Length; i++) BitConverter.TryWriteBytes(b.AsSpan(i * 2), (short)(x[i] * 32767));
        return b;
    }

    private static async Task<JsonObject?> Receive(WebSocket ws)
    {
        var buffer = new byte[1 << 16];
        using var ms = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = await ws.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            if (r.MessageType == WebSocketMessageType.Close) return null;
            ms.Write(buffer, 0, r.Count);
        } while (!r.EndOfMessage);
        return JsonNode.Parse(ms.ToArray())!.AsObject();
    }

    [Fact]
    public async Task RollingResultsThenFinalTimeline()
    {
        await using var host = new ApiHost();
        using var ws = await host.Server.CreateWebSocketClient().ConnectAsync(new Uri(host.Server.BaseAddress, "api/v1/stream?rate=16000"), default);
        var pcm = Pcm(Wav.Tone(2.5, 0.3f));
        // Odd-sized messages: samples are split across messages and must be joined.
        for (int off = 0; off < pcm.Length; off += 3201)
            await ws.SendAsync(pcm.AsMemory(off, Math.Min(3201, pcm.Length - off)), WebSocketMessageType.Binary, true, default);
        var first = await Receive(ws);
        Assert.Equal("result", (string?)first!["type"]);
        Assert.Equal(0.0, (double)first["start"]!);
        Assert.Equal(1.0, (double)first["end"]!);
        Assert.Equal("angry", (string?)first["prediction"]!["label"]);
        var second = await Receive(ws);
        Assert.Equal(2.0, (double)second!["end"]!);
        await ws.SendAsync("end"u8.ToArray(), WebSocketMessageType.Text, true, default);
        var final = await Receive(ws);
        Assert.Equal("final", (string?)final!["type"]);
        Assert.Equal(2.5, (double)final["duration"]!, 3);
        Assert.Equal("angry", (string?)final["overall"]!["label"]);
        Assert.Equal(3, final["timeline"]!.AsArray().Count);
        Assert.Null(await Receive(ws)); // the server closes
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public void SplitSamplesAreJoinedExactly()
    {
        short[] values = [1, -2, 32767, -32768, 12345];
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        var output = new List<float>();
        int carry = -1;
        var dest = new float[16];
        foreach (var cut in new[] { 1, 2, 3, 5, 7, 10 }.Zip(new[] { 0, 1, 2, 3, 5, 7 }, (e, s) => (s, e)))
        {
            int n = StreamEndpoint.ToSamples(bytes.AsSpan(cut.s, cut.e - cut.s), ref carry, dest);
            output.AddRange(dest.AsSpan(0, n).ToArray());
        }
        Assert.Equal(values.Select(v => v / 32768f), output);
        Assert.Equal(-1, carry);
    }

    [Fact]
    public async Task OversizeMessageTooLongAudioWrongRateAndUnknownTextAreRefused()
    {
        await using var host = new ApiHost(new WebServerOptions { Port = 0, MaxAudioSeconds = 1 });
        var client = host.Server.CreateWebSocketClient();
        var url = new Uri(host.Server.BaseAddress, "api/v1/stream");

        using (var ws = await client.ConnectAsync(url, default))
        {
            await ws.SendAsync(new byte[StreamEndpoint.MaxMessageBytes + 2], WebSocketMessageType.Binary, true, default);
            Assert.Null(await Receive(ws));
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
        }
        using (var ws = await client.ConnectAsync(url, default))
        {
            await ws.SendAsync(Pcm(Wav.Tone(1.5)), WebSocketMessageType.Binary, true, default);
            JsonObject? m;
            do m = await Receive(ws); while (m is not null && (string?)m["type"] == "result");
            Assert.Equal("error", (string?)m!["type"]);
            Assert.Null(await Receive(ws));
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, ws.CloseStatus);
        }
        using (var ws = await client.ConnectAsync(url, default))
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, default);
            Assert.Null(await Receive(ws));
            Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, ws.CloseStatus);
        }
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri(host.Server.BaseAddress, "api/v1/stream?rate=44100"), default));
        var plain = await host.Client.GetAsync("/api/v1/stream");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public async Task ClientVanishingMidMessageLeavesTheServerHealthy()
    {
        await using var host = new ApiHost();
        var client = host.Server.CreateWebSocketClient();
        var url = new Uri(host.Server.BaseAddress, "api/v1/stream");
        for (int i = 0; i < 3; i++)
        {
            var ws = await client.ConnectAsync(url, default);
            // A message whose final fragment never comes (a truncated frame), then the connection drops.
            await ws.SendAsync(Pcm(Wav.Tone(0.3)), WebSocketMessageType.Binary, endOfMessage: false, default);
            ws.Abort();
            ws.Dispose();
        }
        using var again = await client.ConnectAsync(url, default);
        await again.SendAsync(Pcm(Wav.Tone(1.2)), WebSocketMessageType.Binary, true, default);
        Assert.Equal("result", (string?)(await Receive(again))!["type"]);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/health")).StatusCode);
    }
}
