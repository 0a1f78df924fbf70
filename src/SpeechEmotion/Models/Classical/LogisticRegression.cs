using System.Numerics.Tensors;

namespace SpeechEmotion.Models.Classical;

/// <summary>Options of <see cref="LogisticRegression"/>. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>Inverse L2 strength C (&gt; 0), as in scikit-learn: minimises Σᵢ wᵢ·CEᵢ + ‖W‖²/(2C). Bias is not penalised. Default 1.</summary>
    public double C { get; init; } = 1.0;

    /// <summary>L-BFGS iteration limit (≥ 1). Default 500.</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>Stop when the largest gradient component of the weight-normalised objective is below this (&gt; 0). Default 1e-6.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>L-BFGS memory (pairs kept, 1–100). Default 10.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value.</summary>
    public void Validate() =>
        new Problems()
            .Require(C > 0 && double.IsFinite(C), $"C must be finite and positive, got {C}.")
            .Require(MaxIterations >= 1, $"MaxIterations must be at least 1, got {MaxIterations}.")
            .Require(Tolerance > 0 && double.IsFinite(Tolerance), $"Tolerance must be finite and positive, got {Tolerance}.")
            .Require(Memory is >= 1 and <= 100, $"Memory must be in [1, 100], got {Memory}.")
            .ThrowIfAny(nameof(LogisticRegressionOptions));
}

/// <summary>
/// Multinomial (softmax) logistic regression with L2-penalised weights, fitted by L-BFGS in double
/// precision. <see cref="DecisionFunction"/> gives the k logits Wx + b (−∞ for a class absent from training).
/// </summary>
public sealed class LogisticRegression : IClassifier
{
    private const string Name = "LogisticRegression";

    /// <summary>Creates an unfitted model with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="InvalidOptionsException">The options are invalid.</exception>
    public LogisticRegression(LogisticRegressionOptions? options = null)
    {
        Options = options ?? new LogisticRegressionOptions();
        Options.Validate();
    }

    /// <summary>The options this model was created with.</summary>
    public LogisticRegressionOptions Options { get; }

    /// <inheritdoc/>
    public int Classes { get; private set; }

    /// <inheritdoc/>
    public int Dimensions { get; private set; }

    /// <inheritdoc/>
    public bool IsFitted => Classes > 0;

    /// <inheritdoc/>
    public int DecisionColumns => Classes;

    /// <summary>Weights, row-major [Classes, d] (zero rows for absent classes).</summary>
    public double[] Weights { get; private set; } = [];

    /// <summary>Bias per class (−∞ for absent classes).</summary>
    public double[] Bias { get; private set; } = [];

    /// <summary>L-BFGS iterations of the last fit.</summary>
    public int Iterations { get; private set; }

    /// <summary>Objective evaluations (gradient computations) of the last fit.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Final value of the weight-normalised objective (Σ wᵢCEᵢ + ‖W‖²/(2C)) / Σ wᵢ.</summary>
    public double FinalObjective { get; private set; }

    /// <inheritdoc/>
    public void Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights = null, float[]? classWeights = null)
    {
        var n = InputChecks.CheckTraining(Name, x, d, y, classes, sampleWeights, classWeights);
        var w = InputChecks.CombinedWeights(y, sampleWeights, classWeights);
        // Absent classes would push their bias to −∞ and stall the optimiser: fit the present ones only.
        var present = new bool[classes];
        foreach (var c in y) present[c] = true;
        var map = new int[classes];
        var kp = 0;
        for (var c = 0; c < classes; c++) map[c] = present[c] ? kp++ : -1;
        var yl = y.Select(c => map[c]).ToArray();
        var xd = new double[x.Length];
        for (var i = 0; i < x.Length; i++) xd[i] = x[i];
        var problem = new Problem(xd, n, d, kp, yl, w, Options.C);
        var theta = new double[kp * d + kp];
        var outcome = Lbfgs.Minimise(problem.Evaluate, theta, Options.Memory, Options.MaxIterations, Options.Tolerance);

        var weights = new double[classes * d];
        var bias = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            if (map[c] < 0) { bias[c] = double.NegativeInfinity; continue; }
            Array.Copy(theta, map[c] * d, weights, c * d, d);
            bias[c] = theta[kp * d + map[c]];
        }
        Install(classes, d, weights, bias);
        Iterations = outcome.Iterations;
        Evaluations = outcome.Evaluations;
        FinalObjective = outcome.Value;
    }

    internal void Install(int classes, int d, double[] weights, double[] bias)
    {
        Weights = weights;
        Bias = bias;
        Dimensions = d;
        Classes = classes;
    }

    /// <summary>The weight-normalised objective and its gradient over θ = [W (k×d, row-major), b (k)].</summary>
    internal sealed class Problem(double[] x, int n, int d, int k, int[] y, double[] w, double c)
    {
        private readonly double[] _logits = new double[n * k];
        private readonly double _wsum = w.Sum();
        private readonly double[] _lossPart = new double[n];
        private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = (long)n * d * k >= 4_000_000 ? -1 : 1 };

        public double Evaluate(double[] theta, double[] gradient)
        {
            var wts = theta.AsSpan(0, k * d);
            double loss = 0;
            var lossPart = _lossPart;
            var parallel = _parallel;
            // Rows are independent: parallel over samples, each writes its own slots.
            Parallel.For(0, n, parallel, i =>
            {
                var xi = new ReadOnlySpan<double>(x, i * d, d);
                var z = _logits.AsSpan(i * k, k);
                var max = double.NegativeInfinity;
                for (var cl = 0; cl < k; cl++)
                {
                    z[cl] = TensorPrimitives.Dot(new ReadOnlySpan<double>(theta, cl * d, d), xi) + theta[k * d + cl];
                    if (z[cl] > max) max = z[cl];
                }
                double sum = 0;
                for (var cl = 0; cl < k; cl++) sum += Math.Exp(z[cl] - max);
                var logSum = max + Math.Log(sum);
                lossPart[i] = w[i] * (logSum - z[y[i]]);
                // Turn logits into the residual r = w(p − onehot)/Σw for the gradient.
                for (var cl = 0; cl < k; cl++)
                    z[cl] = w[i] * (Math.Exp(z[cl] - logSum) - (cl == y[i] ? 1 : 0)) / _wsum;
            });
            for (var i = 0; i < n; i++) loss += lossPart[i];
            loss /= _wsum;
            loss += TensorPrimitives.Dot<double>(wts, wts) / (2 * c * _wsum);

            // Classes are independent: parallel over classes, samples summed in order.
            Parallel.For(0, k, parallel, cl =>
            {
                var gw = gradient.AsSpan(cl * d, d);
                TensorPrimitives.Multiply(new ReadOnlySpan<double>(theta, cl * d, d), 1.0 / (c * _wsum), gw);
                double gb = 0;
                for (var i = 0; i < n; i++)
                {
                    var r = _logits[i * k + cl];
                    if (r == 0) continue;
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(x, i * d, d), r, gw, gw);
                    gb += r;
                }
                gradient[k * d + cl] = gb;
            });
            return loss;
        }
    }

    /// <inheritdoc/>
    public float[] DecisionFunction(ReadOnlySpan<float> x)
    {
        var z = Logits(x);
        var result = new float[z.Length];
        for (var i = 0; i < z.Length; i++) result[i] = (float)z[i];
        return result;
    }

    private double[] Logits(ReadOnlySpan<float> x)
    {
        var n = InputChecks.CheckPrediction(Name, IsFitted, x, Dimensions);
        int d = Dimensions, k = Classes;
        var z = new double[n * k];
        var row = new double[d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++) row[j] = x[i * d + j];
            for (var c = 0; c < k; c++)
                z[i * k + c] = double.IsNegativeInfinity(Bias[c])
                    ? double.NegativeInfinity
                    : TensorPrimitives.Dot(new ReadOnlySpan<double>(Weights, c * d, d), row) + Bias[c];
        }
        return z;
    }

    /// <inheritdoc/>
    public float[] PredictProba(ReadOnlySpan<float> x)
    {
        var z = Logits(x);
        var k = Classes;
        var result = new float[z.Length];
        for (var i = 0; i < z.Length; i += k)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++) max = Math.Max(max, z[i + c]);
            double sum = 0;
            for (var c = 0; c < k; c++) sum += Math.Exp(z[i + c] - max);
            for (var c = 0; c < k; c++) result[i + c] = (float)(Math.Exp(z[i + c] - max) / sum);
        }
        return result;
    }

    /// <inheritdoc/>
    public int[] Predict(ReadOnlySpan<float> x)
    {
        var z = Logits(x);
        var k = Classes;
        var result = new int[z.Length / k];
        for (var i = 0; i < result.Length; i++)
        {
            var best = 0;
            for (var c = 1; c < k; c++)
                if (z[i * k + c] > z[i * k + best]) best = c;
            result[i] = best;
        }
        return result;
    }
}
