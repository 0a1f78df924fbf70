namespace SpeechEmotion.Web;

/// <summary>
/// Entry point of <c>dotnet run --project src/SpeechEmotion.Web</c> and of <c>ser serve</c>:
/// <c>--port 5080 --host 127.0.0.1 --model models/default.sermodel --api-key KEY --max-seconds 300 --rate-limit 600 --concurrency 8 --cors https://a.example --json-logs</c>.
/// </summary>
public static class Program
{
    /// <summary>Default model file, relative to the working directory.</summary>
    public const string DefaultModel = "models/default.sermodel";

    /// <summary>Parses the arguments and serves until Ctrl+C.</summary>
    public static int Main(string[] args)
    {
        try
        {
            var options = ParseArguments(args);
            Serve(options, Console.Out, CancellationToken.None).GetAwaiter().GetResult();
            return 0;
        }
        catch (SpeechEmotionException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }
    }

    /// <summary>Loads the model in <paramref name="options"/>, then serves until <paramref name="stop"/> or Ctrl+C.</summary>
    /// <exception cref="SpeechEmotionException">Invalid options or an unusable model file.</exception>
    public static async Task Serve(WebServerOptions options, TextWriter output, CancellationToken stop)
    {
        options.Validate();
        var engine = LoadEngine(options.ModelPath ?? FindDefaultModel());
        await using var app = WebApp.Build(options, engine);
        await app.StartAsync(stop);
        foreach (var url in app.Urls) output.WriteLine($"Serving {url}/ (API at {url}/api/v1/, Ctrl+C to stop)");
        await app.WaitForShutdownAsync(stop);
    }

    /// <summary>
    /// <see cref="DefaultModel"/> under the working directory or the nearest parent that has it (<c>dotnet run</c>
    /// starts in the project folder); the plain relative path when none has it, so the error names it.
    /// </summary>
    public static string FindDefaultModel()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultModel);
            if (File.Exists(candidate)) return candidate;
        }
        return DefaultModel;
    }

    /// <summary>Loads the recognizer for <paramref name="modelPath"/>.</summary>
    public static IEmotionEngine LoadEngine(string modelPath)
    {
#if SER_INFERENCE
        return RecognizerEngine.Load(modelPath);
#else
        throw new SpeechEmotionException($"{modelPath}: this build has no recognizer (SpeechEmotion.Inference is missing).");
#endif
    }

    /// <summary>Reads <c>--name value</c> pairs (and SER_* environment variables) into options.</summary>
    /// <exception cref="InvalidOptionsException">Unknown argument or unparsable value.</exception>
    public static WebServerOptions ParseArguments(string[] args)
    {
        var o = WebServerOptions.Default;
        var problems = new Problems();
        var env = Environment.GetEnvironmentVariable("SER_API_KEY");
        if (!string.IsNullOrEmpty(env)) o = o with { ApiKey = env };
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--json-logs") { o = o with { JsonLogs = true }; continue; }
            if (i + 1 >= args.Length) { problems.Add($"{name} needs a value."); break; }
            string v = args[++i];
            switch (name)
            {
                case "--port" when int.TryParse(v, out var port): o = o with { Port = port }; break;
                case "--host": o = o with { Host = v }; break;
                case "--model": o = o with { ModelPath = v }; break;
                case "--api-key": o = o with { ApiKey = v }; break;
                case "--max-seconds" when double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var s): o = o with { MaxAudioSeconds = s }; break;
                case "--rate-limit" when int.TryParse(v, out var rpm): o = o with { RequestsPerMinute = rpm }; break;
                case "--concurrency" when int.TryParse(v, out var c): o = o with { MaxConcurrentRequests = c }; break;
                case "--cors": o = o with { CorsOrigins = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }; break;
                default: problems.Add($"'{name} {v}' is not understood."); break;
            }
        }
        problems.ThrowIfAny("arguments");
        o.Validate();
        return o;
    }
}
