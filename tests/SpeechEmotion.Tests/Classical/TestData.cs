using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

/// <summary>Small seeded problems for the classical-model tests.</summary>
internal static class TestData
{
    /// <summary>Standard normal via Box–Muller from a seeded <see cref="Random"/>.</summary>
    public static double Normal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Gaussian blobs around the given centres (one class each), row-major [n, d].</summary>
    public static (float[] X, int[] Y) Blobs(int seed, int perClass, double std, params double[][] centres)
    {
        var rng = new Random(seed);
        var d = centres[0].Length;
        var x = new float[centres.Length * perClass * d];
        var y = new int[centres.Length * perClass];
        var i = 0;
        for (var t = 0; t < perClass; t++)
            for (var c = 0; c < centres.Length; c++)
            {
                for (var j = 0; j < d; j++) x[i * d + j] = (float)(centres[c][j] + std * Normal(rng));
                y[i++] = c;
            }
        return (x, y);
    }

    /// <summary>Two overlapping classes in 2-D with coordinates on a 1/4 grid, so float and double kernels agree exactly.</summary>
    public static (float[] X, int[] Y) GridOverlap(int seed, int perClass)
    {
        var (x, y) = Blobs(seed, perClass, 1.0, [0.5, 0.5], [-0.5, -0.25]);
        for (var i = 0; i < x.Length; i++) x[i] = MathF.Round(x[i] * 4) / 4;
        return (x, y);
    }

    /// <summary>XOR: four clusters at (±1, ±1); class 1 where x₁x₂ &lt; 0.</summary>
    public static (float[] X, int[] Y) Xor(int seed, int n, double noise)
    {
        var rng = new Random(seed);
        var x = new float[n * 2];
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            var a = rng.Next(2) * 2 - 1;
            var b = rng.Next(2) * 2 - 1;
            x[2 * i] = (float)(a + noise * Normal(rng));
            x[2 * i + 1] = (float)(b + noise * Normal(rng));
            y[i] = a * b < 0 ? 1 : 0;
        }
        return (x, y);
    }

    public static double Accuracy(int[] truth, int[] predicted) =>
        truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Length;

    public static double[][] Rows(float[] x, int d) =>
        Enumerable.Range(0, x.Length / d).Select(i => x.Skip(i * d).Take(d).Select(v => (double)v).ToArray()).ToArray();
}
