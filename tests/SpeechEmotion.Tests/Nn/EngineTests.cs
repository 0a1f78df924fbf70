using SpeechEmotion.Models;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>Training behaviour, errors, state dicts, optimiser utilities and the seed architectures.</summary>
[Collection("Nn")]
public class EngineTests
{
    [Fact]
    public void TinyCnnLstmOverfitsASmallBatch()
    {
        var net = new TorchReferenceTests.TinyNet();
        net.Initialize(InitScheme.PyTorch, 11);
        var x = GradCheck.Random(3, 1f, 8, 1, 16, 20);
        int[] y = [0, 1, 2, 3, 0, 1, 2, 3];
        var opt = new Adam(net.Parameters(), 0.01f);
        var ce = new LossNode("ce");
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            opt.ZeroGrad();
            var loss = Losses.CrossEntropy(ce, net.Forward(x), y);
            if (step == 0) first = loss[0];
            last = loss[0];
            Autograd.Backward(loss);
            opt.Step();
        }
        Assert.True(first > 1.0f, $"initial loss {first}");
        Assert.True(last < 0.02f, $"loss after 150 steps {last}");
    }

    [Fact]
    public void ShapeMismatchNamesLayerAndBothShapes()
    {
        var lin = new Linear(7, 5);
        var ex = Assert.Throws<ShapeException>(() => lin.Forward(new Tensor(4, 6)));
        Assert.Contains("Linear", ex.Message);
        Assert.Contains("[4, 6]", ex.Message);
        Assert.Contains("[5, 7]", ex.Message);
        var conv = Conv.Conv2d(3, 8, 3);
        var ex2 = Assert.Throws<ShapeException>(() => conv.Forward(new Tensor(2, 4, 9, 9)));
        Assert.Contains("[2, 4, 9, 9]", ex2.Message);
        Assert.Contains("[8, 3, 3, 3]", ex2.Message);
        var lstm = new Recurrent(RecurrentKind.Lstm, 5, 6);
        var ex3 = Assert.Throws<ShapeException>(() => lstm.Forward(new Tensor(2, 3, 4)));
        Assert.Contains("[2, 3, 4]", ex3.Message);
        Assert.IsAssignableFrom<SpeechEmotionException>(ex3);
    }

    [Fact]
    public void NonFiniteGradientIsReportedWithTheStep()
    {
        var lin = new Linear(3, 2);
        var opt = new Sgd(lin.Parameters(), 0.1f);
        var ce = new LossNode("ce");
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        for (int step = 1; step <= 2; step++)
        {
            opt.ZeroGrad();
            var loss = Losses.CrossEntropy(ce, lin.Forward(x), [0, 1]);
            Autograd.Backward(loss);
            if (step == 2) lin.Weight.Grad![4] = float.NaN; // e.g. an overflow inside a kernel
            if (step == 1) { opt.Step(); continue; }
            var before = lin.Weight.ToArray();
            var ex = Assert.Throws<NonFiniteException>(() => opt.Step());
            Assert.Contains("Step 2", ex.Message);
            Assert.Contains("weight", ex.Message);
            Assert.Equal(before, lin.Weight.ToArray());
        }
    }

    [Fact]
    public void NonFiniteLossIsReportedWithThePass()
    {
        var lin = new Linear(2, 1);
        var mse = new LossNode("mse");
        var x = Tensor.FromArray([float.PositiveInfinity, 1], 1, 2);
        var loss = Losses.Mse(mse, lin.Forward(x), [0f]);
        long before = Autograd.BackwardPasses;
        var ex = Assert.Throws<NonFiniteException>(() => Autograd.Backward(loss));
        Assert.Contains($"Backward pass {before + 1}", ex.Message);
        Assert.Equal(0, Autograd.TapeLength);
    }

    [Fact]
    public void StrictStateDictReportsEveryMismatch()
    {
        var a = new Sequential(new Linear(4, 3), new BatchNorm(3));
        var state = new Dictionary<string, Tensor>(a.StateDict());
        state.Remove("1.running_var");
        state["0.weight"] = new Tensor(3, 5);
        state["extra"] = new Tensor(1);
        var ex = Assert.Throws<StateDictException>(() => a.LoadStateDict(state));
        Assert.Equal(["1.running_var"], ex.Report.Missing);
        Assert.Equal(["extra"], ex.Report.Unexpected);
        Assert.Single(ex.Report.MisShaped);
        Assert.Contains("0.weight: expected [3, 4], got [3, 5]", ex.Message);

        var b = new Sequential(new Linear(4, 3), new BatchNorm(3));
        var report = b.LoadStateDict(state, strict: false);
        Assert.False(report.IsClean);
        Assert.Equal(a.StateDict()["0.bias"].ToArray(), b.StateDict()["0.bias"].ToArray());

        var c = new Sequential(new Linear(4, 3), new BatchNorm(3));
        Assert.True(c.LoadStateDict(a.StateDict()).IsClean);
        Assert.Equal(a.StateDict()["0.weight"].ToArray(), c.StateDict()["0.weight"].ToArray());
    }

    [Fact]
    public void NoGradRecordsNothingAndGradientsAccumulate()
    {
        var lin = new Linear(3, 2);
        var x = Tensor.FromArray([1, -2, 3], 1, 3);
        using (Autograd.NoGrad())
        {
            var y = lin.Forward(x);
            Assert.False(y.RequiresGrad);
            Assert.Equal(0, Autograd.TapeLength);
        }
        var mse = new LossNode("mse");
        Autograd.Backward(Losses.Mse(mse, lin.Forward(x), [0.5f, 1f]));
        var once = lin.Weight.Grad!.ToArray();
        Autograd.Backward(Losses.Mse(mse, lin.Forward(x), [0.5f, 1f]));
        var twice = lin.Weight.Grad!.ToArray();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 5);
        lin.ZeroGrad();
        Assert.All(lin.Weight.Grad!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LayerUsedTwiceInOneGraphIsRejected()
    {
        var lin = new Linear(3, 3);
        var x = new Tensor(1, 3);
        lin.Forward(x);
        var ex = Assert.Throws<SpeechEmotionException>(() => lin.Forward(x));
        Assert.Contains("twice", ex.Message);
        Autograd.Clear();
    }

    [Fact]
    public void SeedArchitecturesHavePeersParameterCounts()
    {
        Assert.Equal(656_582, new CnnLstm2d().ParameterCount);
        Assert.Equal(5_824_166, new Clstm1d().ParameterCount);
        Assert.Equal(57_093, new FunctionalsMlp().ParameterCount);
    }

    [Fact]
    public void SeedArchitecturesRunForwardAndBackward()
    {
        var clstm = new Clstm1d(new Clstm1dOptions { Features = 20, Filters = [16, 8, 8], LstmHidden = 6, Dense = [5] });
        var x = GradCheck.Random(1, 1f, 3, 22, 20);
        var logits = clstm.Forward(x);
        Assert.True(logits.HasShape([3, 6]));
        Autograd.Backward(Losses.CrossEntropy(new LossNode("ce"), logits, [0, 1, 2]));
        Assert.All(clstm.Parameters(), p => Assert.NotNull(p.Grad));
        var cnn = new CnnLstm2d(new CnnLstm2dOptions { Mels = 32, Channels = [4, 4], Pools = [2, 4], LstmHidden = 8 });
        var logits2 = cnn.Forward(GradCheck.Random(2, 1f, 2, 1, 32, 40));
        Assert.True(logits2.HasShape([2, 6]));
        Autograd.Clear();
        Assert.Throws<ShapeException>(() => cnn.Forward(new Tensor(2, 1, 30, 40)));
        Assert.Throws<InvalidOptionsException>(() => new FunctionalsMlp(new FunctionalsMlpOptions { Classes = 1, Dropout = 2 }));
    }

    [Fact]
    public void SameSeedGivesIdenticalTraining()
    {
        float[] Run()
        {
            var net = new FunctionalsMlp(new FunctionalsMlpOptions { Seed = 3 });
            var x = GradCheck.Random(4, 1f, 16, 88);
            var opt = new Adam(net.Parameters());
            var ce = new LossNode("ce");
            int[] y = Enumerable.Range(0, 16).Select(i => i % 5).ToArray();
            for (int s = 0; s < 3; s++)
            {
                opt.ZeroGrad();
                Autograd.Backward(Losses.CrossEntropy(ce, net.Forward(x), y));
                opt.Step();
            }
            return net.Parameters()[0].ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void SteadyStateTrainingStepAllocatesAlmostNothing()
    {
        var net = new FunctionalsMlp();
        var x = GradCheck.Random(4, 1f, 32, 88);
        var opt = new Adam(net.Parameters());
        var ce = new LossNode("ce");
        int[] y = Enumerable.Range(0, 32).Select(i => i % 5).ToArray();
        void Step()
        {
            opt.ZeroGrad();
            Autograd.Backward(Losses.CrossEntropy(ce, net.Forward(x), y));
            opt.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        Assert.True(perStep == 0, $"{perStep} bytes allocated per training step");
    }

    [Fact]
    public void ClippingAndSchedules()
    {
        var p = new Tensor(4) { RequiresGrad = true };
        p.Grad = Tensor.FromArray([3, -4, 0, 0], 4);
        Assert.Equal(5.0, GradClip.ByNorm([p], 1f), 5);
        Assert.Equal(0.6f, p.Grad[0], 4);
        Assert.Equal(-0.8f, p.Grad[1], 4);
        GradClip.ByValue([p], 0.7f);
        Assert.Equal(-0.7f, p.Grad[1], 6);

        var opt = new Sgd([p], 1f);
        var step = new StepLr(opt, 2, 0.5f);
        step.Step(); Assert.Equal(1f, opt.LearningRate);
        step.Step(); Assert.Equal(0.5f, opt.LearningRate);
        var opt2 = new Sgd([p], 1f);
        var cos = new CosineLr(opt2, 4, 0f);
        cos.Step(); cos.Step();
        Assert.Equal(0.5f, opt2.LearningRate, 5);
        cos.Step(); cos.Step();
        Assert.Equal(0f, opt2.LearningRate, 5);
        var opt3 = new Sgd([p], 1f);
        var plateau = new ReduceOnPlateau(opt3, factor: 0.1f, patience: 1);
        foreach (var v in new[] { 1.0, 0.9, 0.95, 0.95, 0.95 }) plateau.Step(v);
        Assert.Equal(0.1f, opt3.LearningRate, 5);
    }

    [Fact]
    public void OrthogonalAndKerasInitialisation()
    {
        var w = new Tensor(12, 3);
        var rng = new SplitMix(1);
        Init.Orthogonal(w, ref rng);
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                double dot = 0;
                for (int r = 0; r < 12; r++) dot += w[r * 3 + a] * w[r * 3 + b];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 5);
            }
        var lstm = new Recurrent(RecurrentKind.Lstm, 4, 3);
        lstm.Initialize(InitScheme.Keras, 5);
        var bias = lstm.StateDict()["bias_ih_l0"].ToArray();
        Assert.Equal([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0], bias);
    }
}
