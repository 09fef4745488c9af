using System;
using System.Runtime.CompilerServices;

namespace RidgeCore.Models;

/// <summary>
/// Error-free transformations and a compensated accumulator, the building blocks of the refinement residual. Each
/// transformation returns a rounded result and its exact rounding error, so sums and dot products carried this way are
/// as accurate as if computed in twice the working precision and rounded once at the end (Ogita, Rump and Oishi,
/// "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005).
/// </summary>
/// <remarks>
/// TwoProduct uses <see cref="Math.FusedMultiplyAdd"/>, which is exact on every platform: one instruction where the CPU
/// has FMA, a correctly rounded library routine where it has none (slow, but right, so results never depend on the
/// kernel tier).
/// </remarks>
internal static class Compensated
{
    /// <summary>Knuth's TwoSum: s = fl(a + b) and e with s + e = a + b exactly, for any a, b (no ordering needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoSum(double a, double b, out double e)
    {
        double s = a + b;
        double bv = s - a;
        e = (a - (s - bv)) + (b - bv);
        return s;
    }

    /// <summary>TwoProduct: p = fl(a·b) and e with p + e = a·b exactly (barring underflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TwoProduct(double a, double b, out double e)
    {
        double p = a * b;
        e = Math.FusedMultiplyAdd(a, b, -p);
        return p;
    }

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
