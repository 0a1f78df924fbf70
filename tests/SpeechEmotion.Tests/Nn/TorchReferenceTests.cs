using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>Every case in shared/reference/torch: outputs and gradients within 1e-4 relative error.</summary>
[Collection("Nn")]
public class TorchReferenceTests
{
    // Forward the module, back-propagate sum(output · upstream), compare output, input and parameter gradients.
    private static void Check(TorchCase c, Module m, Func<Tensor, Tensor>? forward = null)
    {
        c.LoadParams(m);
        var x = c.T("input", requiresGrad: true);
        var y = (forward ?? m.Forward)(x);
        c.AssertClose("output", y);
        Autograd.Backward(y, c.T("upstream"));
        c.AssertClose("grad_input", x.Grad);
        c.AssertParamGrads(m);
    }

    [Fact]
    public void Linear() => Check(new TorchCase("linear"), new Linear(7, 5));

    [Fact]
    public void Conv1dSame() => Check(new TorchCase("conv1d_same"), Conv.Conv1d(3, 4, 5, padding: Conv.Same));

    [Fact]
    public void Conv1dStride2() => Check(new TorchCase("conv1d_stride2"), Conv.Conv1d(3, 4, 5, stride: 2, padding: 2));

    [Fact]
    public void Conv2dSame() => Check(new TorchCase("conv2d_same"), Conv.Conv2d(2, 3, 3, padding: Conv.Same));

    [Fact]
    public void Conv2dStride2NoBias() => Check(new TorchCase("conv2d_stride2_nobias"), Conv.Conv2d(2, 3, 3, stride: 2, padding: 1, bias: false));

    [Theory]
    [InlineData("maxpool1d_2", 1, 2)]
    [InlineData("maxpool2d_2", 2, 2)]
    [InlineData("maxpool2d_4", 2, 4)]
    public void MaxPool(string name, int dims, int k) => Check(new TorchCase(name), dims == 1 ? Pool.Max1d(k) : Pool.Max2d(k));

    [Fact]
    public void GlobalAveragePool() => Check(new TorchCase("avgpool1d_global"), new GlobalAvgPool(keepDims: true));

    [Fact]
    public void BatchNorm2dTraining()
    {
        var c = new TorchCase("batchnorm2d_train");
        var bn = new BatchNorm(3, 1e-5f, 0.1f);
        Check(c, bn);
        c.AssertClose("running_mean_after", bn.RunningMean);
        c.AssertClose("running_var_after", bn.RunningVar);
    }

    [Fact]
    public void BatchNorm1dEval()
    {
        var c = new TorchCase("batchnorm1d_eval");
        var bn = new BatchNorm(4);
        c.T("running_mean").Span.CopyTo(bn.RunningMean.Span);
        c.T("running_var").Span.CopyTo(bn.RunningVar.Span);
        bn.Eval();
        Check(c, bn);
    }

    [Theory]
    [InlineData("act_relu")]
    [InlineData("act_elu")]
    [InlineData("act_tanh")]
    [InlineData("act_sigmoid")]
    [InlineData("act_gelu")]
    [InlineData("act_leaky_relu")]
    [InlineData("act_softmax_lastdim")]
    [InlineData("act_log_softmax_lastdim")]
    public void Activations(string name)
    {
        Module m = name switch
        {
            "act_relu" => new Activation(ActivationKind.Relu),
            "act_elu" => new Activation(ActivationKind.Elu, 1f),
            "act_tanh" => new Activation(ActivationKind.Tanh),
            "act_sigmoid" => new Activation(ActivationKind.Sigmoid),
            "act_gelu" => new Activation(ActivationKind.Gelu),
            "act_leaky_relu" => new Activation(ActivationKind.LeakyRelu, 0.01f),
            "act_softmax_lastdim" => new Softmax(),
            _ => new Softmax(log: true),
        };
        Check(new TorchCase(name), m);
    }

    [Fact]
    public void Lstm1Layer() => Check(new TorchCase("lstm_1layer"), new Recurrent(RecurrentKind.Lstm, 5, 6));

    [Fact]
    public void Lstm2LayerBidirectional() => Check(new TorchCase("lstm_2layer_bidir"), new Recurrent(RecurrentKind.Lstm, 4, 3, layers: 2, bidirectional: true));

    [Fact]
    public void Gru1Layer() => Check(new TorchCase("gru_1layer"), new Recurrent(RecurrentKind.Gru, 5, 4));

    [Fact]
    public void CrossEntropyWeighted()
    {
        var c = new TorchCase("loss_cross_entropy_weighted");
        var x = c.T("logits", true);
        var loss = Losses.CrossEntropy(new LossNode("ce"), x, c.Ints("target"), c.Data("class_weight"));
        c.AssertClose("loss", loss);
        Autograd.Backward(loss);
        c.AssertClose("grad_logits", x.Grad);
    }

    [Fact]
    public void CrossEntropyLabelSmoothing()
    {
        var c = new TorchCase("loss_cross_entropy_smoothing");
        var x = c.T("logits", true);
        var loss = Losses.CrossEntropy(new LossNode("ce"), x, c.Ints("target"), default, 0.1f);
        c.AssertClose("loss", loss);
        Autograd.Backward(loss);
        c.AssertClose("grad_logits", x.Grad);
    }

    [Fact]
    public void BceWithLogits()
    {
        var c = new TorchCase("loss_bce_logits");
        var x = c.T("logits", true);
        var loss = Losses.BceWithLogits(new LossNode("bce"), x, c.Data("target"));
        c.AssertClose("loss", loss);
        Autograd.Backward(loss);
        c.AssertClose("grad_logits", x.Grad);
    }

    [Fact]
    public void Mse()
    {
        var c = new TorchCase("loss_mse");
        var x = c.T("pred", true);
        var loss = Losses.Mse(new LossNode("mse"), x, c.Data("target"));
        c.AssertClose("loss", loss);
        Autograd.Backward(loss);
        c.AssertClose("grad_pred", x.Grad);
    }

    [Fact]
    public void OneMinusCcc()
    {
        var c = new TorchCase("loss_ccc");
        var x = c.T("pred", true);
        var ccc = new float[3];
        var loss = Losses.OneMinusCcc(new LossNode("ccc"), x, c.Data("target"), ccc);
        c.AssertClose("loss", loss);
        c.AssertClose("ccc", ccc);
        Autograd.Backward(loss);
        c.AssertClose("grad_pred", x.Grad);
    }

    [Theory]
    [InlineData("optim_adam")]
    [InlineData("optim_adamw")]
    [InlineData("optim_sgd_momentum")]
    [InlineData("optim_adagrad")]
    public void Optimizers(string name)
    {
        var c = new TorchCase(name);
        var w = c.T("w0", true);
        var target = c.Data("target");
        Optimizer opt = name switch
        {
            "optim_adam" => new Adam([w], 0.01f, 0.9f, 0.999f, 1e-8f),
            "optim_adamw" => Adam.AdamW([w], 0.01f, 0.1f, 0.9f, 0.999f, 1e-8f),
            "optim_sgd_momentum" => new Sgd([w], 0.01f, momentum: 0.9f),
            _ => new Adagrad([w], 0.01f, 1e-10f),
        };
        for (int step = 1; step <= 3; step++)
        {
            // loss = Σ (w − target)² · k with k = 1..12, so dL/dw = 2 k (w − target).
            opt.ZeroGrad();
            var g = w.Grad ??= new Tensor(4, 3);
            for (int i = 0; i < 12; i++) g[i] = 2 * (i + 1) * (w[i] - target[i]);
            c.AssertClose($"grad_step{step}", g);
            opt.Step();
            c.AssertClose($"w_after_step{step}", w);
        }
    }

    /// <summary>The tiny CNN+LSTM network: conv-BN-ELU-pool ×2 → permute → LSTM → last hidden → linear.</summary>
    internal sealed class TinyNet : Module
    {
        private readonly Conv _c1, _c2;
        private readonly BatchNorm _b1, _b2;
        private readonly Activation _e1 = new(ActivationKind.Elu), _e2 = new(ActivationKind.Elu);
        private readonly Pool _p1 = Pool.Max2d(2), _p2 = Pool.Max2d(2);
        private readonly Permute _perm = new(0, 3, 1, 2);
        private readonly Recurrent _lstm;
        private readonly Linear _fc;
        private readonly ReshapeNode _flat = new();

        public TinyNet()
        {
            _c1 = AddModule("c1", Conv.Conv2d(1, 4, 3, padding: Conv.Same));
            _b1 = AddModule("b1", new BatchNorm(4));
            _c2 = AddModule("c2", Conv.Conv2d(4, 8, 3, padding: Conv.Same));
            _b2 = AddModule("b2", new BatchNorm(8));
            _lstm = AddModule("lstm", new Recurrent(RecurrentKind.Lstm, 32, 16, returnSequences: false));
            _fc = AddModule("fc", new Linear(16, 4));
        }

        public override Tensor Forward(Tensor x)
        {
            x = _p1.Forward(_e1.Forward(_b1.Forward(_c1.Forward(x))));
            x = _p2.Forward(_e2.Forward(_b2.Forward(_c2.Forward(x))));
            var p = _perm.Forward(x); // [B, T, C, F]
            var seq = _flat.Forward(p, p.Dim(0), p.Dim(1), -1);
            return _fc.Forward(_lstm.Forward(seq));
        }
    }

    [Fact]
    public void TinyCnnLstmNetwork()
    {
        var c = new TorchCase("net_tiny_cnn_lstm");
        var net = new TinyNet();
        c.LoadParams(net);
        var x = c.T("input", true);
        var logits = net.Forward(x);
        c.AssertClose("logits", logits, 1e-3);
        var loss = Losses.CrossEntropy(new LossNode("ce"), logits, c.Ints("target"));
        c.AssertClose("loss", loss, 1e-3);
        Autograd.Backward(loss);
        c.AssertClose("grad_input", x.Grad, 1e-3);
        // Conv biases feeding batch norm have a true gradient of 0 (torch stores ~1e-17 noise): their
        // error is measured against the network's gradient scale (the largest weight gradient).
        double scale = c.Names.Where(n => n.StartsWith("grad.", StringComparison.Ordinal)).Max(n => c.Data(n).Max(v => Math.Abs(v)));
        foreach (var n in new[] { "grad.c1.bias", "grad.c2.bias" })
            Assert.True(TorchCase.RelErr(net.StateDict()[n[5..]].Grad!.Span, c.Data(n), scale) <= 1e-3, n);
        foreach (var n in c.Names.Where(n => n.StartsWith("grad.", StringComparison.Ordinal) && !n.EndsWith("c1.bias") && !n.EndsWith("c2.bias")))
            c.AssertClose(n, net.StateDict()[n[5..]].Grad, 1e-3);
    }
}
