using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

/// <summary>
/// An independent, deliberately simple treatment of the binary C-SVC dual in double precision, used to
/// check the SMO solver: (1) accelerated projected gradient (FISTA) with an exact projection onto
/// {0 ≤ α ≤ C, yᵀα = 0} found by bisection on the multiplier; (2) the exact solution for a given
/// active set from the KKT linear system, with a full KKT certificate.
/// </summary>
internal static class DualReference
{
    public static double[,] Kernel(double[][] x, KernelKind kind, double gamma)
    {
        var n = x.Length;
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) k[i, j] = Eval(x[i], x[j], kind, gamma);
        return k;
    }

    public static double Eval(double[] a, double[] b, KernelKind kind, double gamma)
    {
        double s = 0;
        if (kind == KernelKind.Linear)
        {
            for (var t = 0; t < a.Length; t++) s += a[t] * b[t];
            return s;
        }
        for (var t = 0; t < a.Length; t++) s += (a[t] - b[t]) * (a[t] - b[t]);
        return Math.Exp(-gamma * s);
    }

    public static double Objective(double[,] k, int[] y, double[] a)
    {
        double f = 0;
        for (var i = 0; i < a.Length; i++)
        {
            f -= a[i];
            for (var j = 0; j < a.Length; j++) f += 0.5 * a[i] * a[j] * y[i] * y[j] * k[i, j];
        }
        return f;
    }

    /// <summary>Projects v onto {0 ≤ α ≤ C, Σ yᵢαᵢ = 0}: α = clip(v − λy, 0, C) with λ found by bisection.</summary>
    public static double[] Project(double[] v, int[] y, double c)
    {
        double lo = -(v.Max(Math.Abs) + c + 1), hi = -lo;
        var a = new double[v.Length];
        for (var it = 0; it < 100; it++)
        {
            var mid = 0.5 * (lo + hi);
            double h = 0;
            for (var i = 0; i < v.Length; i++) h += y[i] * Math.Clamp(v[i] - mid * y[i], 0, c);
            if (h > 0) lo = mid; else hi = mid;
        }
        var lambda = 0.5 * (lo + hi);
        for (var i = 0; i < v.Length; i++) a[i] = Math.Clamp(v[i] - lambda * y[i], 0, c);
        return a;
    }

    public static double[] Fista(double[,] k, int[] y, double c, int iterations)
    {
        var n = y.Length;
        var q = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) q[i, j] = y[i] * y[j] * k[i, j];
        // Lipschitz constant: the largest eigenvalue of Q by power iteration (plus a margin).
        var v = Enumerable.Repeat(1.0, n).ToArray();
        double lmax = 1;
        for (var it = 0; it < 500; it++)
        {
            var w = new double[n];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) w[i] += q[i, j] * v[j];
            lmax = Math.Sqrt(w.Sum(t => t * t));
            for (var i = 0; i < n; i++) v[i] = w[i] / lmax;
        }
        var step = 1.0 / (lmax * 1.01);
        var a = new double[n];
        var z = new double[n];
        double tk = 1;
        var g = new double[n];
        var u = new double[n];
        for (var it = 0; it < iterations; it++)
        {
            for (var i = 0; i < n; i++)
            {
                double s = -1;
                for (var j = 0; j < n; j++) s += q[i, j] * z[j];
                g[i] = s;
            }
            for (var i = 0; i < n; i++) u[i] = z[i] - step * g[i];
            var next = Project(u, y, c);
            var tNext = (1 + Math.Sqrt(1 + 4 * tk * tk)) / 2;
            for (var i = 0; i < n; i++) z[i] = next[i] + (tk - 1) / tNext * (next[i] - a[i]);
            a = next;
            tk = tNext;
        }
        return a;
    }

    /// <summary>
    /// Solves the KKT equations for the active set (upper: α = C, free: 0 &lt; α &lt; C, rest 0):
    /// yᵢf(xᵢ) = 1 on the free set and Σ yα = 0, where f(x) = Σ αⱼyⱼK(xⱼ, x) + b.
    /// </summary>
    public static (double[] Alpha, double B) SolveActiveSet(double[,] k, int[] y, double c, bool[] free, bool[] upper)
    {
        var n = y.Length;
        var idx = Enumerable.Range(0, n).Where(i => free[i]).ToArray();
        var m = idx.Length;
        var a = new double[m + 1, m + 2];
        for (var r = 0; r < m; r++)
        {
            var i = idx[r];
            double rhs = 1;
            for (var j = 0; j < n; j++)
                if (upper[j]) rhs -= y[i] * y[j] * k[i, j] * c;
            for (var s = 0; s < m; s++) a[r, s] = y[i] * y[idx[s]] * k[i, idx[s]];
            a[r, m] = y[i];
            a[r, m + 1] = rhs;
        }
        double eqRhs = 0;
        for (var j = 0; j < n; j++) if (upper[j]) eqRhs -= y[j] * c;
        for (var s = 0; s < m; s++) a[m, s] = y[idx[s]];
        a[m, m + 1] = eqRhs;
        var sol = Gauss(a, m + 1);
        var alpha = new double[n];
        for (var j = 0; j < n; j++) if (upper[j]) alpha[j] = c;
        for (var s = 0; s < m; s++) alpha[idx[s]] = sol[s];
        return (alpha, sol[m]);
    }

    private static double[] Gauss(double[,] a, int n)
    {
        for (var col = 0; col < n; col++)
        {
            var piv = col;
            for (var r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            if (Math.Abs(a[piv, col]) < 1e-12) throw new InvalidOperationException("singular KKT system");
            for (var t = 0; t <= n; t++) (a[col, t], a[piv, t]) = (a[piv, t], a[col, t]);
            for (var r = 0; r < n; r++)
            {
                if (r == col) continue;
                var f = a[r, col] / a[col, col];
                for (var t = col; t <= n; t++) a[r, t] -= f * a[col, t];
            }
        }
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = a[i, n] / a[i, i];
        return x;
    }

    /// <summary>Margins yᵢf(xᵢ) for dual α and bias b.</summary>
    public static double[] Margins(double[,] k, int[] y, double[] alpha, double b)
    {
        var n = y.Length;
        var m = new double[n];
        for (var i = 0; i < n; i++)
        {
            var f = b;
            for (var j = 0; j < n; j++) f += alpha[j] * y[j] * k[j, i];
            m[i] = y[i] * f;
        }
        return m;
    }
}
