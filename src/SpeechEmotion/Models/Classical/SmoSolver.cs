namespace SpeechEmotion.Models.Classical;

/// <summary>
/// Solves the C-SVC dual  min ½αᵀQα − eᵀα  s.t. 0 ≤ αᵢ ≤ Cᵢ, yᵀα = 0, with Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ), by
/// sequential minimal optimisation. The working pair is chosen as Fan, Chen &amp; Lin (JMLR 2005) describe:
/// i maximises −yₜ∇f(α)ₜ over the "up" set; j minimises the second-order estimate −bᵢⱼ²/aᵢⱼ of the
/// objective decrease over the "low" set. Stops when the maximal KKT violation m(α) − M(α) &lt; ε.
/// Everything is in double precision; no shrinking (the kernel cache keeps small problems in memory).
/// </summary>
internal static class SmoSolver
{
    private const double Tau = 1e-12;

    internal sealed record Result(double[] Alpha, double Rho, double Objective, long Iterations, double[] Gradient, bool Converged);

    public static Result Solve(SubKernel kernel, sbyte[] y, double[] upper, double eps)
    {
        var m = kernel.Count;
        var alpha = new double[m];
        var g = new double[m];
        Array.Fill(g, -1.0);
        var qd = kernel.Diagonal;
        var maxIter = Math.Max(10_000_000L, 100L * m);
        long iter = 0;
        var converged = false;
        while (iter < maxIter)
        {
            // Select i: argmax over I_up of −y_t G_t.
            var gmax = double.NegativeInfinity;
            var i = -1;
            for (var t = 0; t < m; t++)
            {
                if (y[t] == 1)
                {
                    if (alpha[t] < upper[t] && -g[t] >= gmax) { gmax = -g[t]; i = t; }
                }
                else if (alpha[t] > 0 && g[t] >= gmax) { gmax = g[t]; i = t; }
            }
            if (i < 0) { converged = true; break; }
            var ki = kernel.Row(i);
            var yi = (double)y[i];

            // Select j: second-order choice over I_low among violating partners.
            var gmax2 = double.NegativeInfinity;
            var j = -1;
            var best = double.PositiveInfinity;
            for (var t = 0; t < m; t++)
            {
                double b;
                if (y[t] == 1)
                {
                    if (!(alpha[t] > 0)) continue;
                    b = gmax + g[t];
                    if (g[t] >= gmax2) gmax2 = g[t];
                }
                else
                {
                    if (!(alpha[t] < upper[t])) continue;
                    b = gmax - g[t];
                    if (-g[t] >= gmax2) gmax2 = -g[t];
                }
                if (b > 0)
                {
                    var a = qd[i] + qd[t] - 2 * ki[t];
                    var obj = -(b * b) / (a > 0 ? a : Tau);
                    if (obj <= best) { best = obj; j = t; }
                }
            }
            if (gmax + gmax2 < eps || j < 0) { converged = true; break; }
            iter++;

            var kj = kernel.Row(j);
            ki = kernel.Row(i); // the fetch of row j may have evicted row i
            var yj = (double)y[j];
            double ci = upper[i], cj = upper[j];
            double oldAi = alpha[i], oldAj = alpha[j];
            var kij = ki[j];
            if (y[i] != y[j])
            {
                var quad = qd[i] + qd[j] - 2 * kij;
                if (quad <= 0) quad = Tau;
                var delta = (-g[i] - g[j]) / quad;
                var diff = alpha[i] - alpha[j];
                alpha[i] += delta;
                alpha[j] += delta;
                if (diff > 0) { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; } }
                else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; }
                if (diff > ci - cj) { if (alpha[i] > ci) { alpha[i] = ci; alpha[j] = ci - diff; } }
                else if (alpha[j] > cj) { alpha[j] = cj; alpha[i] = cj + diff; }
            }
            else
            {
                var quad = qd[i] + qd[j] - 2 * kij;
                if (quad <= 0) quad = Tau;
                var delta = (g[i] - g[j]) / quad;
                var sum = alpha[i] + alpha[j];
                alpha[i] -= delta;
                alpha[j] += delta;
                if (sum > ci) { if (alpha[i] > ci) { alpha[i] = ci; alpha[j] = sum - ci; } }
                else if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; }
                if (sum > cj) { if (alpha[j] > cj) { alpha[j] = cj; alpha[i] = sum - cj; } }
                else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; }
            }

            // G_t += Q_ti Δα_i + Q_tj Δα_j with Q_ts = y_t y_s K_ts.
            var di = (alpha[i] - oldAi) * yi;
            var dj = (alpha[j] - oldAj) * yj;
            for (var t = 0; t < m; t++) g[t] += y[t] * (ki[t] * di + kj[t] * dj);
        }

        return new Result(alpha, Rho(alpha, g, y, upper), Objective(alpha, g), iter, g, converged);
    }

    /// <summary>f(α) = ½ Σ αᵢ(Gᵢ − 1), since G = Qα − e.</summary>
    public static double Objective(double[] alpha, double[] g)
    {
        double f = 0;
        for (var t = 0; t < alpha.Length; t++) f += alpha[t] * (g[t] - 1);
        return f / 2;
    }

    /// <summary>ρ: the mean of yG over free variables, or the midpoint of its feasible interval when none is free.</summary>
    private static double Rho(double[] alpha, double[] g, sbyte[] y, double[] upper)
    {
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sumFree = 0;
        var free = 0;
        for (var t = 0; t < alpha.Length; t++)
        {
            var yg = y[t] * g[t];
            if (alpha[t] >= upper[t])
            {
                if (y[t] == -1) ub = Math.Min(ub, yg); else lb = Math.Max(lb, yg);
            }
            else if (alpha[t] <= 0)
            {
                if (y[t] == 1) ub = Math.Min(ub, yg); else lb = Math.Max(lb, yg);
            }
            else
            {
                free++;
                sumFree += yg;
            }
        }
        return free > 0 ? sumFree / free : (ub + lb) / 2;
    }
}
