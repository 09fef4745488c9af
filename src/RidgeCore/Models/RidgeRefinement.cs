using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RidgeCore.Models;

/// <summary>
/// The data passes of iterative refinement: each reads X, Y (and the weights) once and accumulates, in compensated
/// (double-double) arithmetic, the quantities the refinement step needs. Everything is computed from the data as
/// given: float input is widened exactly, so a float fit refines towards the exact solution for its float data.
/// </summary>
/// <remarks>
/// <para><b>Why compensated.</b> At the solution the gradient Σᵢ wᵢ x̃ᵢ uᵢ cancels to zero from terms of size
/// |x̃||u|, and the residual uᵢ = ỹᵢ − x̃ᵢθ itself cancels from terms of size |y| (NIST Longley: |y| ≈ 65 000 against
/// residuals of about 300). Carried in plain double, both lose digits in proportion to the conditioning, and
/// refinement then stalls at the accuracy the normal equations already had (about 11 digits on Longley); carried
/// exactly (TwoSum, TwoProduct) and rounded once, they let refinement converge to nearly full precision.</para>
/// <para><b>Centering.</b> x̃ = x − c, ỹ = y − d for any doubles c, d close to the means (the accumulator's): each
/// difference is split exactly into a rounded part and its error, and the pass returns Σ wᵢ x̃ᵢ uᵢ and Σ wᵢ uᵢ
/// separately, so the caller forms the exactly centered gradient Σ wᵢ(xᵢ − x̄)(uᵢ − ū) = Σ wᵢ x̃ᵢ uᵢ − (Σ wᵢ x̃ᵢ)(Σ wᵢ uᵢ)/Σw
/// whatever c and d were.</para>
/// <para>Rows with weight zero are skipped. No allocation: every buffer is the caller's.</para>
/// </remarks>
internal static class RidgeRefinement
{
    /// <summary>
    /// One residual pass for the targets of one group: with uᵢₖ = (yᵢₖ − dₖ) − Σⱼ (xᵢⱼ − cⱼ)·θⱼₖ,
    /// accumulates gₖⱼ = Σᵢ wᵢ (xᵢⱼ − cⱼ) uᵢₖ into (gHigh + gLow) and mₖ = Σᵢ wᵢ uᵢₖ into (mHigh + mLow).
    /// </summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="weights">n weights, or empty for unit weights.</param>
    /// <param name="c">The column shifts for X (p).</param>
    /// <param name="d">The column shifts for Y (t).</param>
    /// <param name="group">The target columns to process (g of them).</param>
    /// <param name="thetaByTarget">θ for the group, target-major: g rows of p.</param>
    /// <param name="thetaLowByTarget">The trailing part of θ (θ is carried as θ + θlow), same layout.</param>
    /// <param name="xHigh">Scratch, p.</param>
    /// <param name="xLow">Scratch, p.</param>
    /// <param name="gHigh">Receives the leading part of the gradient sums, g rows of p (overwritten).</param>
    /// <param name="gLow">Receives the trailing part, g rows of p (overwritten).</param>
    /// <param name="mHigh">Receives the leading part of Σ wᵢ uᵢₖ, g values (overwritten).</param>
    /// <param name="mLow">Receives the trailing part, g values (overwritten).</param>
    public static void ResidualPass<T>(
        MatrixView<T> x,
        MatrixView<T> y,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<double> c,
        ReadOnlySpan<double> d,
        ReadOnlySpan<int> group,
        ReadOnlySpan<double> thetaByTarget,
        ReadOnlySpan<double> thetaLowByTarget,
        Span<double> xHigh,
        Span<double> xLow,
        Span<double> gHigh,
        Span<double> gLow,
        Span<double> mHigh,
        Span<double> mLow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, p = x.Columns, g = group.Length;
        bool weighted = !weights.IsEmpty;
        gHigh[..(g * p)].Clear();
        gLow[..(g * p)].Clear();
        mHigh[..g].Clear();
        mLow[..g].Clear();
        for (int i = 0; i < n; i++)
        {
            double wi = weighted ? ToDouble(weights[i]) : 1.0;
            if (wi == 0)
            {
                continue;
            }

            ReadOnlySpan<T> xi = x.Row(i);
            for (int j = 0; j < p; j++)
            {
                xHigh[j] = Compensated.TwoSum(ToDouble(xi[j]), -c[j], out double low);
                xLow[j] = low;
            }

            ReadOnlySpan<T> yi = y.Row(i);
            for (int kk = 0; kk < g; kk++)
            {
                int k = group[kk];
                double u = Residual(
                    ToDouble(yi[k]), d[k], xHigh[..p], xLow[..p], thetaByTarget.Slice(kk * p, p), thetaLowByTarget.Slice(kk * p, p));

                // v = wᵢ·uᵢ exactly as vHigh + vLow; then wᵢ·x̃ᵢⱼ·uᵢ = (xh + xl)(vh + vl), whose dropped part xl·vl is
                // second order.
                double vHigh = Compensated.TwoProduct(wi, u, out double vLow);
                mHigh[kk] = Compensated.TwoSum(mHigh[kk], vHigh, out double me);
                mLow[kk] += me + vLow;
                Span<double> gh = gHigh.Slice(kk * p, p);
                Span<double> gl = gLow.Slice(kk * p, p);
                for (int j = 0; j < p; j++)
                {
                    double q = Compensated.TwoProduct(xHigh[j], vHigh, out double qe);
                    gh[j] = Compensated.TwoSum(gh[j], q, out double se);
                    gl[j] += se + qe + Math.FusedMultiplyAdd(xHigh[j], vLow, xLow[j] * vHigh);
                }
            }
        }
    }

    /// <summary>
    /// The shift pass: Σᵢ wᵢ (xᵢⱼ − cⱼ) into (xSumHigh + xSumLow), Σᵢ wᵢ (xᵢⱼ − cⱼ)² into (xSquaresHigh + xSquaresLow) and
    /// Σᵢ wᵢ (yᵢₖ − dₖ) into (ySumHigh + ySumLow), compensated: exact means x̄ = c + Σ wᵢ(xᵢ − c)/Σw and exact spreads
    /// for the standardized load.
    /// </summary>
    public static void ShiftPass<T>(
        MatrixView<T> x,
        MatrixView<T> y,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<double> c,
        ReadOnlySpan<double> d,
        Span<double> xSumHigh,
        Span<double> xSumLow,
        Span<double> xSquaresHigh,
        Span<double> xSquaresLow,
        Span<double> ySumHigh,
        Span<double> ySumLow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, p = x.Columns, t = y.Columns;
        bool weighted = !weights.IsEmpty;
        xSumHigh[..p].Clear();
        xSumLow[..p].Clear();
        xSquaresHigh[..p].Clear();
        xSquaresLow[..p].Clear();
        ySumHigh[..t].Clear();
        ySumLow[..t].Clear();
        for (int i = 0; i < n; i++)
        {
            double wi = weighted ? ToDouble(weights[i]) : 1.0;
            if (wi == 0)
            {
                continue;
            }

            ReadOnlySpan<T> row = x.Row(i);
            for (int j = 0; j < p; j++)
            {
                double h = Compensated.TwoSum(ToDouble(row[j]), -c[j], out double l);
                double v = Compensated.TwoProduct(wi, h, out double ve);
                xSumHigh[j] = Compensated.TwoSum(xSumHigh[j], v, out double se);
                xSumLow[j] += se + ve + (wi * l);

                // wᵢ(h + l)² = v·h + (ve·h + 2·v·l) + O(l²).
                double q = Compensated.TwoProduct(v, h, out double qe);
                xSquaresHigh[j] = Compensated.TwoSum(xSquaresHigh[j], q, out double sqe);
                xSquaresLow[j] += sqe + qe + Math.FusedMultiplyAdd(ve, h, 2 * v * l);
            }

            AddShifted(y.Row(i), d, wi, ySumHigh, ySumLow);
        }
    }

    /// <summary>(y − d) − Σⱼ (xh + xl)ⱼ·(θ + θlow)ⱼ by Dot2 over four independent chains (so the loop is not bound by
    /// the latency of one TwoSum chain), rounded once at the end. The products xl·θ, xh·θlow are small and go straight
    /// into the error term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Residual(
        double yi, double di, ReadOnlySpan<double> xh, ReadOnlySpan<double> xl, ReadOnlySpan<double> theta, ReadOnlySpan<double> thetaLow)
    {
        double s0 = Compensated.TwoSum(yi, -di, out double e0);
        double s1 = 0, s2 = 0, s3 = 0, e1 = 0, e2 = 0, e3 = 0;
        int p = theta.Length, j = 0;
        for (; j + 4 <= p; j += 4)
        {
            Step(ref s0, ref e0, xh[j], xl[j], theta[j], thetaLow[j]);
            Step(ref s1, ref e1, xh[j + 1], xl[j + 1], theta[j + 1], thetaLow[j + 1]);
            Step(ref s2, ref e2, xh[j + 2], xl[j + 2], theta[j + 2], thetaLow[j + 2]);
            Step(ref s3, ref e3, xh[j + 3], xl[j + 3], theta[j + 3], thetaLow[j + 3]);
        }

        for (; j < p; j++)
        {
            Step(ref s0, ref e0, xh[j], xl[j], theta[j], thetaLow[j]);
        }

        double a = Compensated.TwoSum(s0, s1, out double ea);
        double b = Compensated.TwoSum(s2, s3, out double eb);
        double s = Compensated.TwoSum(a, b, out double es);
        return s + (((e0 + e1) + (e2 + e3)) + ((ea + eb) + es));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref double s, ref double e, double xh, double xl, double theta, double thetaLow)
    {
        double q = Compensated.TwoProduct(xh, theta, out double qe);
        s = Compensated.TwoSum(s, -q, out double se);
        e += se - Math.FusedMultiplyAdd(xl, theta, Math.FusedMultiplyAdd(xh, thetaLow, qe));
    }

    private static void AddShifted<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> shift, double wi, Span<double> high, Span<double> low)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < row.Length; j++)
        {
            double h = Compensated.TwoSum(ToDouble(row[j]), -shift[j], out double l);
            double q = Compensated.TwoProduct(wi, h, out double qe);
            high[j] = Compensated.TwoSum(high[j], q, out double se);
            low[j] += se + qe + (wi * l);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToDouble<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value) : (double)Unsafe.As<T, float>(ref value);
}
