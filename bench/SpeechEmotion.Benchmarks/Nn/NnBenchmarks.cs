using BenchmarkDotNet.Attributes;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Benchmarks.Nn;

/// <summary>SGEMM at PEERS.md's 1024³ (GFLOP/s = 2.147 / mean seconds) on 1 and 2 threads.</summary>
[MemoryDiagnoser]
public class SgemmBenchmarks
{
    private readonly float[] _a = new float[1024 * 1024], _b = new float[1024 * 1024], _c = new float[1024 * 1024];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SplitMix(1);
        for (int i = 0; i < _a.Length; i++) { _a[i] = rng.NextFloat(); _b[i] = rng.NextFloat(); }
        Parallelism.Threads = Threads;
    }

    [Benchmark]
    public void Sgemm1024() => Sgemm.Multiply(false, false, 1024, 1024, 1024, _a, 1024, _b, 1024, _c, 1024, false);
}

/// <summary>One training step (forward + backward + Adam) and one inference batch of the seed
/// networks at batch 32 on 2 threads; samples/s = 32 / mean seconds (compare with PEERS.md).</summary>
[MemoryDiagnoser]
public class ModelStepBenchmarks
{
    private Module _model = null!;
    private Tensor _x = null!;
    private int[] _y = [];
    private Adam _opt = null!;
    private readonly LossNode _loss = new("ce");

    [Params("clstm-1d", "functionals-mlp", "cnn-lstm-2d")]
    public string Model { get; set; } = "clstm-1d";

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.Threads = 2;
        (_model, _x) = Model switch
        {
            "cnn-lstm-2d" => ((Module)new CnnLstm2d(), new Tensor(32, 1, 128, 251)),
            "functionals-mlp" => (new FunctionalsMlp(), new Tensor(32, 88)),
            _ => (new Clstm1d(), new Tensor(32, 22, 401)),
        };
        var rng = new SplitMix(2);
        Init.Normal(_x, 1, ref rng);
        _y = Enumerable.Range(0, 32).Select(i => i % 5).ToArray();
        _opt = new Adam(_model.Parameters());
    }

    [Benchmark]
    public void TrainStep()
    {
        _model.Train();
        _opt.ZeroGrad();
        Autograd.Backward(Losses.CrossEntropy(_loss, _model.Forward(_x), _y));
        _opt.Step();
    }

    [Benchmark]
    public void Inference()
    {
        _model.Eval();
        using var _ = Autograd.NoGrad();
        _model.Forward(_x);
    }
}
