using SpeechEmotion.Models.Classical;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Classical;

public class SvmTests(ITestOutputHelper output)
{
    private const double C = 1.0;

    /// <summary>SMO's α (per training row) and bias for a binary problem; class 0 is the positive side.</summary>
    private static (double[] Alpha, double B, Svm Model) FitBinary(float[] x, int[] y, KernelKind kind, double gamma, double tol)
    {
        var svm = new Svm(new SvmOptions { Kernel = kind, C = C, Gamma = gamma, Tolerance = tol });
        svm.Fit(x, 2, y, 2);
        var m = Assert.Single(svm.Machines);
        var alpha = new double[y.Length];
        for (var t = 0; t < m.TrainingRows.Length; t++) alpha[m.TrainingRows[t]] = Math.Abs(m.Coefficients[t]);
        return (alpha, -m.Rho, svm);
    }

    [Theory]
    [InlineData(KernelKind.Rbf, 0.5)]
    [InlineData(KernelKind.Linear, 1.0)]
    public void DualSolutionMatchesIndependentReferenceTo1e6(KernelKind kind, double gamma)
    {
        var (x, labels) = TestData.GridOverlap(seed: 11, perClass: 15);
        var y = labels.Select(c => c == 0 ? 1 : -1).ToArray();
        var rows = TestData.Rows(x, 2);
        var k = DualReference.Kernel(rows, kind, gamma);
        var (alpha, b, svm) = FitBinary(x, labels, kind, gamma, 1e-10);

        // 1. KKT certificate of the SMO solution itself.
        Assert.Equal(0.0, alpha.Select((a, i) => a * y[i]).Sum(), 1e-10);
        var margins = DualReference.Margins(k, y, alpha, b);
        int free = 0, atC = 0;
        for (var i = 0; i < y.Length; i++)
        {
            Assert.InRange(alpha[i], 0, C);
            if (alpha[i] == 0) Assert.True(margins[i] >= 1 - 1e-6, $"row {i}: α=0 but margin {margins[i]}");
            else if (alpha[i] == C) { atC++; Assert.True(margins[i] <= 1 + 1e-6, $"row {i}: α=C but margin {margins[i]}"); }
            else { free++; Assert.Equal(1.0, margins[i], 1e-6); }
        }
        Assert.True(free >= 1 && atC >= 1, $"the problem should have free and bounded support vectors ({free}, {atC})");

        // 2. Exact solution for the same active set, certified optimal by its own KKT check.
        var isFree = alpha.Select(a => a > 0 && a < C).ToArray();
        var isUpper = alpha.Select(a => a == C).ToArray();
        var (exact, bExact) = DualReference.SolveActiveSet(k, y, C, isFree, isUpper);
        var exactMargins = DualReference.Margins(k, y, exact, bExact);
        for (var i = 0; i < y.Length; i++)
        {
            Assert.InRange(exact[i], -1e-12, C + 1e-12);
            if (!isFree[i] && !isUpper[i]) Assert.True(exactMargins[i] >= 1 - 1e-9);
            if (isUpper[i]) Assert.True(exactMargins[i] <= 1 + 1e-9);
        }
        var fExact = DualReference.Objective(k, y, exact);

        // 3. Projected-gradient solution: a different algorithm must reach the same optimum.
        var pg = DualReference.Fista(k, y, C, 20_000);
        var fPg = DualReference.Objective(k, y, pg);
        var fSmo = DualReference.Objective(k, y, alpha);
        output.WriteLine($"{kind}: SMO {fSmo:R} (reported {svm.Machines[0].DualObjective:R}), exact {fExact:R}, PG {fPg:R}; free {free}, at C {atC}, iterations {svm.Machines[0].Iterations}");
        Assert.Equal(fExact, fSmo, 1e-9);
        Assert.Equal(fExact, svm.Machines[0].DualObjective, 1e-9);
        Assert.True(fPg >= fExact - 1e-12, "no feasible point can beat the certified optimum");
        Assert.Equal(fExact, fPg, 1e-7);

        // Decision values on a grid of unseen points: SMO vs the exact solution.
        var query = new List<float>();
        for (var gx = -2.0; gx <= 2.0; gx += 0.37)
            for (var gy = -2.0; gy <= 2.0; gy += 0.41) { query.Add((float)gx); query.Add((float)gy); }
        var q = query.ToArray();
        var dec = svm.MachineDecisions(q);
        var qRows = TestData.Rows(q, 2);
        for (var t = 0; t < qRows.Length; t++)
        {
            var f = bExact;
            for (var j = 0; j < y.Length; j++) f += exact[j] * y[j] * DualReference.Eval(rows[j], qRows[t], kind, gamma);
            Assert.Equal(f, dec[t], 1e-6);
        }
        Assert.Equal(bExact, b, 1e-6);
        for (var i = 0; i < y.Length; i++) Assert.Equal(exact[i], alpha[i], 1e-6);

        // Support vectors: for the strictly convex RBF dual the set is unique.
        if (kind == KernelKind.Rbf)
        {
            var smoSv = Enumerable.Range(0, y.Length).Where(i => alpha[i] > 0).ToArray();
            var exactSv = Enumerable.Range(0, y.Length).Where(i => exact[i] > 1e-9).ToArray();
            Assert.Equal(exactSv, smoSv);
            Assert.Equal(smoSv.Length, svm.SupportVectorCount);
        }
    }

    [Fact]
    public void HardMarginLinearCaseHasKnownHyperplane()
    {
        // Classes at x₁ = ±1: the maximum-margin hyperplane is f(x) = x₁.
        float[] x = [1, 0, 1, 1, -1, 0, -1, 1];
        int[] y = [0, 0, 1, 1];
        var svm = new Svm(new SvmOptions { Kernel = KernelKind.Linear, C = 1e6, Tolerance = 1e-9 });
        svm.Fit(x, 2, y, 2);
        var dec = svm.DecisionFunction([0.5f, 3f, -2f, 0f, 0f, -7f]);
        Assert.Equal(0.5, dec[0], 1e-6);
        Assert.Equal(-2.0, dec[1], 1e-6);
        Assert.Equal(0.0, dec[2], 1e-6);
        Assert.Equal([0, 1], svm.Predict([3f, 0f, -3f, 0f]));
    }

    [Fact]
    public void LinearlySeparableBlobsAreSeparated()
    {
        var (x, y) = TestData.Blobs(3, 50, 0.5, [2, 2, 0], [-2, -2, 0]);
        var svm = new Svm(new SvmOptions { Kernel = KernelKind.Linear, C = 10 });
        svm.Fit(x, 3, y, 2);
        Assert.Equal(1.0, TestData.Accuracy(y, svm.Predict(x)));
        var (xt, yt) = TestData.Blobs(4, 50, 0.5, [2, 2, 0], [-2, -2, 0]);
        Assert.Equal(1.0, TestData.Accuracy(yt, svm.Predict(xt)));
        Assert.True(svm.SupportVectorCount < 20, $"a wide margin needs few support vectors, got {svm.SupportVectorCount}");
    }

    [Fact]
    public void XorNeedsTheRbfKernel()
    {
        var (x, y) = TestData.Xor(5, 200, 0.3);
        var (xt, yt) = TestData.Xor(6, 200, 0.3);
        var rbf = new Svm(new SvmOptions { Kernel = KernelKind.Rbf, C = 10, Gamma = 1 });
        rbf.Fit(x, 2, y, 2);
        var linear = new Svm(new SvmOptions { Kernel = KernelKind.Linear, C = 10 });
        linear.Fit(x, 2, y, 2);
        var accRbf = TestData.Accuracy(yt, rbf.Predict(xt));
        var accLin = TestData.Accuracy(yt, linear.Predict(xt));
        output.WriteLine($"XOR test accuracy: RBF {accRbf:F3}, linear {accLin:F3}");
        Assert.True(accRbf >= 0.95, $"RBF {accRbf}");
        Assert.True(accLin <= 0.75, $"linear {accLin}");
    }

    [Theory]
    [InlineData(MultiClassStrategy.OneVsOne, 0)]
    [InlineData(MultiClassStrategy.OneVsRest, 0)]
    [InlineData(MultiClassStrategy.OneVsOne, 5)]
    [InlineData(MultiClassStrategy.OneVsRest, 3)]
    public void MultiClassStrategiesClassifyAndGiveProbabilities(MultiClassStrategy strategy, int probabilityFolds)
    {
        double[][] centres = [[0, 3], [3, -1], [-3, -1], [0, 0]];
        var (x, y) = TestData.Blobs(7, 40, 0.7, centres);
        var (xt, yt) = TestData.Blobs(8, 40, 0.7, centres);
        var options = new SvmOptions { C = 3, Gamma = 0.5, MultiClass = strategy, ProbabilityFolds = probabilityFolds, Seed = 2 };
        var svm = new Svm(options);
        svm.Fit(x, 2, y, 4);
        Assert.Equal(strategy == MultiClassStrategy.OneVsOne ? 6 : 4, svm.DecisionColumns);
        var pred = svm.Predict(xt);
        var acc = TestData.Accuracy(yt, pred);
        Assert.True(acc >= 0.9, $"accuracy {acc}");
        var p = svm.PredictProba(xt);
        var agree = 0;
        for (var i = 0; i < yt.Length; i++)
        {
            var row = p.AsSpan(i * 4, 4);
            var sum = 0.0;
            foreach (var v in row) { Assert.InRange(v, 0f, 1f); sum += v; }
            Assert.Equal(1.0, sum, 1e-5);
            var arg = 0;
            for (var c = 1; c < 4; c++) if (row[c] > row[arg]) arg = c;
            if (arg == pred[i]) agree++;
        }
        Assert.True(agree >= 0.95 * yt.Length, $"probability argmax agrees with the vote for {agree}/{yt.Length}");
        var again = new Svm(options);
        again.Fit(x, 2, y, 4);
        Assert.Equal(p, again.PredictProba(xt));
        Assert.Equal(svm.DecisionFunction(xt), again.DecisionFunction(xt));
    }

    [Fact]
    public void ClassWeightsRaiseTheWeightedClassRecall()
    {
        var (x, y) = TestData.Blobs(9, 60, 1.2, [0.5, 0], [-0.5, 0]);
        double Recall1(float[]? cw)
        {
            var svm = new Svm(new SvmOptions { Kernel = KernelKind.Linear, C = 1 });
            svm.Fit(x, 2, y, 2, classWeights: cw);
            var p = svm.Predict(x);
            return y.Select((c, i) => (c, p[i])).Where(t => t.c == 1).Average(t => t.Item2 == 1 ? 1.0 : 0.0);
        }
        var plain = Recall1(null);
        var weighted = Recall1([1f, 5f]);
        output.WriteLine($"class-1 recall: plain {plain:F3}, weighted {weighted:F3}");
        Assert.True(weighted > plain + 0.1, $"{weighted} vs {plain}");
    }

    [Fact]
    public void UniformClassWeightEqualsScalingC()
    {
        var (x, y) = TestData.Blobs(10, 30, 1.0, [0.5, 0], [-0.5, 0], [0, 1]);
        var a = new Svm(new SvmOptions { C = 4, Gamma = 0.5, Tolerance = 1e-9 });
        a.Fit(x, 2, y, 3);
        var b = new Svm(new SvmOptions { C = 1, Gamma = 0.5, Tolerance = 1e-9 });
        b.Fit(x, 2, y, 3, sampleWeights: Enumerable.Repeat(2f, y.Length).ToArray(), classWeights: [2f, 2f, 2f]);
        var da = a.DecisionFunction(x);
        var db = b.DecisionFunction(x);
        for (var i = 0; i < da.Length; i++) Assert.Equal(da[i], db[i], 1e-5);
    }

    [Fact]
    public void SmallCacheGivesTheSameModelAsAFullKernelMatrix()
    {
        var (x, y) = TestData.Blobs(12, 140, 1.0, [0.5, 0, 0], [-0.5, 0, 0], [0, 1, 0]);
        var full = new Svm(new SvmOptions { C = 2, Gamma = 0.3, MultiClass = MultiClassStrategy.OneVsRest });
        full.Fit(x, 3, y, 3);
        var lru = new Svm(new SvmOptions { C = 2, Gamma = 0.3, MultiClass = MultiClassStrategy.OneVsRest, CacheMegabytes = 1 });
        lru.Fit(x, 3, y, 3);
        Assert.Equal(full.DecisionFunction(x), lru.DecisionFunction(x));
    }

    [Fact]
    public void AbsentClassIsNeverPredicted()
    {
        var (x, y) = TestData.Blobs(13, 20, 0.5, [0, 2], [2, 0], [-2, 0]);
        var y4 = y.Select(c => c == 2 ? 3 : c).ToArray(); // class 2 of 4 has no sample
        foreach (var strategy in new[] { MultiClassStrategy.OneVsOne, MultiClassStrategy.OneVsRest })
        {
            var svm = new Svm(new SvmOptions { MultiClass = strategy });
            svm.Fit(x, 2, y4, 4);
            Assert.DoesNotContain(2, svm.Predict(x));
            Assert.Equal(1.0, TestData.Accuracy(y4, svm.Predict(x)));
            var p = svm.PredictProba(x);
            for (var i = 0; i < y.Length; i++) Assert.Equal(0f, p[i * 4 + 2]);
        }
    }
}
