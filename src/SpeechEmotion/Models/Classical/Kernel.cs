using System.Numerics.Tensors;

namespace SpeechEmotion.Models.Classical;

/// <summary>Kernel of a support vector machine.</summary>
public enum KernelKind
{
    /// <summary>K(a, b) = a·b.</summary>
    Linear,

    /// <summary>K(a, b) = exp(−γ‖a − b‖²).</summary>
    Rbf,
}

/// <summary>
/// Kernel values over one training set. When the whole n × n matrix fits the cache budget it is
/// computed once, in parallel over tiles (each tile writes its own cells, so the result does not
/// depend on scheduling); otherwise values are computed on demand.
/// </summary>
internal sealed class KernelSource
{
    private const int Tile = 16;
    private readonly float[] _x;
    private readonly double[] _sqNorm;
    private readonly double[]? _full;

    public KernelSource(float[] x, int d, KernelKind kind, double gamma, long cacheBytes, double[]? dotGram = null)
    {
        _x = x;
        D = d;
        N = x.Length / d;
        Kind = kind;
        Gamma = gamma;
        _sqNorm = new double[N];
        for (var i = 0; i < N; i++) _sqNorm[i] = TensorPrimitives.Dot(RowOf(i), RowOf(i));
        if (dotGram is not null && dotGram.Length == (long)N * N) _full = FromDotGram(dotGram);
        else if ((long)N * N * sizeof(double) <= cacheBytes) _full = ComputeFull();
    }

    /// <summary>
    /// The n × n matrix of dot products xᵢ·xⱼ, computed exactly as <see cref="Compute"/> does, so a kernel
    /// built from it is bit-identical to one computed directly. Lets a search over γ and C pay the
    /// O(n²d) part once per fold.
    /// </summary>
    public static double[] DotGram(float[] x, int d) => new KernelSource(x, d, KernelKind.Linear, 1.0, long.MaxValue)._full!;

    private double[] FromDotGram(double[] dots)
    {
        if (Kind == KernelKind.Linear) return dots;
        var n = N;
        var full = new double[(long)n * n];
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j < n; j++) full[(long)i * n + j] = FromDot(dots[(long)i * n + j], i, j);
        });
        return full;
    }

    private double FromDot(double dot, int a, int b) => FromDot(Kind, Gamma, dot, _sqNorm[a], _sqNorm[b]);

    public int N { get; }
    public int D { get; }
    public KernelKind Kind { get; }
    public double Gamma { get; }
    public bool IsFull => _full is not null;

    public ReadOnlySpan<float> RowOf(int i) => _x.AsSpan(i * D, D);

    public double At(int i, int j) => _full is not null ? _full[(long)i * N + j] : Compute(i, j);

    /// <summary>K(x_a, x_b) for training rows a and b.</summary>
    public double Compute(int a, int b)
    {
        return FromDot(TensorPrimitives.Dot(RowOf(a), RowOf(b)), a, b);
    }

    /// <summary>Fills <paramref name="destination"/>[t] = K(row <paramref name="a"/>, row cols[t]).</summary>
    public void FillRow(int a, int[] cols, Span<double> destination)
    {
        if (_full is not null)
        {
            var off = (long)a * N;
            for (var t = 0; t < cols.Length; t++) destination[t] = _full[off + cols[t]];
            return;
        }
        if ((long)cols.Length * D < 200_000)
        {
            for (var t = 0; t < cols.Length; t++) destination[t] = Compute(a, cols[t]);
            return;
        }
        var buffer = new double[cols.Length];
        Parallel.For(0, (cols.Length + 63) / 64, block =>
        {
            var end = Math.Min(cols.Length, (block + 1) * 64);
            for (var t = block * 64; t < end; t++) buffer[t] = Compute(a, cols[t]);
        });
        buffer.CopyTo(destination);
    }

    /// <summary>
    /// Dot products of rows [aStart, aStart + na) of <paramref name="a"/> with all <paramref name="nb"/> rows of
    /// <paramref name="b"/>, [na, nb] row-major, in parallel over 16 × 16 tiles (cache-friendly, deterministic).
    /// </summary>
    public static double[] CrossDots(float[] a, int aStart, int na, float[] b, int nb, int d)
    {
        var result = new double[(long)na * nb];
        int ta = (na + Tile - 1) / Tile, tb = (nb + Tile - 1) / Tile;
        Parallel.For(0, ta * tb, p =>
        {
            int ti = p / tb, tj = p % tb;
            int iEnd = Math.Min(na, (ti + 1) * Tile), jEnd = Math.Min(nb, (tj + 1) * Tile);
            for (var i = ti * Tile; i < iEnd; i++)
            {
                var row = new ReadOnlySpan<float>(a, (aStart + i) * d, d);
                for (var j = tj * Tile; j < jEnd; j++)
                    result[(long)i * nb + j] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(b, j * d, d));
            }
        });
        return result;
    }

    /// <summary>Squared norms xᵢ·xᵢ of rows [start, start + n) (as the kernel computes them).</summary>
    public static double[] SquaredNorms(float[] x, int start, int n, int d)
    {
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var row = new ReadOnlySpan<float>(x, (start + i) * d, d);
            result[i] = TensorPrimitives.Dot(row, row);
        }
        return result;
    }

    /// <summary>Kernel value from a dot product and the two squared norms (the single formula every path uses).</summary>
    public static double FromDot(KernelKind kind, double gamma, double dot, double sqA, double sqB) =>
        kind == KernelKind.Linear ? dot : Math.Exp(-gamma * Math.Max(0.0, sqA + sqB - 2 * dot));

    private double[] ComputeFull()
    {
        var n = N;
        var full = new double[(long)n * n];
        var tiles = (n + Tile - 1) / Tile;
        var pairs = new List<(int, int)>(tiles * (tiles + 1) / 2);
        for (var ti = 0; ti < tiles; ti++)
            for (var tj = ti; tj < tiles; tj++) pairs.Add((ti, tj));
        // Tiles keep 2 × 16 rows hot in cache while all their pairs are formed.
        Parallel.For(0, pairs.Count, p =>
        {
            var (ti, tj) = pairs[p];
            var iEnd = Math.Min(n, (ti + 1) * Tile);
            var jEnd = Math.Min(n, (tj + 1) * Tile);
            for (var i = ti * Tile; i < iEnd; i++)
                for (var j = Math.Max(i, tj * Tile); j < jEnd; j++)
                {
                    var k = Compute(i, j);
                    full[(long)i * n + j] = k;
                    full[(long)j * n + i] = k;
                }
        });
        return full;
    }
}

/// <summary>
/// Kernel rows restricted to one binary sub-problem (a subset of the training rows), with an
/// LRU cache of rows bounded by a byte budget.
/// </summary>
internal sealed class SubKernel
{
    private readonly KernelSource _source;
    private readonly double[]?[] _rows;
    private readonly long[] _lastUse;
    private readonly int _capacity;
    private int _cached;
    private long _clock;

    public SubKernel(KernelSource source, int[] indices, long cacheBytes)
    {
        _source = source;
        Indices = indices;
        var m = indices.Length;
        Diagonal = new double[m];
        for (var t = 0; t < m; t++) Diagonal[t] = source.At(indices[t], indices[t]);
        _rows = new double[m][];
        _lastUse = new long[m];
        _capacity = (int)Math.Clamp(cacheBytes / Math.Max(1, (long)m * sizeof(double)), 2, m);
    }

    /// <summary>Training-row index of each sub-problem position.</summary>
    public int[] Indices { get; }

    public int Count => Indices.Length;

    /// <summary>K(x_t, x_t) per position.</summary>
    public double[] Diagonal { get; }

    public KernelSource Source => _source;

    /// <summary>Row i of the sub-problem kernel matrix; valid until the next call evicts it.</summary>
    public double[] Row(int i)
    {
        _lastUse[i] = ++_clock;
        var row = _rows[i];
        if (row is not null) return row;
        if (_cached < _capacity)
        {
            row = new double[Indices.Length];
            _cached++;
        }
        else
        {
            var victim = -1;
            var oldest = long.MaxValue;
            for (var t = 0; t < _rows.Length; t++)
                if (_rows[t] is not null && t != i && _lastUse[t] < oldest)
                {
                    oldest = _lastUse[t];
                    victim = t;
                }
            row = _rows[victim]!;
            _rows[victim] = null;
        }
        _source.FillRow(Indices[i], Indices, row);
        _rows[i] = row;
        return row;
    }
}
