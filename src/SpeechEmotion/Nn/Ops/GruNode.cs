using System.Numerics.Tensors;

namespace SpeechEmotion.Nn;

/// <summary>
/// One GRU layer, one or two directions, batch-first: x [B, T, F] → [B, T, D·H]. PyTorch
/// conventions: gate order r, z, n; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));
/// h' = (1 − z) ⊙ n + z ⊙ h; zero initial state. The input projection is one GEMM for all steps.
/// </summary>
public sealed class GruNode : Node
{
    private Tensor? _out, _x;
    private Tensor[] _wih = [], _whh = [], _bih = [], _bhh = [];
    private float[][] _gi = [], _gh = [];
    private float[] _dgi = [], _dgh = [], _dh = [], _hprev = [], _rows = [], _prod = [], _zeros = [];
    private readonly StepOrder _order = new();
    private readonly string _label;
    private GemmPackCache[] _packHh = [], _packHhT = [];

    /// <summary>Creates the node.</summary>
    public GruNode(string label = "GRU") => _label = label;

    /// <inheritdoc/>
    public override string Label => _label;

    /// <summary>Runs the layer; arrays hold one tensor per direction (1 or 2). <paramref name="lengths"/>
    /// (one per sample, 1..T; empty: all full) make the backward direction start at each sample's last
    /// valid step; padded steps output zeros and get no gradient.</summary>
    public Tensor Forward(Tensor x, Tensor[] wih, Tensor[] whh, Tensor[] bih, Tensor[] bhh, ReadOnlySpan<int> lengths = default)
    {
        int dirs = wih.Length, g3 = wih[0].Dim(0), hid = g3 / 3, f = wih[0].Dim(1);
        if (x.Rank != 3 || x.Dim(2) != f)
            throw new ShapeException($"{_label}: input {x.ShapeText} must be [batch, steps, {f}] (weight_ih {wih[0].ShapeText}).");
        int b = x.Dim(0), t = x.Dim(1), dh = dirs * hid;
        _order.Set(lengths, b, t, _label);
        var y = Buffer(ref _out, [b, t, dh]);
        if (_rows.Length < b * g3) { _rows = new float[b * g3]; _prod = new float[b * g3]; }
        if (_zeros.Length < hid) _zeros = new float[hid];
        if (_packHh.Length != dirs) { _packHh = new GemmPackCache[dirs]; _packHhT = new GemmPackCache[dirs]; for (int d = 0; d < dirs; d++) { _packHh[d] = new(); _packHhT[d] = new(); } }
        if (_gi.Length != dirs) { _gi = new float[dirs][]; _gh = new float[dirs][]; for (int d = 0; d < dirs; d++) { _gi[d] = []; _gh[d] = []; } }
        var xs = x.Span; var ys = y.Span;
        for (int d = 0; d < dirs; d++)
        {
            if (_gi[d].Length < b * t * g3) { _gi[d] = new float[b * t * g3]; _gh[d] = new float[b * t * g3]; }
            // gi holds W_i x + b_i, then r, z, n after activation; gh holds W_h h + b_h per step.
            var gi = _gi[d].AsSpan(0, b * t * g3); var gh = _gh[d].AsSpan(0, b * t * g3);
            Sgemm.Multiply(false, true, b * t, g3, f, xs, f, wih[d].Span, f, gi, g3, false);
            var bi = bih[d].Span; var bh = bhh[d].Span;
            for (int r = 0; r < b * t; r++) TensorPrimitives.Add(gi.Slice(r * g3, g3), bi, gi.Slice(r * g3, g3));
            bool ragged = _order.Ragged(d);
            for (int s = 0; s < t; s++)
            {
                int tt = d == 0 ? s : t - 1 - s, tp = d == 0 ? tt - 1 : tt + 1;
                if (s > 0 && !ragged)
                    Sgemm.Multiply(false, true, b, g3, hid, ys[(tp * dh + d * hid)..], t * dh, whh[d].Span, hid, gh[(tt * g3)..], t * g3, false, _packHh[d]);
                else if (s > 0)
                {
                    // Samples are at different time indices: gather their previous states, scatter the products.
                    var hrows = _rows.AsSpan(0, b * hid); var prod = _prod.AsSpan(0, b * g3);
                    _order.Gather(d, s - 1, ys, dh, d * hid, hid, hrows);
                    Sgemm.Multiply(false, true, b, g3, hid, hrows, hid, whh[d].Span, hid, prod, g3, false, _packHh[d]);
                    for (int i = 0; i < b; i++) prod.Slice(i * g3, g3).CopyTo(gh.Slice((i * t + _order.Time(d, i, s)) * g3, g3));
                }
                for (int i = 0; i < b; i++)
                {
                    if (ragged) { tt = _order.Time(d, i, s); tp = s > 0 ? _order.Time(d, i, s - 1) : -1; }
                    var ghr = gh.Slice((i * t + tt) * g3, g3);
                    if (s == 0) ghr.Clear();
                    TensorPrimitives.Add(ghr, bh, ghr);
                    var gir = gi.Slice((i * t + tt) * g3, g3);
                    var rz = gir[..(2 * hid)];
                    TensorPrimitives.Add(rz, ghr[..(2 * hid)], rz);
                    TensorPrimitives.Sigmoid(rz, rz);
                    var n = gir.Slice(2 * hid, hid);
                    TensorPrimitives.FusedMultiplyAdd(gir[..hid], ghr.Slice(2 * hid, hid), n, n);
                    TensorPrimitives.Tanh(n, n);
                    var h = ys.Slice((i * t + tt) * dh + d * hid, hid);
                    for (int j = 0; j < hid; j++)
                    {
                        float z = gir[hid + j], hp = s > 0 ? ys[(i * t + tp) * dh + d * hid + j] : 0f;
                        h[j] = (1 - z) * n[j] + z * hp;
                    }
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

    /// <inheritdoc/>
    protected internal override void CollectOutputs(List<Tensor> outputs) => outputs.Add(_out!);

    /// <inheritdoc/>
    protected internal override void Backward()
    {
        var x = _x!; var y = _out!;
        int dirs = _wih.Length, g3 = _wih[0].Dim(0), hid = g3 / 3, f = _wih[0].Dim(1);
        int b = x.Dim(0), t = x.Dim(1), dh = dirs * hid;
        if (_dgi.Length < b * t * g3) { _dgi = new float[b * t * g3]; _dgh = new float[b * t * g3]; }
        if (_hprev.Length < b * t * hid) _hprev = new float[b * t * hid];
        if (_dh.Length < b * hid) _dh = new float[b * hid];
        var dy = y.Grad!.Span; var ys = y.Span;
        var gx = GradOf(x);
        for (int d = 0; d < dirs; d++)
        {
            var gi = _gi[d].AsSpan(0, b * t * g3); var gh = _gh[d].AsSpan(0, b * t * g3);
            var dgi = _dgi.AsSpan(0, b * t * g3); var dgh = _dgh.AsSpan(0, b * t * g3);
            var dhn = _dh.AsSpan(0, b * hid);
            dhn.Clear();
            bool ragged = _order.Ragged(d);
            for (int s = t - 1; s >= 0; s--)
            {
                int tt = d == 0 ? s : t - 1 - s, tp = d == 0 ? tt - 1 : tt + 1;
                for (int i = 0; i < b; i++)
                {
                    if (ragged) { tt = _order.Time(d, i, s); tp = s > 0 ? _order.Time(d, i, s - 1) : -1; }
                    var gir = gi.Slice((i * t + tt) * g3, g3); var ghr = gh.Slice((i * t + tt) * g3, g3);
                    var dir = dgi.Slice((i * t + tt) * g3, g3); var dhr = dgh.Slice((i * t + tt) * g3, g3);
                    // A padded step's output was zeroed: its upstream gradient does not reach the cell.
                    ReadOnlySpan<float> dout = _order.Valid(i, tt) ? dy.Slice((i * t + tt) * dh + d * hid, hid) : _zeros.AsSpan(0, hid);
                    var hp = _hprev.AsSpan((i * t + tt) * hid, hid);
                    if (s > 0) ys.Slice((i * t + tp) * dh + d * hid, hid).CopyTo(hp); else hp.Clear();
                    for (int j = 0; j < hid; j++)
                    {
                        float r = gir[j], z = gir[hid + j], n = gir[2 * hid + j], hn = ghr[2 * hid + j];
                        float dhv = dout[j] + dhn[i * hid + j];
                        float dnPre = dhv * (1 - z) * (1 - n * n);
                        float dzPre = dhv * (hp[j] - n) * z * (1 - z);
                        float drPre = dnPre * hn * r * (1 - r);
                        dir[j] = drPre; dir[hid + j] = dzPre; dir[2 * hid + j] = dnPre;
                        dhr[j] = drPre; dhr[hid + j] = dzPre; dhr[2 * hid + j] = dnPre * r;
                        dhn[i * hid + j] = dhv * z;
                    }
                }
                if (s > 0 && !ragged)
                    Sgemm.Multiply(false, false, b, hid, g3, dgh[(tt * g3)..], t * g3, _whh[d].Span, hid, dhn, hid, true, _packHhT[d]);
                else if (s > 0)
                {
                    var rows = _rows.AsSpan(0, b * g3);
                    _order.Gather(d, s, dgh, g3, 0, g3, rows);
                    Sgemm.Multiply(false, false, b, hid, g3, rows, g3, _whh[d].Span, hid, dhn, hid, true, _packHhT[d]);
                }
            }
            var gwih = GradOf(_wih[d]);
            if (!gwih.IsEmpty) Sgemm.Multiply(true, false, g3, f, b * t, dgi, g3, x.Span, f, gwih, f, true);
            var gwhh = GradOf(_whh[d]);
            if (!gwhh.IsEmpty) Sgemm.Multiply(true, false, g3, hid, b * t, dgh, g3, _hprev, hid, gwhh, hid, true);
            var gbi = GradOf(_bih[d]); var gbh = GradOf(_bhh[d]);
            for (int r = 0; r < b * t; r++)
            {
                if (!gbi.IsEmpty) TensorPrimitives.Add(gbi, dgi.Slice(r * g3, g3), gbi);
                if (!gbh.IsEmpty) TensorPrimitives.Add(gbh, dgh.Slice(r * g3, g3), gbh);
            }
            if (!gx.IsEmpty) Sgemm.Multiply(false, false, b * t, f, g3, dgi, g3, _wih[d].Span, f, gx, f, true);
        }
    }
}
