using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>y = x·Wᵀ + b over the last axis: x [..., in], W [out, in], b [out] (optional).</summary>
public sealed class LinearNode : Node
{
    private Tensor? _out, _x, _w, _b;
    private readonly string _label;
    private readonly GemmPackCache _packW = new();

    /// <summary>Creates the node; <paramref name="label"/> names the layer in errors.</summary>
    public LinearNode(string label = "Linear") => _label = label;

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Computes the affine map.</summary>
    public Tensor Forward(Tensor x, Tensor w, Tensor? b)
    {
        int outF = w.Dim(0), inF = w.Dim(1);
        if (x.Rank < 1 || x.Dim(-1) != inF)
            throw new ShapeException($"{_label}: input {x.ShapeText} does not end in {inF} features (weight {w.ShapeText}).");
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[^1] = outF;
        var y = Buffer(ref _out, shape);
        int rows = x.Length / inF;
        Sgemm.Multiply(false, true, rows, outF, inF, x.Span, inF, w.Span, inF, y.Span, outF, false, _packW);
        if (b is not null)
        {
            var ys = y.Span; var bs = b.Span;
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(ys.Slice(r * outF, outF), bs, ys.Slice(r * outF, outF));
        }
        y.RequiresGrad = Autograd.ShouldRecord(x, w) || b is { RequiresGrad: true } && Autograd.Enabled;
        if (y.RequiresGrad) { (_x, _w, _b) = (x, w, b); Autograd.Record(this); }
        return y;
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        int outF = _w!.Dim(0), inF = _w.Dim(1), rows = _x!.Length / inF;
        var dy = _out!.Grad!.Span;
        var gx = GradForWrite(_x, out bool overwrite);
        if (!gx.IsEmpty) Sgemm.Multiply(false, false, rows, inF, outF, dy, outF, _w.Span, inF, gx, inF, !overwrite);
        var gw = GradOf(_w);
        if (!gw.IsEmpty) Sgemm.Multiply(true, false, outF, inF, rows, dy, outF, _x.Span, inF, gw, inF, true);
        if (_b is not null)
        {
            var gb = GradOf(_b);
            if (!gb.IsEmpty) for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb, dy.Slice(r * outF, outF), gb);
        }
    }
}
