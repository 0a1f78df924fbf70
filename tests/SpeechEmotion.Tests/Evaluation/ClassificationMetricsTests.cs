using SpeechEmotion.Evaluation;

namespace SpeechEmotion.Tests.Evaluation;

public class ClassificationMetricsTests
{
    private const double Tol = 1e-12;

    [Fact]
    public void HandComputedThreeClassCase()
    {
        // truth:     0 0 0 0 1 1 1 2 2 2
        // predicted: 0 0 1 2 1 1 0 2 2 1
        int[] truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
        int[] pred = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
        var r = ClassificationMetrics.Compute(truth, pred, 3);
        // Confusion: [2 1 1; 1 2 0; 0 1 2]
        Assert.Equal([2, 1, 1], r.Confusion[0]);
        Assert.Equal([1, 2, 0], r.Confusion[1]);
        Assert.Equal([0, 1, 2], r.Confusion[2]);
        Assert.Equal(0.6, r.WeightedAccuracy, Tol);
        // Recall 2/4, 2/3, 2/3; precision 2/3, 2/4, 2/3.
        Assert.Equal(0.5, r.Recall[0], Tol);
        Assert.Equal(2.0 / 3, r.Recall[1], Tol);
        Assert.Equal(2.0 / 3, r.Precision[0], Tol);
        Assert.Equal(0.5, r.Precision[1], Tol);
        Assert.Equal((0.5 + 2.0 / 3 + 2.0 / 3) / 3, r.UnweightedAverageRecall, Tol);
        var f0 = 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5);
        var f2 = 2.0 / 3;
        Assert.Equal(f0, r.F1[0], Tol);
        Assert.Equal(f0, r.F1[1], Tol);
        Assert.Equal(f2, r.F1[2], Tol);
        Assert.Equal((2 * f0 + f2) / 3, r.MacroF1, Tol);
        Assert.Equal([4, 3, 3], r.Support);
        Assert.Equal(0.25, r.ConfusionNormalised[0][2], Tol);
        foreach (var row in r.ConfusionNormalised) Assert.Equal(1.0, row.Sum(), Tol);
    }

    [Fact]
    public void ClassNeverPredictedHasZeroPrecisionAndCountsInUa()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        int[] pred = [0, 0, 1, 1, 1, 1];
        var r = ClassificationMetrics.Compute(truth, pred, 3);
        Assert.Equal(0.0, r.Precision[2]);
        Assert.Equal(0.0, r.Recall[2]);
        Assert.Equal(0.0, r.F1[2]);
        Assert.Equal(2.0 / 3, r.UnweightedAverageRecall, Tol); // (1 + 1 + 0) / 3
        Assert.Equal((1 + 2 * 0.5 / 1.5 + 0) / 3, r.MacroF1, Tol);
    }

    [Fact]
    public void ClassAbsentFromTruthIsLeftOutOfUaButCountsInMacroF1()
    {
        int[] truth = [0, 0, 1, 1];
        int[] pred = [0, 2, 1, 1];
        var r = ClassificationMetrics.Compute(truth, pred, 3);
        Assert.Equal(0, r.Support[2]);
        Assert.Equal(0.0, r.Recall[2]);
        Assert.All(r.ConfusionNormalised[2], v => Assert.Equal(0.0, v));
        Assert.Equal((0.5 + 1.0) / 2, r.UnweightedAverageRecall, Tol);
        var f0 = 2 * 1.0 * 0.5 / 1.5;
        Assert.Equal((f0 + 1.0 + 0.0) / 3, r.MacroF1, Tol);
        Assert.Equal(0.75, r.WeightedAccuracy, Tol);
    }

    [Fact]
    public void ClassAbsentFromBothIsLeftOutOfEveryAverage()
    {
        int[] truth = [0, 1, 1, 0];
        int[] pred = [0, 1, 0, 0];
        var r4 = ClassificationMetrics.Compute(truth, pred, 4);
        var r2 = ClassificationMetrics.Compute(truth, pred, 2);
        Assert.Equal(r2.UnweightedAverageRecall, r4.UnweightedAverageRecall, Tol);
        Assert.Equal(r2.MacroF1, r4.MacroF1, Tol);
        Assert.Equal(0.75, r4.UnweightedAverageRecall, Tol);
    }

    [Fact]
    public void AggregateGivesMeanAndSampleStd()
    {
        var a = ClassificationMetrics.Compute([0, 1], [0, 1], 2);       // WA 1
        var b = ClassificationMetrics.Compute([0, 1], [0, 0], 2);       // WA 0.5
        var c = ClassificationMetrics.Compute([0, 1, 1, 0], [1, 1, 0, 0], 2); // WA 0.5
        var s = ClassificationMetrics.Aggregate([a, b, c]);
        Assert.Equal(2.0 / 3, s.WeightedAccuracy.Mean, Tol);
        Assert.Equal(Math.Sqrt(((1.0 / 3) * (1.0 / 3) + 2 * (1.0 / 6) * (1.0 / 6)) / 2), s.WeightedAccuracy.Std, Tol);
        Assert.Equal(3, s.WeightedAccuracy.Count);
        Assert.Equal([3, 1], new[] { s.PooledConfusion[0][0], s.PooledConfusion[0][1] });
        Assert.Equal("66.7 ± 28.9", s.WeightedAccuracy.ToString(100));
        Assert.Equal(0.0, MeanStd.Of([0.4]).Std);
    }

    [Fact]
    public void CccMatchesHandComputedValues()
    {
        Assert.Equal(1.0, ClassificationMetrics.Ccc([1f, 2f, 3f], [1f, 2f, 3f]), Tol);
        // Shift by 1: cov = var = 2/3, mean diff 1: 2(2/3) / (4/3 + 1) = 4/7.
        Assert.Equal(4.0 / 7, ClassificationMetrics.Ccc([1f, 2f, 3f], [2f, 3f, 4f]), Tol);
        // Mirrored: cov = −2/3, mean diff 4: −(4/3) / (4/3 + 16) = −1/13.
        Assert.Equal(-1.0 / 13, ClassificationMetrics.Ccc([1f, 2f, 3f], [-1f, -2f, -3f]), Tol);
        Assert.Equal(0.0, ClassificationMetrics.Ccc([1f, 2f, 3f], [2f, 2f, 2f]), Tol);
        Assert.Equal(1.0, ClassificationMetrics.Ccc([5f, 5f], [5f, 5f]), Tol);
        // Scale by 2 around the same mean: cov = 2v, var y = 4v: 4v / 5v = 0.8.
        Assert.Equal(0.8, ClassificationMetrics.Ccc([-1f, 0f, 1f], [-2f, 0f, 2f]), Tol);
    }

    [Fact]
    public void BadInputIsTyped()
    {
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Compute([0, 1], [0], 2));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Compute([], [], 2));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Compute([0, 3], [0, 1], 2));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Compute([0, 1], [0, -1], 2));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Compute([0, 1], [0, 1], 2, ["a"]));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Ccc([1f], [1f, 2f]));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Ccc([float.NaN], [1f]));
        Assert.Throws<MetricsException>(() => ClassificationMetrics.Aggregate([]));
        SpeechEmotionException e = Assert.Throws<MetricsException>(() => ClassificationMetrics.FromConfusion([[0, 0], [0, 0]]));
        Assert.Contains("no samples", e.Message);
    }
}
