using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>
/// Dropout whose random stream can be re-seeded, so that training resumed from a checkpoint draws the
/// same masks as an uninterrupted run (the trainer re-seeds every epoch). Identity in eval mode.
/// </summary>
public sealed class SeededDropout : Module
{
    private readonly DropoutNode _node = new();
    private readonly ulong _salt;
    private SplitMix _rng;

    /// <summary>Creates the layer with drop probability <paramref name="p"/> in [0, 1); <paramref name="salt"/>
    /// distinguishes layers re-seeded from the same seed.</summary>
    public SeededDropout(float p, ulong salt, bool spatial = false)
    {
        new Problems().Require(p is >= 0 and < 1, $"dropout must be in [0, 1), got {p}").ThrowIfAny("Dropout");
        (P, Spatial, _salt) = (p, spatial, salt);
        _rng = new SplitMix(salt * 0x9E3779B97F4A7C15UL + 1);
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <summary>True to drop whole channels.</summary>
    public bool Spatial { get; }

    /// <summary>Restarts the mask stream from <paramref name="seed"/> (mixed with this layer's salt).</summary>
    public void Reseed(ulong seed) => _rng = new SplitMix(seed ^ (_salt * 0xBF58476D1CE4E5B9UL + 0x632BE59BD9B4E019UL));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => !Training || P == 0 ? x : _node.Forward(x, P, Spatial, ref _rng);

    /// <summary>Re-seeds every <see cref="SeededDropout"/> inside <paramref name="root"/>.</summary>
    public static void ReseedAll(Module root, ulong seed)
    {
        if (root is SeededDropout d) d.Reseed(seed);
        foreach (var (_, c) in root.Children()) ReseedAll(c, seed);
    }
}
