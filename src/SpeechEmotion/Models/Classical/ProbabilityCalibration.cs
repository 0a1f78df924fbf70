namespace SpeechEmotion.Models.Classical;

/// <summary>
/// Probability outputs for SVMs: Platt's sigmoid P(+1 | f) = 1 / (1 + exp(A·f + B)) fitted by the
/// Newton method with backtracking of Lin, Lin &amp; Weng (2007), and pairwise coupling of binary
/// probabilities into class probabilities (Wu, Lin &amp; Weng 2004, second method).
/// </summary>
internal static class ProbabilityCalibration
{
    /// <summary>Fits (A, B) on decision values <paramref name="f"/> with labels ±1 (regularised targets).</summary>
    public static (double A, double B) FitPlatt(ReadOnlySpan<double> f, ReadOnlySpan<sbyte> y)
    {
        int prior1 = 0, prior0 = 0;
        for (var i = 0; i < y.Length; i++) if (y[i] > 0) prior1++; else prior0++;
        // Targets pulled away from 0/1 (Bayes prior) so a separable set does not send A to infinity.
        var hi = (prior1 + 1.0) / (prior1 + 2.0);
        var lo = 1.0 / (prior0 + 2.0);
        var n = f.Length;
        var t = new double[n];
        for (var i = 0; i < n; i++) t[i] = y[i] > 0 ? hi : lo;

        const int maxIter = 100;
        const double minStep = 1e-10, sigma = 1e-12, eps = 1e-5;
        double a = 0, b = Math.Log((prior0 + 1.0) / (prior1 + 1.0));
        var fval = PlattObjective(f, t, a, b);
        for (var iter = 0; iter < maxIter; iter++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < n; i++)
            {
                var fApB = f[i] * a + b;
                double p, q;
                if (fApB >= 0) { p = Math.Exp(-fApB) / (1 + Math.Exp(-fApB)); q = 1 / (1 + Math.Exp(-fApB)); }
                else { p = 1 / (1 + Math.Exp(fApB)); q = Math.Exp(fApB) / (1 + Math.Exp(fApB)); }
                var d2 = p * q;
                h11 += f[i] * f[i] * d2;
                h22 += d2;
                h21 += f[i] * d2;
                var d1 = t[i] - p;
                g1 += f[i] * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < eps && Math.Abs(g2) < eps) break;
            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;
            var step = 1.0;
            while (step >= minStep)
            {
                double na = a + step * dA, nb = b + step * dB;
                var nf = PlattObjective(f, t, na, nb);
                if (nf < fval + 1e-4 * step * gd)
                {
                    a = na; b = nb; fval = nf;
                    break;
                }
                step /= 2;
            }
            if (step < minStep) break;
        }
        return (a, b);
    }

    private static double PlattObjective(ReadOnlySpan<double> f, double[] t, double a, double b)
    {
        double v = 0;
        for (var i = 0; i < f.Length; i++)
        {
            var fApB = f[i] * a + b;
            v += fApB >= 0 ? t[i] * fApB + Math.Log(1 + Math.Exp(-fApB)) : (t[i] - 1) * fApB + Math.Log(1 + Math.Exp(fApB));
        }
        return v;
    }

    /// <summary>Sigmoid probability of the positive class, computed without overflow.</summary>
    public static double Sigmoid(double f, double a, double b)
    {
        var fApB = f * a + b;
        return fApB >= 0 ? Math.Exp(-fApB) / (1 + Math.Exp(-fApB)) : 1 / (1 + Math.Exp(fApB));
    }

    /// <summary>
    /// Couples pairwise probabilities r[i, j] ≈ P(i | i or j) (r[j, i] = 1 − r[i, j]) into p (sum 1):
    /// minimises ½pᵀQp with Qₜₜ = Σⱼ rⱼₜ², Qₜⱼ = −rⱼₜrₜⱼ, by the fixed-point iteration of Wu, Lin &amp; Weng.
    /// </summary>
    public static void Couple(double[,] r, Span<double> p, double[,] q, double[] qp)
    {
        var k = p.Length;
        for (var t = 0; t < k; t++)
        {
            p[t] = 1.0 / k;
            q[t, t] = 0;
            for (var j = 0; j < k; j++)
            {
                if (j == t) continue;
                q[t, t] += r[j, t] * r[j, t];
                q[t, j] = -r[j, t] * r[t, j];
            }
        }
        var maxIter = Math.Max(100, k);
        var eps = 0.005 / k;
        for (var iter = 0; iter < maxIter; iter++)
        {
            double pqp = 0;
            for (var t = 0; t < k; t++)
            {
                qp[t] = 0;
                for (var j = 0; j < k; j++) qp[t] += q[t, j] * p[j];
                pqp += p[t] * qp[t];
            }
            double maxError = 0;
            for (var t = 0; t < k; t++) maxError = Math.Max(maxError, Math.Abs(qp[t] - pqp));
            if (maxError < eps) break;
            for (var t = 0; t < k; t++)
            {
                var diff = (-qp[t] + pqp) / q[t, t];
                p[t] += diff;
                pqp = (pqp + diff * (diff * q[t, t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (var j = 0; j < k; j++)
                {
                    qp[j] = (qp[j] + diff * q[t, j]) / (1 + diff);
                    p[j] /= 1 + diff;
                }
            }
        }
    }
}
