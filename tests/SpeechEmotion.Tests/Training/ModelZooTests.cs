using System.Text.Json.Nodes;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Training;

public class ModelZooTests
{
    private static ModelSpec Spec(string arch, int features, int frames, AuxiliaryHeads aux = AuxiliaryHeads.None, JsonObject? p = null) =>
        new() { Architecture = arch, Features = features, Frames = frames, Classes = 4, Auxiliary = aux, Parameters = p ?? new JsonObject() };

    public static TheoryData<string, int, int> Small => new()
    {
        { "cnn-lstm-2d", 32, 32 },
        { "clstm-1d", 10, 16 },
        { "lstm", 6, 0 }, { "bilstm", 6, 0 }, { "gru", 6, 0 }, { "cnn-1d", 6, 16 },
        { "functionals-mlp", 12, 0 }, { "functionals-cnn", 12, 0 },
        { "attention-bilstm", 6, 0 }, { "perception-multitask", 6, 0 },
    };

    private static JsonObject SmallParams(string arch) => arch switch
    {
        "cnn-lstm-2d" => new JsonObject { ["channels"] = new JsonArray(4, 4), ["pools"] = new JsonArray(2, 4), ["lstm_hidden"] = 8 },
        "clstm-1d" => new JsonObject { ["filters"] = new JsonArray(8, 8), ["lstm_layers"] = 1, ["lstm_hidden"] = 8, ["dense"] = new JsonArray(8) },
        "functionals-mlp" => new JsonObject { ["hidden"] = new JsonArray(16) },
        _ => new JsonObject(),
    };

    [Theory]
    [MemberData(nameof(Small))]
    public void EveryArchitectureBuildsRunsAndIsSeeded(string arch, int features, int frames)
    {
        var aux = arch == "perception-multitask" ? ModelSpec.AllAuxiliary : AuxiliaryHeads.None;
        var spec = Spec(arch, features, frames, aux, SmallParams(arch));
        var a = ModelZoo.Create(spec, 5);
        var b = ModelZoo.Create(ModelSpec.FromJson(spec.ToJson()), 5);
        var info = ModelZoo.Info(spec);
        Assert.Equal(info.Layout, a.Layout);
        Assert.Equal(info.Masked, a.UsesLengths);
        int t = frames > 0 ? frames : 9;
        var x = info.Layout switch
        {
            InputLayout.Vector => new Tensor(3, features),
            InputLayout.Image => new Tensor(3, 1, features, t),
            _ => new Tensor(3, t, features),
        };
        var rng = new SplitMix(1);
        Init.Normal(x, 1, ref rng);
        a.Eval(); b.Eval();
        int[] lengths = a.UsesLengths ? [9, 5, 1] : [];
        using (Autograd.NoGrad())
        {
            var ya = a.Forward(x, lengths).Logits.Clone();
            var outB = b.Forward(x, lengths);
            Assert.Equal(new[] { 3, 4 }, ya.Shape.ToArray());
            Assert.Equal(ya.ToArray(), outB.Logits.ToArray());
            Assert.All(ya.ToArray(), v => Assert.True(float.IsFinite(v)));
            if (aux != AuxiliaryHeads.None)
            {
                Assert.Equal(3, outB.ArousalLogit!.Length);
                Assert.Equal(3, outB.ValenceLogit!.Length);
                Assert.NotNull(outB.Arousal);
                Assert.NotNull(outB.Valence);
            }
        }
    }

    [Fact]
    public void MaskedModelIgnoresPadding()
    {
        var m = ModelZoo.Create(Spec("attention-bilstm", 5, 0, p: new JsonObject { ["conv_channels"] = 0, ["hidden"] = 8, ["attention"] = 8 }), 3);
        m.Eval();
        var rng = new SplitMix(2);
        var shortX = new Tensor(1, 4, 5); Init.Normal(shortX, 1, ref rng);
        var longX = new Tensor(1, 7, 5);
        shortX.Span.CopyTo(longX.Span);
        for (int i = 20; i < 35; i++) longX[i] = 100f;
        using var _ = Autograd.NoGrad();
        var a = m.Forward(shortX, [4]).Logits.Clone();
        var b = m.Forward(longX, [4]).Logits;
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 4);
    }

    [Fact]
    public void BadSpecListsEveryProblem()
    {
        var spec = Spec("attention-bilstm", 0, 0, AuxiliaryHeads.ArousalBinary,
            new JsonObject { ["hidden"] = "big", ["dropout"] = 1.5, ["colour"] = "red" });
        var e = Assert.Throws<InvalidOptionsException>(() => ModelZoo.Create(spec, 1));
        Assert.Contains(e.Problems, p => p.Contains("features"));
        Assert.Contains(e.Problems, p => p.Contains("auxiliary"));
        Assert.Contains(e.Problems, p => p.Contains("'hidden'"));
        Assert.Contains(e.Problems, p => p.Contains("'dropout'"));
        Assert.Contains(e.Problems, p => p.Contains("'colour'"));
        Assert.Throws<InvalidOptionsException>(() => ModelZoo.Create(Spec("transformer", 4, 0), 1));
        Assert.Throws<InvalidOptionsException>(() => ModelZoo.Validate(Spec("cnn-lstm-2d", 128, 10)));
    }

    [Fact]
    public void InputPreparationStandardisesWithTrainingStatisticsAndRoundTrips()
    {
        var names = new[] { "a", "b" };
        var train = new[]
        {
            new FeatureMatrix(2, 2, [1, 10, 3, 10], names),
            new FeatureMatrix(1, 2, [5, 10], names),
        };
        var prep = InputPreparation.Fit(train, InputLayout.Sequence, LengthMode.Masked, 0);
        Assert.Equal(3f, prep.Mean[0], 5);
        Assert.Equal(MathF.Sqrt(8f / 3), prep.Std[0], 5);
        Assert.Equal(1f, prep.Std[1]); // constant feature: no division by zero
        var lengths = new int[2];
        var x = prep.Prepare(train, lengths);
        Assert.Equal(new[] { 2, 2, 2 }, x.Shape.ToArray());
        Assert.Equal(new[] { 2, 1 }, lengths);
        Assert.Equal(0f, x[6]); // padding is the mean (0 after standardising)
        var back = InputPreparation.FromJson(prep.ToJson());
        Assert.Equal(prep.Mean, back.Mean);
        Assert.Equal(LengthMode.Masked, back.Mode);
        var fixedPrep = prep with { Mode = LengthMode.Fixed, Frames = 1, Layout = InputLayout.Image };
        var img = fixedPrep.Prepare(train, lengths);
        Assert.Equal(new[] { 2, 1, 2, 1 }, img.Shape.ToArray());
        Assert.Throws<InvalidOptionsException>(() => InputPreparation.Fit(train, InputLayout.Vector, LengthMode.Vector, 0));
    }
}
