namespace SpeechEmotion.Nn;

/// <summary>
/// One recorded operation. Layers own their nodes and reuse them (and their buffers) every step,
/// so recording allocates nothing; a node may appear once per graph.
/// </summary>
public abstract class Node
{
    internal long Stamp = -1;

    /// <summary>The tensors this node produced (their gradients are zeroed before backward).</summary>
    protected internal abstract void CollectOutputs(List<Tensor> outputs);

    /// <summary>Reads the outputs' gradients and adds into the inputs' gradients (those that require it).</summary>
    protected internal abstract void Backward();

    /// <summary>A short name for error messages.</summary>
    public virtual string Label => GetType().Name;

    /// <summary>Returns <paramref name="cache"/> resized to <paramref name="shape"/> (or a new tensor).</summary>
    protected static Tensor Buffer(ref Tensor? cache, ReadOnlySpan<int> shape)
    {
        if (cache is null) cache = new Tensor(shape.ToArray());
        else cache.Resize(shape);
        return cache;
    }

    /// <summary>Adds into <paramref name="t"/>'s gradient when it needs one.</summary>
    protected static Span<float> GradOf(Tensor t)
    {
        if (!t.RequiresGrad) return default;
        var g = t.EnsureGrad().Span;
        if (t.GradStale) { g.Clear(); t.GradStale = false; }
        return g;
    }

    /// <summary>Like <see cref="GradOf"/>, but when nothing has been written into the gradient yet it is
    /// returned without zeroing and <paramref name="overwrite"/> is true: the caller must then assign
    /// every element instead of adding (saves a pass over memory for large activations).</summary>
    protected static Span<float> GradForWrite(Tensor t, out bool overwrite)
    {
        overwrite = false;
        if (!t.RequiresGrad) return default;
        var g = t.EnsureGrad().Span;
        if (t.GradStale) { overwrite = true; t.GradStale = false; }
        return g;
    }
}

/// <summary>
/// The thread's tape: operations record themselves during forward when an input requires a
/// gradient and no <see cref="NoGradScope"/> is active; <see cref="Backward(Tensor)"/> replays it in reverse.
/// </summary>
public static class Autograd
{
    [ThreadStatic] private static List<Node>? _tape;
    [ThreadStatic] private static List<Tensor>? _outs, _mine;
    [ThreadStatic] private static int _noGradDepth;
    [ThreadStatic] private static long _generation;
    [ThreadStatic] private static long _passes;

    /// <summary>Backward passes completed on this thread (the step number in error messages).</summary>
    public static long BackwardPasses => _passes;

    /// <summary>Optional hook told how long each node's backward took (seconds); for profiling.</summary>
    public static Action<Node, double>? Profiler { get; set; }

    /// <summary>Optional hook called as each node records itself at the end of its forward pass; for profiling.</summary>
    internal static Action<Node>? RecordProfiler { get; set; }

    /// <summary>True when operations are currently recorded (outside any no-grad scope).</summary>
    public static bool Enabled => _noGradDepth == 0;

    /// <summary>True when an op with these inputs should record itself.</summary>
    public static bool ShouldRecord(Tensor a) => _noGradDepth == 0 && a.RequiresGrad;

    /// <summary>True when an op with these inputs should record itself.</summary>
    public static bool ShouldRecord(Tensor a, Tensor? b) => _noGradDepth == 0 && (a.RequiresGrad || b is { RequiresGrad: true });

    /// <summary>Number of nodes on the thread's tape.</summary>
    public static int TapeLength => _tape?.Count ?? 0;

    /// <summary>Starts a scope in which nothing is recorded (inference); dispose to end it.</summary>
    public static NoGradScope NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope();
    }

    internal static void EndNoGrad() => _noGradDepth--;

    /// <summary>Records <paramref name="node"/>; its outputs then require gradients.</summary>
    /// <exception cref="SpeechEmotionException">The node is already on the tape (a layer used twice in one graph).</exception>
    public static void Record(Node node)
    {
        var tape = _tape ??= new List<Node>(256);
        if (node.Stamp == _generation && tape.Contains(node))
            throw new SpeechEmotionException(
                $"{node.Label} was recorded twice in one graph: a layer instance can be applied once per forward pass; " +
                "call Autograd.Backward or Autograd.Clear between passes, or run inference inside Autograd.NoGrad().");
        node.Stamp = _generation;
        tape.Add(node);
        RecordProfiler?.Invoke(node);
    }

    /// <summary>Drops the recorded graph without computing gradients.</summary>
    public static void Clear()
    {
        _tape?.Clear();
        _generation++;
    }

    private static void Materialize(Tensor t)
    {
        if (!t.GradStale) return;
        t.Grad!.Span.Clear();
        t.GradStale = false;
    }

    /// <summary>
    /// Back-propagates from the scalar <paramref name="loss"/> (seed 1) through the tape, adding into
    /// the gradients of parameters and inputs (gradients accumulate until zeroed), then clears the tape.
    /// </summary>
    public static void Backward(Tensor loss) => Backward(loss, null);

    /// <summary>Back-propagates with an explicit upstream gradient of <paramref name="output"/>'s shape
    /// (gradient of sum(output * upstream)); a null upstream means all ones.</summary>
    public static void Backward(Tensor output, Tensor? upstream)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tape = _tape ??= new List<Node>(256);
        var outs = _outs ??= new List<Tensor>(512);
        try
        {
            if (upstream is not null && !upstream.HasShape(output.Shape))
                throw new ShapeException($"Backward: upstream {upstream.ShapeText} does not match output {output.ShapeText}.");
            if (upstream is null && output.Length == 1 && !float.IsFinite(output[0]))
                throw new NonFiniteException($"Backward pass {_passes + 1}: the loss is {output[0]} (NaN or infinity); nothing was back-propagated.");
            outs.Clear();
            foreach (var n in tape) n.CollectOutputs(outs);
            // Zeroed lazily: the first node to add into a gradient zeroes it, one that assigns every
            // element skips the zeroing; outputs nothing wrote into are zeroed before their node reads them.
            foreach (var t in outs) { t.EnsureGrad(); t.GradStale = true; }
            var g = output.EnsureGrad();
            output.GradStale = false;
            if (upstream is null) g.Fill(1f);
            else upstream.Span.CopyTo(g.Span);
            var profiler = Profiler;
            var mine = _mine ??= new List<Tensor>(4);
            _passes++;
            for (int i = tape.Count - 1; i >= 0; i--)
            {
                long t0 = profiler is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
                mine.Clear();
                tape[i].CollectOutputs(mine);
                foreach (var t in mine) Materialize(t);
                tape[i].Backward();
                profiler?.Invoke(tape[i], System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
        }
        finally
        {
            foreach (var t in outs) Materialize(t);
            outs.Clear();
            _mine?.Clear();
            Clear();
        }
    }
}

/// <summary>Ends a no-grad region when disposed.</summary>
public readonly struct NoGradScope : IDisposable
{
    /// <summary>Leaves the no-grad region.</summary>
    public void Dispose() => Autograd.EndNoGrad();
}
