using System.CommandLine;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser bench features [--set NAME] [--param k=v] [--seconds 60] [--threads 1] [--input FILE]</c>.</summary>
internal static class BenchFeaturesCommand
{
    internal static Command Create()
    {
        var set = new Option<string?>("--set") { Description = "Time one feature set; omitted: the librosa comparison suite (mfcc13, zcr, rms, both parameter sets) and FFT GFLOP/s." };
        var param = new Option<string[]>("--param", "-p") { Description = "Set parameter k=v (repeatable)." };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of audio per measurement.", DefaultValueFactory = _ => 60 };
        var threads = new Option<int>("--threads") { Description = "Concurrent extractions.", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions (median reported).", DefaultValueFactory = _ => 7 };
        var input = new Option<FileInfo?>("--input") { Description = "Use this audio file (resampled to 16 kHz, looped to length) instead of a generated signal." };
        var cmd = new Command("features", "Feature extraction throughput in audio-seconds per second.");
        cmd.Options.Add(set);
        cmd.Options.Add(param);
        cmd.Options.Add(seconds);
        cmd.Options.Add(threads);
        cmd.Options.Add(repeats);
        cmd.Options.Add(input);
        cmd.SetAction(parse =>
        {
            // System.CommandLine's default handler would turn library errors into exit 1; map them to 3 here
            try
            {
                float[]? signal = null;
                if (parse.GetValue(input) is FileInfo f)
                    signal = SpeechEmotion.Audio.AudioReader.Read(f.FullName, new SpeechEmotion.Audio.AudioReadOptions { TargetSampleRate = 16000 }).Samples;
                var line = SpeechEmotion.Features.FeatureBenchmark.Run(new SpeechEmotion.Features.FeatureBenchmarkOptions
                {
                    Set = parse.GetValue(set),
                    Parameters = FeaturesCommand.ParseParams(parse.GetValue(param) ?? []),
                    Seconds = parse.GetValue(seconds),
                    Threads = parse.GetValue(threads),
                    Repeats = parse.GetValue(repeats),
                    Signal16k = signal,
                });
                parse.InvocationConfiguration.Output.WriteLine(line);
                return ExitCodes.Ok;
            }
            catch (SpeechEmotionException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }
}
