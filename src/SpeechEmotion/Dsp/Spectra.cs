using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SpeechEmotion.Dsp;

/// <summary>Element-wise spectral kernels, each with a scalar twin that tests compare against.</summary>
public static class Spectra
{
    /// <summary>dst[k] = re[k]² + im[k]² (SIMD).</summary>
    public static void Power(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> dst)
    {
        var n = dst.Length;
        if (re.Length < n || im.Length < n) throw new ArgumentException("Inputs shorter than the destination.");
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vr = MemoryMarshal.Cast<float, Vector<float>>(re[..n]);
            var vi = MemoryMarshal.Cast<float, Vector<float>>(im[..n]);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            for (var i = 0; i < vd.Length; i++) vd[i] = vr[i] * vr[i] + vi[i] * vi[i];
            k = vd.Length * Vector<float>.Count;
        }
        for (; k < n; k++) dst[k] = re[k] * re[k] + im[k] * im[k];
    }

    /// <summary>Scalar version of <see cref="Power"/>.</summary>
    public static void PowerScalar(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> dst)
    {
        for (var k = 0; k < dst.Length; k++) dst[k] = re[k] * re[k] + im[k] * im[k];
    }

    /// <summary>dst[k] = x[k]^p.</summary>
    public static void Pow(ReadOnlySpan<float> x, float p, Span<float> dst)
    {
        for (var k = 0; k < dst.Length; k++) dst[k] = MathF.Pow(x[k], p);
    }

    /// <summary>dst[k] = sqrt(re² + im²).</summary>
    public static void Magnitude(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> dst)
    {
        Power(re, im, dst);
        TensorPrimitives.Sqrt(dst, dst);
    }
}
