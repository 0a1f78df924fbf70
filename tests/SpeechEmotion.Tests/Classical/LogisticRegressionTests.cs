using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

public class LogisticRegressionTests
{
    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var rng = new Random(1);
        int n = 17, d = 4, k = 3;
        var x = new double[n * d];
        for (var i = 0; i < x.Length; i++) x[i] = TestData.Normal(rng);
        var y = Enumerable.Range(0, n).Select(i => i % k).ToArray();
        var w = Enumerable.Range(0, n).Select(i => 0.5 + rng.NextDouble()).ToArray();
        var problem = new LogisticRegression.Problem(x, n, d, k, y, w, 0.7);
        var theta = Enumerable.Range(0, k * d + k).Select(_ => 0.5 * TestData.Normal(rng)).ToArray();
        var grad = new double[theta.Length];
        problem.Evaluate(theta, grad);
        var scratch = new double[theta.Length];
        for (var p = 0; p < theta.Length; p++)
        {
            const double h = 1e-6;
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[p] += h;
            minus[p] -= h;
            var numeric = (problem.Evaluate(plus, scratch) - problem.Evaluate(minus, scratch)) / (2 * h);
            Assert.Equal(numeric, grad[p], 1e-8);
        }
    }

    [Fact]
    public void ConstantFeatureGivesTheWeightedClassFrequencies()
    {
        // With x ≡ 0 only the (unpenalised) biases act: the optimum is p = weighted class frequencies.
        int[] y = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
        var x = new float[y.Length * 2];
        float[] sw = [1, 1, 2, 1, 1, 1, 1, 1, 1, 3];
        var lr = new LogisticRegression(new LogisticRegressionOptions { C = 0.01, Tolerance = 1e-10 });
        lr.Fit(x, 2, y, 3, sw);
        var p = lr.PredictProba([0f, 0f]);
        var total = sw.Sum();
        Assert.Equal(4.0 / total, p[0], 1e-5);
        Assert.Equal(2.0 / total, p[1], 1e-5);
        Assert.Equal(7.0 / total, p[2], 1e-5);
    }

    [Fact]
    public void SaturatedTwoGroupModelReproducesGroupFrequencies()
    {
        // Two groups (x = −1 and x = +1) and two free parameters per class difference: the maximum-likelihood
        // fit (C → ∞) matches the class frequencies within each group exactly.
        var x = new List<float>();
        var y = new List<int>();
        void Add(float v, int c, int count) { for (var t = 0; t < count; t++) { x.Add(v); y.Add(c); } }
        Add(-1, 0, 6); Add(-1, 1, 3); Add(-1, 2, 1);
        Add(1, 0, 1); Add(1, 1, 2); Add(1, 2, 5);
        var lr = new LogisticRegression(new LogisticRegressionOptions { C = 1e9, Tolerance = 1e-10, MaxIterations = 2000 });
        lr.Fit(x.ToArray(), 1, y.ToArray(), 3);
        var p = lr.PredictProba([-1f, 1f]);
        double[] expected = [0.6, 0.3, 0.1, 1.0 / 8, 2.0 / 8, 5.0 / 8];
        for (var t = 0; t < 6; t++) Assert.Equal(expected[t], p[t], 1e-5);
    }

    [Fact]
    public void SeparatesBlobsAndIsDeterministic()
    {
        double[][] centres = [[0, 2, 1], [2, 0, -1], [-2, -1, 0]];
        var (x, y) = TestData.Blobs(21, 50, 0.8, centres);
        var (xt, yt) = TestData.Blobs(22, 50, 0.8, centres);
        var a = new LogisticRegression();
        a.Fit(x, 3, y, 3);
        Assert.True(TestData.Accuracy(yt, a.Predict(xt)) >= 0.9);
        var b = new LogisticRegression();
        b.Fit(x, 3, y, 3);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.PredictProba(xt), b.PredictProba(xt));
        // Logits and probabilities agree on the winner.
        Assert.Equal(a.Predict(xt), Enumerable.Range(0, yt.Length).Select(i =>
        {
            var z = a.DecisionFunction(xt.AsSpan(i * 3, 3));
            return Array.IndexOf(z, z.Max());
        }).ToArray());
    }

    [Fact]
    public void StrongerRegularisationShrinksWeights()
    {
        var (x, y) = TestData.Blobs(23, 30, 1.0, [1, 0], [-1, 0]);
        var weak = new LogisticRegression(new LogisticRegressionOptions { C = 100 });
        weak.Fit(x, 2, y, 2);
        var strong = new LogisticRegression(new LogisticRegressionOptions { C = 0.01 });
        strong.Fit(x, 2, y, 2);
        Assert.True(strong.Weights.Sum(v => v * v) < 0.1 * weak.Weights.Sum(v => v * v));
    }

    [Fact]
    public void AbsentClassGetsZeroProbability()
    {
        var (x, y) = TestData.Blobs(24, 20, 0.5, [1, 0], [-1, 0]);
        var lr = new LogisticRegression();
        lr.Fit(x, 2, y.Select(c => c * 2).ToArray(), 3);
        var p = lr.PredictProba(x);
        for (var i = 0; i < y.Length; i++) Assert.Equal(0f, p[i * 3 + 1]);
        Assert.DoesNotContain(1, lr.Predict(x));
    }
}
