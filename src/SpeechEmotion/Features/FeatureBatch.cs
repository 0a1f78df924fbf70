using SpeechEmotion.Audio;

namespace SpeechEmotion.Features;

/// <summary>Outcome of one file of a <see cref="FeatureBatch"/>.</summary>
/// <param name="Input">The input path as given.</param>
/// <param name="Output">The written file, or null on failure.</param>
/// <param name="Frames">Frames written (0 on failure).</param>
/// <param name="Error">The failure message, or null.</param>
public sealed record FeatureBatchItem(string Input, string? Output, int Frames, string? Error);

/// <summary>
/// Extracts one feature set from many audio files in parallel and writes one file per input
/// (named after the input, extension by format) plus <c>featureset.json</c> describing the set.
/// A bad input is reported in its item and does not stop the others.
/// </summary>
public static class FeatureBatch
{
    /// <summary>
    /// Runs the batch. Inputs are decoded with <see cref="AudioReader"/> (mixed to mono, resampled to
    /// the set's rate). <paramref name="progress"/> is called once per finished file (from worker threads).
    /// </summary>
    /// <exception cref="InvalidOptionsException">Two inputs would write the same output file, or threads &lt; 1.</exception>
    public static IReadOnlyList<FeatureBatchItem> Run(IReadOnlyList<string> inputs, IFeatureSet set, string outDir,
        FeatureFileFormat format, int threads, Action<FeatureBatchItem>? progress = null)
    {
        var p = new Problems();
        p.Require(threads >= 1, $"threads must be at least 1 (got {threads})");
        p.Require(inputs.Count > 0, "no input files");
        var outputs = inputs.Select(i => Path.Combine(outDir, Path.GetFileNameWithoutExtension(i) + FeatureFiles.Extension(format))).ToArray();
        foreach (var g in outputs.Select((o, i) => (o, i)).GroupBy(x => x.o, StringComparer.Ordinal).Where(g => g.Count() > 1))
            p.Add($"inputs {string.Join(" and ", g.Select(x => $"'{inputs[x.i]}'"))} would both write '{g.Key}'");
        p.ThrowIfAny("features");
        Directory.CreateDirectory(outDir);
        WriteText(Path.Combine(outDir, "featureset.json"), set.ToJson());
        var results = new FeatureBatchItem[inputs.Count];
        var readOptions = new AudioReadOptions { TargetSampleRate = set.SampleRate };
        var setJson = set.ToJson();
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            FeatureBatchItem item;
            try
            {
                var audio = AudioReader.Read(inputs[i], readOptions);
                var m = set.Extract(audio.Samples, audio.SampleRate);
                FeatureFiles.Write(outputs[i], m, format, setJson);
                item = new FeatureBatchItem(inputs[i], outputs[i], m.Frames, null);
            }
            catch (SpeechEmotionException e)
            {
                item = new FeatureBatchItem(inputs[i], null, 0, $"{inputs[i]}: {e.Message}");
            }
            catch (IOException e)
            {
                item = new FeatureBatchItem(inputs[i], null, 0, $"{inputs[i]}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                item = new FeatureBatchItem(inputs[i], null, 0, $"{inputs[i]}: {e.Message}");
            }
            results[i] = item;
            progress?.Invoke(item);
        });
        return results;
    }

    private static void WriteText(string path, string text)
    {
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
