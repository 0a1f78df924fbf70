using System.Numerics.Tensors;

namespace SpeechEmotion.Models.Classical;

/// <summary>
/// C-support vector classifier trained by SMO with second-order working-set selection (see
/// <see cref="SmoSolver"/>), linear or RBF kernel, one-vs-one or one-vs-rest, per-class and per-sample
/// weights (scaling C), and probabilities from Platt sigmoids (pairwise-coupled for one-vs-one).
/// </summary>
/// <remarks>
/// <see cref="DecisionFunction"/> columns: one-vs-one gives k(k−1)/2 values for the pairs (0,1), (0,2), …,
/// (1,2), … (positive = the lower class index; 0 for a pair with a class absent from training);
/// one-vs-rest gives k values (−∞ for a class absent from training). One-vs-one predicts by majority vote
/// (ties go to the lower class index), one-vs-rest by the largest decision value.
/// Binary machines train in parallel; each writes only its own result, so fitting is deterministic.
/// </remarks>
public sealed class Svm : IClassifier
{
    private const string Name = "Svm";
    private float[] _sv = [];
    private double[] _svSqNorm = [];
    private SvmBinaryModel[] _machines = [];
    private bool[] _present = [];

    /// <summary>Creates an unfitted machine with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="InvalidOptionsException">The options are invalid.</exception>
    public Svm(SvmOptions? options = null)
    {
        Options = options ?? new SvmOptions();
        Options.Validate();
    }

    /// <summary>The options this machine was created with.</summary>
    public SvmOptions Options { get; }

    /// <inheritdoc/>
    public int Classes { get; private set; }

    /// <inheritdoc/>
    public int Dimensions { get; private set; }

    /// <inheritdoc/>
    public bool IsFitted => Classes > 0;

    /// <inheritdoc/>
    public int DecisionColumns => Options.MultiClass == MultiClassStrategy.OneVsOne ? Classes * (Classes - 1) / 2 : Classes;

    /// <summary>The γ used (Options.Gamma, or 1/d when it was null); 0 before fitting.</summary>
    public double EffectiveGamma { get; private set; }

    /// <summary>Support vectors (union over binary machines), row-major [SupportVectorCount, d].</summary>
    public ReadOnlySpan<float> SupportVectors => _sv;

    /// <summary>Number of distinct support vectors.</summary>
    public int SupportVectorCount => Dimensions == 0 ? 0 : _sv.Length / Dimensions;

    /// <summary>The binary machines, in decision-column order (absent pairs/classes omitted).</summary>
    public IReadOnlyList<SvmBinaryModel> Machines => _machines;

    /// <summary>True for each class that had training samples.</summary>
    public IReadOnlyList<bool> PresentClasses => _present;

    /// <inheritdoc/>
    public void Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights = null, float[]? classWeights = null) =>
        Fit(x, d, y, classes, sampleWeights, classWeights, null);

    /// <summary>True when the whole kernel matrix of <paramref name="n"/> rows fits the cache budget.</summary>
    internal bool KernelFits(int n) => (long)n * n * sizeof(double) <= (long)Options.CacheMegabytes << 20;

    /// <summary>Fit with an optional precomputed <see cref="KernelSource.DotGram"/> of exactly <paramref name="x"/> (same result, less work).</summary>
    internal void Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights, float[]? classWeights, double[]? dotGram)
    {
        var n = InputChecks.CheckTraining(Name, x, d, y, classes, sampleWeights, classWeights);
        var weights = InputChecks.CombinedWeights(y, sampleWeights, classWeights);
        var gamma = Options.Gamma ?? 1.0 / d;
        var cacheBytes = (long)Options.CacheMegabytes << 20;
        var source = new KernelSource(x, d, Options.Kernel, gamma, cacheBytes, KernelFits(n) ? dotGram : null);

        var present = new bool[classes];
        foreach (var c in y) present[c] = true;
        var problems = new List<(int Pos, int Neg)>();
        if (Options.MultiClass == MultiClassStrategy.OneVsOne)
        {
            for (var a = 0; a < classes; a++)
                for (var b = a + 1; b < classes; b++)
                    if (present[a] && present[b]) problems.Add((a, b));
        }
        else
        {
            for (var c = 0; c < classes; c++)
                if (present[c]) problems.Add((c, -1));
        }

        var results = new (int[] Rows, double[] Coef, double Rho, double A, double B, double Obj, long Iter)[problems.Count];
        // Each parallel machine keeps its own row cache; split the budget so the total stays bounded.
        var perProblemCache = Math.Max(1L << 20, cacheBytes / Math.Max(1, Environment.ProcessorCount));
        Parallel.For(0, problems.Count, p =>
        {
            var (pos, neg) = problems[p];
            var idx = new List<int>();
            for (var i = 0; i < n; i++)
                if (neg < 0 || y[i] == pos || y[i] == neg) idx.Add(i);
            var rows = idx.ToArray();
            var signs = new sbyte[rows.Length];
            var upper = new double[rows.Length];
            for (var t = 0; t < rows.Length; t++)
            {
                signs[t] = (sbyte)(y[rows[t]] == pos ? 1 : -1);
                upper[t] = Options.C * weights[rows[t]];
            }
            var kernel = new SubKernel(source, rows, perProblemCache);
            var sol = SmoSolver.Solve(kernel, signs, upper, Options.Tolerance);

            var fTrain = new double[rows.Length];
            if (Options.ProbabilityFolds == 0)
            {
                for (var t = 0; t < rows.Length; t++) fTrain[t] = signs[t] * (sol.Gradient[t] + 1) - sol.Rho;
            }
            else
            {
                CrossValidatedDecisions(source, rows, signs, upper, perProblemCache, Options.ProbabilityFolds, Options.Seed + p, Options.Tolerance, fTrain);
            }
            var (pa, pb) = ProbabilityCalibration.FitPlatt(fTrain, signs);

            var svRows = new List<int>();
            var coef = new List<double>();
            for (var t = 0; t < rows.Length; t++)
                if (sol.Alpha[t] > 0)
                {
                    svRows.Add(rows[t]);
                    coef.Add(sol.Alpha[t] * signs[t]);
                }
            results[p] = (svRows.ToArray(), coef.ToArray(), sol.Rho, pa, pb, sol.Objective, sol.Iterations);
        });

        // Union of support vectors in training order, so each is stored and evaluated once.
        var slot = new int[n];
        Array.Fill(slot, -1);
        foreach (var r in results)
            foreach (var row in r.Rows) slot[row] = 0;
        var count = 0;
        for (var i = 0; i < n; i++)
            if (slot[i] >= 0) slot[i] = count++;
        var sv = new float[count * d];
        for (var i = 0; i < n; i++)
            if (slot[i] >= 0) x.AsSpan(i * d, d).CopyTo(sv.AsSpan(slot[i] * d, d));

        var machines = new SvmBinaryModel[problems.Count];
        for (var p = 0; p < problems.Count; p++)
        {
            var r = results[p];
            machines[p] = new SvmBinaryModel(problems[p].Pos, problems[p].Neg, r.Rows.Select(row => slot[row]).ToArray(),
                r.Rows, r.Coef, r.Rho, r.A, r.B, r.Obj, r.Iter);
        }
        Install(classes, d, gamma, sv, machines, present);
    }

    /// <summary>Decision values from a <paramref name="folds"/>-fold split of one binary problem (LIBSVM's probability CV).</summary>
    private static void CrossValidatedDecisions(KernelSource source, int[] rows, sbyte[] signs, double[] upper, long cacheBytes,
        int folds, int seed, double tolerance, double[] output)
    {
        var m = rows.Length;
        var perm = new int[m];
        for (var t = 0; t < m; t++) perm[t] = t;
        var rng = new SplitMix64((ulong)seed * 0x9E3779B97F4A7C15UL + 1);
        rng.Shuffle(perm);
        for (var f = 0; f < folds; f++)
        {
            int begin = f * m / folds, end = (f + 1) * m / folds;
            var trainPos = new List<int>(m);
            for (var t = 0; t < m; t++)
                if (t < begin || t >= end) trainPos.Add(perm[t]);
            trainPos.Sort();
            var sub = trainPos.ToArray();
            var hasPos = sub.Any(t => signs[t] > 0);
            var hasNeg = sub.Any(t => signs[t] < 0);
            if (!hasPos || !hasNeg)
            {
                for (var t = begin; t < end; t++) output[perm[t]] = hasPos ? 1 : -1;
                continue;
            }
            var subRows = sub.Select(t => rows[t]).ToArray();
            var subSigns = sub.Select(t => signs[t]).ToArray();
            var subUpper = sub.Select(t => upper[t]).ToArray();
            var sol = SmoSolver.Solve(new SubKernel(source, subRows, cacheBytes), subSigns, subUpper, tolerance);
            for (var t = begin; t < end; t++)
            {
                var target = rows[perm[t]];
                var v = -sol.Rho;
                for (var s = 0; s < subRows.Length; s++)
                    if (sol.Alpha[s] > 0) v += sol.Alpha[s] * subSigns[s] * source.At(subRows[s], target);
                output[perm[t]] = v;
            }
        }
    }

    internal void Install(int classes, int d, double gamma, float[] sv, SvmBinaryModel[] machines, bool[] present)
    {
        _sv = sv;
        _svSqNorm = new double[sv.Length / d];
        for (var s = 0; s < _svSqNorm.Length; s++) _svSqNorm[s] = TensorPrimitives.Dot(sv.AsSpan(s * d, d), sv.AsSpan(s * d, d));
        _machines = machines;
        _present = present;
        EffectiveGamma = gamma;
        Dimensions = d;
        Classes = classes;
    }

    /// <summary>Raw binary decision values [n, machines] in <see cref="Machines"/> order, in double precision.</summary>
    public double[] MachineDecisions(ReadOnlySpan<float> x)
    {
        var n = InputChecks.CheckPrediction(Name, IsFitted, x, Dimensions);
        var d = Dimensions;
        var nsv = _svSqNorm.Length;
        var output = new double[n * _machines.Length];
        var input = x.ToArray();
        var querySq = KernelSource.SquaredNorms(input, 0, n, d);
        // Query rows in chunks, each against all support vectors in cache-sized tiles.
        const int chunk = 256;
        for (var start = 0; start < n; start += chunk)
        {
            var rows = Math.Min(chunk, n - start);
            var dots = KernelSource.CrossDots(input, start, rows, _sv, nsv, d);
            Accumulate(dots, rows, nsv, querySq, start, _svSqNorm, byTrainingRow: false, output);
        }
        return output;
    }

    /// <summary>
    /// Decision values from precomputed dot products of queries with the training rows of the last Fit
    /// ([nq, training rows]); identical to <see cref="MachineDecisions"/>, used by the search to share work.
    /// </summary>
    internal double[] MachineDecisionsFromTrainingDots(double[] dots, int nq, int trainingRows, double[] querySq, double[] trainingSq)
    {
        var output = new double[nq * _machines.Length];
        Accumulate(dots, nq, trainingRows, querySq, 0, trainingSq, byTrainingRow: true, output);
        return output;
    }

    private void Accumulate(double[] dots, int rows, int cols, double[] querySq, int queryOffset, double[] colSq, bool byTrainingRow, double[] output)
    {
        var mcount = _machines.Length;
        var kind = Options.Kernel;
        var gamma = EffectiveGamma;
        Parallel.For(0, rows, () => new double[cols], (i, _, kv) =>
        {
            var sq = querySq[queryOffset + i];
            for (var s = 0; s < cols; s++) kv[s] = KernelSource.FromDot(kind, gamma, dots[(long)i * cols + s], sq, colSq[s]);
            for (var m = 0; m < mcount; m++)
            {
                var mach = _machines[m];
                var index = byTrainingRow ? mach.TrainingRows : mach.SupportVectors;
                var v = -mach.Rho;
                for (var t = 0; t < index.Length; t++) v += mach.Coefficients[t] * kv[index[t]];
                output[(queryOffset + i) * mcount + m] = v;
            }
            return kv;
        }, _ => { });
    }

    /// <summary>Class per row from raw machine decisions (one-vs-one votes, ties to the lower class; one-vs-rest argmax).</summary>
    internal int[] PredictFromDecisions(double[] raw)
    {
        var mcount = _machines.Length;
        var n = raw.Length / mcount;
        var k = Classes;
        var result = new int[n];
        var votes = new int[k];
        for (var i = 0; i < n; i++)
        {
            var best = -1;
            if (Options.MultiClass == MultiClassStrategy.OneVsOne)
            {
                Array.Clear(votes);
                for (var m = 0; m < mcount; m++)
                    votes[raw[i * mcount + m] > 0 ? _machines[m].PositiveClass : _machines[m].NegativeClass]++;
                for (var c = 0; c < k; c++)
                    if (_present[c] && (best < 0 || votes[c] > votes[best])) best = c;
            }
            else
            {
                var bestValue = double.NegativeInfinity;
                for (var m = 0; m < mcount; m++)
                    if (best < 0 || raw[i * mcount + m] > bestValue)
                    {
                        bestValue = raw[i * mcount + m];
                        best = _machines[m].PositiveClass;
                    }
            }
            result[i] = best;
        }
        return result;
    }

    /// <inheritdoc/>
    public float[] DecisionFunction(ReadOnlySpan<float> x)
    {
        var raw = MachineDecisions(x);
        var mcount = _machines.Length;
        var n = mcount == 0 ? 0 : raw.Length / mcount;
        var cols = DecisionColumns;
        var result = new float[n * cols];
        if (Options.MultiClass == MultiClassStrategy.OneVsRest) Array.Fill(result, float.NegativeInfinity);
        for (var m = 0; m < mcount; m++)
        {
            var col = Column(_machines[m]);
            for (var i = 0; i < n; i++) result[i * cols + col] = (float)raw[i * mcount + m];
        }
        return result;
    }

    private int Column(SvmBinaryModel m)
    {
        if (m.NegativeClass < 0) return m.PositiveClass;
        int a = m.PositiveClass, b = m.NegativeClass, k = Classes;
        return a * k - a * (a + 1) / 2 + (b - a - 1);
    }

    /// <inheritdoc/>
    public int[] Predict(ReadOnlySpan<float> x) => PredictFromDecisions(MachineDecisions(x));

    /// <inheritdoc/>
    public float[] PredictProba(ReadOnlySpan<float> x)
    {
        var raw = MachineDecisions(x);
        var mcount = _machines.Length;
        var n = raw.Length / mcount;
        var k = Classes;
        var result = new float[n * k];
        var presentIdx = Enumerable.Range(0, k).Where(c => _present[c]).ToArray();
        var kp = presentIdx.Length;
        var local = new int[k];
        for (var t = 0; t < kp; t++) local[presentIdx[t]] = t;
        var r = new double[kp, kp];
        var q = new double[kp, kp];
        var qp = new double[kp];
        var p = new double[kp];
        for (var i = 0; i < n; i++)
        {
            if (Options.MultiClass == MultiClassStrategy.OneVsOne)
            {
                for (var m = 0; m < mcount; m++)
                {
                    var mach = _machines[m];
                    var prob = Math.Clamp(ProbabilityCalibration.Sigmoid(raw[i * mcount + m], mach.PlattA, mach.PlattB), 1e-7, 1 - 1e-7);
                    int a = local[mach.PositiveClass], b = local[mach.NegativeClass];
                    r[a, b] = prob;
                    r[b, a] = 1 - prob;
                }
                ProbabilityCalibration.Couple(r, p, q, qp);
            }
            else
            {
                double sum = 0;
                for (var m = 0; m < mcount; m++)
                {
                    var mach = _machines[m];
                    p[local[mach.PositiveClass]] = ProbabilityCalibration.Sigmoid(raw[i * mcount + m], mach.PlattA, mach.PlattB);
                    sum += p[local[mach.PositiveClass]];
                }
                for (var t = 0; t < kp; t++) p[t] /= sum;
            }
            for (var t = 0; t < kp; t++) result[i * k + presentIdx[t]] = (float)p[t];
        }
        return result;
    }
}
