using System;
using System.Runtime.CompilerServices;
using RidgeCore.Kernels.Lanes;

namespace RidgeCore.Kernels.Selection;

/// <summary>
/// (T + λI)·z = r for a whole λ grid and every right-hand side, by LDLᵀ without pivoting, vectorized across λ: T is
/// symmetric tridiagonal (diagonal d, off-diagonal e, e[i] coupling rows i and i + 1), r the columns of a p × t
/// row-major matrix, and z for (λ = grid[l], column q) goes to z[i·stride + q·targetStride + l].
/// </summary>
/// <remarks>
/// <para>Each λ is a serial recurrence of p steps with a division in every step, so one λ at a time runs at the
/// latency of a division (about 40p cycles per λ on Zen 3). Different λ are independent, so a register holds one λ
/// per lane and the recurrences run side by side: the λ of a register share every load of d, e and r, and the
/// solutions are stored contiguously along λ, which is the layout the scoring product reads.</para>
/// <para>Without pivoting the factorization is backward stable when T + λI is positive definite; each pivot is then
/// at least the smallest eigenvalue of T + λI. A pivot at or below <c>floor</c> (or NaN) makes the whole solve return
/// false: the caller then uses its eigenbasis, whose eigenvalues are clamped at zero.</para>
/// <para>The last register of λ is padded with copies of the last λ, so the destination must have room for λ
/// columns up to the grid length rounded up to the register width.</para>
/// </remarks>
internal static unsafe class ShiftedTridiagonalSolve
{
    /// <summary>The widest register, in doubles: the size of the per-lane scratch is 2·p·<see cref="MaxLanes"/>.</summary>
    public const int MaxLanes = 8;

    /// <summary>Solves every (λ, column) pair; false when a pivot is not above <paramref name="floor"/>.</summary>
    /// <param name="diagonal">d, p values.</param>
    /// <param name="offDiagonal">e, p − 1 values.</param>
    /// <param name="p">The order.</param>
    /// <param name="grid">The shifts λ.</param>
    /// <param name="floor">The smallest acceptable pivot (exclusive).</param>
    /// <param name="rhs">r, p × t row-major.</param>
    /// <param name="t">The number of right-hand sides.</param>
    /// <param name="destination">z (see the class summary).</param>
    /// <param name="stride">The destination's row stride (per i).</param>
    /// <param name="targetStride">The destination's offset between right-hand sides.</param>
    /// <param name="scratch">2·p·<see cref="MaxLanes"/> doubles.</param>
    /// <returns>Whether every pivot was above the floor.</returns>
    public static bool Run(
        double* diagonal, double* offDiagonal, int p, ReadOnlySpan<double> grid, double floor, double* rhs, int t, double* destination, nint stride, nint targetStride, double* scratch)
    {
        if (Tier.UseV512)
        {
            return ShiftedTridiagonalSolve<V512Lanes>.Run(diagonal, offDiagonal, p, grid, floor, rhs, t, destination, stride, targetStride, scratch);
        }

        if (Tier.UseV256)
        {
            return ShiftedTridiagonalSolve<V256Lanes>.Run(diagonal, offDiagonal, p, grid, floor, rhs, t, destination, stride, targetStride, scratch);
        }

        return Tier.UseV128
            ? ShiftedTridiagonalSolve<V128Lanes>.Run(diagonal, offDiagonal, p, grid, floor, rhs, t, destination, stride, targetStride, scratch)
            : ShiftedTridiagonalSolve<ScalarLanes>.Run(diagonal, offDiagonal, p, grid, floor, rhs, t, destination, stride, targetStride, scratch);
    }
}

/// <summary>The body of <see cref="ShiftedTridiagonalSolve"/> for one register width.</summary>
/// <typeparam name="TLanes">The width.</typeparam>
internal static unsafe class ShiftedTridiagonalSolve<TLanes>
    where TLanes : struct, IDoubleLanes<TLanes>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Run(
        double* d, double* e, int p, ReadOnlySpan<double> grid, double floor, double* rhs, int t, double* destination, nint stride, nint targetStride, double* scratch)
    {
        int w = TLanes.Count, count = grid.Length;
        double* inverses = scratch, multipliers = scratch + ((nint)p * w);
        double* lanes = stackalloc double[ShiftedTridiagonalSolve.MaxLanes];

        // 1/pivot must lie in (0, 1/floor): that excludes pivots at or below the floor, negative ones and NaN at once.
        double limit = floor > 0 ? 1.0 / floor : double.PositiveInfinity;
        TLanes one = TLanes.Broadcast(1.0);
        for (int l0 = 0; l0 < count; l0 += w)
        {
            for (int k = 0; k < w; k++)
            {
                lanes[k] = grid[Math.Min(l0 + k, count - 1)];
            }

            // L·D·Lᵀ = T + λI, one λ per lane: mᵢ₋₁ = eᵢ₋₁/dᵢ₋₁′, dᵢ′ = dᵢ + λ − mᵢ₋₁·eᵢ₋₁ (kept as 1/dᵢ′).
            TLanes lambda = TLanes.Load(lanes);
            TLanes inverse = TLanes.Divide(one, TLanes.Add(TLanes.Broadcast(d[0]), lambda));
            TLanes.Store(inverses, inverse);
            for (int i = 1; i < p; i++)
            {
                TLanes ei = TLanes.Broadcast(e[i - 1]);
                TLanes m = TLanes.Multiply(ei, inverse);
                TLanes.Store(multipliers + ((nint)(i - 1) * w), m);
                inverse = TLanes.Divide(one, TLanes.NegMulAdd(m, ei, TLanes.Add(TLanes.Broadcast(d[i]), lambda)));
                TLanes.Store(inverses + ((nint)i * w), inverse);
            }

            for (nint k = 0; k < (nint)p * w; k++)
            {
                double v = inverses[k];
                if (!(v > 0 && v < limit))
                {
                    return false;
                }
            }

            for (int q = 0; q < t; q++)
            {
                double* z = destination + (q * targetStride) + l0;

                // L·y = r, then Lᵀ·z = D⁻¹·y (y kept in the destination).
                TLanes y = TLanes.Broadcast(rhs[q]);
                TLanes.Store(z, y);
                for (int i = 1; i < p; i++)
                {
                    y = TLanes.NegMulAdd(TLanes.Load(multipliers + ((nint)(i - 1) * w)), y, TLanes.Broadcast(rhs[((nint)i * t) + q]));
                    TLanes.Store(z + (i * stride), y);
                }

                TLanes x = TLanes.Multiply(y, TLanes.Load(inverses + ((nint)(p - 1) * w)));
                TLanes.Store(z + ((p - 1) * stride), x);
                for (int i = p - 2; i >= 0; i--)
                {
                    TLanes scaled = TLanes.Multiply(TLanes.Load(z + (i * stride)), TLanes.Load(inverses + ((nint)i * w)));
                    x = TLanes.NegMulAdd(TLanes.Load(multipliers + ((nint)i * w)), x, scaled);
                    TLanes.Store(z + (i * stride), x);
                }
            }
        }

        return true;
    }
}
