using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>Fused kernels against the unfused nodes they replace (same values and gradients).</summary>
[Collection("Nn")]
public class FusedNodeTests
{
    private static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (var v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, scale), $"{what}[{i}]: {expected[i]} vs {actual[i]}");
    }

    [Theory]
    [InlineData(ActivationKind.Elu, 2, true)]
    [InlineData(ActivationKind.Elu, 4, true)]
    [InlineData(ActivationKind.Relu, 3, true)]
    [InlineData(ActivationKind.Elu, 2, false)]
    public void BatchNormActPoolEqualsTheThreeNodes(ActivationKind act, int pool, bool training)
    {
        // Odd sizes leave rows and columns outside the floor-mode windows; γ < 0 on one channel flips the max.
        var x = GradCheck.Spread(1, 3, 4, 9, 13);
        var gamma = GradCheck.Random(2, 1f, 4); gamma[1] = -0.7f;
        var beta = GradCheck.Random(3, 0.5f, 4);
        var up = GradCheck.Random(4, 1f, 3, 4, 9 / pool, 13 / pool);
        (float[] Y, float[] Dx, float[] Dg, float[] Db, float[] Rm, float[] Rv) Run(bool fused)
        {
            var rm = new Tensor(4); var rv = new Tensor(4); rv.Fill(1f);
            if (!training) { rm.Fill(0.1f); rv.Fill(0.8f); }
            foreach (var t in new[] { x, gamma, beta }) { t.RequiresGrad = true; t.Grad = null; }
            Tensor y;
            if (fused)
                y = new BatchNormActPoolNode().Forward(x, gamma, beta, rm, rv, training, 0.1f, 1e-5f, act, float.NaN, pool);
            else
            {
                var z = new BatchNormNode().Forward(x, gamma, beta, rm, rv, training, 0.1f, 1e-5f);
                var a = new ActivationNode(act).Forward(z);
                y = new PoolNode(PoolKind.Max).Forward(a, new ConvGeometry(pool, pool, pool, pool, 0, 0, 0, 0));
            }
            var yc = y.Span.ToArray();
            Autograd.Backward(y, up);
            return (yc, x.Grad!.Span.ToArray(), gamma.Grad!.Span.ToArray(), beta.Grad!.Span.ToArray(), rm.Span.ToArray(), rv.Span.ToArray());
        }
        var r = Run(false); var f = Run(true);
        Close(r.Y, f.Y, 1e-6, "y");
        Close(r.Rm, f.Rm, 1e-6, "running mean");
        Close(r.Rv, f.Rv, 1e-6, "running var");
        Close(r.Dx, f.Dx, 1e-5, "dx");
        Close(r.Dg, f.Dg, 1e-5, "dgamma");
        Close(r.Db, f.Db, 1e-5, "dbeta");
    }

    [Fact]
    public void BatchNormActPoolGradientCheck()
    {
        var x = GradCheck.Spread(5, 2, 3, 6, 8);
        var gamma = GradCheck.Random(6, 1f, 3); var beta = GradCheck.Random(7, 0.5f, 3);
        var rm = new Tensor(3); var rv = new Tensor(3);
        var node = new BatchNormActPoolNode();
        GradCheck.Check(() => node.Forward(x, gamma, beta, rm, rv, true, 0.1f, 1e-5f, ActivationKind.Elu, 1f, 2), [x, gamma, beta]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(3)]
    public void WindowKernelsSimdEqualScalar(int k)
    {
        var x = GradCheck.Random(8, 1f, 2, 67 * k).Span.ToArray();
        float[] m1 = new float[67 * k], m2 = new float[67 * k], i1 = new float[67 * k], i2 = new float[67 * k];
        for (int r = 0; r < 2; r++)
        {
            BatchNormActPoolNode.ColumnMax(x.AsSpan(r * 67 * k, 67 * k), 0.9f, 0.1f, r, k, m1, i1);
            BatchNormActPoolNode.ColumnMaxScalar(x.AsSpan(r * 67 * k, 67 * k), 0.9f, 0.1f, r, k, 0, m2, i2);
        }
        Assert.Equal(m2, m1);
        Assert.Equal(i2, i1);
        Assert.Contains(k, i1);
        BatchNormActPoolNode.HalvePairs(m1, i1, m1.Length);
        BatchNormActPoolNode.HalvePairsScalar(m2, i2, 0, 0, m2.Length);
        Assert.Equal(m2, m1);
        Assert.Equal(i2, i1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormRowPathEqualsChannelPath(bool training)
    {
        // [B, C] takes the row-at-a-time path; [1, C, B] holds the same values per channel and takes the per-channel path.
        const int b = 7, c = 37;
        var x = GradCheck.Random(11, 2f, b, c); var xt = new Tensor(1, c, b);
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) xt[ch * b + i] = x[i * c + ch] + 0.5f;
        for (int i = 0; i < x.Length; i++) x[i] += 0.5f;
        var up = GradCheck.Random(12, 1f, b, c); var upt = new Tensor(1, c, b);
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) upt[ch * b + i] = up[i * c + ch];
        (float[] Y, float[] Dx, float[] Dg, float[] Db, float[] Rm, float[] Rv) Run(Tensor input, Tensor upstream)
        {
            var gamma = GradCheck.Random(13, 1f, c); var beta = GradCheck.Random(14, 1f, c);
            var rm = new Tensor(c); rm.Fill(0.3f); var rv = new Tensor(c); rv.Fill(1.7f);
            foreach (var t in new[] { input, gamma, beta }) { t.RequiresGrad = true; t.Grad = null; }
            var y = new BatchNormNode().Forward(input, gamma, beta, rm, rv, training, 0.1f, 1e-5f);
            var yc = y.Span.ToArray();
            Autograd.Backward(y, upstream);
            return (yc, input.Grad!.Span.ToArray(), gamma.Grad!.Span.ToArray(), beta.Grad!.Span.ToArray(), rm.Span.ToArray(), rv.Span.ToArray());
        }
        var rows = Run(x, up); var chans = Run(xt, upt);
        float[] T(float[] a) { var r = new float[a.Length]; for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) r[i * c + ch] = a[ch * b + i]; return r; }
        Close(T(chans.Y), rows.Y, 1e-5, "y");
        Close(T(chans.Dx), rows.Dx, 1e-5, "dx");
        Close(chans.Dg, rows.Dg, 1e-5, "dgamma");
        Close(chans.Db, rows.Db, 1e-5, "dbeta");
        Close(chans.Rm, rows.Rm, 1e-6, "running mean");
        Close(chans.Rv, rows.Rv, 1e-5, "running var");
    }
}
