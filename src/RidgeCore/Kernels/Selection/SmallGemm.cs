using System.Runtime.CompilerServices;
using RidgeCore.Kernels.Lanes;

namespace RidgeCore.Kernels.Selection;

/// <summary>
/// C = A·B for a block of rows: A is rows × k (row stride lda), B is k × n (row stride ldb) with n a multiple
/// of <see cref="PanelWidth"/>, C rows × n (row stride ldc). The λ-selection passes use it three times per block of
/// data rows: U = (X − 1x̄ᵀ)·(S·V), then (U∘U)·D and U·B for every λ at once, while the block is hot in L1/L2.
/// </summary>
/// <remarks>
/// The register tile is 4 rows × 2 registers (eight accumulators, two B loads and one broadcast live: 11 registers,
/// within the 16 of AVX2 and SSE). Per k step it issues six loads for eight FMAs, which keeps the FMA units busy on
/// cores that load two or three vectors per cycle. B (at most p × p, 32 KiB at p = 64) stays in L1 while the row
/// tiles pass. Rows left over below four run one at a time.
/// </remarks>
internal static unsafe class SmallGemm
{
    /// <summary>The column granularity n must be a multiple of: two registers of the active family.</summary>
    public static int PanelWidth
        => Tier.UseV512 ? 2 * V512Lanes.Count
         : Tier.UseV256 ? 2 * V256Lanes.Count
         : Tier.UseV128 ? 2 * V128Lanes.Count
         : 2;

    /// <summary>C = A·B.</summary>
    public static void Multiply(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int rows, int k, int n)
    {
        if (Tier.UseV512)
        {
            SmallGemm<V512Lanes>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
        else if (Tier.UseV256)
        {
            SmallGemm<V256Lanes>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
        else if (Tier.UseV128)
        {
            SmallGemm<V128Lanes>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
        else
        {
            SmallGemm<ScalarLanes>.Multiply(a, lda, b, ldb, c, ldc, rows, k, n);
        }
    }
}

/// <summary>The body of <see cref="SmallGemm"/> for one register width.</summary>
/// <typeparam name="TLanes">The width.</typeparam>
internal static unsafe class SmallGemm<TLanes>
    where TLanes : struct, IDoubleLanes<TLanes>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(double* a, nint lda, double* b, nint ldb, double* c, nint ldc, int rows, int k, int n)
    {
        nint w = TLanes.Count, nr = 2 * w;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            double* a0 = a + (r * lda), a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            double* c0 = c + (r * ldc);
            for (nint j = 0; j < n; j += nr)
            {
                Tile4(a0, a1, a2, a3, b + j, ldb, c0 + j, ldc, k);
            }
        }

        for (; r < rows; r++)
        {
            double* ar = a + (r * lda), cr = c + (r * ldc);
            for (nint j = 0; j < n; j += nr)
            {
                Tile1(ar, b + j, ldb, cr + j, k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(double* a0, double* a1, double* a2, double* a3, double* b, nint ldb, double* c, nint ldc, int k)
    {
        nint w = TLanes.Count;
        TLanes c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero;
        TLanes c20 = TLanes.Zero, c21 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero;
        for (nint kk = 0; kk < k; kk++)
        {
            double* bk = b + (kk * ldb);
            TLanes b0 = TLanes.Load(bk), b1 = TLanes.Load(bk + w);
            TLanes x = TLanes.Broadcast(a0[kk]);
            c00 = TLanes.MulAdd(x, b0, c00);
            c01 = TLanes.MulAdd(x, b1, c01);
            x = TLanes.Broadcast(a1[kk]);
            c10 = TLanes.MulAdd(x, b0, c10);
            c11 = TLanes.MulAdd(x, b1, c11);
            x = TLanes.Broadcast(a2[kk]);
            c20 = TLanes.MulAdd(x, b0, c20);
            c21 = TLanes.MulAdd(x, b1, c21);
            x = TLanes.Broadcast(a3[kk]);
            c30 = TLanes.MulAdd(x, b0, c30);
            c31 = TLanes.MulAdd(x, b1, c31);
        }


        TLanes.Store(c, c00);
        TLanes.Store(c + w, c01);
        TLanes.Store(c + ldc, c10);
        TLanes.Store(c + ldc + w, c11);
        TLanes.Store(c + (2 * ldc), c20);
        TLanes.Store(c + (2 * ldc) + w, c21);
        TLanes.Store(c + (3 * ldc), c30);
        TLanes.Store(c + (3 * ldc) + w, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1(double* a0, double* b, nint ldb, double* c, int k)
    {
        nint w = TLanes.Count;
        TLanes c00 = TLanes.Zero, c01 = TLanes.Zero;
        for (nint kk = 0; kk < k; kk++)
        {
            double* bk = b + (kk * ldb);
            TLanes x = TLanes.Broadcast(a0[kk]);
            c00 = TLanes.MulAdd(x, TLanes.Load(bk), c00);
            c01 = TLanes.MulAdd(x, TLanes.Load(bk + w), c01);
        }


        TLanes.Store(c, c00);
        TLanes.Store(c + w, c01);
    }
}
