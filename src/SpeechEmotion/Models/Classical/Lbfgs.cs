using System.Numerics.Tensors;

namespace SpeechEmotion.Models.Classical;

/// <summary>
/// Limited-memory BFGS (two-loop recursion) with a backtracking Armijo line search, in double
/// precision, for smooth convex objectives. Deterministic: no randomness, fixed evaluation order.
/// </summary>
internal static class Lbfgs
{
    /// <summary>Objective value at θ, writing ∇f(θ) into the gradient span.</summary>
    public delegate double Objective(double[] theta, double[] gradient);

    public sealed record Outcome(double Value, int Iterations, double GradientNorm, bool Converged, int Evaluations);

    public static Outcome Minimise(Objective f, double[] theta, int memory, int maxIterations, double gradientTolerance)
    {
        var p = theta.Length;
        var g = new double[p];
        var fx = f(theta, g);
        var evaluations = 1;
        var s = new double[memory][];
        var yv = new double[memory][];
        var rho = new double[memory];
        for (var m = 0; m < memory; m++) { s[m] = new double[p]; yv[m] = new double[p]; }
        var alphaBuf = new double[memory];
        var dir = new double[p];
        var trial = new double[p];
        var gTrial = new double[p];
        int stored = 0, head = 0, iter = 0;
        var converged = false;
        var gnorm = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
        while (iter < maxIterations)
        {
            if (gnorm <= gradientTolerance) { converged = true; break; }
            // Two-loop recursion: dir = −H·g.
            g.CopyTo(dir, 0);
            for (var t = 0; t < stored; t++)
            {
                var m = (head - 1 - t + memory) % memory;
                alphaBuf[m] = rho[m] * TensorPrimitives.Dot<double>(s[m], dir);
                TensorPrimitives.MultiplyAdd(yv[m], -alphaBuf[m], dir, dir);
            }
            if (stored > 0)
            {
                var last = (head - 1 + memory) % memory;
                var gammaScale = TensorPrimitives.Dot<double>(s[last], yv[last]) / TensorPrimitives.Dot<double>(yv[last], yv[last]);
                TensorPrimitives.Multiply(dir, gammaScale, dir);
            }
            else
            {
                TensorPrimitives.Multiply(dir, 1.0 / Math.Max(1.0, TensorPrimitives.Norm<double>(g)), dir);
            }
            for (var t = stored - 1; t >= 0; t--)
            {
                var m = (head - 1 - t + memory) % memory;
                var beta = rho[m] * TensorPrimitives.Dot<double>(yv[m], dir);
                TensorPrimitives.MultiplyAdd(s[m], alphaBuf[m] - beta, dir, dir);
            }
            TensorPrimitives.Negate(dir, dir);
            var slope = TensorPrimitives.Dot<double>(g, dir);
            if (!(slope < 0))
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                stored = 0;
                TensorPrimitives.Negate(g, dir);
                TensorPrimitives.Multiply(dir, 1.0 / Math.Max(1.0, TensorPrimitives.Norm<double>(g)), dir);
                slope = TensorPrimitives.Dot<double>(g, dir);
            }

            var step = 1.0;
            double fTrial = 0;
            var accepted = false;
            for (var ls = 0; ls < 60; ls++)
            {
                TensorPrimitives.MultiplyAdd(dir, step, theta, trial);
                fTrial = f(trial, gTrial);
                evaluations++;
                if (double.IsFinite(fTrial) && fTrial <= fx + 1e-4 * step * slope) { accepted = true; break; }
                step *= 0.5;
            }
            iter++;
            if (!accepted) break;

            var sm = s[head];
            var ym = yv[head];
            TensorPrimitives.Subtract(trial, theta, sm);
            TensorPrimitives.Subtract(gTrial, g, ym);
            var sy = TensorPrimitives.Dot<double>(sm, ym);
            if (sy > 1e-12 * TensorPrimitives.Dot<double>(ym, ym))
            {
                rho[head] = 1.0 / sy;
                head = (head + 1) % memory;
                stored = Math.Min(stored + 1, memory);
            }
            var decrease = fx - fTrial;
            trial.CopyTo(theta, 0);
            gTrial.CopyTo(g, 0);
            fx = fTrial;
            gnorm = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
            if (decrease <= 1e-14 * Math.Max(1.0, Math.Abs(fx))) { converged = gnorm <= gradientTolerance * 100; break; }
        }
        return new Outcome(fx, iter, gnorm, converged || gnorm <= gradientTolerance, evaluations);
    }
}
