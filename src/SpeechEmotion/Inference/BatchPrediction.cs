using System.Text;
using System.Text.Json.Nodes;

namespace SpeechEmotion.Inference;

/// <summary>Outcome for one input of a batch.</summary>
/// <param name="Input">The file.</param>
/// <param name="Prediction">The prediction, or null on failure or skip.</param>
/// <param name="Error">Why the file failed (message naming it), or null.</param>
/// <param name="Skipped">True when its output file already existed and it was not processed again.</param>
public sealed record FileOutcome(InputFile Input, EmotionPrediction? Prediction, string? Error, bool Skipped = false);

/// <summary>Options of <see cref="BatchPrediction.Run"/>.</summary>
public sealed record BatchOptions
{
    /// <summary>Files processed in parallel; default: processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Which part of the inputs to process; default all.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>When set, one JSON per input is written atomically to this folder (mirroring relative paths, ".json"
    /// appended) and inputs whose JSON already exists are skipped, so re-running a job is idempotent.</summary>
    public string? OutputDirectory { get; init; }
}

/// <summary>Recognises many files in parallel: bad files are reported and the batch goes on.</summary>
public static class BatchPrediction
{
    /// <summary>Runs <paramref name="recognizer"/> over the inputs of <paramref name="options"/>'s shard; outcomes come back in input order.</summary>
    /// <param name="recognizer">The loaded model.</param>
    /// <param name="inputs">Files (see <see cref="InputFiles.Expand"/>).</param>
    /// <param name="options">Parallelism, shard and output folder.</param>
    /// <param name="progress">Called once per finished file (from worker threads).</param>
    public static IReadOnlyList<FileOutcome> Run(EmotionRecognizer recognizer, IReadOnlyList<InputFile> inputs, BatchOptions? options = null, Action<FileOutcome>? progress = null)
    {
        options ??= new BatchOptions();
        new Problems().Require(options.Parallelism >= 1, $"Parallelism {options.Parallelism} must be ≥ 1").ThrowIfAny(nameof(BatchOptions));
        var mine = inputs.Where(i => options.Shard.Contains(i.RelativePath)).ToArray();
        var outcomes = new FileOutcome[mine.Length];
        Parallel.For(0, mine.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, i =>
        {
            var input = mine[i];
            string? outPath = options.OutputDirectory is null ? null : OutputPath(options.OutputDirectory, input);
            FileOutcome o;
            if (outPath is not null && File.Exists(outPath)) o = new FileOutcome(input, null, null, Skipped: true);
            else
            {
                try
                {
                    var p = recognizer.Recognize(input.Path);
                    o = new FileOutcome(input, p, null);
                    if (outPath is not null) WriteAtomically(outPath, PredictionJson.ToJson(input.Path, p).ToJsonString() + "\n");
                }
                catch (SpeechEmotionException e) { o = new FileOutcome(input, null, e.Message); }
                catch (IOException e) { o = new FileOutcome(input, null, $"{input.Path}: {e.Message}"); }
                catch (UnauthorizedAccessException e) { o = new FileOutcome(input, null, $"{input.Path}: {e.Message}"); }
            }
            outcomes[i] = o;
            progress?.Invoke(o);
        });
        return outcomes;
    }

    /// <summary>Where the per-file JSON of <paramref name="input"/> goes below <paramref name="directory"/>.</summary>
    public static string OutputPath(string directory, InputFile input)
    {
        var rel = string.Join('/', input.RelativePath.Split('/').Where(p => p is not ("" or "." or "..")));
        return Path.Combine(Path.GetFullPath(directory), rel.Replace('/', Path.DirectorySeparatorChar) + ".json");
    }

    /// <summary>Writes <paramref name="text"/> to a temp file beside <paramref name="path"/>, then renames it into place.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }
}

/// <summary>JSON and CSV forms of predictions (one object per file: label, confidence, probabilities by label, arousal, valence).</summary>
public static class PredictionJson
{
    /// <summary>JSON object for the prediction of <paramref name="file"/>.</summary>
    public static JsonObject ToJson(string file, EmotionPrediction p, int top = 0)
    {
        var probs = new JsonObject();
        var order = top > 0 ? p.Top(top) : p.Labels.Select((l, i) => (l, p.Probabilities[i]));
        foreach (var (l, v) in order) probs[l] = Math.Round(v, 6);
        var o = new JsonObject
        {
            ["file"] = file,
            ["label"] = p.Label,
            ["confidence"] = Math.Round(p.Confidence, 6),
            ["probabilities"] = probs,
            ["duration"] = Math.Round(p.Duration, 3),
        };
        if (p.Arousal is float a) o["arousal"] = Math.Round(a, 6);
        if (p.Valence is float v2) o["valence"] = Math.Round(v2, 6);
        return o;
    }

    /// <summary>CSV header for <paramref name="labels"/>: file,label,confidence,p_&lt;label&gt;...,arousal,valence,duration.</summary>
    public static string CsvHeader(IReadOnlyList<string> labels) =>
        "file,label,confidence," + string.Join(',', labels.Select(l => "p_" + l)) + ",arousal,valence,duration";

    /// <summary>One CSV row matching <see cref="CsvHeader"/>.</summary>
    public static string CsvRow(string file, EmotionPrediction p)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(Csv(file)).Append(',').Append(Csv(p.Label)).Append(',').Append(p.Confidence.ToString("0.######", inv));
        foreach (var v in p.Probabilities) sb.Append(',').Append(v.ToString("0.######", inv));
        sb.Append(',').Append(p.Arousal?.ToString("0.######", inv)).Append(',').Append(p.Valence?.ToString("0.######", inv));
        sb.Append(',').Append(p.Duration.ToString("0.###", inv));
        return sb.ToString();
    }

    /// <summary>Quotes a CSV field when it holds a comma, quote or line break.</summary>
    public static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
