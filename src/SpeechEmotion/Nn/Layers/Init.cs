namespace SpeechEmotion.Nn;

/// <summary>Parameter initialisers (all draw from a seeded <see cref="SplitMix"/>).</summary>
public static class Init
{
    /// <summary>U(−bound, bound).</summary>
    public static void Uniform(Tensor t, double bound, ref SplitMix rng)
    {
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
    }

    /// <summary>N(0, std²).</summary>
    public static void Normal(Tensor t, double std, ref SplitMix rng)
    {
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(rng.NextGaussian() * std);
    }

    /// <summary>Glorot/Xavier uniform: U(±√(6/(fan_in + fan_out))).</summary>
    public static void GlorotUniform(Tensor t, int fanIn, int fanOut, ref SplitMix rng) => Uniform(t, Math.Sqrt(6.0 / (fanIn + fanOut)), ref rng);

    /// <summary>Glorot/Xavier normal: N(0, 2/(fan_in + fan_out)).</summary>
    public static void GlorotNormal(Tensor t, int fanIn, int fanOut, ref SplitMix rng) => Normal(t, Math.Sqrt(2.0 / (fanIn + fanOut)), ref rng);

    /// <summary>He/Kaiming uniform for ReLU: U(±√(6/fan_in)).</summary>
    public static void HeUniform(Tensor t, int fanIn, ref SplitMix rng) => Uniform(t, Math.Sqrt(6.0 / fanIn), ref rng);

    /// <summary>He/Kaiming normal for ReLU: N(0, 2/fan_in).</summary>
    public static void HeNormal(Tensor t, int fanIn, ref SplitMix rng) => Normal(t, Math.Sqrt(2.0 / fanIn), ref rng);

    /// <summary>PyTorch's default for Linear/Conv/RNN: U(±1/√fan_in).</summary>
    public static void PyTorchDefault(Tensor t, int fanIn, ref SplitMix rng) => Uniform(t, 1 / Math.Sqrt(Math.Max(1, fanIn)), ref rng);

    /// <summary>
    /// A (semi-)orthogonal matrix for t viewed as [rows, cols] (rows = first dimension): orthonormal
    /// columns when rows ≥ cols, orthonormal rows otherwise (Gram–Schmidt on a Gaussian matrix).
    /// </summary>
    public static void Orthogonal(Tensor t, ref SplitMix rng, double gain = 1)
    {
        int rows = t.Dim(0), cols = t.Length / rows;
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        var q = new double[narrow, tall];
        for (int i = 0; i < narrow; i++)
            for (int j = 0; j < tall; j++) q[i, j] = rng.NextGaussian();
        for (int i = 0; i < narrow; i++)
        {
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < i; k++)
                {
                    double dot = 0;
                    for (int j = 0; j < tall; j++) dot += q[i, j] * q[k, j];
                    for (int j = 0; j < tall; j++) q[i, j] -= dot * q[k, j];
                }
            double norm = 0;
            for (int j = 0; j < tall; j++) norm += q[i, j] * q[i, j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < tall; j++) q[i, j] /= norm;
        }
        var s = t.Span;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                s[r * cols + c] = (float)(gain * (rows >= cols ? q[c, r] : q[r, c]));
    }
}
