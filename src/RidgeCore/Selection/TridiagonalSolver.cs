using System;

namespace RidgeCore.Selection;

/// <summary>
/// Shifted symmetric tridiagonal systems (T + λI)·z = r by LDLᵀ without pivoting, O(p) per shift and right-hand side.
/// T has diagonal d and off-diagonal e (e[i] couples rows i and i + 1). Without pivoting this is backward stable when
/// T + λI is positive definite, which the caller checks through the pivots (each at least the smallest eigenvalue
/// in exact arithmetic).
/// </summary>
internal static unsafe class TridiagonalSolver
{
    /// <summary>
    /// T + λI = L·D·Lᵀ with L unit lower bidiagonal (subdiagonal <paramref name="multipliers"/>[0 … p − 2]) and D =
    /// <paramref name="pivots"/>. Returns false as soon as a pivot is not above <paramref name="floor"/> (or is NaN).
    /// </summary>
    public static bool Factor(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal, double lambda, double floor, Span<double> pivots, Span<double> multipliers)
    {
        int p = diagonal.Length;
        double pivot = diagonal[0] + lambda;
        if (!(pivot > floor))
        {
            return false;
        }

        pivots[0] = pivot;
        for (int i = 1; i < p; i++)
        {
            double e = offDiagonal[i - 1];
            double m = e / pivot;
            multipliers[i - 1] = m;
            pivot = diagonal[i] + lambda - (m * e);
            if (!(pivot > floor))
            {
                return false;
            }

            pivots[i] = pivot;
        }

        return true;
    }

    /// <summary>
    /// Solves L·D·Lᵀ·z = r for column <paramref name="column"/> of the p × <paramref name="columns"/> row-major
    /// right-hand sides <paramref name="rhs"/>; writes z[i] to <paramref name="destination"/>[i·stride].
    /// </summary>
    public static void Solve(ReadOnlySpan<double> pivots, ReadOnlySpan<double> multipliers, ReadOnlySpan<double> rhs, int column, int columns, double* destination, nint stride)
    {
        int p = pivots.Length;

        // Forward: L·y = r (y kept in the destination).
        double y = rhs[column];
        destination[0] = y;
        for (int i = 1; i < p; i++)
        {
            y = rhs[(i * columns) + column] - (multipliers[i - 1] * y);
            destination[i * stride] = y;
        }

        // Back: Lᵀ·z = D⁻¹·y.
        double z = y / pivots[p - 1];
        destination[(p - 1) * stride] = z;
        for (int i = p - 2; i >= 0; i--)
        {
            z = (destination[i * stride] / pivots[i]) - (multipliers[i] * z);
            destination[i * stride] = z;
        }
    }
}
