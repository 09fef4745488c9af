using System;
using System.Numerics;

namespace RidgeCore.Tests.Harness;

/// <summary>
/// Error bounds for comparing a kernel result in precision <typeparamref name="T"/> with a <see cref="Reference"/>.
/// Each bound is a textbook forward-error bound (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd
/// ed., §2–§4) for <em>any</em> order of evaluation, so it holds for every kernel family and every accumulator layout,
/// and a result outside it is a bug, not bad luck.
/// </summary>
/// <remarks>
/// <para>Notation: u is the unit roundoff of <typeparamref name="T"/> (2⁻²⁴ for float, 2⁻⁵³ for double),
/// γₖ = k·u / (1 − k·u), and η is the smallest subnormal of <typeparamref name="T"/>. A rounding that lands in the
/// subnormal range has an absolute error up to η/2 instead of a relative error up to u, so every bound carries one η
/// per rounding that could underflow; with normal-range data that term is negligible.</para>
/// <para>The bounds scale with Σ|terms|, not with |result|: a sum that cancels to nearly zero can be wrong in every
/// digit and still be correct to the precision the data allow. Tests therefore also check integer data, where every
/// partial sum is exact and any lost or double-counted element shows as an inexact result.</para>
/// </remarks>
public static class Tolerance
{
    /// <summary>The unit roundoff u: half the distance from 1 to the next larger number.</summary>
    public static double UnitRoundoff<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Math.ScaleB(1.0, -24) : Math.ScaleB(1.0, -53);

    /// <summary>The smallest positive subnormal η of <typeparamref name="T"/>.</summary>
    public static double Underflow<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => double.CreateTruncating(T.Epsilon);

    /// <summary>γₖ = k·u / (1 − k·u), the bound on k successive relative roundings.</summary>
    public static double Gamma<T>(int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double ku = k * UnitRoundoff<T>();
        return ku < 1 ? ku / (1 - ku) : double.PositiveInfinity;
    }

    /// <summary>Bound for Σ xᵢ or Σ xᵢ·yᵢ (or Σ xᵢ²) over n terms.</summary>
    /// <remarks>Any summation tree of n terms rounds at most n − 1 times along the path from a term to the result, so
    /// |ŝ − s| ≤ γₙ₋₁·Σ|tᵢ| (Higham (4.4)). A dot product whose products are rounded separately (the scalar tier does
    /// not fuse) adds one rounding per term, hence γₙ. The reference's own error is below 2u·|s| + O(n·u²)·Σ|tᵢ|,
    /// covered by the two extra roundings in γₙ₊₂ and the 2u·|s| term. Accumulators that start at zero and masked
    /// zero lanes add exact zeros and round nothing.</remarks>
    /// <param name="n">Number of terms.</param>
    /// <param name="absSum">Σ|tᵢ| (from <see cref="Reference"/>).</param>
    /// <param name="reference">The reference value.</param>
    public static double Reduction<T>(int n, double absSum, double reference)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (Gamma<T>(n + 2) * absSum) + (2 * UnitRoundoff<T>() * Math.Abs(reference)) + ((n + 1) * Underflow<T>());

    /// <summary>Bound for the mean (Σ xᵢ)/n.</summary>
    /// <remarks>The sum's bound divided by n, plus one rounding for the division (2u·|mean| also covers the reference)
    /// and one for converting n to <typeparamref name="T"/> when n exceeds the significand (float above 2²⁴).</remarks>
    public static double Mean<T>(int n, double absMean, double reference)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (Gamma<T>(n + 2) * absMean) + (3 * UnitRoundoff<T>() * Math.Abs(reference)) + (2 * Underflow<T>());

    /// <summary>Bound for one element of y ← a·x + y.</summary>
    /// <remarks>Fused: one rounding of a·x + y, at most u·|a·x + y| ≤ u·(|a·x| + |y|). Unfused (scalar tier, and
    /// 128-bit vectors without FMA): fl(fl(a·x) + y) is within γ₂·(|a·x| + |y|). The reference is within about one
    /// rounding of the exact value, so γ₃ covers both. Two η cover a product and a sum that underflow.</remarks>
    public static double Axpy<T>(double a, double x, double y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (Gamma<T>(3) * (Math.Abs(a * x) + Math.Abs(y))) + (2 * Underflow<T>());

    /// <summary>Bound for one element of x ← a·x + b·y.</summary>
    /// <remarks>The kernel rounds b·y, then fuses a·x + (b·y): u·|b·y| + u·|a·x + b·y|(1 + u) ≤ γ₂·(|a·x| + |b·y|); the
    /// unfused form fl(fl(a·x) + fl(b·y)) obeys the same bound. One more rounding for the reference gives γ₃, and three
    /// η cover two products and a sum in the subnormal range.</remarks>
    public static double ScaleAdd<T>(double a, double x, double b, double y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (Gamma<T>(3) * (Math.Abs(a * x) + Math.Abs(b * y))) + (3 * Underflow<T>());
}
