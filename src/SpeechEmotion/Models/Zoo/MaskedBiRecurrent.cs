using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>
/// Reverses the first length[b] steps of each sample of x [B, T, F]; padded steps become zero. Its own
/// inverse on the valid steps, so the backward pass applies the same permutation to the gradient.
/// </summary>
public sealed class ReverseValidStepsNode : Node
{
    private Tensor? _out, _in;
    private int[] _lengths = [];

    /// <summary>Reverses each sample's valid steps; empty <paramref name="lengths"/> means full length.</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths)
    {
        if (x.Rank != 3 || !lengths.IsEmpty && lengths.Length != x.Dim(0))
            throw new ShapeException($"ReverseValidSteps: input {x.ShapeText} must be [batch, steps, features] with one length per sample.");
        int b = x.Dim(0), t = x.Dim(1), f = x.Dim(2);
        if (_lengths.Length != b) _lengths = new int[b];
        for (int i = 0; i < b; i++)
        {
            int len = lengths.IsEmpty ? t : lengths[i];
            if (len < 1 || len > t) throw new ShapeException($"ReverseValidSteps: length {len} of sample {i} is outside 1..{t}.");
            _lengths[i] = len;
        }
        var y = Buffer(ref _out, x.Shape);
        y.Span.Clear();
        var xs = x.Span; var ys = y.Span;
        for (int i = 0; i < b; i++)
            for (int s = 0; s < _lengths[i]; s++)
                xs.Slice((i * t + _lengths[i] - 1 - s) * f, f).CopyTo(ys.Slice((i * t + s) * f, f));
        y.RequiresGrad = Autograd.ShouldRecord(x);
        if (y.RequiresGrad) { _in = x; Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var gx = GradOf(_in!);
        if (gx.IsEmpty) return;
        int b = _in!.Dim(0), t = _in.Dim(1), f = _in.Dim(2);
        var g = _out!.Grad!.Span;
        for (int i = 0; i < b; i++)
            for (int s = 0; s < _lengths[i]; s++)
            {
                var dst = gx.Slice((i * t + _lengths[i] - 1 - s) * f, f);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, g.Slice((i * t + s) * f, f), dst);
            }
    }
}

/// <summary>
/// Bidirectional recurrent stack that respects padding: the backward direction of each sample starts at
/// its last valid step (the reversed valid steps run through a forward cell), so padded frames never
/// influence the result. [B, T, F] → [B, T, 2H] (padded steps zero) or the last states [B, 2H].
/// </summary>
public sealed class MaskedBiRecurrent : Module
{
    private readonly Recurrent[] _fwd, _bwd;
    private readonly ReverseValidStepsNode[] _revIn, _revOut;
    private readonly ConcatNode[] _cat;
    private readonly MaskStepsNode _mask = new();
    private readonly LastStateNode _lastF = new(), _lastB = new();
    private readonly ConcatNode _lastCat = new();
    private readonly bool _sequences;

    /// <summary>Builds <paramref name="layers"/> layers of <paramref name="hidden"/> units per direction.</summary>
    public MaskedBiRecurrent(RecurrentKind kind, int features, int hidden, int layers, bool returnSequences)
    {
        _sequences = returnSequences;
        _fwd = new Recurrent[layers]; _bwd = new Recurrent[layers];
        _revIn = new ReverseValidStepsNode[layers]; _revOut = new ReverseValidStepsNode[layers]; _cat = new ConcatNode[layers];
        for (int l = 0; l < layers; l++)
        {
            int fin = l == 0 ? features : 2 * hidden;
            _fwd[l] = AddModule($"fwd{l}", new Recurrent(kind, fin, hidden));
            _bwd[l] = AddModule($"bwd{l}", new Recurrent(kind, fin, hidden));
            (_revIn[l], _revOut[l], _cat[l]) = (new(), new(), new());
        }
        Hidden = hidden;
    }

    /// <summary>Hidden units per direction.</summary>
    public int Hidden { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Forward(x, default);

    /// <summary>Runs the stack; <paramref name="lengths"/> empty means every step is valid.</summary>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> lengths)
    {
        int layers = _fwd.Length;
        for (int l = 0; l < layers; l++)
        {
            var f = _fwd[l].Forward(x, lengths);
            var rb = _bwd[l].Forward(_revIn[l].Forward(x, lengths), lengths);
            if (!_sequences && l == layers - 1)
                return _lastCat.Forward(-1, _lastF.Forward(f, 1, lengths), _lastB.Forward(rb, 1, lengths));
            x = _cat[l].Forward(-1, f, _revOut[l].Forward(rb, lengths));
        }
        return lengths.IsEmpty ? x : _mask.Forward(x, lengths);
    }
}
