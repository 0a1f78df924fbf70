using System.Diagnostics;
using System.Globalization;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Benchmarks.Nn;

/// <summary>
/// Per-node time of a training step of a seed network (forward: time since the previous node
/// recorded itself; backward: each node's backward), averaged over steps, plus inference and the
/// optimizer step. Run: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- nn-profile cnn-lstm-2d 5</c>.
/// </summary>
public static class NnProfile
{
    /// <summary>Prints the breakdown for <paramref name="args"/> = [model, steps, threads].</summary>
    public static void Run(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "cnn-lstm-2d";
        if (name == "mlp-parts") { MlpParts(); return; }
        int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Parallelism.Threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        (Module model, Tensor x, int classes) = name switch
        {
            "cnn-lstm-2d" => ((Module)new CnnLstm2d(), new Tensor(32, 1, 128, 251), 6),
            "functionals-mlp" => (new FunctionalsMlp(), new Tensor(32, 88), 5),
            _ => (new Clstm1d(), new Tensor(32, 22, 401), 6),
        };
        var rng = new SplitMix(2);
        Init.Normal(x, 1, ref rng);
        var y = Enumerable.Range(0, 32).Select(i => i % classes).ToArray();
        var opt = new Adam(model.Parameters());
        var loss = new LossNode("ce");
        var fwd = new Dictionary<Node, double>(); var bwd = new Dictionary<Node, double>(); var order = new List<Node>();
        long last = 0;
        bool on = false;
        Autograd.RecordProfiler = n =>
        {
            long now = Stopwatch.GetTimestamp();
            if (on) { fwd[n] = fwd.GetValueOrDefault(n) + Stopwatch.GetElapsedTime(last, now).TotalMilliseconds; if (!order.Contains(n)) order.Add(n); }
            last = Stopwatch.GetTimestamp();
        };
        Autograd.Profiler = (n, s) => { if (on) bwd[n] = bwd.GetValueOrDefault(n) + s * 1e3; };
        double tOpt = 0, tTotal = 0;
        model.Train();
        for (int step = 0; step < steps + 2; step++)
        {
            on = step >= 2;
            long t0 = Stopwatch.GetTimestamp();
            opt.ZeroGrad();
            last = Stopwatch.GetTimestamp();
            var l = Losses.CrossEntropy(loss, model.Forward(x), y);
            Autograd.Backward(l);
            long t1 = Stopwatch.GetTimestamp();
            opt.Step();
            if (on) { tOpt += Stopwatch.GetElapsedTime(t1).TotalMilliseconds; tTotal += Stopwatch.GetElapsedTime(t0).TotalMilliseconds; }
        }
        Autograd.RecordProfiler = null; Autograd.Profiler = null;
        model.Eval();
        double tInf = 0;
        using (Autograd.NoGrad())
            for (int step = 0; step < steps + 2; step++)
            {
                long t0 = Stopwatch.GetTimestamp();
                model.Forward(x);
                if (step >= 2) tInf += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        Console.WriteLine($"{name}: ms per step (batch 32, {Parallelism.Threads} threads, {steps} steps)");
        double sf = 0, sb = 0;
        for (int i = 0; i < order.Count; i++)
        {
            var n = order[i];
            double f = fwd.GetValueOrDefault(n) / steps, b = bwd.GetValueOrDefault(n) / steps;
            sf += f; sb += b;
            Console.WriteLine($"  {i,3} {n.Label,-28} fwd {f,8:F2}  bwd {b,8:F2}");
        }
        Console.WriteLine($"  sum fwd {sf:F2}  sum bwd {sb:F2}  optimizer {tOpt / steps:F2}  train step {tTotal / steps:F2}  inference {tInf / steps:F2}");
    }

    // Inference time of each layer of the functionals MLP, and of the whole model, in microseconds.
    private static void MlpParts()
    {
        var x = new Tensor(32, 88); var rng = new SplitMix(1); Init.Normal(x, 1, ref rng);
        var l1 = new Linear(88, 256); var bn1 = new BatchNorm(256); var r1 = new Activation(ActivationKind.Relu);
        var l2 = new Linear(256, 128); var bn2 = new BatchNorm(128); var r2 = new Activation(ActivationKind.Relu);
        var l3 = new Linear(128, 5);
        foreach (var m in new Module[] { l1, bn1, l2, bn2, l3 }) m.Eval();
        var mlp = new FunctionalsMlp(); mlp.Eval();
        using var _ = Autograd.NoGrad();
        Tensor h1 = l1.Forward(x), b1 = bn1.Forward(h1), a1 = r1.Forward(b1), h2 = l2.Forward(a1), b2 = bn2.Forward(h2), a2 = r2.Forward(b2);
        var steps = new (string, Action)[] {
            ("l1", () => l1.Forward(x)), ("bn1", () => bn1.Forward(h1)), ("relu1", () => r1.Forward(b1)),
            ("l2", () => l2.Forward(a1)), ("bn2", () => bn2.Forward(h2)), ("relu2", () => r2.Forward(b2)), ("l3", () => l3.Forward(a2)),
            ("mlp", () => mlp.Forward(x)) };
        for (int rep = 0; rep < 3; rep++)
        {
            foreach (var (n, a) in steps)
            {
                for (int i = 0; i < 200; i++) a();
                var sw = Stopwatch.StartNew(); const int N = 2000;
                for (int i = 0; i < N; i++) a();
                Console.Write($"{n} {sw.Elapsed.TotalMicroseconds / N:F1}us  ");
            }
            Console.WriteLine();
        }
    }
}
