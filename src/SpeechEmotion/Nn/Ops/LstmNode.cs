using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>
/// One LSTM layer, one or two directions, batch-first: x [B, T, F] → [B, T, D·H] (forward
/// direction in the first H columns). PyTorch conventions: gate order i, f, g, o; weight_ih [4H, F],
/// weight_hh [4H, H], two biases; zero initial state. The input projection of every step is one
/// GEMM; each step adds h·W_hhᵀ in place and applies the gate nonlinearities.
/// </summary>
public sealed class LstmNode : Node
{
    private Tensor? _out, _x;
    private Tensor[] _wih = [], _whh = [], _bih = [], _bhh = [];
    private float[][] _gates = [], _cells = [];
    private float[] _dgates = [], _dh = [], _dc = [], _hprev = [], _rows = [], _zeros = [];
    private readonly StepOrder _order = new();
    private readonly string _label;
    private GemmPackCache[] _packHh = [], _packHhT = [];

    /// <summary>Creates the node.</summary>
    public LstmNode(string label = "LSTM") => _label = label;

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Runs the layer; arrays hold one tensor per direction (1 or 2). <paramref name="lengths"/>
    /// (one per sample, 1..T; empty: all full) make the backward direction start at each sample's last
    /// valid step; padded steps output zeros and get no gradient.</summary>
    public Tensor Forward(Tensor x, Tensor[] wih, Tensor[] whh, Tensor[] bih, Tensor[] bhh, ReadOnlySpan<int> lengths = default)
    {
        int dirs = wih.Length, g4 = wih[0].Dim(0), hid = g4 / 4, f = wih[0].Dim(1);
        if (x.Rank != 3 || x.Dim(2) != f)
            throw new ShapeException($"{_label}: input {x.ShapeText} must be [batch, steps, {f}] (weight_ih {wih[0].ShapeText}).");
        int b = x.Dim(0), t = x.Dim(1), dh = dirs * hid;
        _order.Set(lengths, b, t, _label);
        var y = Buffer(ref _out, [b, t, dh]);
        if (_rows.Length < b * g4) _rows = new float[b * g4];
        if (_zeros.Length < hid) _zeros = new float[hid];
        if (_packHh.Length != dirs) { _packHh = new GemmPackCache[dirs]; _packHhT = new GemmPackCache[dirs]; for (int d = 0; d < dirs; d++) { _packHh[d] = new(); _packHhT[d] = new(); } }
        if (_gates.Length != dirs) { _gates = new float[dirs][]; _cells = new float[dirs][]; for (int d = 0; d < dirs; d++) { _gates[d] = []; _cells[d] = []; } }
        var xs = x.Span; var ys = y.Span;
        for (int d = 0; d < dirs; d++)
        {
            if (_gates[d].Length < b * t * g4) _gates[d] = new float[b * t * g4];
            if (_cells[d].Length < b * t * hid) _cells[d] = new float[b * t * hid];
            var gates = _gates[d].AsSpan(0, b * t * g4); var cells = _cells[d];
            Sgemm.Multiply(false, true, b * t, g4, f, xs, f, wih[d].Span, f, gates, g4, false);
            var bi = bih[d].Span; var bh = bhh[d].Span;
            for (int r = 0; r < b * t; r++)
            {
                var row = gates.Slice(r * g4, g4);
                TensorPrimitives.Add(row, bi, row);
                TensorPrimitives.Add(row, bh, row);
            }
            bool ragged = _order.Ragged(d);
            for (int s = 0; s < t; s++)
            {
                int tt = d == 0 ? s : t - 1 - s, tp = d == 0 ? tt - 1 : tt + 1;
                if (s > 0 && !ragged)
                    Sgemm.Multiply(false, true, b, g4, hid, ys[(tp * dh + d * hid)..], t * dh, whh[d].Span, hid,
                        gates[(tt * g4)..], t * g4, true, _packHh[d]);
                else if (s > 0)
                {
                    // Samples are at different time indices: gather their previous states, scatter the products.
                    var hrows = _rows.AsSpan(0, b * hid); var prod = Scratch(ref _dgates, b * t * g4)[..(b * g4)];
                    _order.Gather(d, s - 1, ys, dh, d * hid, hid, hrows);
                    Sgemm.Multiply(false, true, b, g4, hid, hrows, hid, whh[d].Span, hid, prod, g4, false, _packHh[d]);
                    for (int i = 0; i < b; i++)
                    {
                        var row = gates.Slice((i * t + _order.Time(d, i, s)) * g4, g4);
                        TensorPrimitives.Add(row, prod.Slice(i * g4, g4), row);
                    }
                }
                for (int i = 0; i < b; i++)
                {
                    if (ragged) { tt = _order.Time(d, i, s); tp = s > 0 ? _order.Time(d, i, s - 1) : -1; }
                    var gr = gates.Slice((i * t + tt) * g4, g4);
                    TensorPrimitives.Sigmoid(gr[..(2 * hid)], gr[..(2 * hid)]);
                    TensorPrimitives.Tanh(gr.Slice(2 * hid, hid), gr.Slice(2 * hid, hid));
                    TensorPrimitives.Sigmoid(gr.Slice(3 * hid, hid), gr.Slice(3 * hid, hid));
                    var c = cells.AsSpan((i * t + tt) * hid, hid);
                    var h = ys.Slice((i * t + tt) * dh + d * hid, hid);
                    var ig = gr[..hid]; var fg = gr.Slice(hid, hid); var gg = gr.Slice(2 * hid, hid); var og = gr.Slice(3 * hid, hid);
                    TensorPrimitives.Multiply(ig, gg, c);
                    if (s > 0) TensorPrimitives.FusedMultiplyAdd(fg, cells.AsSpan((i * t + tp) * hid, hid), c, c);
                    TensorPrimitives.Tanh(c, h);
                    TensorPrimitives.Multiply(h, og, h);
                }
            }
            _order.ZeroPadded(ys, dh, d * hid, hid);
        }
        bool rec = Autograd.ShouldRecord(x);
        for (int d = 0; d < dirs; d++) rec |= Autograd.ShouldRecord(wih[d], whh[d]) || Autograd.ShouldRecord(bih[d], bhh[d]);
        y.RequiresGrad = rec;
        if (rec) { (_x, _wih, _whh, _bih, _bhh) = (x, wih, whh, bih, bhh); Autograd.Record(this); }
        return y;
    }

    private static Span<float> Scratch(ref float[] a, int n)
    {
        if (a.Length < n) a = new float[n];
        return a.AsSpan(0, n);
    }

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var x = _x!; var y = _out!;
        int dirs = _wih.Length, g4 = _wih[0].Dim(0), hid = g4 / 4, f = _wih[0].Dim(1);
        int b = x.Dim(0), t = x.Dim(1), dh = dirs * hid;
        if (_dgates.Length < b * t * g4) _dgates = new float[b * t * g4];
        if (_hprev.Length < b * t * hid) _hprev = new float[b * t * hid];
        if (_dh.Length < b * hid) { _dh = new float[b * hid]; _dc = new float[b * hid]; }
        var dy = y.Grad!.Span; var ys = y.Span;
        var gx = GradForWrite(x, out bool overwrite);
        for (int d = 0; d < dirs; d++)
        {
            var gates = _gates[d].AsSpan(0, b * t * g4); var cells = _cells[d];
            var dg = _dgates.AsSpan(0, b * t * g4);
            var dhn = _dh.AsSpan(0, b * hid); var dcn = _dc.AsSpan(0, b * hid);
            dhn.Clear(); dcn.Clear();
            bool ragged = _order.Ragged(d);
            for (int s = t - 1; s >= 0; s--)
            {
                int tt = d == 0 ? s : t - 1 - s, tp = d == 0 ? tt - 1 : tt + 1;
                for (int i = 0; i < b; i++)
                {
                    if (ragged) { tt = _order.Time(d, i, s); tp = s > 0 ? _order.Time(d, i, s - 1) : -1; }
                    var gr = gates.Slice((i * t + tt) * g4, g4); var dgr = dg.Slice((i * t + tt) * g4, g4);
                    // A padded step's output was zeroed: its upstream gradient does not reach the cell.
                    ReadOnlySpan<float> dout = _order.Valid(i, tt) ? dy.Slice((i * t + tt) * dh + d * hid, hid) : _zeros.AsSpan(0, hid);
                    var c = cells.AsSpan((i * t + tt) * hid, hid);
                    var hp = _hprev.AsSpan((i * t + tt) * hid, hid);
                    if (s > 0) ys.Slice((i * t + tp) * dh + d * hid, hid).CopyTo(hp); else hp.Clear();
                    for (int j = 0; j < hid; j++)
                    {
                        float ig = gr[j], fg = gr[hid + j], gg = gr[2 * hid + j], og = gr[3 * hid + j];
                        float dhv = dout[j] + dhn[i * hid + j];
                        float tc = MathF.Tanh(c[j]);
                        float cp = s > 0 ? cells[(i * t + tp) * hid + j] : 0f;
                        float dcv = dcn[i * hid + j] + dhv * og * (1 - tc * tc);
                        dgr[j] = dcv * gg * ig * (1 - ig);
                        dgr[hid + j] = dcv * cp * fg * (1 - fg);
                        dgr[2 * hid + j] = dcv * ig * (1 - gg * gg);
                        dgr[3 * hid + j] = dhv * tc * og * (1 - og);
                        dcn[i * hid + j] = dcv * fg;
                    }
                }
                if (s > 0 && !ragged)
                    Sgemm.Multiply(false, false, b, hid, g4, dg[(tt * g4)..], t * g4, _whh[d].Span, hid, dhn, hid, false, _packHhT[d]);
                else if (s > 0)
                {
                    var rows = _rows.AsSpan(0, b * g4);
                    _order.Gather(d, s, dg, g4, 0, g4, rows);
                    Sgemm.Multiply(false, false, b, hid, g4, rows, g4, _whh[d].Span, hid, dhn, hid, false, _packHhT[d]);
                }
            }
            var gwih = GradOf(_wih[d]);
            if (!gwih.IsEmpty) Sgemm.Multiply(true, false, g4, f, b * t, dg, g4, x.Span, f, gwih, f, true);
            var gwhh = GradOf(_whh[d]);
            if (!gwhh.IsEmpty) Sgemm.Multiply(true, false, g4, hid, b * t, dg, g4, _hprev, hid, gwhh, hid, true);
            var gbi = GradOf(_bih[d]); var gbh = GradOf(_bhh[d]);
            for (int r = 0; r < b * t; r++)
            {
                var row = dg.Slice(r * g4, g4);
                if (!gbi.IsEmpty) TensorPrimitives.Add(gbi, row, gbi);
                if (!gbh.IsEmpty) TensorPrimitives.Add(gbh, row, gbh);
            }
            if (!gx.IsEmpty) Sgemm.Multiply(false, false, b * t, f, g4, dg, g4, _wih[d].Span, f, gx, f, !(overwrite && d == 0));
        }
    }
}
