using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>What <see cref="ModelBenchmark"/> measures.</summary>
public enum BenchModel
{
    /// <summary>The 2-D CNN-LSTM on 1×128×251 log-mel.</summary>
    CnnLstm2d,
    /// <summary>The CLSTM on 22 steps × 401 features.</summary>
    Clstm1d,
    /// <summary>The MLP on 88 eGeMAPS functionals.</summary>
    FunctionalsMlp,
    /// <summary>SGEMM 1024×1024×1024.</summary>
    Sgemm,
}

/// <summary>Options of a benchmark run.</summary>
public sealed record ModelBenchmarkOptions
{
    /// <summary>Which network (or SGEMM).</summary>
    public BenchModel Model { get; init; } = BenchModel.CnnLstm2d;

    /// <summary>Samples per step.</summary>
    public int Batch { get; init; } = 32;

    /// <summary>Timed steps (after two warm-up steps).</summary>
    public int Steps { get; init; } = 10;

    /// <summary>Threads used by the kernels.</summary>
    public int Threads { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(Batch is >= 2 and <= 4096, $"Batch must be 2..4096, got {Batch}")
        .Require(Steps is >= 1 and <= 100000, $"Steps must be 1..100000, got {Steps}")
        .Require(Threads is >= 1 and <= 64, $"Threads must be 1..64, got {Threads}")
        .ThrowIfAny(nameof(ModelBenchmarkOptions));
}

/// <summary>
/// Measures training (forward + backward + Adam step) and inference throughput of the seed
/// architectures on random input, as PEERS.md reports PyTorch's, plus allocations per training step.
/// </summary>
public static class ModelBenchmark
{
    /// <summary>PyTorch 1.13's figures from PEERS.md (train, inference samples/s; SGEMM GFLOP/s at 2 threads).</summary>
    public static (double Train, double Infer) Peer(BenchModel model) => model switch
    {
        BenchModel.CnnLstm2d => (16.6, 42.6),
        BenchModel.Clstm1d => (192, 601),
        BenchModel.FunctionalsMlp => (3903, 297000),
        _ => (228, 228),
    };

    /// <summary>Runs the benchmark and returns one JSON line.</summary>
    public static string Run(ModelBenchmarkOptions options)
    {
        options.Validate();
        int saved = Parallelism.Threads;
        Parallelism.Threads = options.Threads;
        try
        {
            return options.Model == BenchModel.Sgemm ? RunGemm(options) : RunModel(options);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    private static string RunModel(ModelBenchmarkOptions o)
    {
        Module model; int[] shape; double flops; int classes;
        switch (o.Model)
        {
            case BenchModel.CnnLstm2d:
                var cnn = new CnnLstm2d(); model = cnn; shape = [o.Batch, 1, 128, 251]; flops = cnn.ForwardFlops(251); classes = 6; break;
            case BenchModel.Clstm1d:
                var cl = new Clstm1d(); model = cl; shape = [o.Batch, 22, 401]; flops = cl.ForwardFlops(22); classes = 6; break;
            default:
                var mlp = new FunctionalsMlp(); model = mlp; shape = [o.Batch, 88]; flops = mlp.ForwardFlops(); classes = 5; break;
        }
        var rng = new SplitMix(42);
        var x = new Tensor(shape);
        Init.Normal(x, 1, ref rng);
        var labels = new int[o.Batch];
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)(rng.NextULong() % (ulong)classes);
        var opt = new Adam(model.Parameters(), 1e-3f);
        var loss = new LossNode("CrossEntropy");
        void TrainStep()
        {
            opt.ZeroGrad();
            var l = Losses.CrossEntropy(loss, model.Forward(x), labels);
            Autograd.Backward(l);
            opt.Step();
        }
        model.Train();
        for (int i = 0; i < 2; i++) TrainStep();
        var (trainWall, trainCpu, alloc) = Measure(o.Steps, TrainStep);
        model.Eval();
        using (Autograd.NoGrad())
        {
            for (int i = 0; i < 2; i++) model.Forward(x);
            var (inferWall, inferCpu, _) = Measure(o.Steps, () => model.Forward(x));
            double samples = (double)o.Batch * o.Steps;
            return Json(o, new()
            {
                ["parameters"] = model.ParameterCount,
                ["forward_gflop_per_sample"] = Math.Round(flops / 1e9, 4),
                ["train_samples_per_s"] = Round(samples / trainWall),
                ["train_gflops"] = Round(3 * flops * samples / trainWall / 1e9),
                ["train_cpu_s_per_step"] = Round(trainCpu / o.Steps, 4),
                ["infer_samples_per_s"] = Round(samples / inferWall),
                ["infer_gflops"] = Round(flops * samples / inferWall / 1e9),
                ["infer_cpu_s_per_step"] = Round(inferCpu / o.Steps, 4),
                ["alloc_bytes_per_train_step"] = alloc / o.Steps,
                ["peer_train_samples_per_s"] = Peer(o.Model).Train,
                ["peer_infer_samples_per_s"] = Peer(o.Model).Infer,
                ["train_ratio"] = Round(samples / trainWall / Peer(o.Model).Train, 2),
                ["infer_ratio"] = Round(samples / inferWall / Peer(o.Model).Infer, 2),
            });
        }
    }

    private static string RunGemm(ModelBenchmarkOptions o)
    {
        const int n = 1024;
        var rng = new SplitMix(3);
        var a = new float[n * n]; var b = new float[n * n]; var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = rng.NextFloat(); b[i] = rng.NextFloat(); }
        void Step() => Sgemm.Multiply(false, false, n, n, n, a, n, b, n, c, n, false);
        Step(); Step();
        var (wall, cpu, alloc) = Measure(o.Steps, Step);
        double f = 2.0 * n * n * n * o.Steps;
        return Json(o, new()
        {
            ["size"] = n,
            ["gflops"] = Round(f / wall / 1e9),
            ["gflops_per_cpu_second"] = Round(f / cpu / 1e9),
            ["alloc_bytes_per_call"] = alloc / o.Steps,
            ["peer_gflops"] = o.Threads == 1 ? 115.0 : 228.0,
        });
    }

    private static (double Wall, double Cpu, long Alloc) Measure(int steps, Action step)
    {
        var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        long alloc0 = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) step();
        double wall = sw.Elapsed.TotalSeconds;
        long alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        proc.Refresh();
        return (wall, (proc.TotalProcessorTime - cpu0).TotalSeconds, alloc);
    }

    private static double Round(double v, int digits = 1) => Math.Round(v, digits);

    private static string Json(ModelBenchmarkOptions o, Dictionary<string, object> fields)
    {
        var all = new Dictionary<string, object>
        {
            ["benchmark"] = "nn",
            ["model"] = o.Model switch
            {
                BenchModel.CnnLstm2d => "cnn-lstm-2d",
                BenchModel.Clstm1d => "clstm-1d",
                BenchModel.FunctionalsMlp => "functionals-mlp",
                _ => "sgemm",
            },
            ["batch"] = o.Batch,
            ["threads"] = o.Threads,
            ["steps"] = o.Steps,
            ["isa"] = Sgemm.Isa.ToString(),
        };
        foreach (var kv in fields) all[kv.Key] = kv.Value;
        return JsonSerializer.Serialize(all);
    }
}
