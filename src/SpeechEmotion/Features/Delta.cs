namespace SpeechEmotion.Features;

/// <summary>
/// librosa.feature.delta: Savitzky–Golay derivative along frames (scipy.signal.savgol_filter with
/// polyorder = deriv = order, mode 'interp': interior frames by convolution, the first and last
/// width/2 frames by a least-squares polynomial fitted to the edge window).
/// </summary>
public static class Delta
{
    /// <summary>
    /// Deltas of <paramref name="x"/> along frames; returns a matrix of the same shape with names
    /// suffixed "_d" (order 1) or "_dd" (order 2)…
    /// </summary>
    /// <exception cref="InvalidOptionsException">width is even, below 3, or exceeds the frame count; order below 1.</exception>
    public static FeatureMatrix Compute(FeatureMatrix x, int width = 9, int order = 1)
    {
        var data = Compute(x.Data, x.Frames, x.Features, width, order);
        var suffix = "_" + new string('d', order);
        return new FeatureMatrix(x.Frames, x.Features, data, x.FeatureNames.Select(n => n + suffix).ToArray());
    }

    /// <summary>Deltas of row-major [frames, features] data.</summary>
    public static float[] Compute(ReadOnlySpan<float> x, int frames, int features, int width = 9, int order = 1)
    {
        var p = new Problems();
        p.Require(width >= 3 && width % 2 == 1, $"delta width must be an odd integer >= 3 (got {width})");
        p.Require(order >= 1, $"delta order must be a positive integer (got {order})");
        p.Require(width <= frames, $"delta width ({width}) cannot exceed the number of frames ({frames}) in mode 'interp'");
        p.ThrowIfAny("delta");
        var h = width / 2;
        var interior = SavgolWeights(width, order);
        var (head, tail) = EdgeMatrices(width, order);
        var y = new float[frames * features];
        var acc = new double[features];
        for (var t = 0; t < frames; t++)
        {
            Array.Clear(acc);
            double[] w; int start;
            if (t < h) { w = head[t]; start = 0; }
            else if (t >= frames - h) { w = tail[t - (frames - h)]; start = frames - width; }
            else { w = interior; start = t - h; }
            for (var j = 0; j < width; j++)
            {
                var wj = w[j];
                if (wj == 0) continue;
                var row = x.Slice((start + j) * features, features);
                for (var f = 0; f < features; f++) acc[f] += wj * row[f];
            }
            for (var f = 0; f < features; f++) y[t * features + f] = (float)acc[f];
        }
        return y;
    }

    // Weights g_j (j = -h..h) so that Σ g_j x[t+j] is the order-th derivative at t of the
    // least-squares polynomial of degree `order` through the window: row `order` of pinv(A)·order!.
    private static double[] SavgolWeights(int width, int order)
    {
        var h = width / 2;
        var positions = Enumerable.Range(-h, width).Select(v => (double)v).ToArray();
        return DerivativeRow(positions, order, 0.0);
    }

    // For each edge frame: weights over the edge window (positions 0..width-1) evaluating the
    // order-th derivative of the fitted polynomial at that frame, as scipy's _fit_edge does.
    private static (double[][] Head, double[][] Tail) EdgeMatrices(int width, int order)
    {
        var h = width / 2;
        var positions = Enumerable.Range(0, width).Select(v => (double)v).ToArray();
        var head = new double[h][];
        var tail = new double[h][];
        for (var i = 0; i < h; i++)
        {
            head[i] = DerivativeRow(positions, order, i);
            tail[i] = DerivativeRow(positions, order, width - h + i);
        }
        return (head, tail);
    }

    // Least-squares fit of degree `order` polynomial c = (VᵀV)⁻¹Vᵀx, derivative of order `order`
    // at point `at` is Σ_{d>=order} c_d · d!/(d-order)! · at^(d-order); returns its weights on x.
    private static double[] DerivativeRow(double[] positions, int order, double at)
    {
        int n = positions.Length, deg = order + 1;
        var v = new double[n, deg];
        for (var i = 0; i < n; i++)
            for (var d = 0; d < deg; d++) v[i, d] = Math.Pow(positions[i], d);
        var ata = new double[deg, deg];
        for (var a = 0; a < deg; a++)
            for (var b = 0; b < deg; b++)
            {
                double s = 0;
                for (var i = 0; i < n; i++) s += v[i, a] * v[i, b];
                ata[a, b] = s;
            }
        var inv = Invert(ata);
        // e: derivative functional on coefficients
        var e = new double[deg];
        for (var d = order; d < deg; d++)
        {
            double f = 1;
            for (var q = d; q > d - order; q--) f *= q;
            e[d] = f * Math.Pow(at, d - order);
        }
        var ei = new double[deg];
        for (var a = 0; a < deg; a++)
            for (var b = 0; b < deg; b++) ei[a] += e[b] * inv[b, a];
        var w = new double[n];
        for (var i = 0; i < n; i++)
            for (var a = 0; a < deg; a++) w[i] += ei[a] * v[i, a];
        return w;
    }

    private static double[,] Invert(double[,] m)
    {
        var n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (var i = 0; i < n; i++) inv[i, i] = 1;
        for (var c = 0; c < n; c++)
        {
            var piv = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[piv, c])) piv = r;
            for (var k = 0; k < n; k++)
            {
                (a[c, k], a[piv, k]) = (a[piv, k], a[c, k]);
                (inv[c, k], inv[piv, k]) = (inv[piv, k], inv[c, k]);
            }
            var d = a[c, c];
            for (var k = 0; k < n; k++) { a[c, k] /= d; inv[c, k] /= d; }
            for (var r = 0; r < n; r++)
            {
                if (r == c) continue;
                var f = a[r, c];
                if (f == 0) continue;
                for (var k = 0; k < n; k++) { a[r, k] -= f * a[c, k]; inv[r, k] -= f * inv[c, k]; }
            }
        }
        return inv;
    }
}
