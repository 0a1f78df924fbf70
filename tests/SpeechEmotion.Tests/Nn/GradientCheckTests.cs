using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>Finite-difference checks of every backward rule (float32 forward, central differences).</summary>
[Collection("Nn")]
public class GradientCheckTests
{
    private static Tensor R(ulong seed, params int[] shape) => GradCheck.Random(seed, 1f, shape);

    [Fact]
    public void Linear()
    {
        var x = R(1, 3, 2, 5); var w = R(2, 4, 5); var b = R(3, 4);
        var node = new LinearNode();
        GradCheck.Check(() => node.Forward(x, w, b), [x, w, b]);
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(2, 1, 1, true)]
    [InlineData(1, 2, 2, true)]
    [InlineData(2, 2, 0, true)]
    public void Conv2d(int stride, int dilation, int pad, bool bias)
    {
        var x = R(4, 2, 2, 7, 6); var w = R(5, 3, 2, 3, 3); var b = R(6, 3);
        var node = new ConvNode();
        var g = new ConvGeometry(3, 3, stride, stride, pad, pad, pad, pad, dilation, dilation);
        GradCheck.Check(() => node.Forward(x, w, bias ? b : null, g), bias ? [x, w, b] : [x, w]);
    }

    [Fact]
    public void Conv1dSameEvenKernel()
    {
        var conv = Conv.Conv1d(3, 2, 4, padding: Conv.Same);
        var x = R(7, 2, 3, 9);
        GradCheck.Check(() => conv.Forward(x), [x, conv.Weight, conv.Bias!]);
        Assert.Equal(9, conv.Forward(x).Dim(2));
    }

    [Fact]
    public void Conv1dBatchedChunks()
    {
        // Many small samples go through one wide GEMM; the scatter/gather must be exact.
        var conv = Conv.Conv1d(4, 3, 3, stride: 2, padding: 1);
        var x = R(8, 5, 4, 11);
        GradCheck.Check(() => conv.Forward(x), [x, conv.Weight, conv.Bias!]);
    }

    [Fact]
    public void ConvSampleParallelMatchesSerial()
    {
        // Large enough for the batch to be split across threads; compare with one thread.
        (float[] Y, float[] Dx, float[] Dw) Run(int threads)
        {
            int saved = Parallelism.Threads;
            Parallelism.Threads = threads;
            try
            {
                var conv = Conv.Conv2d(8, 16, 3, padding: Conv.Same);
                var x = R(30, 6, 8, 20, 20);
                x.RequiresGrad = true;
                var y = conv.Forward(x);
                Autograd.Backward(y, R(31, y.Shape.ToArray()));
                return (y.ToArray(), x.Grad!.ToArray(), conv.Weight.Grad!.ToArray());
            }
            finally { Parallelism.Threads = saved; }
        }
        var a = Run(1); var b = Run(2);
        Assert.Equal(a.Y, b.Y);
        Assert.Equal(a.Dx, b.Dx);
        Assert.True(TorchCase.RelErr(b.Dw, a.Dw) < 1e-6);
    }

    [Theory]
    [InlineData(PoolKind.Max, 2, 2, 0)]
    [InlineData(PoolKind.Max, 3, 2, 1)]
    [InlineData(PoolKind.Average, 2, 2, 0)]
    [InlineData(PoolKind.Average, 3, 1, 1)]
    public void Pool2d(PoolKind kind, int k, int s, int p)
    {
        var x = GradCheck.Spread(9, 2, 2, 7, 8);
        var node = new PoolNode(kind);
        GradCheck.Check(() => node.Forward(x, new ConvGeometry(k, k, s, s, p, p, p, p)), [x]);
    }

    [Fact]
    public void MaxPool2x2VectorPathMatchesNaive()
    {
        var x = GradCheck.Spread(40, 2, 3, 6, 37);
        var y = new PoolNode(PoolKind.Max).Forward(x, new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0));
        Assert.True(y.HasShape([2, 3, 3, 18]));
        for (int p = 0; p < 6; p++)
            for (int oy = 0; oy < 3; oy++)
                for (int ox = 0; ox < 18; ox++)
                {
                    int b = p * 6 * 37 + 2 * oy * 37 + 2 * ox;
                    float m = Math.Max(Math.Max(x[b], x[b + 1]), Math.Max(x[b + 37], x[b + 38]));
                    Assert.Equal(m, y[(p * 3 + oy) * 18 + ox]);
                }
        var x2 = GradCheck.Spread(41, 1, 2, 4, 34);
        var node = new PoolNode(PoolKind.Max);
        GradCheck.Check(() => node.Forward(x2, new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0)), [x2]);
    }

    [Fact]
    public void MaxPool1d()
    {
        var x = GradCheck.Spread(10, 2, 3, 9);
        var pool = Pool.Max1d(2);
        GradCheck.Check(() => pool.Forward(x), [x]);
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 4)]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    public void BatchNorm(bool training, int rank)
    {
        var bn = new BatchNorm(3);
        var rng = new SplitMix(3);
        Init.Uniform(bn.Weight, 1, ref rng); Init.Uniform(bn.Bias, 1, ref rng);
        bn.RunningVar.Fill(1.5f); bn.RunningMean.Fill(0.2f);
        bn.Train(training);
        var x = rank == 4 ? R(11, 4, 3, 3, 2) : R(11, 6, 3);
        var node = new BatchNormNode();
        // Running stats must not drift between the perturbed passes: use copies each time.
        var rm = bn.RunningMean.Clone(); var rv = bn.RunningVar.Clone();
        GradCheck.Check(() =>
        {
            bn.RunningMean.Span.CopyTo(rm.Span); bn.RunningVar.Span.CopyTo(rv.Span);
            return node.Forward(x, bn.Weight, bn.Bias, rm, rv, training, 0.1f, 1e-5f);
        }, [x, bn.Weight, bn.Bias]);
    }

    [Fact]
    public void LayerNorm()
    {
        var ln = new LayerNorm(5);
        var rng = new SplitMix(4);
        Init.Uniform(ln.Weight, 1, ref rng); Init.Uniform(ln.Bias, 1, ref rng);
        var x = R(12, 3, 2, 5);
        GradCheck.Check(() => ln.Forward(x), [x, ln.Weight, ln.Bias]);
    }

    [Theory]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Elu)]
    [InlineData(ActivationKind.LeakyRelu)]
    [InlineData(ActivationKind.Gelu)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Identity)]
    public void Activations(ActivationKind kind)
    {
        var x = GradCheck.Spread(13, 3, 40);
        var node = new ActivationNode(kind);
        GradCheck.Check(() => node.Forward(x), [x]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Softmax(bool log)
    {
        var x = R(14, 3, 6);
        var node = new SoftmaxNode(log);
        GradCheck.Check(() => node.Forward(x), [x]);
    }

    [Fact]
    public void StructuralOps()
    {
        var a = R(15, 2, 3, 4); var b = R(16, 2, 2, 4);
        var cat = new ConcatNode(); var perm = new PermuteNode(); var resh = new ReshapeNode(); var add = new AddNode();
        GradCheck.Check(() =>
        {
            var c = cat.Forward(1, a, b);             // [2, 5, 4]
            var p = perm.Forward(c, 2, 0, 1);         // [4, 2, 5]
            var r = resh.Forward(p, 8, 5);
            return add.Forward(r, r, 0.5f, 2f);
        }, [a, b]);
    }

    [Theory]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Gru)]
    public void RecurrentTwoLayersBidirectional(RecurrentKind kind)
    {
        var rnn = new Recurrent(kind, 3, 4, layers: 2, bidirectional: true);
        var x = R(17, 2, 5, 3);
        var p = rnn.Parameters();
        GradCheck.Check(() => rnn.Forward(x), [x, p[0], p[1], p[2], p[3], p[4], p[9]]);
    }

    [Fact]
    public void RecurrentLastStateWithLengths()
    {
        var rnn = new Recurrent(RecurrentKind.Lstm, 3, 4, returnSequences: false);
        var x = R(18, 3, 5, 3);
        int[] lengths = [5, 2, 4];
        GradCheck.Check(() => rnn.Forward(x, lengths), [x, rnn.Parameters()[0]]);
    }

    [Fact]
    public void AttentionPoolingWithMask()
    {
        var att = new AttentionPooling(4, 3);
        var x = R(19, 2, 5, 4);
        int[] lengths = [5, 3];
        GradCheck.Check(() => att.Forward(x, lengths), [x, .. att.Parameters()]);
        var w = att.Weights!;
        Assert.Equal(0f, w[1 * 5 + 3]);
        Assert.Equal(1.0, w[0] + w[1] + w[2] + w[3] + w[4], 5);
    }

    [Fact]
    public void Dropout()
    {
        var x = R(20, 4, 6);
        var node = new DropoutNode();
        GradCheck.Check(() => { var rng = new SplitMix(3); return node.Forward(x, 0.4f, false, ref rng); }, [x]);
        var x4 = R(21, 2, 3, 5);
        GradCheck.Check(() => { var rng = new SplitMix(3); return node.Forward(x4, 0.4f, true, ref rng); }, [x4]);
    }

    [Fact]
    public void LossFunctions()
    {
        var logits = R(22, 5, 4);
        int[] y = [0, 3, 1, 1, 2];
        float[] w = [1f, 2f, 0.5f, 1.5f];
        var ce = new LossNode("ce");
        GradCheck.Check(() => SpeechEmotion.Nn.Losses.CrossEntropy(ce, logits, y, w, 0.1f), [logits]);
        var t = R(23, 5, 4).ToArray().Select(v => (v + 1) / 2).ToArray();
        var bce = new LossNode("bce");
        GradCheck.Check(() => SpeechEmotion.Nn.Losses.BceWithLogits(bce, logits, t), [logits]);
        var mse = new LossNode("mse");
        GradCheck.Check(() => SpeechEmotion.Nn.Losses.Mse(mse, logits, t), [logits]);
        var ccc = new LossNode("ccc");
        GradCheck.Check(() => SpeechEmotion.Nn.Losses.OneMinusCcc(ccc, logits, t), [logits]);
    }

    [Fact]
    public void WeightedMultiTaskSum()
    {
        var a = R(24, 6, 3); var b = R(25, 6, 2);
        var ce = new LossNode("ce"); var mse = new LossNode("mse"); var sum = new WeightedSumNode();
        int[] y = [0, 1, 2, 0, 1, 2];
        var t = R(26, 6, 2).ToArray();
        GradCheck.Check(() => sum.Forward([SpeechEmotion.Nn.Losses.CrossEntropy(ce, a, y), SpeechEmotion.Nn.Losses.Mse(mse, b, t)], [0.7f, 0.3f]), [a, b]);
    }

    [Fact]
    public void MaskAndLastState()
    {
        var x = R(27, 3, 4, 6);
        var mask = new MaskStepsNode(); var last = new LastStateNode(); var cat = new ConcatNode(); var resh = new ReshapeNode();
        int[] lengths = [4, 1, 3];
        GradCheck.Check(() =>
        {
            var m = mask.Forward(x, lengths);
            var l = last.Forward(x, 2, lengths);
            return cat.Forward(1, resh.Forward(m, 3, 24), l);
        }, [x]);
    }
}
