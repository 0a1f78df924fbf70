using System.CommandLine;
using SpeechEmotion.Web;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser serve</c>: the web page and HTTP/WebSocket API (SpeechEmotion.Web) on 127.0.0.1 until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var d = WebServerOptions.Default;
        var port = new Option<int>("--port") { Description = $"TCP port (default {d.Port}; 0 = any free port).", DefaultValueFactory = _ => d.Port };
        var host = new Option<string>("--host") { Description = $"Address to bind (default {d.Host}: this computer only).", DefaultValueFactory = _ => d.Host };
        var model = new Option<string?>("--model") { Description = $"The .sermodel to serve (default {SpeechEmotion.Web.Program.DefaultModel} here or in a parent folder)." };
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key on API calls (X-API-Key header); also read from SER_API_KEY." };
        var maxSeconds = new Option<double>("--max-seconds") { Description = $"Longest audio accepted, seconds (default {d.MaxAudioSeconds}).", DefaultValueFactory = _ => d.MaxAudioSeconds };
        var maxBody = new Option<long>("--max-body-bytes") { Description = $"Largest request body (default {d.MaxBodyBytes}).", DefaultValueFactory = _ => d.MaxBodyBytes };
        var concurrency = new Option<int>("--concurrency") { Description = "Recognitions at once (default: CPU count).", DefaultValueFactory = _ => d.MaxConcurrentRequests };
        var rate = new Option<int>("--rate-limit") { Description = $"API requests per minute per client (default {d.RequestsPerMinute}; 0 = off).", DefaultValueFactory = _ => d.RequestsPerMinute };
        var cors = new Option<string[]>("--cors") { Description = "Origins allowed to call the API from other sites (default: none).", AllowMultipleArgumentsPerToken = true };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Log one JSON object per event." };
        var cmd = new Command("serve", "Serve the web page and the recognition API (record or upload, see the emotions).");
        foreach (var o in new Option[] { port, host, model, apiKey, maxSeconds, maxBody, concurrency, rate, cors, jsonLogs }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var options = new WebServerOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                ModelPath = parse.GetValue(model),
                ApiKey = parse.GetValue(apiKey) ?? NullIfEmpty(Environment.GetEnvironmentVariable("SER_API_KEY")),
                MaxAudioSeconds = parse.GetValue(maxSeconds),
                MaxBodyBytes = parse.GetValue(maxBody),
                MaxConcurrentRequests = parse.GetValue(concurrency),
                RequestsPerMinute = parse.GetValue(rate),
                CorsOrigins = parse.GetValue(cors) ?? [],
                JsonLogs = parse.GetValue(jsonLogs),
            };
            await SpeechEmotion.Web.Program.Serve(options, parse.InvocationConfiguration.Output, ct);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
