namespace SpeechEmotion.Nn;

/// <summary>
/// Which time index a recurrent layer visits at step s for each sample, given sequence lengths
/// (padding at the end): the forward direction walks 0..T−1; the backward direction walks each
/// sample's valid steps from its last one (L−1..0) and then its padded steps, whose outputs are
/// zeroed and get no gradient, so padding never influences a valid output (PyTorch's packed sequences).
/// </summary>
internal sealed class StepOrder
{
    private int[] _len = [];
    private int _t;
    private bool _short;

    /// <summary>True when lengths were given (padded outputs are zeroed).</summary>
    public bool HasLengths { get; private set; }

    /// <summary>Reads <paramref name="lengths"/> (empty: all full length), each 1..<paramref name="t"/>.</summary>
    public void Set(ReadOnlySpan<int> lengths, int b, int t, string label)
    {
        if (!lengths.IsEmpty && lengths.Length != b)
            throw new ShapeException($"{label}: {lengths.Length} lengths for a batch of {b}.");
        if (_len.Length != b) _len = new int[b];
        _t = t; _short = false; HasLengths = !lengths.IsEmpty;
        for (int i = 0; i < b; i++)
        {
            int len = lengths.IsEmpty ? t : lengths[i];
            if (len < 1 || len > t) throw new ShapeException($"{label}: length {len} of sample {i} is outside 1..{t}.");
            _len[i] = len;
            _short |= len < t;
        }
    }

    /// <summary>True when direction <paramref name="d"/> visits different time indices for different samples.</summary>
    public bool Ragged(int d) => d == 1 && _short;

    /// <summary>The time index sample <paramref name="i"/> visits at step <paramref name="s"/> in direction <paramref name="d"/>.</summary>
    public int Time(int d, int i, int s)
    {
        if (d == 0) return s;
        int len = _len[i];
        return s < len ? len - 1 - s : s;
    }

    /// <summary>True when time index <paramref name="tt"/> of sample <paramref name="i"/> is not padding.</summary>
    public bool Valid(int i, int tt) => tt < _len[i];

    /// <summary>Copies, for each sample, the <paramref name="width"/> values at time Time(d, i, s) of
    /// <paramref name="src"/> [B, T, ld] (from column <paramref name="col"/>) into row i of <paramref name="dst"/> [B, width].</summary>
    public void Gather(int d, int s, ReadOnlySpan<float> src, int ld, int col, int width, Span<float> dst)
    {
        for (int i = 0; i < _len.Length; i++)
            src.Slice((i * _t + Time(d, i, s)) * ld + col, width).CopyTo(dst.Slice(i * width, width));
    }

    /// <summary>Zeroes the padded steps of columns [col, col + width) of <paramref name="y"/> [B, T, ld].</summary>
    public void ZeroPadded(Span<float> y, int ld, int col, int width)
    {
        if (!HasLengths) return;
        for (int i = 0; i < _len.Length; i++)
            for (int tt = _len[i]; tt < _t; tt++) y.Slice((i * _t + tt) * ld + col, width).Clear();
    }
}
