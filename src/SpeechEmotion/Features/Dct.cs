namespace SpeechEmotion.Features;

/// <summary>DCT variants (scipy.fftpack.dct types).</summary>
public enum DctType
{
    /// <summary>DCT-II: y_k = Σ x_n cos(πk(2n+1)/2N) (×2 unnormalised).</summary>
    Type2 = 2,
    /// <summary>DCT-III, the inverse of the orthonormal DCT-II.</summary>
    Type3 = 3,
}

/// <summary>DCT scaling.</summary>
public enum DctNorm
{
    /// <summary>Orthonormal (scipy norm='ortho').</summary>
    Ortho,
    /// <summary>scipy's unnormalised definition (norm=None).</summary>
    None,
}

/// <summary>
/// A DCT of length N keeping the first <see cref="Outputs"/> coefficients, as a precomputed matrix
/// (scipy.fftpack.dct semantics). Immutable and thread-safe.
/// </summary>
public sealed class Dct
{
    private readonly float[] _matrix; // [outputs, n]

    /// <summary>Creates the transform; <paramref name="outputs"/> must be in 1..n.</summary>
    public Dct(int n, int outputs, DctType type = DctType.Type2, DctNorm norm = DctNorm.Ortho)
    {
        var p = new Problems();
        p.Require(n >= 1, $"DCT length must be at least 1 (got {n})");
        p.Require(outputs >= 1 && outputs <= n, $"DCT outputs must be in 1..{n} (got {outputs})");
        p.Require(Enum.IsDefined(type), $"DCT type {(int)type} is not supported (2 or 3)");
        p.ThrowIfAny("DCT");
        N = n; Outputs = outputs; Type = type; Norm = norm;
        _matrix = new float[outputs * n];
        for (var k = 0; k < outputs; k++)
            for (var j = 0; j < n; j++)
            {
                double v;
                if (type == DctType.Type2)
                {
                    v = Math.Cos(Math.PI * k * (2 * j + 1) / (2.0 * n));
                    v *= norm == DctNorm.Ortho ? (k == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n)) : 2.0;
                }
                else
                {
                    // y_k = x_0·c0 + Σ_{j>=1} x_j·c·cos(πj(2k+1)/2N)
                    v = j == 0 ? 1.0 : Math.Cos(Math.PI * j * (2 * k + 1) / (2.0 * n));
                    v *= norm == DctNorm.Ortho ? (j == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n)) : (j == 0 ? 1.0 : 2.0);
                }
                _matrix[k * n + j] = (float)v;
            }
    }

    /// <summary>Input length.</summary>
    public int N { get; }
    /// <summary>Number of coefficients produced.</summary>
    public int Outputs { get; }
    /// <summary>DCT type.</summary>
    public DctType Type { get; }
    /// <summary>Scaling.</summary>
    public DctNorm Norm { get; }

    /// <summary>The matrix row-major [outputs, n] (a copy).</summary>
    public float[] Matrix() => (float[])_matrix.Clone();

    /// <summary>y = D·x for one frame (x: N values, y: Outputs values).</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length < N || y.Length < Outputs) throw new ArgumentException("Buffer sizes do not match the DCT.");
        for (var k = 0; k < Outputs; k++)
            y[k] = System.Numerics.Tensors.TensorPrimitives.Dot(_matrix.AsSpan(k * N, N), x[..N]);
    }

    /// <summary>Lane-wise DCT of a batch of frames: x holds N vectors (lane = frame), y receives Outputs vectors.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal void ApplyBatch(ReadOnlySpan<System.Numerics.Vector<float>> x, Span<System.Numerics.Vector<float>> y)
    {
        for (var k = 0; k < Outputs; k++)
        {
            var row = _matrix.AsSpan(k * N, N);
            var acc = System.Numerics.Vector<float>.Zero;
            for (var j = 0; j < N; j++) acc += row[j] * x[j];
            y[k] = acc;
        }
    }

    /// <summary>Scalar twin of <see cref="Apply"/>.</summary>
    public void ApplyScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        for (var k = 0; k < Outputs; k++)
        {
            var acc = 0f;
            for (var j = 0; j < N; j++) acc += _matrix[k * N + j] * x[j];
            y[k] = acc;
        }
    }
}
