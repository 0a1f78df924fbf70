namespace SpeechEmotion.Nn;

/// <summary>How parameters are initialised by default.</summary>
public enum InitScheme
{
    /// <summary>PyTorch defaults: U(±1/√fan_in) for weights and biases of Linear/Conv/LSTM/GRU, BN γ = 1, β = 0.</summary>
    PyTorch,
    /// <summary>Keras defaults: Glorot-uniform kernels, orthogonal recurrent kernels, zero biases, LSTM forget-gate bias 1.</summary>
    Keras,
}

/// <summary>
/// Base of all layers and models: owns named parameters (trainable tensors), buffers (e.g. running
/// statistics) and child modules; names follow PyTorch's state-dict convention ("lstm.weight_ih_l0").
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _params = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>True in training mode (dropout active, batch-norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Applies the module to <paramref name="x"/>. The result is owned by the module and
    /// overwritten by its next call; clone it to keep it.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>Switches this module and its children to training (or eval when false) mode.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var (_, c) in _children) c.Train(on);
        return this;
    }

    /// <summary>Switches to evaluation mode.</summary>
    public Module Eval() => Train(false);

    /// <summary>Registers a trainable parameter.</summary>
    protected Tensor AddParameter(string name, Tensor value)
    {
        value.RequiresGrad = true;
        value.Name = name;
        _params.Add((name, value));
        return value;
    }

    /// <summary>Registers a non-trainable state tensor saved in the state dict.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        value.Name = name;
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T AddModule<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>Child modules in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> Children() => _children.Select(c => (c.Name, c.Value));

    /// <summary>All trainable parameters with dotted names, depth first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters(string prefix = "")
    {
        foreach (var (n, p) in _params) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.NamedParameters(prefix + n + ".")) yield return item;
    }

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, p) in _buffers) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.NamedBuffers(prefix + n + ".")) yield return item;
    }

    /// <summary>The trainable parameters (same order as <see cref="NamedParameters"/>).</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Value.Length);

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.Grad?.Span.Clear();
    }

    /// <summary>Parameters and buffers by name (the tensors themselves, not copies).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (n, p) in NamedParameters()) d[n] = p;
        foreach (var (n, b) in NamedBuffers()) d[n] = b;
        return d;
    }

    /// <summary>
    /// Copies matching tensors from <paramref name="state"/>. Strict loading throws
    /// <see cref="StateDictException"/> listing every missing, unexpected and mis-shaped entry (loading
    /// nothing); non-strict loading copies what fits and returns the same report.
    /// </summary>
    public StateDictReport LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var misShaped = own.Where(kv => state.TryGetValue(kv.Key, out var t) && !t.HasShape(kv.Value.Shape))
            .Select(kv => $"{kv.Key}: expected {kv.Value.ShapeText}, got {state[kv.Key].ShapeText}").ToList();
        var report = new StateDictReport(missing, unexpected, misShaped);
        if (strict && !report.IsClean) throw new StateDictException(GetType().Name, report);
        foreach (var (k, t) in own)
            if (state.TryGetValue(k, out var src) && src.HasShape(t.Shape)) src.Span.CopyTo(t.Span);
        return report;
    }

    /// <summary>Re-initialises every layer's parameters with <paramref name="scheme"/> from one seeded stream.</summary>
    public void Initialize(InitScheme scheme, ulong seed)
    {
        var rng = new SplitMix(seed);
        InitializeTree(scheme, ref rng);
    }

    private void InitializeTree(InitScheme scheme, ref SplitMix rng)
    {
        ResetParameters(scheme, ref rng);
        foreach (var (_, c) in _children) c.InitializeTree(scheme, ref rng);
    }

    /// <summary>Initialises this module's own parameters (not its children's).</summary>
    protected virtual void ResetParameters(InitScheme scheme, ref SplitMix rng) { }
}

/// <summary>What a state-dict load found.</summary>
/// <param name="Missing">Names the module has but the state lacks.</param>
/// <param name="Unexpected">Names in the state the module does not have.</param>
/// <param name="MisShaped">"name: expected [..], got [..]" for shape mismatches.</param>
public sealed record StateDictReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> MisShaped)
{
    /// <summary>True when every name matched with the right shape.</summary>
    public bool IsClean => Missing.Count == 0 && Unexpected.Count == 0 && MisShaped.Count == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"missing [{string.Join(", ", Missing)}]; unexpected [{string.Join(", ", Unexpected)}]; mis-shaped [{string.Join("; ", MisShaped)}]";
}

/// <summary>A strict state-dict load did not match the module.</summary>
public sealed class StateDictException : SpeechEmotionException
{
    /// <summary>Creates the exception for <paramref name="module"/>.</summary>
    public StateDictException(string module, StateDictReport report)
        : base($"Cannot load state into {module}: {report}") => Report = report;

    /// <summary>The mismatches.</summary>
    public StateDictReport Report { get; }
}

/// <summary>Runs child modules in order.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the container; children are named "0", "1", ...</summary>
    public Sequential(params Module[] layers)
    {
        foreach (var l in layers) Add(l);
    }

    /// <summary>Appends a layer named by its index.</summary>
    public Sequential Add(Module layer) => Add(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);

    /// <summary>Appends a layer under <paramref name="name"/>.</summary>
    public Sequential Add(string name, Module layer)
    {
        _layers.Add(AddModule(name, layer));
        return this;
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        foreach (var l in _layers) x = l.Forward(x);
        return x;
    }
}
