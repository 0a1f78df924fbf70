using System.Text;

namespace SpeechEmotion.Nn;

/// <summary>
/// A float32 tensor: contiguous row-major storage (<see cref="Data"/> from <see cref="Offset"/>,
/// <see cref="Length"/> elements) with a shape. Reshaping and slicing the leading (batch) axis give
/// views that share storage; anything else copies explicitly.
/// </summary>
/// <remarks>
/// Layers reuse their output tensors between calls to keep training allocation-free: an output is
/// valid until the same layer runs again. Call <see cref="Clone"/> to keep a result.
/// </remarks>
public sealed class Tensor
{
    private int[] _shape;

    /// <summary>Creates a zero-filled tensor of <paramref name="shape"/>.</summary>
    public Tensor(params int[] shape)
    {
        _shape = CheckShape(shape);
        Length = Product(_shape);
        Data = new float[Length];
    }

    private Tensor(float[] data, int offset, int[] shape)
    {
        _shape = shape;
        Length = Product(shape);
        Data = data;
        Offset = offset;
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of <paramref name="shape"/>.</summary>
    /// <exception cref="ShapeException">The element count differs from the shape's product.</exception>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = CheckShape(shape);
        if (Product(s) != data.Length)
            throw new ShapeException($"Tensor.FromArray: {data.Length} values do not fill shape {Format(s)}.");
        return new Tensor(data, 0, s);
    }

    /// <summary>A scalar tensor of shape [1].</summary>
    public static Tensor Scalar(float value) => FromArray([value], 1);

    /// <summary>The backing array (shared by views).</summary>
    public float[] Data { get; private set; }

    /// <summary>Index of the first element inside <see cref="Data"/>.</summary>
    public int Offset { get; private set; }

    /// <summary>Number of elements.</summary>
    public int Length { get; private set; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>The elements as a span.</summary>
    public Span<float> Span => Data.AsSpan(Offset, Length);

    /// <summary>Gradient of the loss with respect to this tensor, same shape; allocated by backward.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True for parameters and for results of recorded operations.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Optional name used in error messages and state dicts.</summary>
    public string? Name { get; set; }

    /// <summary>Element at flat index <paramref name="i"/>.</summary>
    public float this[int i]
    {
        get => Data[Offset + i];
        set => Data[Offset + i] = value;
    }

    /// <summary>The shape as text, e.g. "[32, 1, 128, 251]".</summary>
    public string ShapeText => Format(_shape);

    /// <summary>True when the shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>A deep copy (data only; no gradient, not recorded).</summary>
    public Tensor Clone()
    {
        var t = new Tensor(_shape);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>The data as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A view with another shape over the same storage; one dimension may be -1 (inferred).
    /// Not recorded on the tape: use <c>F.Reshape</c> when gradients must flow.</summary>
    public Tensor View(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ShapeException($"View: more than one -1 in {Format(s)}.");
                infer = i;
            }
            else known *= s[i];
        }
        if (infer >= 0 && known > 0 && Length % known == 0) s[infer] = Length / known;
        if (Product(CheckShape(s)) != Length)
            throw new ShapeException($"View: cannot view {ShapeText} as {Format(shape)}.");
        return new Tensor(Data, Offset, s);
    }

    /// <summary>Like <see cref="View"/> but reuses <paramref name="cache"/> when it already views this
    /// storage with the same shape, so steady-state reshapes allocate nothing.</summary>
    internal Tensor ViewCached(ref Tensor? cache, ReadOnlySpan<int> shape)
    {
        Span<int> s = stackalloc int[shape.Length];
        shape.CopyTo(s);
        int infer = -1, known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1 && infer < 0) infer = i;
            else known *= s[i];
        }
        if (infer >= 0 && known > 0 && Length % known == 0) s[infer] = Length / known;
        if (cache is not null && ReferenceEquals(cache.Data, Data) && cache.Offset == Offset && cache.HasShape(s)) return cache;
        return cache = View(s.ToArray());
    }

    /// <summary>A view of rows [<paramref name="start"/>, start+count) of the leading axis (free).</summary>
    public Tensor SliceBatch(int start, int count)
    {
        if (Rank == 0 || start < 0 || count < 0 || start + count > _shape[0])
            throw new ShapeException($"SliceBatch: [{start}, {start + count}) is outside {ShapeText}.");
        var s = (int[])_shape.Clone();
        s[0] = count;
        return new Tensor(Data, Offset + start * (Length / Math.Max(1, _shape[0])), s);
    }

    /// <summary>Fills with <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Re-shapes in place when the element count allows, otherwise reallocates; used by
    /// layers to reuse an output buffer.</summary>
    internal void Resize(ReadOnlySpan<int> shape)
    {
        if (shape.SequenceEqual(_shape)) return;
        int n = Product(shape);
        _shape = shape.ToArray();
        if (n > Data.Length - Offset || Offset != 0 && n != Length)
        {
            Data = new float[n];
            Offset = 0;
        }
        Length = n;
    }

    /// <summary>Set by backward on node outputs: the gradient's contents are stale and count as zero
    /// until the first writer zeroes (or wholly overwrites) them.</summary>
    internal bool GradStale;

    /// <summary>Returns the gradient tensor, allocating a zero one of the same shape if needed.</summary>
    internal Tensor EnsureGrad()
    {
        if (Grad is null || !Grad.HasShape(_shape)) Grad = new Tensor(_shape);
        return Grad;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder("Tensor").Append(ShapeText).Append(" [");
        int n = Math.Min(Length, 8);
        for (int i = 0; i < n; i++) sb.Append(i > 0 ? ", " : "").Append(this[i].ToString("G6"));
        if (Length > n) sb.Append(", ...");
        return sb.Append(']').ToString();
    }

    internal static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++) sb.Append(i > 0 ? ", " : "").Append(shape[i]);
        return sb.Append(']').ToString();
    }

    internal static int Product(ReadOnlySpan<int> shape)
    {
        long p = 1;
        foreach (var d in shape) p *= d;
        if (p > Array.MaxLength) throw new ShapeException($"Shape {Format(shape)} has too many elements.");
        return (int)p;
    }

    private static int[] CheckShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var d in shape)
            if (d < 0) throw new ShapeException($"Shape {Format(shape)} has a negative dimension.");
        return (int[])shape.Clone();
    }
}

/// <summary>A tensor's shape does not fit an operation; the message names the layer and the shapes.</summary>
public sealed class ShapeException : SpeechEmotionException
{
    /// <summary>Creates the exception.</summary>
    public ShapeException(string message) : base(message) { }
}

/// <summary>NaN or infinity appeared in a loss or gradient; the message names the step and tensor.</summary>
public sealed class NonFiniteException : SpeechEmotionException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteException(string message) : base(message) { }
}
