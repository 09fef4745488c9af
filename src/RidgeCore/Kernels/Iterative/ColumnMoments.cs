using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RidgeCore.Kernels.Iterative;

/// <summary>
/// The weighted column means x̄ⱼ = Σ wᵢxᵢⱼ / W and centered sums of squares Σ wᵢ(xᵢⱼ − x̄ⱼ)² of X in one pass over
/// memory: the rows go by blocks small enough to stay in L1, each block's own mean and sum of squares about it are
/// found by two sweeps over the cached block, and the block joins the running totals by Chan's pairwise update
/// (δ = m_b − x̄, W' = W + W_b, x̄ += δ·W_b/W', M += M_b + δ²·W·W_b/W'). That is as accurate as the two-pass formula
/// (no Σwx² − W·x̄² cancellation: a column with mean 10⁶ and unit spread keeps its digits) at the cost of one read of X.
/// Uncentered, it returns Σ wᵢxᵢⱼ² and zero means, in one sweep. A NaN or ±∞ anywhere in X (even in a row of weight
/// 0) makes the result report <c>false</c>, so the caller can name the offending value without a separate scan.
/// </summary>
internal static class ColumnMoments
{
    /// <summary>Bytes of X per block: two sweeps over 16 KiB stay inside a 32 KiB L1d.</summary>
    private const int BlockBytes = 16 * 1024;

    /// <summary>Computes the moments of the rows of <paramref name="x"/>.</summary>
    /// <param name="x">The rows.</param>
    /// <param name="w">Weights (finite, ≥ 0), or empty for unit weights.</param>
    /// <param name="centered">Means and sums of squares about them; otherwise zero means and Σ wᵢxᵢⱼ².</param>
    /// <param name="mean">Receives the means (p values; zero when not centered or when W = 0).</param>
    /// <param name="squares">Receives the sums of squares (p values).</param>
    /// <returns>Whether every value of X was finite (when false, the outputs are meaningless).</returns>
    public static bool Compute<T>(MatrixView<T> x, ReadOnlySpan<T> w, bool centered, Span<double> mean, Span<double> squares)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, p = x.Columns;
        mean = mean.Slice(0, p);
        squares = squares.Slice(0, p);
        mean.Clear();
        squares.Clear();
        double[]? rented = null;
        Span<double> scratch = p <= 256 ? stackalloc double[2 * p] : (rented = System.Buffers.ArrayPool<double>.Shared.Rent(2 * p));
        Span<double> blockSum = scratch.Slice(0, p), blockSquares = scratch.Slice(p, p);
        int blockRows = Math.Clamp(BlockBytes / Math.Max(1, p * Unsafe.SizeOf<T>()), 4, 256);
        double total = 0;
        double guard = 0;
        for (int r0 = 0; r0 < n; r0 += blockRows)
        {
            int rows = Math.Min(blockRows, n - r0);
            if (!centered)
            {
                Sweep(x, w, r0, rows, default, squares, squaresAbout: true);
                continue;
            }

            blockSum.Clear();
            double wb = Sweep(x, w, r0, rows, default, blockSum, squaresAbout: false);
            guard += VectorPrimitives.Sum(blockSum) * 0; // NaN when a value of the block is NaN or ±∞, whatever its weight
            if (!(wb > 0))
            {
                continue;
            }

            for (int j = 0; j < p; j++)
            {
                blockSum[j] /= wb; // the block's mean
            }

            blockSquares.Clear();
            Sweep(x, w, r0, rows, blockSum, blockSquares, squaresAbout: true);
            if (total == 0)
            {
                blockSum.CopyTo(mean);
                blockSquares.CopyTo(squares);
                total = wb;
                continue;
            }

            double next = total + wb, share = wb / next, cross = total * share;
            for (int j = 0; j < p; j++)
            {
                double delta = blockSum[j] - mean[j];
                mean[j] += delta * share;
                squares[j] += blockSquares[j] + (delta * delta * cross);
            }

            total = next;
        }

        if (rented is not null)
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rented);
        }

        // Uncentered, Σ w·x² is non-finite when any x is (0·∞ = NaN); centered, the guard and the sums are.
        return double.IsFinite(guard) && double.IsFinite(VectorPrimitives.Sum(squares)) && double.IsFinite(VectorPrimitives.Sum(mean));
    }

    /// <summary>Adds Σ wᵢxᵢⱼ (or, with <paramref name="squaresAbout"/>, Σ wᵢ(xᵢⱼ − cⱼ)², c = <paramref name="about"/> or
    /// zero when empty) over rows r0 .. r0 + rows into <paramref name="acc"/>; returns Σ wᵢ over those rows.</summary>
    private static double Sweep<T>(MatrixView<T> x, ReadOnlySpan<T> w, int r0, int rows, ReadOnlySpan<double> about, Span<double> acc, bool squaresAbout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint p = (nuint)x.Columns;
        double wsum = 0;
        nuint vc = (nuint)Vector<double>.Count;
        bool shifted = !about.IsEmpty;
        ref double a0 = ref MemoryMarshal.GetReference(acc);
        ref double c0 = ref MemoryMarshal.GetReference(about);
        ref T x0 = ref MemoryMarshal.GetReference(x.Data);
        for (int i = r0; i < r0 + rows; i++)
        {
            double wi = w.IsEmpty ? 1 : double.CreateTruncating(w[i]);
            wsum += wi;
            ref T row = ref Unsafe.Add(ref x0, (nint)i * x.RowStride);
            var vw = new Vector<double>(wi);
            nuint j = 0;
            if (Vector.IsHardwareAccelerated && typeof(T) == typeof(double))
            {
                ref double rd = ref Unsafe.As<T, double>(ref row);
                if (!squaresAbout)
                {
                    for (; j + vc <= p; j += vc)
                    {
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw, Vector.LoadUnsafe(ref rd, j), Vector.LoadUnsafe(ref a0, j)), ref a0, j);
                    }
                }
                else if (shifted)
                {
                    for (; j + vc <= p; j += vc)
                    {
                        Vector<double> d = Vector.LoadUnsafe(ref rd, j) - Vector.LoadUnsafe(ref c0, j);
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw * d, d, Vector.LoadUnsafe(ref a0, j)), ref a0, j);
                    }
                }
                else
                {
                    for (; j + vc <= p; j += vc)
                    {
                        Vector<double> d = Vector.LoadUnsafe(ref rd, j);
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw * d, d, Vector.LoadUnsafe(ref a0, j)), ref a0, j);
                    }
                }
            }
            else if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
            {
                ref float rf = ref Unsafe.As<T, float>(ref row);
                for (; j + (2 * vc) <= p; j += 2 * vc)
                {
                    Vector.Widen(Vector.LoadUnsafe(ref rf, j), out Vector<double> lo, out Vector<double> hi);
                    if (squaresAbout)
                    {
                        Vector<double> d0 = shifted ? lo - Vector.LoadUnsafe(ref c0, j) : lo;
                        Vector<double> d1 = shifted ? hi - Vector.LoadUnsafe(ref c0, j + vc) : hi;
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw * d0, d0, Vector.LoadUnsafe(ref a0, j)), ref a0, j);
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw * d1, d1, Vector.LoadUnsafe(ref a0, j + vc)), ref a0, j + vc);
                    }
                    else
                    {
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw, lo, Vector.LoadUnsafe(ref a0, j)), ref a0, j);
                        Vector.StoreUnsafe(Vector.MultiplyAddEstimate(vw, hi, Vector.LoadUnsafe(ref a0, j + vc)), ref a0, j + vc);
                    }
                }
            }

            for (; j < p; j++)
            {
                double v = double.CreateTruncating(Unsafe.Add(ref row, j));
                ref double slot = ref Unsafe.Add(ref a0, j);
                if (squaresAbout)
                {
                    double d = shifted ? v - Unsafe.Add(ref c0, j) : v;
                    slot = double.MultiplyAddEstimate(wi * d, d, slot);
                }
                else
                {
                    slot = double.MultiplyAddEstimate(wi, v, slot);
                }
            }
        }

        return wsum;
    }
}
