using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;

namespace SpeechEmotion.Web;

/// <summary>Builds the web application: limits, optional API key and CORS, logs, the API and the page.</summary>
public static class WebApp
{
    internal const string RecognizePolicy = "recognize";

    /// <summary>
    /// Builds (does not start) the service for <paramref name="engine"/>. <paramref name="configure"/> lets a
    /// host adjust the builder before it is built (tests swap Kestrel for an in-memory server).
    /// </summary>
    /// <exception cref="InvalidOptionsException">The options are invalid (every problem listed).</exception>
    public static WebApplication Build(WebServerOptions options, IEmotionEngine engine,
        Action<WebApplicationBuilder>? configure = null, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.Logging.ClearProviders();
        if (options.JsonLogs) builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        else builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // One event per request comes from RequestLogging; the framework's per-request chatter is left out.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(engine);
        builder.Services.AddProblemDetails();
        builder.Services.AddRequestTimeouts(t =>
        {
            t.AddPolicy(RecognizePolicy, new RequestTimeoutPolicy
            {
                Timeout = options.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            });
        });
        builder.Services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.OnRejected = (ctx, _) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            r.GlobalLimiter = Limiters(options);
        });
        if (options.CorsOrigins.Count > 0)
            builder.Services.AddCors(c => c.AddDefaultPolicy(p =>
                p.WithOrigins([.. options.CorsOrigins]).WithMethods("GET", "POST").WithHeaders("Content-Type", "X-API-Key", "Authorization")));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RequestLogging>();
        if (options.CorsOrigins.Count > 0) app.UseCors();
        app.UseMiddleware<ApiKeyCheck>();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = s => s.Context.Response.Headers.CacheControl = "no-cache",
        });
        ApiEndpoints.Map(app);
        return app;
    }

    // One limiter chain for the whole API: a per-client token bucket, then a shared concurrency limit on
    // the expensive endpoints (recognize and the live stream), queueing a bounded number of callers.
    private static PartitionedRateLimiter<HttpContext> Limiters(WebServerOptions o)
    {
        var perClient = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
        {
            if (o.RequestsPerMinute == 0 || !ctx.Request.Path.StartsWithSegments("/api"))
                return RateLimitPartition.GetNoLimiter("none");
            var client = ctx.Connection.RemoteIpAddress?.ToString() ?? "local";
            return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, o.RequestsPerMinute / 6),
                TokensPerPeriod = Math.Max(1, o.RequestsPerMinute / 6),
                ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        var heavy = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
        {
            var path = ctx.Request.Path;
            if (!path.StartsWithSegments("/api/v1/recognize") && !path.StartsWithSegments("/api/v1/stream"))
                return RateLimitPartition.GetNoLimiter("none");
            return RateLimitPartition.GetConcurrencyLimiter("heavy", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = o.MaxConcurrentRequests,
                QueueLimit = o.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        });
        return PartitionedRateLimiter.CreateChained(perClient, heavy);
    }
}
