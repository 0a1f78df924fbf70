using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Net.Http.Headers;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Web;

/// <summary>The HTTP API (version 1): health, model card, recognition, live stream, OpenAPI document.</summary>
internal static class ApiEndpoints
{
    /// <summary>Body types /api/v1/recognize takes besides multipart/form-data (the bytes must be a WAV file).</summary>
    internal static readonly string[] AudioTypes = ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "application/octet-stream"];

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/health", (IEmotionEngine e) => Results.Ok(new { status = "ok", version = Version, labels = e.Labels.Count }));
        api.MapGet("/model", (IEmotionEngine e, WebServerOptions o) => Results.Ok(new
        {
            labels = e.Labels,
            sampleRate = e.SampleRate,
            limits = new
            {
                maxBodyBytes = o.MaxBodyBytes, maxAudioSeconds = o.MaxAudioSeconds,
                timelineMinSeconds = o.TimelineMinSeconds, requestTimeoutSeconds = o.RequestTimeout.TotalSeconds,
            },
            card = e.ModelCard,
        }));
        api.MapPost("/recognize", Recognize).WithRequestTimeout(WebApp.RecognizePolicy).DisableAntiforgery();
        api.Map("/stream", StreamEndpoint.Run);
        api.MapGet("/openapi.json", () => Results.Text(OpenApiDocument.Json, "application/json"));
    }

    internal static string Version =>
        typeof(SpeechEmotionException).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static async Task<IResult> Recognize(HttpContext ctx, IEmotionEngine engine, WebServerOptions o)
    {
        var ct = ctx.RequestAborted;
        var request = ctx.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            return Problem(415, "Unsupported media type", $"Send a WAV body ({string.Join(", ", AudioTypes)}) or multipart/form-data with a 'file' part.");
        bool multipart = type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!multipart && !AudioTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase))
            return Problem(415, "Unsupported media type", $"'{type.MediaType}' is not accepted; send WAV bytes or multipart/form-data.");
        if (request.ContentLength > o.MaxBodyBytes) return TooLarge(o);

        var body = await ReadCapped(request.Body, o.MaxBodyBytes, ct);
        if (body is null) return TooLarge(o);
        if (body.Length == 0) return Problem(400, "Empty body", "The request carried no audio.");
        string name = "request body";
        if (multipart)
        {
            request.Body = new MemoryStream(body, writable: false);
            IFormCollection form;
            try { form = await request.ReadFormAsync(ct); }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                return Problem(400, "Malformed multipart body", e.Message);
            }
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null) return Problem(400, "No file", "The multipart body has no file part (name it 'file').");
            name = string.IsNullOrWhiteSpace(file.FileName) ? file.Name : Path.GetFileName(file.FileName);
            using var ms = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
            await file.CopyToAsync(ms, ct);
            body = ms.ToArray();
        }

        AudioBuffer audio;
        try { audio = AudioReader.Read(body, new AudioReadOptions { TargetSampleRate = engine.SampleRate }, name); }
        catch (AudioFormatException e) { return Problem(400, "Unreadable audio", e.Message); }
        if (audio.Duration > o.MaxAudioSeconds)
            return Problem(413, "Audio too long", $"{name} lasts {audio.Duration:F1} s; this service accepts at most {o.MaxAudioSeconds:F0} s.");

        try
        {
            var samples = audio.Samples;
            var result = await Task.Run(() => engine.Recognize(samples, ct), ct).WaitAsync(ct);
            IReadOnlyList<TimelineSegment>? timeline = null;
            if (audio.Duration >= o.TimelineMinSeconds)
                timeline = await Task.Run(() => engine.Timeline(samples, ct), ct).WaitAsync(ct);
            return Results.Ok(new RecognizeResponse(result.Label, result.Confidence, result.Probabilities, result.Arousal,
                result.Valence, audio.Duration, engine.SampleRate, timeline));
        }
        catch (SpeechEmotionException e) { return Problem(422, "Cannot recognise this audio", e.Message); }
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the body is longer (nothing beyond max+1 is read).</summary>
    internal static async Task<byte[]?> ReadCapped(Stream body, long max, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        while (true)
        {
            int n;
            try { n = await body.ReadAsync(buffer, ct); }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { return null; }
            if (n == 0) break;
            if (ms.Length + n > max) return null;
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    private static IResult TooLarge(WebServerOptions o) =>
        Problem(413, "Body too large", $"This service accepts request bodies of at most {o.MaxBodyBytes} bytes.");

    internal static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>Answer of POST /api/v1/recognize.</summary>
/// <param name="Label">Most probable label.</param>
/// <param name="Confidence">Its probability in [0, 1].</param>
/// <param name="Probabilities">Probability per label in [0, 1].</param>
/// <param name="Arousal">Arousal when the model has that head.</param>
/// <param name="Valence">Valence when the model has that head.</param>
/// <param name="Duration">Seconds of audio received.</param>
/// <param name="SampleRate">Rate (Hz) the audio was analysed at.</param>
/// <param name="Timeline">Emotion over time for clips of at least the timeline threshold; else null.</param>
public sealed record RecognizeResponse(string Label, float Confidence, IReadOnlyDictionary<string, float> Probabilities,
    float? Arousal, float? Valence, double Duration, int SampleRate, IReadOnlyList<TimelineSegment>? Timeline);
