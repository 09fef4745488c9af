using System.Numerics;

namespace RidgeCore.Kernels.Cholesky;

/// <summary>
/// The scalar Cholesky panel kernels: micro-panels of NR = 4 values, leaves of MR = 4 rows, the shape of
/// <see cref="Gram.GramTileScalar{T}"/>. Plain loops; this family exists for correctness without SIMD, not for speed.
/// Products and sums are unfused, as everywhere in the scalar family.
/// </summary>
internal unsafe struct CholeskyPanelScalar<T> : ICholeskyPanelKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int NR => 4;

    public static int MR => 4;

    public static void SolveLeaf(T* z, T* factor, int skipLanes)
    {
        for (int c = skipLanes; c < 4; c++)
        {
            for (int r = 0; r < 4; r++)
            {
                T v = z[(r * 4) + c];
                for (int t = 0; t < r; t++)
                {
                    v += factor[(r * 4) + t] * z[(t * 4) + c];
                }

                z[(r * 4) + c] = v * factor[(r * 4) + r];
            }
        }
    }

    public static void SubtractCombination(T* panel, nint rows, T* x, T* acc)
    {
        T a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
        for (nint k = 0; k < rows; k++)
        {
            T* p = panel + (k * 4);
            T s = x[k];
            a0 -= s * p[0];
            a1 -= s * p[1];
            a2 -= s * p[2];
            a3 -= s * p[3];
        }

        acc[0] = a0;
        acc[1] = a1;
        acc[2] = a2;
        acc[3] = a3;
    }

    public static void SubtractRowDots(T* panel, nint rows, T* x, T* z)
    {
        T x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        for (nint k = 0; k < rows; k++)
        {
            T* p = panel + (k * 4);
            z[k] -= ((p[0] * x0) + (p[1] * x1)) + ((p[2] * x2) + (p[3] * x3));
        }
    }
}
