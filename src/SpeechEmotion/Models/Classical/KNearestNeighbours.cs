using System.Numerics.Tensors;

namespace SpeechEmotion.Models.Classical;

/// <summary>Distance used by <see cref="KNearestNeighbours"/>.</summary>
public enum DistanceMetric
{
    /// <summary>‖a − b‖₂.</summary>
    Euclidean,

    /// <summary>1 − a·b / (‖a‖‖b‖); a zero vector is at distance 1 from everything.</summary>
    Cosine,
}

/// <summary>How neighbours' votes are weighted.</summary>
public enum NeighbourWeighting
{
    /// <summary>Each neighbour votes with its sample weight.</summary>
    Uniform,

    /// <summary>Votes scaled by 1/distance; when some neighbours are at distance 0 only they vote.</summary>
    Distance,
}

/// <summary>Options of <see cref="KNearestNeighbours"/>. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record KNearestNeighboursOptions
{
    /// <summary>Neighbours consulted (≥ 1; capped at the training size). Default 5.</summary>
    public int K { get; init; } = 5;

    /// <summary>Distance. Default <see cref="DistanceMetric.Euclidean"/>.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Vote weighting. Default <see cref="NeighbourWeighting.Uniform"/>.</summary>
    public NeighbourWeighting Weighting { get; init; } = NeighbourWeighting.Uniform;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value.</summary>
    public void Validate() =>
        new Problems()
            .Require(K >= 1, $"K must be at least 1, got {K}.")
            .Require(Enum.IsDefined(Metric), $"Metric {Metric} is not a known distance.")
            .Require(Enum.IsDefined(Weighting), $"Weighting {Weighting} is not a known weighting.")
            .ThrowIfAny(nameof(KNearestNeighboursOptions));
}

/// <summary>
/// Brute-force k-nearest-neighbour classifier. Neighbours are ranked by distance, ties by lower
/// training index, so results are exact and deterministic. Probabilities are the normalised
/// (sample- and class-weighted) votes; <see cref="DecisionFunction"/> returns the same [n, k] values.
/// </summary>
public sealed class KNearestNeighbours : IClassifier
{
    private const string Name = "KNearestNeighbours";
    private float[] _x = [];
    private int[] _y = [];
    private double[] _w = [];
    private float[] _norm = [];

    /// <summary>Creates an unfitted model with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="InvalidOptionsException">The options are invalid.</exception>
    public KNearestNeighbours(KNearestNeighboursOptions? options = null)
    {
        Options = options ?? new KNearestNeighboursOptions();
        Options.Validate();
    }

    /// <summary>The options this model was created with.</summary>
    public KNearestNeighboursOptions Options { get; }

    /// <inheritdoc/>
    public int Classes { get; private set; }

    /// <inheritdoc/>
    public int Dimensions { get; private set; }

    /// <inheritdoc/>
    public bool IsFitted => Classes > 0;

    /// <inheritdoc/>
    public int DecisionColumns => Classes;

    internal float[] TrainingFeatures => _x;
    internal int[] TrainingLabels => _y;
    internal double[] VoteWeights => _w;

    /// <inheritdoc/>
    public void Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights = null, float[]? classWeights = null)
    {
        InputChecks.CheckTraining(Name, x, d, y, classes, sampleWeights, classWeights);
        Install(classes, d, (float[])x.Clone(), (int[])y.Clone(), InputChecks.CombinedWeights(y, sampleWeights, classWeights));
    }

    internal void Install(int classes, int d, float[] x, int[] y, double[] w)
    {
        _x = x;
        _y = y;
        _w = w;
        _norm = new float[y.Length];
        for (var i = 0; i < y.Length; i++) _norm[i] = TensorPrimitives.Norm(x.AsSpan(i * d, d));
        Dimensions = d;
        Classes = classes;
    }

    /// <summary>Indices of the K nearest training rows of each query, nearest first, [n, min(K, training size)].</summary>
    public int[] Neighbours(ReadOnlySpan<float> x) => Search(x).Indices;

    private (int[] Indices, double[] Distances, int K) Search(ReadOnlySpan<float> x)
    {
        var n = InputChecks.CheckPrediction(Name, IsFitted, x, Dimensions);
        var d = Dimensions;
        var m = _y.Length;
        var k = Math.Min(Options.K, m);
        var indices = new int[n * k];
        var distances = new double[n * k];
        var input = x.ToArray();
        var metric = Options.Metric;
        Parallel.For(0, n, i =>
        {
            var q = input.AsSpan(i * d, d);
            var qNorm = metric == DistanceMetric.Cosine ? TensorPrimitives.Norm(q) : 0f;
            var bestIdx = indices.AsSpan(i * k, k);
            var bestDist = distances.AsSpan(i * k, k);
            var filled = 0;
            for (var t = 0; t < m; t++)
            {
                var row = _x.AsSpan(t * d, d);
                double dist;
                if (metric == DistanceMetric.Euclidean) dist = TensorPrimitives.Distance(q, row);
                else
                {
                    var denom = (double)qNorm * _norm[t];
                    dist = denom > 0 ? 1.0 - TensorPrimitives.Dot(q, row) / denom : 1.0;
                }
                // Insertion into the sorted best list; strict comparison keeps the lower index on ties.
                if (filled == k && !(dist < bestDist[k - 1])) continue;
                var pos = filled < k ? filled++ : k - 1;
                while (pos > 0 && dist < bestDist[pos - 1])
                {
                    bestDist[pos] = bestDist[pos - 1];
                    bestIdx[pos] = bestIdx[pos - 1];
                    pos--;
                }
                bestDist[pos] = dist;
                bestIdx[pos] = t;
            }
        });
        return (indices, distances, k);
    }

    /// <inheritdoc/>
    public float[] PredictProba(ReadOnlySpan<float> x)
    {
        var (indices, distances, k) = Search(x);
        var n = indices.Length / k;
        var classes = Classes;
        var result = new float[n * classes];
        var votes = new double[classes];
        for (var i = 0; i < n; i++)
        {
            Array.Clear(votes);
            var exact = false;
            if (Options.Weighting == NeighbourWeighting.Distance)
                for (var t = 0; t < k; t++) exact |= distances[i * k + t] <= 0;
            for (var t = 0; t < k; t++)
            {
                var idx = indices[i * k + t];
                var dist = distances[i * k + t];
                double weight = _w[idx];
                if (Options.Weighting == NeighbourWeighting.Distance)
                {
                    if (exact) { if (dist > 0) continue; }
                    else weight /= dist;
                }
                votes[_y[idx]] += weight;
            }
            var sum = votes.Sum();
            for (var c = 0; c < classes; c++) result[i * classes + c] = (float)(votes[c] / sum);
        }
        return result;
    }

    /// <inheritdoc/>
    public float[] DecisionFunction(ReadOnlySpan<float> x) => PredictProba(x);

    /// <inheritdoc/>
    public int[] Predict(ReadOnlySpan<float> x)
    {
        var p = PredictProba(x);
        var k = Classes;
        var result = new int[p.Length / k];
        for (var i = 0; i < result.Length; i++)
        {
            var best = 0;
            for (var c = 1; c < k; c++)
                if (p[i * k + c] > p[i * k + best]) best = c;
            result[i] = best;
        }
        return result;
    }
}
