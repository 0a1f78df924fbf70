using System.CommandLine;
using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser bench augment [--input FOLDER] [--recipe FILE] [--section KEY] [--epochs 2] [--threads 1] [--repeats 3] [--no-per-transform]</c>.</summary>
internal static class BenchAugmentCommand
{
    internal static Command Create()
    {
        var input = new Option<DirectoryInfo?>("--input") { Description = "Folder of WAV utterances (read at 16 kHz; at most 40) instead of generated speech-like signals." };
        var recipe = new Option<FileInfo?>("--recipe") { Description = "Augmentation YAML (default: the built-in default recipe)." };
        var section = new Option<string?>("--section") { Description = "Key of the augmentation block inside the YAML (e.g. 'augmentation')." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the utterances per timed run.", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "Utterances augmented in parallel.", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (median reported).", DefaultValueFactory = _ => 3 };
        var noPer = new Option<bool>("--no-per-transform") { Description = "Time only the whole recipe." };
        var cmd = new Command("augment", "Augmentation throughput (default recipe and each transform) in audio-seconds per second.");
        foreach (var opt in new Option[] { input, recipe, section, epochs, threads, repeats, noPer }) cmd.Options.Add(opt);
        cmd.SetAction(parse =>
        {
            // System.CommandLine's default handler would turn a bad recipe into exit 1; report it as bad input (3).
            try { return Execute(parse, input, recipe, section, epochs, threads, repeats, noPer); }
            catch (SpeechEmotionException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    private static int Execute(ParseResult parse, Option<DirectoryInfo?> input, Option<FileInfo?> recipe, Option<string?> section,
        Option<int> epochs, Option<int> threads, Option<int> repeats, Option<bool> noPer)
    {
        IReadOnlyList<AudioItem>? items = null;
        if (parse.GetValue(input) is DirectoryInfo dir)
        {
            if (!dir.Exists) throw new AugmentationException($"Input folder '{dir.FullName}' does not exist.");
            items = Directory.EnumerateFiles(dir.FullName, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(40)
                .Select(f => new AudioItem { Id = Path.GetRelativePath(dir.FullName, f), Path = f, Speaker = Path.GetFileName(Path.GetDirectoryName(f)) })
                .ToList();
        }
        var line = AugmentationBenchmark.Run(new AugmentationBenchmarkOptions
        {
            Items = items,
            Recipe = parse.GetValue(recipe) is FileInfo f ? AugmentationYaml.Load(f.FullName, parse.GetValue(section)) : null,
            Epochs = parse.GetValue(epochs),
            Threads = parse.GetValue(threads),
            Repeats = parse.GetValue(repeats),
            PerTransform = !parse.GetValue(noPer),
        });
        parse.InvocationConfiguration.Output.WriteLine(line);
        return ExitCodes.Ok;
    }
}
