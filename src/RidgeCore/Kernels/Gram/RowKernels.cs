using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// The two per-row passes of the Gram engine, vectorized for double and for float (widened to double, so float
/// input gets double-accurate means): weighted column sums, and center-and-scale into the staging row.
/// </summary>
internal static unsafe class RowKernels
{
    /// <summary>acc[c] += w · src[c] for c &lt; len, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateWeighted<T>(T* src, int len, double w, double* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Tier.UseV512)
        {
            Vector512<double> vw = Vector512.Create(w);
            if (typeof(T) == typeof(double))
            {
                double* s = (double*)src;
                for (; c + 8 <= len; c += 8)
                {
                    SimdOps.MulAdd(vw, Vector512.Load(s + c), Vector512.Load(acc + c)).Store(acc + c);
                }
            }
            else
            {
                float* s = (float*)src;
                for (; c + 16 <= len; c += 16)
                {
                    Vector512<float> v = Vector512.Load(s + c);
                    SimdOps.MulAdd(vw, Vector512.WidenLower(v), Vector512.Load(acc + c)).Store(acc + c);
                    SimdOps.MulAdd(vw, Vector512.WidenUpper(v), Vector512.Load(acc + c + 8)).Store(acc + c + 8);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector256)
        {
            Vector256<double> vw = Vector256.Create(w);
            if (typeof(T) == typeof(double))
            {
                double* s = (double*)src;
                for (; c + 4 <= len; c += 4)
                {
                    SimdOps.MulAdd(vw, Vector256.Load(s + c), Vector256.Load(acc + c)).Store(acc + c);
                }
            }
            else
            {
                float* s = (float*)src;
                for (; c + 8 <= len; c += 8)
                {
                    Vector256<float> v = Vector256.Load(s + c);
                    SimdOps.MulAdd(vw, Vector256.WidenLower(v), Vector256.Load(acc + c)).Store(acc + c);
                    SimdOps.MulAdd(vw, Vector256.WidenUpper(v), Vector256.Load(acc + c + 4)).Store(acc + c + 4);
                }
            }
        }
        if (Vector128.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector128)
        {
            Vector128<double> vw = Vector128.Create(w);
            if (typeof(T) == typeof(double))
            {
                double* s = (double*)src;
                for (; c + 2 <= len; c += 2)
                {
                    SimdOps.MulAdd(vw, Vector128.Load(s + c), Vector128.Load(acc + c)).Store(acc + c);
                }
            }
            else
            {
                float* s = (float*)src;
                for (; c + 4 <= len; c += 4)
                {
                    Vector128<float> v = Vector128.Load(s + c);
                    SimdOps.MulAdd(vw, Vector128.WidenLower(v), Vector128.Load(acc + c)).Store(acc + c);
                    SimdOps.MulAdd(vw, Vector128.WidenUpper(v), Vector128.Load(acc + c + 2)).Store(acc + c + 2);
                }
            }
        }

        for (; c < len; c++)
        {
            acc[c] = SimdOps.MulAdd(w, double.CreateTruncating(src[c]), acc[c]);
        }
    }

    /// <summary>dst[c] = (T)(sw · (src[c] − mean[c])) for c &lt; len; the subtraction and scaling happen in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CenterScale<TSrc, T>(TSrc* src, int len, double* mean, double sw, T* dst)
        where TSrc : unmanaged, IFloatingPointIeee754<TSrc>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Tier.UseV512)
        {
            Vector512<double> vs = Vector512.Create(sw);
            if (typeof(TSrc) == typeof(double) && typeof(T) == typeof(double))
            {
                double* s = (double*)src, d = (double*)dst;
                for (; c + 8 <= len; c += 8)
                {
                    ((Vector512.Load(s + c) - Vector512.Load(mean + c)) * vs).Store(d + c);
                }
            }
            else if (typeof(TSrc) == typeof(float) && typeof(T) == typeof(float))
            {
                float* s = (float*)src, d = (float*)dst;
                for (; c + 16 <= len; c += 16)
                {
                    Vector512<float> v = Vector512.Load(s + c);
                    Vector512<double> lo = (Vector512.WidenLower(v) - Vector512.Load(mean + c)) * vs;
                    Vector512<double> hi = (Vector512.WidenUpper(v) - Vector512.Load(mean + c + 8)) * vs;
                    Vector512.Narrow(lo, hi).Store(d + c);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector256)
        {
            Vector256<double> vs = Vector256.Create(sw);
            if (typeof(TSrc) == typeof(double) && typeof(T) == typeof(double))
            {
                double* s = (double*)src, d = (double*)dst;
                for (; c + 4 <= len; c += 4)
                {
                    ((Vector256.Load(s + c) - Vector256.Load(mean + c)) * vs).Store(d + c);
                }
            }
            else if (typeof(TSrc) == typeof(float) && typeof(T) == typeof(float))
            {
                float* s = (float*)src, d = (float*)dst;
                for (; c + 8 <= len; c += 8)
                {
                    Vector256<float> v = Vector256.Load(s + c);
                    Vector256<double> lo = (Vector256.WidenLower(v) - Vector256.Load(mean + c)) * vs;
                    Vector256<double> hi = (Vector256.WidenUpper(v) - Vector256.Load(mean + c + 4)) * vs;
                    Vector256.Narrow(lo, hi).Store(d + c);
                }
            }
        }
        if (Vector128.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector128)
        {
            Vector128<double> vs = Vector128.Create(sw);
            if (typeof(TSrc) == typeof(double) && typeof(T) == typeof(double))
            {
                double* s = (double*)src, d = (double*)dst;
                for (; c + 2 <= len; c += 2)
                {
                    ((Vector128.Load(s + c) - Vector128.Load(mean + c)) * vs).Store(d + c);
                }
            }
            else if (typeof(TSrc) == typeof(float) && typeof(T) == typeof(float))
            {
                float* s = (float*)src, d = (float*)dst;
                for (; c + 4 <= len; c += 4)
                {
                    Vector128<float> v = Vector128.Load(s + c);
                    Vector128<double> lo = (Vector128.WidenLower(v) - Vector128.Load(mean + c)) * vs;
                    Vector128<double> hi = (Vector128.WidenUpper(v) - Vector128.Load(mean + c + 2)) * vs;
                    Vector128.Narrow(lo, hi).Store(d + c);
                }
            }
        }

        for (; c < len; c++)
        {
            dst[c] = T.CreateTruncating((double.CreateTruncating(src[c]) - mean[c]) * sw);
        }
    }
}
