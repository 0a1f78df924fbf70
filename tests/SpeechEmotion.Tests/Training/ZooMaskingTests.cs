using System.Text.Json.Nodes;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;
using SpeechEmotion.Tests.Nn;

namespace SpeechEmotion.Tests.Training;

/// <summary>
/// Variable-length policies of the zoo: masked models give a clip the same output however much padding
/// its batch carries, fixed-length models crop/pad each clip on its own, and the mask-aware BatchNorm of
/// attention-bilstm takes its statistics from valid frames only.
/// </summary>
public class ZooMaskingTests
{
    private static readonly string[] Names = Enumerable.Range(0, 8).Select(i => $"f{i}").ToArray();

    private static FeatureMatrix Clip(int frames, ulong seed, int features = 6)
    {
        var rng = new SplitMix(seed);
        var v = new float[frames * features];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 4 - 2 + i % features);
        return new FeatureMatrix(frames, features, v, Names.Take(features).ToArray());
    }

    private static ModelSpec Spec(string arch, int features, int frames, JsonObject p, AuxiliaryHeads aux = AuxiliaryHeads.None) =>
        new() { Architecture = arch, Features = features, Frames = frames, Classes = 4, Auxiliary = aux, Parameters = p };

    // Every masked family, small; attention-bilstm and perception-multitask keep the conv front-end (with its BN).
    public static TheoryData<string> MaskedArchitectures => new() { "lstm", "bilstm", "gru", "attention-bilstm", "perception-multitask" };

    private static JsonObject SmallParams(string arch) => arch switch
    {
        "lstm" or "gru" or "bilstm" => new JsonObject { ["hidden"] = 8, ["layers"] = 2, ["dropout"] = 0.0 },
        _ => new JsonObject { ["conv_channels"] = 5, ["kernel"] = 3, ["hidden"] = 6, ["attention"] = 7, ["dropout"] = 0.0 },
    };

    [Theory]
    [MemberData(nameof(MaskedArchitectures))]
    public void MaskedModelScoresAClipTheSameAloneOrInAPaddedBatch(string arch)
    {
        var aux = arch == "perception-multitask" ? ModelSpec.AllAuxiliary : AuxiliaryHeads.None;
        var model = ModelZoo.Create(Spec(arch, 6, 0, SmallParams(arch), aux), 11);
        Assert.True(model.UsesLengths);
        Assert.True(ModelZoo.Info(arch).Masked);
        var clips = new[] { Clip(9, 1), Clip(23, 2), Clip(4, 3) };
        var prep = InputPreparation.Fit(clips, InputLayout.Sequence, ModelZoo.Info(arch).LengthPolicy, 0);
        Train(model, prep, clips);
        model.Eval();
        using var _ = Autograd.NoGrad();
        var lengths = new int[3];
        var batch = model.Forward(prep.Prepare(clips, lengths), lengths).Logits.Clone();
        Assert.Equal(new[] { 9, 23, 4 }, lengths);
        for (int i = 0; i < clips.Length; i++)
        {
            var one = new int[1];
            var alone = model.Forward(prep.Prepare([clips[i]], one), one).Logits;
            for (int c = 0; c < 4; c++) Assert.Equal(alone[c], batch[i * 4 + c], 4);
        }
    }

    [Theory]
    [MemberData(nameof(MaskedArchitectures))]
    public void ExtraPaddingLeavesTrainingModeOutputsUnchanged(string arch)
    {
        // Training mode: batch statistics of the conv front-end's BN must ignore padded frames, so the same
        // two clips padded to 9 or to 20 frames give the same logits (dropout 0 keeps it deterministic).
        var model = ModelZoo.Create(Spec(arch, 6, 0, SmallParams(arch)), 4);
        model.Train();
        var rng = new SplitMix(8);
        var source = new Tensor(2, 9, 6); Init.Normal(source, 1, ref rng);
        int[] lengths = [9, 7]; // clip 1's last two frames are padding
        var a = BuildPadded(source.ToArray(), 9, lengths, 9);
        var b2 = BuildPadded(source.ToArray(), 9, lengths, 20);
        using var _ = Autograd.NoGrad();
        var ya = model.Forward(a, lengths).Logits.Clone();
        var yb = model.Forward(b2, lengths).Logits;
        for (int i = 0; i < ya.Length; i++) Assert.Equal(ya[i], yb[i], 4);
    }

    private static Tensor BuildPadded(float[] source, int sourceFrames, int[] lengths, int frames)
    {
        var t = new Tensor(lengths.Length, frames, 6);
        for (int b = 0; b < lengths.Length; b++)
            source.AsSpan(b * sourceFrames * 6, lengths[b] * 6).CopyTo(t.Span.Slice(b * frames * 6));
        return t;
    }

    public static TheoryData<string, int, JsonObject> FixedArchitectures => new()
    {
        { "cnn-1d", 16, new JsonObject { ["filters"] = new JsonArray(4, 4), ["dropout"] = 0.0 } },
        { "clstm-1d", 16, new JsonObject { ["filters"] = new JsonArray(4, 4), ["lstm_layers"] = 1, ["lstm_hidden"] = 4, ["dense"] = new JsonArray(4), ["dropout"] = 0.0 } },
        { "cnn-lstm-2d", 16, new JsonObject { ["channels"] = new JsonArray(3, 3), ["pools"] = new JsonArray(2, 2), ["lstm_hidden"] = 4 } },
    };

    [Theory]
    [MemberData(nameof(FixedArchitectures))]
    public void FixedLengthModelCropsEachClipOnItsOwn(string arch, int frames, JsonObject p)
    {
        // Fixed-crop policy: a clip is cropped (centre) or zero-padded to the model's frames by itself,
        // so its prediction does not depend on the other clips of the batch.
        bool image = arch == "cnn-lstm-2d";
        int features = image ? 8 : 6;
        var info = ModelZoo.Info(arch);
        Assert.False(info.Masked);
        var model = ModelZoo.Create(Spec(arch, features, frames, p), 2);
        Assert.False(model.UsesLengths);
        var clips = new[] { Clip(30, 4, features), Clip(9, 5, features), Clip(16, 6, features) };
        var prep = InputPreparation.Fit(clips, info.Layout, info.LengthPolicy, frames, crop: CropPosition.Center);
        model.Eval();
        using var _ = Autograd.NoGrad();
        var lengths = new int[3];
        var batch = model.Forward(prep.Prepare(clips, lengths), default).Logits.Clone();
        Assert.All(lengths, l => Assert.Equal(frames, l));
        for (int i = 0; i < clips.Length; i++)
        {
            var one = new int[1];
            var alone = model.Forward(prep.Prepare([clips[i]], one), default).Logits;
            for (int c = 0; c < 4; c++) Assert.Equal(alone[c], batch[i * 4 + c], 4);
        }
    }

    [Fact]
    public void EveryArchitectureDeclaresItsLengthPolicy()
    {
        string[] masked = ["lstm", "bilstm", "gru", "attention-bilstm", "perception-multitask"];
        string[] vector = ["functionals-mlp", "functionals-cnn"];
        foreach (var arch in ModelZoo.Architectures)
        {
            var info = ModelZoo.Info(arch);
            Assert.Equal(masked.Contains(arch), info.Masked);
            Assert.Equal(vector.Contains(arch), info.Layout == InputLayout.Vector);
            Assert.Equal(masked.Contains(arch) ? LengthMode.Masked : vector.Contains(arch) ? LengthMode.Vector : LengthMode.Fixed, info.LengthPolicy);
        }
    }

    [Fact]
    public void MaskedBatchNormUsesValidFramesOnly()
    {
        // Two clips (valid 5 and 3 frames) in batches padded to 5 and to 11 frames with garbage:
        // same outputs on valid frames, zeros on padding, same running statistics; with no padding the
        // layer equals the plain BatchNorm.
        int c = 3;
        var rng = new SplitMix(3);
        var narrow = new Tensor(2, c, 5); Init.Normal(narrow, 2, ref rng);
        var wide = new Tensor(2, c, 11); wide.Fill(50f);
        int[] lengths = [5, 3];
        for (int b = 0; b < 2; b++)
            for (int ch = 0; ch < c; ch++)
                narrow.Span.Slice((b * c + ch) * 5, lengths[b]).CopyTo(wide.Span.Slice((b * c + ch) * 11));
        var bnA = new MaskedBatchNorm(c); var bnB = new MaskedBatchNorm(c);
        using (Autograd.NoGrad())
        {
            var ya = bnA.Forward(narrow, lengths).Clone();
            var yb = bnB.Forward(wide, lengths);
            var valid = new List<float>();
            for (int b = 0; b < 2; b++)
                for (int ch = 0; ch < c; ch++)
                {
                    for (int t = 0; t < lengths[b]; t++)
                    {
                        Assert.Equal(ya[(b * c + ch) * 5 + t], yb[(b * c + ch) * 11 + t], 5);
                        if (ch == 0) valid.Add(ya[(b * c + ch) * 5 + t]);
                    }
                    for (int t = lengths[b]; t < 11; t++) Assert.Equal(0f, yb[(b * c + ch) * 11 + t]);
                }
            Assert.Equal(0, valid.Average(), 4); // normalised over the 8 valid frames of channel 0
            Assert.Equal(bnA.RunningMean.ToArray(), bnB.RunningMean.ToArray());
            Assert.Equal(bnA.RunningVar.ToArray(), bnB.RunningVar.ToArray());

            var plain = new BatchNorm(c);
            var full = bnA.Forward(narrow, [5, 5]).Clone();
            var reference = plain.Forward(narrow);
            for (int i = 0; i < full.Length; i++) Assert.Equal(reference[i], full[i], 5);
            bnA.RunningMean.Span.CopyTo(plain.RunningMean.Span);
            bnA.RunningVar.Span.CopyTo(plain.RunningVar.Span);
            bnA.Eval(); plain.Eval();
            var eA = bnA.Forward(narrow).Clone(); var eP = plain.Forward(narrow);
            for (int i = 0; i < eA.Length; i++) Assert.Equal(eP[i], eA[i], 5);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MaskedBatchNormGradientsMatchFiniteDifferences(bool training)
    {
        var x = GradCheck.Random(1, 1f, 3, 3, 6);
        var gamma = GradCheck.Random(2, 1f, 3); var beta = GradCheck.Random(3, 1f, 3);
        var rm = GradCheck.Random(4, 0.5f, 3); var rv = new Tensor(3); rv.Fill(1.5f);
        var node = new MaskedBatchNormNode();
        int[] lengths = [6, 2, 4];
        // running stats are copied so every finite-difference evaluation starts from the same state
        GradCheck.Check(() => node.Forward(x, lengths, gamma, beta, rm.Clone(), rv.Clone(), training, 0.1f, 1e-5f), [x, gamma, beta]);
        for (int ch = 0; ch < 3; ch++) // padded frames of sample 1 (valid 2) get no gradient
            for (int t = 2; t < 6; t++) Assert.Equal(0f, x.Grad![(1 * 3 + ch) * 6 + t]);
    }

    private static void Train(EmotionModel model, InputPreparation prep, FeatureMatrix[] clips)
    {
        // A few optimiser steps so the BN running statistics and weights are not at their initial values.
        var opt = new Adam(model.Parameters(), lr: 0.01f);
        var loss = new LossNode("loss");
        var lengths = new int[clips.Length];
        var target = Enumerable.Range(0, clips.Length).Select(i => i % 4).ToArray();
        model.Train();
        for (int step = 0; step < 3; step++)
        {
            opt.ZeroGrad();
            var x = prep.Prepare(clips, lengths);
            var l = Losses.CrossEntropy(loss, model.Forward(x, lengths).Logits, target);
            Autograd.Backward(l);
            opt.Step();
        }
    }
}
