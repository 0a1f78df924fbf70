namespace SpeechEmotion.Web;

/// <summary>Settings of the web service. Immutable; validated once by <see cref="Validate"/>.</summary>
public sealed record WebServerOptions
{
    /// <summary>Defaults: loopback, port 5080, limits sized for clips of up to a few minutes.</summary>
    public static WebServerOptions Default { get; } = new();

    /// <summary>Address to bind; loopback by default so nothing is exposed unless asked.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port (0 = any free port). Default 5080.</summary>
    public int Port { get; init; } = 5080;

    /// <summary>The <c>.sermodel</c> to serve; null = models/default.sermodel next to the working directory.</summary>
    public string? ModelPath { get; init; }

    /// <summary>When set, every /api/ request except health must carry it (X-API-Key, Bearer, or api_key query for WebSockets).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Largest request body in bytes (413 above it). Default 32 MiB.</summary>
    public long MaxBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Longest audio accepted in seconds, uploads and live streams alike (413 / close above it). Default 300.</summary>
    public double MaxAudioSeconds { get; init; } = 300;

    /// <summary>Clips longer than this (seconds) also get a timeline. Default 6.</summary>
    public double TimelineMinSeconds { get; init; } = 6;

    /// <summary>Time a recognition request may take before it is answered 504. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Recognitions (requests plus live streams) running at once; more wait in a queue. Default = CPU count.</summary>
    public int MaxConcurrentRequests { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a free slot; beyond that they get 429. Default 64.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>API requests one client address may make per minute (token bucket, 429 above it). Default 600; 0 = unlimited.</summary>
    public int RequestsPerMinute { get; init; } = 600;

    /// <summary>Origins allowed by CORS; empty = no CORS headers at all (same-origin only).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Write logs as JSON lines (one object per event) instead of plain text.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate()
    {
        var p = new Problems();
        p.Require(!string.IsNullOrWhiteSpace(Host), $"Host must not be empty.");
        p.Require(Port is >= 0 and <= 65535, $"Port must be in 0..65535 (got {Port}).");
        p.Require(ApiKey is null || ApiKey.Length >= 8, "ApiKey must have at least 8 characters.");
        p.Require(MaxBodyBytes >= 1024, $"MaxBodyBytes must be at least 1024 (got {MaxBodyBytes}).");
        p.Require(MaxAudioSeconds > 0, $"MaxAudioSeconds must be positive (got {MaxAudioSeconds}).");
        p.Require(TimelineMinSeconds > 0, $"TimelineMinSeconds must be positive (got {TimelineMinSeconds}).");
        p.Require(RequestTimeout > TimeSpan.Zero, $"RequestTimeout must be positive (got {RequestTimeout}).");
        p.Require(MaxConcurrentRequests >= 1, $"MaxConcurrentRequests must be at least 1 (got {MaxConcurrentRequests}).");
        p.Require(QueueLimit >= 0, $"QueueLimit must be non-negative (got {QueueLimit}).");
        p.Require(RequestsPerMinute >= 0, $"RequestsPerMinute must be non-negative (got {RequestsPerMinute}).");
        foreach (var o in CorsOrigins)
            p.Require(Uri.TryCreate(o, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https"),
                $"CORS origin '{o}' is not an absolute http(s) URL.");
        p.ThrowIfAny(nameof(WebServerOptions));
    }
}
