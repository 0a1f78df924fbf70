using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace SpeechEmotion.Web;

/// <summary>One structured log event per request: method, path, status, elapsed milliseconds.</summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        long start = Stopwatch.GetTimestamp();
        try { await next(ctx); }
        finally
        {
            Logged(log, ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Response.StatusCode,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds, ctx.Connection.RemoteIpAddress?.ToString() ?? "-");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Path} -> {Status} in {ElapsedMs:F1} ms from {Client}")]
    private static partial void Logged(ILogger logger, string method, string path, int status, double elapsedMs, string client);
}

/// <summary>
/// Optional API key on every /api/ path except health (and the OpenAPI document). Browsers cannot set headers
/// on WebSockets, so the stream also accepts <c>?api_key=</c>. Compared in constant time.
/// </summary>
internal sealed class ApiKeyCheck(RequestDelegate next, WebServerOptions options)
{
    private readonly byte[]? _key = options.ApiKey is null ? null : Encoding.UTF8.GetBytes(options.ApiKey);

    public Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (_key is null || !path.StartsWithSegments("/api")
            || path.StartsWithSegments("/api/v1/health") || path.StartsWithSegments("/api/v1/openapi.json"))
            return next(ctx);
        string? given = ctx.Request.Headers["X-API-Key"].FirstOrDefault();
        var auth = ctx.Request.Headers.Authorization.FirstOrDefault();
        if (given is null && auth is not null && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            given = auth["Bearer ".Length..].Trim();
        if (given is null && path.StartsWithSegments("/api/v1/stream")) given = ctx.Request.Query["api_key"].FirstOrDefault();
        if (given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key))
            return next(ctx);
        ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"ser\", X-API-Key";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized,
            title: given is null ? "API key required" : "API key not accepted",
            detail: "Send the key in the X-API-Key header (or Authorization: Bearer).").ExecuteAsync(ctx);
    }
}
