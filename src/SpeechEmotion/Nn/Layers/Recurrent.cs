namespace SpeechEmotion.Nn;

/// <summary>Recurrent cell type.</summary>
public enum RecurrentKind
{
    /// <summary>Long short-term memory (gates i, f, g, o).</summary>
    Lstm,
    /// <summary>Gated recurrent unit (gates r, z, n).</summary>
    Gru,
}

/// <summary>
/// Multi-layer, optionally bidirectional, batch-first LSTM or GRU with PyTorch's parameter names
/// and gate conventions: [B, T, F] → [B, T, D·H] (sequences) or [B, D·H] (last state: forward
/// direction at the last valid step, backward direction at step 0).
/// </summary>
public sealed class Recurrent : Module
{
    private readonly Node[] _nodes;
    private readonly Tensor[][] _wih, _whh, _bih, _bhh;
    private readonly DropoutNode[] _drops;
    private readonly LastStateNode _last = new();
    private SplitMix _rng;

    /// <summary>Creates the layer stack (PyTorch default initialisation).</summary>
    public Recurrent(RecurrentKind kind, int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false,
        bool returnSequences = true, float dropout = 0f, ulong seed = 1)
    {
        new Problems().Require(inputSize > 0 && hiddenSize > 0, "sizes must be positive").Require(layers > 0, "layers must be positive")
            .Require(dropout is >= 0 and < 1, "dropout must be in [0, 1)").ThrowIfAny(kind.ToString());
        (Kind, InputSize, HiddenSize, Layers, Directions, ReturnSequences, DropoutP) =
            (kind, inputSize, hiddenSize, layers, bidirectional ? 2 : 1, returnSequences, dropout);
        int gates = kind == RecurrentKind.Lstm ? 4 : 3;
        _nodes = new Node[layers];
        _wih = new Tensor[layers][]; _whh = new Tensor[layers][]; _bih = new Tensor[layers][]; _bhh = new Tensor[layers][];
        _drops = new DropoutNode[layers];
        for (int l = 0; l < layers; l++)
        {
            int fin = l == 0 ? inputSize : hiddenSize * Directions;
            _nodes[l] = kind == RecurrentKind.Lstm ? new LstmNode($"LSTM layer {l}") : new GruNode($"GRU layer {l}");
            _drops[l] = new DropoutNode();
            _wih[l] = new Tensor[Directions]; _whh[l] = new Tensor[Directions]; _bih[l] = new Tensor[Directions]; _bhh[l] = new Tensor[Directions];
            for (int d = 0; d < Directions; d++)
            {
                string sfx = $"_l{l}" + (d == 1 ? "_reverse" : "");
                _wih[l][d] = AddParameter("weight_ih" + sfx, new Tensor(gates * hiddenSize, fin));
                _whh[l][d] = AddParameter("weight_hh" + sfx, new Tensor(gates * hiddenSize, hiddenSize));
                _bih[l][d] = AddParameter("bias_ih" + sfx, new Tensor(gates * hiddenSize));
                _bhh[l][d] = AddParameter("bias_hh" + sfx, new Tensor(gates * hiddenSize));
            }
        }
        _rng = new SplitMix(seed ^ 0x5EED);
        var rng = new SplitMix(seed);
        ResetParameters(InitScheme.PyTorch, ref rng);
    }

    /// <summary>LSTM or GRU.</summary>
    public RecurrentKind Kind { get; }

    /// <summary>Features per input step.</summary>
    public int InputSize { get; }

    /// <summary>Hidden units per direction.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int Layers { get; }

    /// <summary>1 or 2.</summary>
    public int Directions { get; }

    /// <summary>True: [B, T, D·H]; false: the last state [B, D·H].</summary>
    public bool ReturnSequences { get; }

    /// <summary>Dropout between stacked layers (training only).</summary>
    public float DropoutP { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Forward(x, default);

    /// <summary>Runs the stack; <paramref name="lengths"/> (one per sample, 1..T; padding at the end) make
    /// it behave as if each sample ran alone unpadded (PyTorch's packed sequences): the backward direction
    /// starts at each sample's last valid step, padded steps output zeros and get no gradient, and the
    /// last state is the forward direction's at the last valid step and the backward direction's at step 0.</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths)
    {
        if (x.Rank != 3 || x.Dim(2) != InputSize)
            throw new ShapeException($"{Kind}: input {x.ShapeText} must be [batch, steps, {InputSize}].");
        for (int l = 0; l < Layers; l++)
        {
            if (l > 0 && Training && DropoutP > 0) x = _drops[l].Forward(x, DropoutP, false, ref _rng);
            x = _nodes[l] is LstmNode lstm
                ? lstm.Forward(x, _wih[l], _whh[l], _bih[l], _bhh[l], lengths)
                : ((GruNode)_nodes[l]).Forward(x, _wih[l], _whh[l], _bih[l], _bhh[l], lengths);
        }
        // Each layer already zeroed its padded steps.
        return ReturnSequences ? x : _last.Forward(x, Directions, lengths);
    }

    /// <inheritdoc/>
    protected override void ResetParameters(InitScheme scheme, ref SplitMix rng)
    {
        for (int l = 0; l < Layers; l++)
            for (int d = 0; d < Directions; d++)
            {
                if (scheme == InitScheme.PyTorch)
                {
                    foreach (var t in new[] { _wih[l][d], _whh[l][d], _bih[l][d], _bhh[l][d] })
                        Init.PyTorchDefault(t, HiddenSize, ref rng);
                    continue;
                }
                var w = _wih[l][d];
                Init.GlorotUniform(w, w.Dim(1), w.Dim(0), ref rng);
                Init.Orthogonal(_whh[l][d], ref rng);
                _bih[l][d].Fill(0);
                _bhh[l][d].Fill(0);
                if (Kind == RecurrentKind.Lstm) _bih[l][d].Span.Slice(HiddenSize, HiddenSize).Fill(1f);
            }
    }
}

/// <summary>
/// Additive attention pooling over steps: score_t = vᵀ·tanh(W·h_t + b), α = softmax over the valid
/// steps, output Σ α_t·h_t: [B, T, F] → [B, F]. Parameters "proj.weight" [A, F], "proj.bias" [A], "score.weight" [1, A].
/// </summary>
public sealed class AttentionPooling : Module
{
    private readonly Linear _proj, _score;
    private readonly ActivationNode _tanh = new(ActivationKind.Tanh);
    private readonly ReshapeNode _reshape = new();
    private readonly MaskStepsNode _mask = new();
    private readonly SoftmaxNode _softmax = new(false);
    private readonly StepPoolNode _pool = new();

    /// <summary>Creates the layer with <paramref name="attentionSize"/> hidden units.</summary>
    public AttentionPooling(int features, int attentionSize, ulong seed = 1)
    {
        _proj = AddModule("proj", new Linear(features, attentionSize, true, seed));
        _score = AddModule("score", new Linear(attentionSize, 1, false, seed + 1));
    }

    /// <summary>The attention weights [B, T] of the last call.</summary>
    public Tensor? Weights { get; private set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Forward(x, default);

    /// <summary>Pools <paramref name="x"/>, ignoring steps at or beyond each sample's length.</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths)
    {
        if (x.Rank != 3) throw new ShapeException($"AttentionPooling: input {x.ShapeText} must be [batch, steps, features].");
        var s = _score.Forward(_tanh.Forward(_proj.Forward(x)));
        s = _reshape.Forward(s, x.Dim(0), x.Dim(1));
        if (!lengths.IsEmpty) s = _mask.Forward(s, lengths, -1e30f);
        Weights = _softmax.Forward(s);
        return _pool.Forward(x, Weights);
    }
}
