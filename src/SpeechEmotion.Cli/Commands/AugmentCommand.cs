using System.CommandLine;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Corpora;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary>
/// <c>ser augment IN OUT (--recipe FILE | --preset default) [--corpus NAME] [--seed S] [--copies K] [--sample-rate HZ] [--speakers 01,02]</c>:
/// writes augmented copies of a corpus's utterances plus a manifest naming each copy's source utterance.
/// </summary>
internal static class AugmentCommand
{
    internal static Command Create()
    {
        var input = new Argument<string>("in") { Description = "Input corpus: a folder (with --corpus) or a manifest file (.csv/.tsv/.jsonl)." };
        var output = new Argument<DirectoryInfo>("out") { Description = "Output folder for the WAV copies and augmented.jsonl." };
        var recipe = new Option<FileInfo?>("--recipe") { Description = "Augmentation YAML (a recipe file, or an experiment file: its 'augmentation' section is used)." };
        var preset = new Option<string?>("--preset") { Description = $"Built-in recipe: {string.Join(", ", ExperimentAugmentation.Presets.Keys)}." };
        var corpus = new Option<string?>("--corpus") { Description = $"Loader of IN: {string.Join(", ", CorpusLoaders.KindNames)} (default: manifest for a file)." };
        var seed = new Option<ulong?>("--seed") { Description = "Recipe seed (overrides the recipe's)." };
        var copies = new Option<int>("--copies") { Description = "Copies per utterance (1-1000).", DefaultValueFactory = _ => 1 };
        var rate = new Option<int>("--sample-rate") { Description = "Sample rate of the copies in Hz.", DefaultValueFactory = _ => 16000 };
        var speakers = new Option<string?>("--speakers") { Description = "Only these speakers, comma-separated (augment training speakers only)." };
        var cmd = new Command("augment", "Write augmented copies of a corpus (WAV, atomic) and a manifest naming each copy's source utterance, so the leakage audit can follow them.");
        cmd.Arguments.Add(input);
        cmd.Arguments.Add(output);
        foreach (var o in new Option[] { recipe, preset, corpus, seed, copies, rate, speakers }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(recipe);
            var name = parse.GetValue(preset);
            if ((file is null) == (name is null))
            {
                error.WriteLine("error: give exactly one of --recipe FILE or --preset NAME.");
                return ExitCodes.Usage;
            }
            AugmentationPipelineOptions options;
            if (name is not null)
            {
                if (!ExperimentAugmentation.Presets.TryGetValue(name, out var p))
                {
                    error.WriteLine($"error: unknown preset '{name}'; known: {string.Join(", ", ExperimentAugmentation.Presets.Keys)}.");
                    return ExitCodes.Usage;
                }
                options = p;
            }
            else
            {
                if (!file!.Exists) throw new AugmentationException($"Recipe '{file.FullName}' does not exist.");
                options = ExperimentAugmentationYaml.LoadRecipe(file.FullName);
            }
            if (parse.GetValue(seed) is { } s) options = options with { Seed = s };
            var inPath = Path.GetFullPath(parse.GetValue(input)!);
            var kindName = parse.GetValue(corpus) ?? (File.Exists(inPath) ? "manifest" : null);
            if (kindName is null)
            {
                error.WriteLine("error: IN is a folder: name its loader with --corpus (e.g. --corpus ravdess).");
                return ExitCodes.Usage;
            }
            var keep = parse.GetValue(speakers)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var outDir = parse.GetValue(output)!.FullName;
            var written = ExperimentAugmentation.AugmentCorpus(CorpusLoaders.ParseKind(kindName), inPath, outDir, options, parse.GetValue(copies), parse.GetValue(rate), keep);
            o.WriteLine($"{written.Count} copies of {written.Select(c => c.SourceUtterance).Distinct().Count()} utterances (seed {options.Seed}) -> {outDir}");
            o.WriteLine($"manifest: {Path.Combine(outDir, AugmentationMaterializer.ManifestName)} (load it with corpus 'manifest'; each row names its source_utterance)");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
