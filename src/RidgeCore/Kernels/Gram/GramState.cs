using System;
using System.Numerics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Gram;

/// <summary>
/// One set of double-precision statistics over the q = p + t columns of [X | Y]: the weight sum W, the row count,
/// the weighted means μ (q values) and the co-moment matrix C (q × q row-major, lower triangle only). Cxx, Cxy and
/// Cyy are blocks of C. In uncentered mode μ stays zero and C holds raw cross products. Only the lower triangle
/// (with the diagonal) is ever read: the engine lets diagonal tiles spill sums into the strictly upper part, which
/// is scratch, so nothing may read it.
/// </summary>
internal sealed unsafe class GramState : IDisposable
{
    private readonly AlignedBuffer<double> _mean;
    private readonly AlignedBuffer<double> _c;

    public GramState(int q)
    {
        Q = q;
        _mean = new AlignedBuffer<double>(q);
        _c = new AlignedBuffer<double>((long)q * q);
    }

    public int Q { get; }

    public double Weight { get; set; }

    public long Rows { get; set; }

    public double* Mean => _mean.Pointer;

    public double* C => _c.Pointer;

    public void Clear()
    {
        Weight = 0;
        Rows = 0;
        _mean.Clear();
        _c.Clear();
    }

    public void CopyFrom(GramState other)
    {
        Weight = other.Weight;
        Rows = other.Rows;
        other._mean.Span.CopyTo(_mean.Span);
        CopyLower(other.C, C, Q);
    }

    /// <summary>
    /// Folds <paramref name="other"/> into this state with the pairwise update of Chan, Golub and LeVeque:
    /// δ = μ_B − μ_A, W = W_A + W_B, μ = μ_A + δ·W_B/W, C = C_A + C_B + (W_A·W_B/W)·δδᵀ. The correction is formed from
    /// the difference of means, never from raw sums, so data with a large common offset keeps its digits.
    /// </summary>
    public void MergeFrom(GramState other, bool centered)
    {
        Rows += other.Rows;
        if (other.Weight == 0)
        {
            return;
        }

        int q = Q;
        if (!centered)
        {
            AddLower(other.C, C, q);
            Weight += other.Weight;
            return;
        }

        double wa = Weight, wb = other.Weight, w = wa + wb;
        double f = wa * (wb / w);
        double* ma = Mean, mb = other.Mean, ca = C, cb = other.C;
        for (int i = 0; i < q; i++)
        {
            double di = mb[i] - ma[i];
            double fdi = f * di;
            double* ra = ca + ((long)i * q), rb = cb + ((long)i * q);
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                // The same operations as the scalar loop, lane by lane (no fused multiply-add), so the result does not
                // depend on the vector width.
                var vf = new Vector<double>(fdi);
                for (; j + Vector<double>.Count <= i + 1; j += Vector<double>.Count)
                {
                    Vector<double> delta = Vector.Load(mb + j) - Vector.Load(ma + j);
                    (Vector.Load(ra + j) + (Vector.Load(rb + j) + (vf * delta))).Store(ra + j);
                }
            }

            for (; j <= i; j++)
            {
                ra[j] += rb[j] + (fdi * (mb[j] - ma[j]));
            }
        }

        double share = wb / w;
        for (int i = 0; i < q; i++)
        {
            ma[i] += (mb[i] - ma[i]) * share;
        }

        Weight = w;
    }

    public void Dispose()
    {
        _mean.Dispose();
        _c.Dispose();
    }

    private static void CopyLower(double* src, double* dst, int q)
    {
        for (int i = 0; i < q; i++)
        {
            new ReadOnlySpan<double>(src + ((long)i * q), i + 1).CopyTo(new Span<double>(dst + ((long)i * q), i + 1));
        }
    }

    private static void AddLower(double* src, double* dst, int q)
    {
        for (int i = 0; i < q; i++)
        {
            VectorPrimitives.Axpy(1.0, new ReadOnlySpan<double>(src + ((long)i * q), i + 1), new Span<double>(dst + ((long)i * q), i + 1));
        }
    }
}
