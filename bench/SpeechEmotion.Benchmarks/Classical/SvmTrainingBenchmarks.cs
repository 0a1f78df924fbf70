using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Benchmarks.Classical;

/// <summary>
/// Classical-model training at ComParE scale: 1,000 standardised rows × 6,373 features, 8 classes
/// (synthetic Gaussian classes with small mean offsets, seeded). Run:
/// <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*SvmTraining*'</c>.
/// Times are per full fit (ms); the kernel-matrix benchmark also gives the GFLOP/s of the Dot kernel
/// (n(n+1)/2 · 2d flops).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SvmTrainingBenchmarks
{
    private const int N = 1000, D = 6373, K = 8;
    private float[] _x = [];
    private int[] _y = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        double Normal()
        {
            var u1 = 1.0 - rng.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * rng.NextDouble());
        }
        var means = new float[K * D];
        for (var i = 0; i < means.Length; i++) means[i] = (float)(0.15 * Normal());
        _x = new float[N * D];
        _y = new int[N];
        for (var i = 0; i < N; i++)
        {
            _y[i] = i % K;
            for (var j = 0; j < D; j++) _x[i * D + j] = means[_y[i] * D + j] + (float)Normal();
        }
        _x = new StandardScaler().Fit(_x, D).Transform(_x);
    }

    /// <summary>The n × n RBF kernel matrix alone (2 cores, tiled TensorPrimitives.Dot).</summary>
    [Benchmark]
    public int KernelMatrix() => new KernelSource(_x, D, KernelKind.Rbf, 1.0 / D, 1L << 30).N;

    /// <summary>RBF SVM, one-vs-one (28 machines), C = 10, γ = 1/d.</summary>
    [Benchmark]
    public int RbfOneVsOne()
    {
        var svm = new Svm(new SvmOptions { C = 10 });
        svm.Fit(_x, D, _y, K);
        return svm.SupportVectorCount;
    }

    /// <summary>RBF SVM, one-vs-rest (8 machines of 1,000 rows).</summary>
    [Benchmark]
    public int RbfOneVsRest()
    {
        var svm = new Svm(new SvmOptions { C = 10, MultiClass = MultiClassStrategy.OneVsRest });
        svm.Fit(_x, D, _y, K);
        return svm.SupportVectorCount;
    }

    /// <summary>Linear SVM, one-vs-one, C = 1.</summary>
    [Benchmark]
    public int LinearOneVsOne()
    {
        var svm = new Svm(new SvmOptions { Kernel = KernelKind.Linear, C = 1 });
        svm.Fit(_x, D, _y, K);
        return svm.SupportVectorCount;
    }

    /// <summary>
    /// Inner-CV search at ComParE scale: 3 speaker folds (10 pseudo-speakers) × 3 × 3 grid of C and γ = 27
    /// RBF fits on ~667 rows; the dot-product matrix is computed once per fold and shared by the candidates.
    /// </summary>
    [Benchmark]
    public double RbfSearch3x3()
    {
        var groups = Enumerable.Range(0, N).Select(i => i / 100).ToArray();
        var result = HyperparameterSearch.Run(_x, D, _y, K, groups, ClassicalBaselines.RbfSvm, new HyperparameterSearchOptions
        {
            CMin = 1, CMax = 100, CSteps = 3, GammaMin = 0.3, GammaMax = 3, GammaSteps = 3, InnerFolds = 3, Standardise = false,
        });
        return result.BestScore;
    }

    /// <summary>Multinomial logistic regression, C = 1 (L-BFGS).</summary>
    [Benchmark]
    public int LogisticRegressionFit()
    {
        var lr = new LogisticRegression();
        lr.Fit(_x, D, _y, K);
        return lr.Iterations;
    }
}
