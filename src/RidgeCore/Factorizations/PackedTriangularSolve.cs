using System;
using System.Numerics;
using RidgeCore.Kernels.Cholesky;

namespace RidgeCore.Factorizations;

/// <summary>
/// Forward and back substitution with a factor in <see cref="PackedLowerLayout"/> storage, one right-hand side in place.
/// Both read each micro-panel once, front to back: the forward solve combines a micro-panel's packed rows (columns of
/// the factor) into the NR unknowns it holds, the back substitution takes the NR solved unknowns out of every earlier
/// row with one dot product per packed row. Only the NR × NR diagonal blocks run in scalar code.
/// </summary>
internal static unsafe class PackedTriangularSolve
{
    /// <summary>Solves L·z = b in place (x holds b on entry, z on return); <paramref name="reciprocals"/> holds 1/Lᵢᵢ.</summary>
    public static void Forward<T>(T* z, PackedLowerLayout layout, T* reciprocals, T* x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            Forward<T, CholeskyPanelV512<T>>(z, layout, reciprocals, x);
        }
        else if (Tier.UseV256)
        {
            Forward<T, CholeskyPanelV256<T>>(z, layout, reciprocals, x);
        }
        else if (Tier.UseV128)
        {
            Forward<T, CholeskyPanelV128<T>>(z, layout, reciprocals, x);
        }
        else
        {
            Forward<T, CholeskyPanelScalar<T>>(z, layout, reciprocals, x);
        }
    }

    /// <summary>Solves Lᵀ·x = z in place (x holds z on entry, x on return); <paramref name="reciprocals"/> holds 1/Lᵢᵢ.</summary>
    public static void Backward<T>(T* z, PackedLowerLayout layout, T* reciprocals, T* x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Tier.UseV512)
        {
            Backward<T, CholeskyPanelV512<T>>(z, layout, reciprocals, x);
        }
        else if (Tier.UseV256)
        {
            Backward<T, CholeskyPanelV256<T>>(z, layout, reciprocals, x);
        }
        else if (Tier.UseV128)
        {
            Backward<T, CholeskyPanelV128<T>>(z, layout, reciprocals, x);
        }
        else
        {
            Backward<T, CholeskyPanelScalar<T>>(z, layout, reciprocals, x);
        }
    }

    private static void Forward<T, TPanel>(T* z, PackedLowerLayout layout, T* reciprocals, T* x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPanel : struct, ICholeskyPanelKernel<T>
    {
        int nr = TPanel.NR, p = layout.Order;
        T* acc = stackalloc T[nr];
        for (int panel = 0; panel < layout.Panels; panel++)
        {
            int i0 = panel * nr, lanes = Math.Min(nr, p - i0);
            T* zp = z + layout.PanelOffset(panel);
            for (int c = 0; c < nr; c++)
            {
                acc[c] = c < lanes ? x[i0 + c] : T.Zero;
            }

            TPanel.SubtractCombination(zp, i0, x, acc);
            for (int c = 0; c < lanes; c++)
            {
                T* row = zp + ((nint)(i0 + c) * nr);
                T v = acc[c] * reciprocals[i0 + c];
                x[i0 + c] = v;
                for (int c2 = c + 1; c2 < lanes; c2++)
                {
                    acc[c2] -= v * row[c2];
                }
            }
        }
    }

    private static void Backward<T, TPanel>(T* z, PackedLowerLayout layout, T* reciprocals, T* x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPanel : struct, ICholeskyPanelKernel<T>
    {
        int nr = TPanel.NR, p = layout.Order;
        T* solved = stackalloc T[nr];
        for (int panel = layout.Panels - 1; panel >= 0; panel--)
        {
            int i0 = panel * nr, lanes = Math.Min(nr, p - i0);
            T* zp = z + layout.PanelOffset(panel);
            for (int c = lanes - 1; c >= 0; c--)
            {
                T* row = zp + ((nint)(i0 + c) * nr);
                // Two partial sums halve the dependency chain of this short dot product.
                T s0 = T.Zero, s1 = T.Zero;
                int c2 = c + 1;
                for (; c2 + 1 < lanes; c2 += 2)
                {
                    s0 += row[c2] * x[i0 + c2];
                    s1 += row[c2 + 1] * x[i0 + c2 + 1];
                }

                if (c2 < lanes)
                {
                    s0 += row[c2] * x[i0 + c2];
                }

                x[i0 + c] = (x[i0 + c] - (s0 + s1)) * reciprocals[i0 + c];
            }

            // Lanes past p are zero here, so the scratch lanes of the last micro-panel contribute nothing.
            for (int c = 0; c < nr; c++)
            {
                solved[c] = c < lanes ? x[i0 + c] : T.Zero;
            }

            TPanel.SubtractRowDots(zp, i0, solved, x);
        }
    }
}
