using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>Options of <see cref="FunctionalsMlp"/>; defaults give PEERS.md's 57,093-parameter network.</summary>
public sealed record FunctionalsMlpOptions
{
    /// <summary>Input features (88 for eGeMAPS v02 functionals).</summary>
    public int Features { get; init; } = 88;

    /// <summary>Output classes.</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Hidden layers (Linear + BN + ReLU + dropout each).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [256, 128];

    /// <summary>Dropout after each hidden layer, in [0, 1).</summary>
    public float Dropout { get; init; } = 0.3f;

    /// <summary>Seed of the initial weights and dropout masks.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Initialisation scheme.</summary>
    public InitScheme Init { get; init; } = InitScheme.PyTorch;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(Features > 0, $"Features must be positive, got {Features}")
        .Require(Classes >= 2, $"Classes must be at least 2, got {Classes}")
        .Require(Hidden.All(h => h > 0), "Hidden sizes must be positive")
        .Require(Dropout is >= 0 and < 1, $"Dropout must be in [0, 1), got {Dropout}")
        .ThrowIfAny(nameof(FunctionalsMlpOptions));
}

/// <summary>MLP on utterance-level functionals: [B, features] → logits [B, classes].</summary>
public sealed class FunctionalsMlp : EmotionModel
{
    private readonly Sequential _net = new();

    /// <summary>Builds the network.</summary>
    public FunctionalsMlp(FunctionalsMlpOptions? options = null)
    {
        Options = options ?? new FunctionalsMlpOptions();
        Options.Validate();
        int d = Options.Features;
        for (int i = 0; i < Options.Hidden.Count; i++)
        {
            int h = Options.Hidden[i];
            _net.Add($"fc{i}", new Linear(d, h)).Add($"bn{i}", new BatchNorm(h))
                .Add($"relu{i}", new Activation(ActivationKind.Relu)).Add($"drop{i}", new SeededDropout(Options.Dropout, (ulong)i + 100));
            d = h;
        }
        _net.Add("out", new Linear(d, Options.Classes));
        AddModule("net", _net);
        Initialize(Options.Init, Options.Seed);
        SeededDropout.ReseedAll(this, Options.Seed);
    }

    /// <summary>The options it was built with.</summary>
    public FunctionalsMlpOptions Options { get; }

    /// <inheritdoc/>
    public override InputLayout Layout => InputLayout.Vector;

    /// <inheritdoc/>
    public override ModelOutput Forward(Tensor x, ReadOnlySpan<int> lengths) => new(Logits(x));

    private Tensor Logits(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Options.Features)
            throw new ShapeException($"FunctionalsMlp: input {x.ShapeText} must be [batch, {Options.Features}].");
        return _net.Forward(x);
    }

    /// <summary>Forward FLOPs per sample.</summary>
    public double ForwardFlops()
    {
        double f = 0;
        int d = Options.Features;
        foreach (var h in Options.Hidden) { f += 2.0 * d * h; d = h; }
        return f + 2.0 * d * Options.Classes;
    }
}
