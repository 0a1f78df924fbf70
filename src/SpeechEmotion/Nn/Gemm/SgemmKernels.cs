using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpeechEmotion.Nn;

// Register-tiled micro-kernels: C tile (+)= A micro-panel · B micro-panel over kc steps.
// Written out in full so that every accumulator stays in a register.
public static unsafe partial class Sgemm
{
    private static void Kernel8x32(int kc, float* a, float* b, float* c, int ldc, bool acc)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx512F.LoadAlignedVector512(b);
            var b1 = Avx512F.LoadAlignedVector512(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60); c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70); c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            a += 8; b += 32;
        }
        if (acc)
        {
            { float* q = c + (long)0 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c00)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c01)); }
            { float* q = c + (long)1 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c10)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c11)); }
            { float* q = c + (long)2 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c20)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c21)); }
            { float* q = c + (long)3 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c30)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c31)); }
            { float* q = c + (long)4 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c40)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c41)); }
            { float* q = c + (long)5 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c50)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c51)); }
            { float* q = c + (long)6 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c60)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c61)); }
            { float* q = c + (long)7 * ldc; Avx512F.Store(q, Avx512F.Add(Avx512F.LoadVector512(q), c70)); Avx512F.Store(q + 16, Avx512F.Add(Avx512F.LoadVector512(q + 16), c71)); }
        }
        else
        {
            { float* q = c + (long)0 * ldc; Avx512F.Store(q, c00); Avx512F.Store(q + 16, c01); }
            { float* q = c + (long)1 * ldc; Avx512F.Store(q, c10); Avx512F.Store(q + 16, c11); }
            { float* q = c + (long)2 * ldc; Avx512F.Store(q, c20); Avx512F.Store(q + 16, c21); }
            { float* q = c + (long)3 * ldc; Avx512F.Store(q, c30); Avx512F.Store(q + 16, c31); }
            { float* q = c + (long)4 * ldc; Avx512F.Store(q, c40); Avx512F.Store(q + 16, c41); }
            { float* q = c + (long)5 * ldc; Avx512F.Store(q, c50); Avx512F.Store(q + 16, c51); }
            { float* q = c + (long)6 * ldc; Avx512F.Store(q, c60); Avx512F.Store(q + 16, c61); }
            { float* q = c + (long)7 * ldc; Avx512F.Store(q, c70); Avx512F.Store(q + 16, c71); }
        }
    }

    private static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, bool acc)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00); c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10); c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20); c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30); c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40); c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50); c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6; b += 16;
        }
        if (acc)
        {
            { float* q = c + (long)0 * ldc; Avx.Store(q, Avx.Add(Avx.LoadVector256(q), c00)); Avx.Store(q + 8, Avx.Add(Avx.LoadVector256(q + 8), c01)); }
            { float* q = c + (long)1 * ldc; Avx.Store(q, Avx.Add(Avx.LoadVector256(q), c10)); Avx.Store(q + 8, Avx.Add(Avx.LoadVector256(q + 8), c11)); }
            { float* q = c + (long)2 * ldc; Avx.Store(q, Avx.Add(Avx.LoadVector256(q), c20)); Avx.Store(q + 8, Avx.Add(Avx.LoadVector256(q + 8), c21)); }
            { float* q = c + (long)3 * ldc; Avx.Store(q, Avx.Add(Avx.LoadVector256(q), c30)); Avx.Store(q + 8, Avx.Add(Avx.LoadVector256(q + 8), c31)); }
            { float* q = c + (long)4 * ldc; Avx.Store(q, Avx.Add(Avx.LoadVector256(q), c40)); Avx.Store(q + 8, Avx.Add(Avx.LoadVector256(q + 8), c41)); }
            { float* q = c + (long)5 * ldc; Avx.Store(q, Avx.Add(Avx.LoadVector256(q), c50)); Avx.Store(q + 8, Avx.Add(Avx.LoadVector256(q + 8), c51)); }
        }
        else
        {
            { float* q = c + (long)0 * ldc; Avx.Store(q, c00); Avx.Store(q + 8, c01); }
            { float* q = c + (long)1 * ldc; Avx.Store(q, c10); Avx.Store(q + 8, c11); }
            { float* q = c + (long)2 * ldc; Avx.Store(q, c20); Avx.Store(q + 8, c21); }
            { float* q = c + (long)3 * ldc; Avx.Store(q, c30); Avx.Store(q + 8, c31); }
            { float* q = c + (long)4 * ldc; Avx.Store(q, c40); Avx.Store(q + 8, c41); }
            { float* q = c + (long)5 * ldc; Avx.Store(q, c50); Avx.Store(q + 8, c51); }
        }
    }
}
