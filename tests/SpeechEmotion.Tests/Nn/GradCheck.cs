using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>Central finite differences of sum(output · upstream) against the tape's gradients.</summary>
internal static class GradCheck
{
    public static Tensor Random(ulong seed, float scale, params int[] shape)
    {
        var t = new Tensor(shape);
        var rng = new SplitMix(seed);
        Init.Uniform(t, scale, ref rng);
        return t;
    }

    /// <summary>Inputs whose values are spread at least 0.01 apart and away from 0 (no kinks within eps).</summary>
    public static Tensor Spread(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        var rng = new SplitMix(seed);
        var idx = Enumerable.Range(0, t.Length).OrderBy(_ => rng.NextULong()).ToArray();
        for (int i = 0; i < t.Length; i++)
        {
            float v = -1f + 2f * idx[i] / Math.Max(1, t.Length - 1);
            t[i] = MathF.Abs(v) < 0.02f ? v + 0.05f : v;
        }
        return t;
    }

    // forward builds the output from the (persistent, mutated in place) inputs.
    public static void Check(Func<Tensor> forward, Tensor[] inputs, double tol = 1e-2, float eps = 1e-3f, int samples = 30)
    {
        foreach (var x in inputs) { x.RequiresGrad = true; x.Grad = null; }
        var y = forward();
        var up = Random(99, 1f, y.Shape.ToArray());
        Autograd.Backward(y, up);
        var rng = new SplitMix(5);
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            Assert.NotNull(x.Grad);
            var analytic = x.Grad!.ToArray();
            int n = x.Length;
            var idx = n <= samples ? Enumerable.Range(0, n).ToArray() : Enumerable.Range(0, samples).Select(_ => (int)(rng.NextULong() % (ulong)n)).ToArray();
            double maxErr = 0, scale = 1e-3;
            foreach (var i in idx)
            {
                float old = x[i];
                x[i] = old + eps;
                double fp = Objective(forward, up);
                x[i] = old - eps;
                double fm = Objective(forward, up);
                x[i] = old;
                double numeric = (fp - fm) / (2 * eps);
                maxErr = Math.Max(maxErr, Math.Abs(numeric - analytic[i]));
                scale = Math.Max(scale, Math.Abs(numeric));
            }
            Assert.True(maxErr / scale <= tol, $"input {k} ({x.ShapeText}): finite-difference error {maxErr / scale:E2} > {tol:E0}");
        }
    }

    private static double Objective(Func<Tensor> forward, Tensor up)
    {
        using var _ = Autograd.NoGrad();
        var y = forward();
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)y[i] * up[i];
        return s;
    }
}
