using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RidgeCore.Models;

/// <summary>
/// Error-free transformations and a compensated dot product, the building blocks of the refinement residual. Each
/// transformation returns a rounded result and its exact rounding error, so sums and dot products carried this way are
/// as accurate as if computed in twice the working precision and rounded once at the end (Ogita, Rump and Oishi,
/// "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005).
/// </summary>
internal static class Compensated
{
    /// <summary>2²⁷ + 1, Veltkamp's splitting constant for doubles.</summary>
    private const double Splitter = 134217729.0;

    /// <summary>Whether the vector kernels can form an exact product error with one fused multiply-add.</summary>
    public static bool HasFusedMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.Arm64.IsSupported;
    }

    /// <summary>Knuth's TwoSum: s = fl(a + b) and e with s + e = a + b exactly, for any a, b (no ordering needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoSum(double a, double b, out double e)
    {
        double s = a + b;
        double bv = s - a;
        e = (a - (s - bv)) + (b - bv);
        return s;
    }

    /// <summary>TwoProduct: p = fl(a·b) and e with p + e = a·b exactly (barring underflow, and overflow of the split
    /// beyond 2⁹⁹⁶). One FMA where the CPU has one; otherwise Dekker's product of Veltkamp-split halves, which is exact
    /// too (a software <see cref="Math.FusedMultiplyAdd"/> would be correct but far slower).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoProduct(double a, double b, out double e)
    {
        double p = a * b;
        if (HasFusedMultiplyAdd)
        {
            e = Math.FusedMultiplyAdd(a, b, -p);
            return p;
        }

        double ca = Splitter * a, cb = Splitter * b;
        double ah = ca - (ca - a), bh = cb - (cb - b);
        double al = a - ah, bl = b - bh;
        e = (((ah * bh) - p) + (ah * bl) + (al * bh)) + (al * bl);
        return p;
    }

    /// <summary>a·b + c, fused where the CPU fuses (for error terms, whose own rounding does not matter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MulAdd(double a, double b, double c) => HasFusedMultiplyAdd ? Math.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>Σ aᵢ·bᵢ by Dot2: the products split exactly, the sum carried with TwoSum, the errors added at the end.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0, c = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double p = TwoProduct(a[i], b[i], out double pe);
            s = TwoSum(s, p, out double se);
            c += pe + se;
        }

        return s + c;
    }
}
