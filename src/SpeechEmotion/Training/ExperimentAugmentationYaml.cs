using System.Globalization;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Models;
using YamlDotNet.RepresentationModel;

namespace SpeechEmotion.Training;

/// <summary>
/// Reads the <c>augmentation:</c> section of an experiment: the recipe keys of <see cref="AugmentationYaml"/>
/// (seed, waveform, specaugment, mixup) plus
/// <code>
/// preset: default        # start from a named recipe; waveform/specaugment/mixup given here replace its parts
/// copies: 2              # offline waveform copies per training clip (0: only specaugment/mixup)
/// placement: per-fold    # per-fold (honest) | before-split (the seed recipes' leaky protocol)
/// </code>
/// Without its own <c>seed</c>, the recipe takes the experiment's seed.
/// </summary>
public static class ExperimentAugmentationYaml
{
    private static readonly string[] OwnKeys = ["preset", "copies", "placement"];

    /// <summary>Reads the section at <paramref name="node"/> of <paramref name="text"/>; problems go to <paramref name="fail"/> / <paramref name="add"/>.</summary>
    /// <param name="node">The section's node.</param>
    /// <param name="text">The whole YAML text (for line numbers).</param>
    /// <param name="source">File name for messages.</param>
    /// <param name="experimentSeed">Seed used when the section has none.</param>
    /// <param name="fail">Problem at a node.</param>
    /// <param name="add">Problem already formatted with its line.</param>
    /// <param name="section">Key of the section in the root mapping, or null when the root is the section.</param>
    public static AugmentationConfig? Read(YamlNode node, string text, string source, ulong experimentSeed, Action<YamlNode, string> fail, Action<string> add,
        string? section = "augmentation")
    {
        if (node is not YamlMappingNode m)
        {
            fail(node, "'augmentation' must be a mapping (preset:, copies:, placement:, seed:, waveform:, specaugment:, mixup:)");
            return null;
        }
        AugmentationPipelineOptions recipe = new();
        bool recipeOk = true;
        try { recipe = AugmentationYaml.Parse(text, section, source, OwnKeys); }
        catch (InvalidOptionsException e)
        {
            // Keep reading the section's own keys so that every problem is reported at once.
            foreach (var p in e.Problems) add("augmentation: " + p);
            recipeOk = false;
        }
        string? Scalar(string key) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;
        YamlNode At(string key) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : m;
        bool Has(string key) => m.Children.ContainsKey(new YamlScalarNode(key));

        var preset = Scalar("preset");
        if (preset is not null)
        {
            if (!ExperimentAugmentation.Presets.TryGetValue(preset, out var baseRecipe))
                fail(At("preset"), $"unknown augmentation preset '{preset}'; known: {string.Join(", ", ExperimentAugmentation.Presets.Keys)}");
            else
                recipe = recipe with
                {
                    Waveform = Has("waveform") ? recipe.Waveform : baseRecipe.Waveform,
                    SpecAugment = Has("specaugment") ? recipe.SpecAugment : baseRecipe.SpecAugment,
                    Mixup = Has("mixup") ? recipe.Mixup : baseRecipe.Mixup,
                };
        }
        if (!Has("seed")) recipe = recipe with { Seed = experimentSeed };
        int copies = 2;
        if (Scalar("copies") is { } cs && !(int.TryParse(cs, NumberStyles.None, CultureInfo.InvariantCulture, out copies) && copies <= 100))
        {
            fail(At("copies"), $"augmentation.copies must be an integer in 0..100, got '{cs}'");
            copies = 2;
        }
        var placement = AugmentationPlacement.PerFold;
        switch (Scalar("placement"))
        {
            case null or "per-fold": break;
            case "before-split": placement = AugmentationPlacement.BeforeSplit; break;
            case var other: fail(At("placement"), $"augmentation.placement must be per-fold or before-split, got '{other}'"); break;
        }
        return recipeOk ? new AugmentationConfig { Recipe = recipe, Copies = copies, Placement = placement, Preset = preset } : null;
    }

    /// <summary>
    /// A recipe file for <c>ser augment</c>: a bare recipe, or an experiment file whose <c>augmentation:</c> section is
    /// used (with its preset); <c>copies</c> and <c>placement</c> there are ignored. Every problem at once, with lines.
    /// </summary>
    public static AugmentationPipelineOptions LoadRecipe(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AugmentationException($"Cannot read augmentation YAML '{path}': {e.Message}");
        }
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlDotNet.Core.YamlException e) { throw new InvalidOptionsException(path, [$"line {e.Start.Line}: not valid YAML: {e.Message}"]); }
        var problems = new List<string>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidOptionsException(path, ["line 1: the file must be a YAML mapping (a recipe, or an experiment with an 'augmentation' section)"]);
        var inExperiment = root.Children.TryGetValue(new YamlScalarNode("augmentation"), out var node);
        var config = Read(inExperiment ? node! : root, text, path, 0, (n, m) => problems.Add($"line {n.Start.Line}: {m}"), problems.Add,
            inExperiment ? "augmentation" : null);
        if (problems.Count > 0 || config is null) throw new InvalidOptionsException(path, problems.Count > 0 ? problems.ToArray() : ["no recipe"]);
        return config.Recipe;
    }

    /// <summary>Impossible combinations of the section with the rest of the experiment.</summary>
    internal static void Check(AugmentationConfig a, ExperimentConfig c, YamlNode node, Action<YamlNode, string> fail)
    {
        if (a.Recipe.Waveform.Count > 0 && a.Copies == 0 && a.Recipe.SpecAugment is null && a.Recipe.Mixup is null)
            fail(node, "augmentation has waveform transforms but copies: 0 and no specaugment/mixup: nothing would be applied; set copies >= 1");
        if (a.Placement == AugmentationPlacement.BeforeSplit && (a.Copies == 0 || a.Recipe.Waveform.Count == 0))
            fail(node, "augmentation.placement before-split needs waveform transforms and copies >= 1");
        var info = ModelZoo.Info(new ModelSpec { Architecture = c.Model.Architecture, Parameters = c.Model.Parameters, Features = 1, Classes = 2 });
        if (a.Recipe.SpecAugment is not null && a.Preset is null && info.Layout == InputLayout.Vector)
            fail(node, $"specaugment masks frames and feature bands; {c.Model.Architecture} takes one vector per utterance (remove specaugment)");
    }
}
