using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechEmotion.Web;

/// <summary>
/// WebSocket /api/v1/stream. The client sends binary messages of 16-bit little-endian mono PCM at the model's
/// rate (see GET /api/v1/model; <c>?rate=</c> must match), and the text message "end" when done. The server
/// answers every ready window with <c>{"type":"result",...}</c>, and after "end" with
/// <c>{"type":"final","overall":...,"timeline":[...]}</c> before closing. A sample split across two messages
/// is joined; a message over 1 MiB, audio past the duration limit or 30 s of silence from the client closes
/// the socket with a reason.
/// </summary>
internal static partial class StreamEndpoint
{
    internal const int MaxMessageBytes = 1 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task Run(HttpContext ctx, IEmotionEngine engine, WebServerOptions o, ILoggerFactory logs)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            await ApiEndpoints.Problem(400, "WebSocket required", "Connect to /api/v1/stream with a WebSocket.").ExecuteAsync(ctx);
            return;
        }
        if (ctx.Request.Query.TryGetValue("rate", out var rateText)
            && (!int.TryParse(rateText, out var rate) || rate != engine.SampleRate))
        {
            await ApiEndpoints.Problem(400, "Unsupported sample rate", $"Stream 16-bit mono PCM at {engine.SampleRate} Hz (got rate={rateText}).").ExecuteAsync(ctx);
            return;
        }
        var log = logs.CreateLogger("SpeechEmotion.Web.Stream");
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
        using var session = engine.OpenStream();
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        var samples = new float[MaxMessageBytes / 2 + 1];
        int carry = -1; // the low byte of a sample whose high byte is in the next message
        long total = 0;
        long maxSamples = (long)(o.MaxAudioSeconds * engine.SampleRate);
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
                idle.CancelAfter(TimeSpan.FromSeconds(30));
                WebSocketReceiveResult r;
                message.SetLength(0);
                do
                {
                    r = await socket.ReceiveAsync(buffer, idle.Token);
                    if (r.MessageType == WebSocketMessageType.Close) break;
                    message.Write(buffer, 0, r.Count);
                    if (message.Length > MaxMessageBytes)
                    {
                        await Close(socket, WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes");
                        return;
                    }
                } while (!r.EndOfMessage);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                if (r.MessageType == WebSocketMessageType.Text)
                {
                    var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length).Trim();
                    if (text != "end")
                    {
                        await Close(socket, WebSocketCloseStatus.InvalidPayloadData, "text messages other than 'end' are not understood");
                        return;
                    }
                    var (overall, timeline) = session.Complete();
                    await Send(socket, new { type = "final", overall, timeline, duration = total / (double)engine.SampleRate }, ctx.RequestAborted);
                    await Close(socket, WebSocketCloseStatus.NormalClosure, "done");
                    return;
                }

                int n = ToSamples(message.GetBuffer().AsSpan(0, (int)message.Length), ref carry, samples);
                total += n;
                if (total > maxSamples)
                {
                    await Send(socket, new { type = "error", message = $"live audio is limited to {o.MaxAudioSeconds:F0} s" }, ctx.RequestAborted);
                    await Close(socket, WebSocketCloseStatus.PolicyViolation, "duration limit reached");
                    return;
                }
                foreach (var result in session.Push(samples.AsSpan(0, n)))
                    await Send(socket, new { type = "result", result.Start, result.End, result.Prediction }, ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            await Close(socket, WebSocketCloseStatus.PolicyViolation, "no data for 30 s");
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away mid-message (a truncated frame or a dropped connection): nothing to answer.
            Dropped(log, e.Message);
        }
    }

    /// <summary>Converts 16-bit little-endian PCM to floats in [-1, 1), joining a sample split across messages.</summary>
    internal static int ToSamples(ReadOnlySpan<byte> bytes, ref int carry, Span<float> destination)
    {
        int n = 0, i = 0;
        if (carry >= 0 && bytes.Length > 0)
        {
            destination[n++] = (short)(carry | (bytes[0] << 8)) / 32768f;
            carry = -1;
            i = 1;
        }
        for (; i + 1 < bytes.Length; i += 2)
            destination[n++] = BinaryPrimitives.ReadInt16LittleEndian(bytes[i..]) / 32768f;
        if (i < bytes.Length) carry = bytes[i];
        return n;
    }

    private static Task Send(WebSocket socket, object payload, CancellationToken ct) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(payload, Json), WebSocketMessageType.Text, true, ct);

    private static async Task Close(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseOutputAsync(status, reason, CancellationToken.None);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Stream ended abruptly: {Reason}")]
    private static partial void Dropped(ILogger logger, string reason);
}
