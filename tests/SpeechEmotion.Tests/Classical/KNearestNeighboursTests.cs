using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

public class KNearestNeighboursTests
{
    private static double Distance(double[] a, double[] b, DistanceMetric metric)
    {
        if (metric == DistanceMetric.Euclidean) return Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
        var dot = a.Zip(b).Sum(p => p.First * p.Second);
        return 1 - dot / Math.Sqrt(a.Sum(v => v * v) * b.Sum(v => v * v));
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean, NeighbourWeighting.Uniform)]
    [InlineData(DistanceMetric.Euclidean, NeighbourWeighting.Distance)]
    [InlineData(DistanceMetric.Cosine, NeighbourWeighting.Uniform)]
    [InlineData(DistanceMetric.Cosine, NeighbourWeighting.Distance)]
    public void MatchesBruteForceInDoublePrecision(DistanceMetric metric, NeighbourWeighting weighting)
    {
        var (x, y) = TestData.Blobs(31, 40, 1.5, [0, 0, 1, 0, 0], [1, 1, 0, 0, 1], [-1, 0, 0, 1, 0]);
        var (q, _) = TestData.Blobs(32, 10, 1.5, [0, 0, 1, 0, 0], [1, 1, 0, 0, 1], [-1, 0, 0, 1, 0]);
        const int d = 5, k = 7;
        var knn = new KNearestNeighbours(new KNearestNeighboursOptions { K = k, Metric = metric, Weighting = weighting });
        knn.Fit(x, d, y, 3);
        var rows = TestData.Rows(x, d);
        var queries = TestData.Rows(q, d);
        var neighbours = knn.Neighbours(q);
        var proba = knn.PredictProba(q);
        for (var i = 0; i < queries.Length; i++)
        {
            var order = Enumerable.Range(0, rows.Length)
                .Select(t => (t, dist: Distance(queries[i], rows[t], metric)))
                .OrderBy(p => p.dist).ThenBy(p => p.t).Take(k).ToArray();
            Assert.Equal(order.Select(p => p.t).ToArray(), neighbours.AsSpan(i * k, k).ToArray());
            var votes = new double[3];
            foreach (var (t, dist) in order) votes[y[t]] += weighting == NeighbourWeighting.Uniform ? 1 : 1 / dist;
            for (var c = 0; c < 3; c++) Assert.Equal(votes[c] / votes.Sum(), proba[i * 3 + c], 1e-5);
        }
    }

    [Fact]
    public void ExactMatchesTakeAllTheDistanceWeightedVote()
    {
        float[] x = [0, 0, 0, 0, 1, 0, 1, 1];
        int[] y = [0, 1, 1, 1];
        var knn = new KNearestNeighbours(new KNearestNeighboursOptions { K = 4, Weighting = NeighbourWeighting.Distance });
        knn.Fit(x, 2, y, 2);
        Assert.Equal([0.5f, 0.5f], knn.PredictProba([0f, 0f]));
        // Ties in the vote go to the lower class index.
        Assert.Equal([0], knn.Predict([0f, 0f]));
    }

    [Fact]
    public void KLargerThanTheTrainingSetUsesAllRowsAndWeightsCount()
    {
        float[] x = [0, 1, 2];
        int[] y = [0, 1, 1];
        var knn = new KNearestNeighbours(new KNearestNeighboursOptions { K = 10 });
        knn.Fit(x, 1, y, 2, classWeights: [3f, 1f]);
        Assert.Equal([0.6f, 0.4f], knn.PredictProba([5f]));
    }
}
