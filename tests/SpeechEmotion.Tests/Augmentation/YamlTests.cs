using SpeechEmotion.Augmentation;

namespace SpeechEmotion.Tests.Augmentation;

public class YamlTests
{
    private static string Describe(AugmentationPipelineOptions o) =>
        $"{o.Seed}|" + string.Join("|", o.Waveform.Select(t => t switch
        {
            NoiseOptions n => $"{n.Type} {n.Probability} {string.Join(",", n.Kinds)} {n.SnrDb} {n.BabbleTalkers} {n.Folder}",
            _ => t.ToString(),
        })) + $"|{o.SpecAugment}|{o.Mixup}";

    [Fact]
    public void Default_yaml_is_the_default_recipe()
    {
        var parsed = AugmentationYaml.Parse(AugmentationRecipes.DefaultYaml);
        Assert.Equal(Describe(AugmentationRecipes.Default), Describe(parsed));
    }

    [Fact]
    public void Reads_every_transform_from_an_experiment_section()
    {
        var yaml = """
            model: cnn-lstm
            augmentation:
              seed: 12345678901234
              waveform:
                - type: noise
                  p: 0.25
                  kinds: [white, babble]
                  snr_db: 10
                - {type: gain, gain_db: [-3, 3], allow_clipping: true}
                - {type: time_shift, shift_s: [-0.2, 0.2], circular: true}
                - {type: speed, factor: [0.9, 1.1]}
                - {type: pitch_shift, semitones: [-1, 1]}
                - {type: time_stretch, rate: [0.9, 1.1]}
                - {type: reverb, rt60_s: [0.3, 0.5], drr_db: 3}
                - {type: telephone, mu_law_p: 1}
                - {type: clipping, level: 0.5}
              specaugment: {freq_masks: 1, mask_value: zero}
              mixup: {alpha: 0.4}
            """;
        var o = AugmentationYaml.Parse(yaml, "augmentation");
        Assert.Equal(12345678901234UL, o.Seed);
        Assert.Equal(9, o.Waveform.Count);
        var noise = Assert.IsType<NoiseOptions>(o.Waveform[0]);
        Assert.Equal(0.25, noise.Probability);
        Assert.Equal([NoiseKind.White, NoiseKind.Babble], noise.Kinds);
        Assert.Equal(ParameterRange.Fixed(10), noise.SnrDb);
        Assert.True(Assert.IsType<GainOptions>(o.Waveform[1]).AllowClipping);
        Assert.Equal(new ParameterRange(0.3, 0.5), Assert.IsType<ReverbOptions>(o.Waveform[6]).Rt60Seconds);
        Assert.Equal(0.5, Assert.IsType<ClippingOptions>(o.Waveform[8]).Level.Min);
        Assert.Equal(MaskValue.Zero, o.SpecAugment!.MaskValue);
        Assert.Equal(1, o.SpecAugment.FrequencyMasks);
        Assert.Equal(20, o.SpecAugment.TimeMaskWidth);
        Assert.Equal(0.4, o.Mixup!.Alpha);
    }

    [Fact]
    public void All_problems_are_listed_at_once_with_line_numbers()
    {
        var yaml = """
            seed: -3
            waveform:
              - type: noise
                snr: 10
                kinds: [pink, purple]
              - type: gain
                gain_db: loud
                p: 1.5
              - type: echo
              - {p: 0.5}
              - type: reverb
                rt60_s: [2, 1]
            specaugment: {time_masks: 2.5}
            extra: 1
            """;
        var ex = Assert.Throws<InvalidOptionsException>(() => AugmentationYaml.Parse(yaml, sourceName: "exp.yaml"));
        var all = string.Join("\n", ex.Problems);
        Assert.Equal("exp.yaml", ex.OptionsName);
        Assert.Contains(ex.Problems, m => m.StartsWith("line 1,") && m.Contains("seed"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 4,") && m.Contains("unknown key 'snr'"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 5,") && m.Contains("'purple'"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 7,") && m.Contains("gain_db"));
        Assert.Contains(ex.Problems, m => m.Contains("p must lie within [0, 1]"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 9,") && m.Contains("unknown transform type 'echo'"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 10,") && m.Contains("no 'type'"));
        Assert.Contains(ex.Problems, m => m.Contains("rt60_s") && m.Contains("above max"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 13,") && m.Contains("time_masks"));
        Assert.Contains(ex.Problems, m => m.StartsWith("line 14,") && m.Contains("unknown key 'extra'"));
        Assert.True(ex.Problems.Count >= 10, all);
    }

    [Fact]
    public void Syntax_errors_and_missing_sections_are_reported()
    {
        var bad = Assert.Throws<InvalidOptionsException>(() => AugmentationYaml.Parse("waveform: [\n  - {type: gain"));
        Assert.Contains("not valid YAML", bad.Message);
        var missing = Assert.Throws<InvalidOptionsException>(() => AugmentationYaml.Parse("model: x\n", "augmentation"));
        Assert.Contains("no 'augmentation' key", missing.Message);
        Assert.Throws<AugmentationException>(() => AugmentationYaml.Load("/nonexistent/aug.yaml"));
    }
}
