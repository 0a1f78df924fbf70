using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>Options of <see cref="Clstm1d"/>; defaults give PEERS.md's 5,824,166-parameter network.</summary>
public sealed record Clstm1dOptions
{
    /// <summary>Features per input step (e.g. 401).</summary>
    public int Features { get; init; } = 401;

    /// <summary>Output classes.</summary>
    public int Classes { get; init; } = 6;

    /// <summary>Conv1D filters per block (kernel <see cref="Kernel"/>, same padding, ReLU, max-pool 2, BN, dropout).</summary>
    public IReadOnlyList<int> Filters { get; init; } = [1024, 512, 256];

    /// <summary>Conv1D kernel size.</summary>
    public int Kernel { get; init; } = 5;

    /// <summary>LSTM layers (each <see cref="LstmHidden"/> units).</summary>
    public int LstmLayers { get; init; } = 3;

    /// <summary>LSTM hidden units.</summary>
    public int LstmHidden { get; init; } = 128;

    /// <summary>Hidden dense layers (ReLU) before the output layer.</summary>
    public IReadOnlyList<int> Dense { get; init; } = [128, 64, 32];

    /// <summary>Dropout after each conv block, in [0, 1).</summary>
    public float Dropout { get; init; } = 0.3f;

    /// <summary>Seed of the initial weights and dropout masks.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Initialisation scheme.</summary>
    public InitScheme Init { get; init; } = InitScheme.PyTorch;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(Features > 0, $"Features must be positive, got {Features}")
        .Require(Classes >= 2, $"Classes must be at least 2, got {Classes}")
        .Require(Filters.Count > 0 && Filters.All(f => f > 0), "Filters must be non-empty and positive")
        .Require(Kernel > 0, "Kernel must be positive")
        .Require(LstmLayers > 0 && LstmHidden > 0, "LSTM layers and units must be positive")
        .Require(Dense.All(d => d > 0), "Dense sizes must be positive")
        .Require(Dropout is >= 0 and < 1, $"Dropout must be in [0, 1), got {Dropout}")
        .ThrowIfAny(nameof(Clstm1dOptions));
}

/// <summary>
/// Convolutional LSTM on frame-level feature sequences: input [B, steps, features] → logits
/// [B, classes]. Conv1D blocks (over time, features as channels) each with ReLU, max-pool 2, batch
/// norm and dropout; a stacked LSTM's last state; dense ReLU layers; a linear output.
/// </summary>
public sealed class Clstm1d : EmotionModel
{
    private readonly Permute _toChannels = new(0, 2, 1), _toSteps = new(0, 2, 1);
    private readonly Sequential _convs = new(), _dense = new();

    /// <summary>Builds the network.</summary>
    public Clstm1d(Clstm1dOptions? options = null)
    {
        Options = options ?? new Clstm1dOptions();
        Options.Validate();
        int inC = Options.Features;
        for (int i = 0; i < Options.Filters.Count; i++)
        {
            int f = Options.Filters[i];
            _convs.Add($"conv{i}", Conv.Conv1d(inC, f, Options.Kernel, padding: Conv.Same))
                .Add($"relu{i}", new Activation(ActivationKind.Relu))
                .Add($"pool{i}", Pool.Max1d(2))
                .Add($"bn{i}", new BatchNorm(f))
                .Add($"drop{i}", new SeededDropout(Options.Dropout, (ulong)i + 100));
            inC = f;
        }
        AddModule("convs", _convs);
        Lstm = AddModule("lstm", new Recurrent(RecurrentKind.Lstm, inC, Options.LstmHidden, Options.LstmLayers, returnSequences: false));
        int d = Options.LstmHidden;
        for (int i = 0; i < Options.Dense.Count; i++)
        {
            _dense.Add($"fc{i}", new Linear(d, Options.Dense[i])).Add($"relu{i}", new Activation(ActivationKind.Relu));
            d = Options.Dense[i];
        }
        _dense.Add("out", new Linear(d, Options.Classes));
        AddModule("dense", _dense);
        Initialize(Options.Init, Options.Seed);
        SeededDropout.ReseedAll(this, Options.Seed);
    }

    /// <summary>The options it was built with.</summary>
    public Clstm1dOptions Options { get; }

    /// <summary>The recurrent stack.</summary>
    public Recurrent Lstm { get; }

    /// <summary>Shortest input (steps) the pooling accepts.</summary>
    public override int MinFrames => 1 << Options.Filters.Count;

    /// <inheritdoc/>
    public override InputLayout Layout => InputLayout.Sequence;

    /// <inheritdoc/>
    public override ModelOutput Forward(Tensor x, ReadOnlySpan<int> lengths) => new(Logits(x));

    private Tensor Logits(Tensor x)
    {
        if (x.Rank != 3 || x.Dim(2) != Options.Features || x.Dim(1) < MinFrames)
            throw new ShapeException($"Clstm1d: input {x.ShapeText} must be [batch, steps ≥ {MinFrames}, {Options.Features}].");
        var h = _convs.Forward(_toChannels.Forward(x));
        return _dense.Forward(Lstm.Forward(_toSteps.Forward(h)));
    }

    /// <summary>Forward FLOPs per sample for <paramref name="steps"/> input steps.</summary>
    public double ForwardFlops(int steps)
    {
        double flops = 0;
        int inC = Options.Features, l = steps;
        foreach (var f in Options.Filters)
        {
            flops += 2.0 * f * inC * Options.Kernel * l;
            l /= 2; inC = f;
        }
        int hid = Options.LstmHidden;
        for (int i = 0; i < Options.LstmLayers; i++) { flops += 2.0 * l * 4 * hid * (inC + hid); inC = hid; }
        int d = hid;
        foreach (var n in Options.Dense) { flops += 2.0 * d * n; d = n; }
        return flops + 2.0 * d * Options.Classes;
    }
}
