using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RidgeCore.Models;

/// <summary>
/// The data passes of iterative refinement: each reads X, Y (and the weights) once and accumulates, in compensated
/// (double-double) arithmetic, the quantities a refinement step needs. Everything is computed from the data as given:
/// float input is widened exactly, so a float fit refines towards the exact solution for its float data.
/// </summary>
/// <remarks>
/// <para><b>Why compensated.</b> At the solution the gradient Σᵢ wᵢ x̃ᵢ uᵢ cancels to zero from terms of size
/// |x̃||u|, and the residual uᵢ = ỹᵢ − x̃ᵢθ itself cancels from terms of size |y| (NIST Longley: |y| ≈ 65 000 against
/// residuals of about 300). Carried in plain double, both lose digits in proportion to the conditioning, and
/// refinement then stalls near the accuracy the normal equations already had (about 11 to 12 digits on Longley);
/// carried exactly (TwoSum, TwoProduct) and rounded once, they let refinement converge to the last bit.</para>
/// <para><b>Centering.</b> x̃ = x − c, ỹ = y − d for any doubles c, d near the means: each difference is split
/// exactly into a rounded part and its error, and the pass returns Σ wᵢ x̃ᵢ uᵢ and Σ wᵢ uᵢ separately, so the caller
/// forms the exactly centered gradient Σ wᵢ(xᵢ − x̄)(uᵢ − ū) = Σ wᵢ x̃ᵢ uᵢ − (Σ wᵢ x̃ᵢ)(Σ wᵢ uᵢ)/Σw whatever c and d
/// were.</para>
/// <para><b>Layout.</b> Every per-feature vector (the centered row, shift, θ, sums) has <see cref="PaddedLength"/>
/// doubles with a zero tail, so the kernels of <see cref="IRefinementKernel"/> run whole vectors only; double rows of X
/// are read in place, float rows widened into a scratch row. Rows of weight zero are skipped. No allocation.</para>
/// </remarks>
internal static class RidgeRefinement
{
    /// <summary>p rounded up to a multiple of 8 (one 512-bit vector of doubles).</summary>
    public static int PaddedLength(int p) => (p + 7) & ~7;

    /// <summary>
    /// One residual pass for the targets of one group: with uᵢₖ = (yᵢₖ − dₖ) − Σⱼ (xᵢⱼ − cⱼ)·(θ + θlow)ⱼₖ,
    /// accumulates gₖⱼ = Σᵢ wᵢ (xᵢⱼ − cⱼ) uᵢₖ into (gHigh + gLow) and mₖ = Σᵢ wᵢ uᵢₖ into (mHigh + mLow).
    /// </summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="weights">n weights, or empty for unit weights.</param>
    /// <param name="shift">c, padded (zeros past p).</param>
    /// <param name="d">The column shifts for Y (t).</param>
    /// <param name="group">The target columns to process (g of them).</param>
    /// <param name="theta">θ for the group, target-major: g padded rows.</param>
    /// <param name="thetaLow">The trailing part of θ, same layout.</param>
    /// <param name="row">Scratch, one padded row whose tail is zero.</param>
    /// <param name="xHigh">Scratch, one padded row.</param>
    /// <param name="xLow">Scratch, one padded row.</param>
    /// <param name="gHigh">Receives the leading part of the gradient sums, g padded rows (overwritten).</param>
    /// <param name="gLow">Receives the trailing part, g padded rows (overwritten).</param>
    /// <param name="mHigh">Receives the leading part of Σ wᵢ uᵢₖ, g values (overwritten).</param>
    /// <param name="mLow">Receives the trailing part, g values (overwritten).</param>
    /// <param name="shiftSums">When not empty, the same pass also accumulates the shift sums (see <see cref="ShiftSums"/>).</param>
    public static void ResidualPass<T>(
        MatrixView<T> x,
        MatrixView<T> y,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<double> shift,
        ReadOnlySpan<double> d,
        ReadOnlySpan<int> group,
        ReadOnlySpan<double> theta,
        ReadOnlySpan<double> thetaLow,
        Span<double> row,
        Span<double> xHigh,
        Span<double> xLow,
        Span<double> gHigh,
        Span<double> gLow,
        Span<double> mHigh,
        Span<double> mLow,
        ShiftSums shiftSums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Compensated.HasFusedMultiplyAdd && Tier.UseV512)
        {
            ResidualPass<T, RefinementKernelV512>(x, y, weights, shift, d, group, theta, thetaLow, row, xHigh, xLow, gHigh, gLow, mHigh, mLow, shiftSums);
        }
        else if (Compensated.HasFusedMultiplyAdd && Tier.UseV256)
        {
            ResidualPass<T, RefinementKernelV256>(x, y, weights, shift, d, group, theta, thetaLow, row, xHigh, xLow, gHigh, gLow, mHigh, mLow, shiftSums);
        }
        else if (Compensated.HasFusedMultiplyAdd && Tier.UseV128)
        {
            ResidualPass<T, RefinementKernelV128>(x, y, weights, shift, d, group, theta, thetaLow, row, xHigh, xLow, gHigh, gLow, mHigh, mLow, shiftSums);
        }
        else
        {
            ResidualPass<T, RefinementKernelScalar>(x, y, weights, shift, d, group, theta, thetaLow, row, xHigh, xLow, gHigh, gLow, mHigh, mLow, shiftSums);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToDouble<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value) : (double)Unsafe.As<T, float>(ref value);

    private static void ResidualPass<T, TKernel>(
        MatrixView<T> x,
        MatrixView<T> y,
        ReadOnlySpan<T> weights,
        ReadOnlySpan<double> shift,
        ReadOnlySpan<double> d,
        ReadOnlySpan<int> group,
        ReadOnlySpan<double> theta,
        ReadOnlySpan<double> thetaLow,
        Span<double> row,
        Span<double> xHigh,
        Span<double> xLow,
        Span<double> gHigh,
        Span<double> gLow,
        Span<double> mHigh,
        Span<double> mLow,
        ShiftSums shiftSums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IRefinementKernel
    {
        int n = x.Rows, pp = row.Length, g = group.Length;
        bool weighted = !weights.IsEmpty, shifts = !shiftSums.IsEmpty;
        shiftSums.Clear();
        gHigh[..(g * pp)].Clear();
        gLow[..(g * pp)].Clear();
        mHigh[..g].Clear();
        mLow[..g].Clear();
        for (int i = 0; i < n; i++)
        {
            double wi = weighted ? ToDouble(weights[i]) : 1.0;
            if (wi == 0)
            {
                continue;
            }

            CenterRow<T, TKernel>(x.Row(i), shift, row, xHigh, xLow);
            ReadOnlySpan<T> yi = y.Row(i);
            if (shifts)
            {
                TKernel.AddWeightedSquares(xHigh, xLow, wi, shiftSums.XHigh, shiftSums.XLow, shiftSums.SquaresHigh, shiftSums.SquaresLow);
                for (int k = 0; k < yi.Length; k++)
                {
                    double h = Compensated.TwoSum(ToDouble(yi[k]), -d[k], out double l);
                    double v = Compensated.TwoProduct(wi, h, out double ve);
                    shiftSums.YHigh[k] = Compensated.TwoSum(shiftSums.YHigh[k], v, out double se);
                    shiftSums.YLow[k] += se + ve + (wi * l);
                }
            }

            for (int kk = 0; kk < g; kk++)
            {
                int k = group[kk];
                double start = Compensated.TwoSum(ToDouble(yi[k]), -d[k], out double startLow);
                double u = TKernel.Residual(start, startLow, xHigh, xLow, theta.Slice(kk * pp, pp), thetaLow.Slice(kk * pp, pp));

                // v = wᵢ·uᵢ exactly as vHigh + vLow.
                double vHigh = Compensated.TwoProduct(wi, u, out double vLow);
                mHigh[kk] = Compensated.TwoSum(mHigh[kk], vHigh, out double me);
                mLow[kk] += me + vLow;
                TKernel.AddProduct(xHigh, xLow, vHigh, vLow, gHigh.Slice(kk * pp, pp), gLow.Slice(kk * pp, pp));
            }
        }
    }

    /// <summary>
    /// xHigh + xLow = source − shift exactly, over the padded length. Double rows are read in place for their whole
    /// vectors (the leading multiple of 8) and only the few trailing values go through scalar code, so X is not copied;
    /// float rows are widened into the scratch row first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CenterRow<T, TKernel>(ReadOnlySpan<T> source, ReadOnlySpan<double> shift, Span<double> row, Span<double> xHigh, Span<double> xLow)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IRefinementKernel
    {
        if (typeof(T) != typeof(double))
        {
            LoadRow(source, row);
            TKernel.Center(row, shift, xHigh, xLow);
            return;
        }

        ReadOnlySpan<double> values = MemoryMarshal.Cast<T, double>(source);
        int whole = values.Length & ~7;
        TKernel.Center(values[..whole], shift[..whole], xHigh[..whole], xLow[..whole]);
        for (int j = whole; j < values.Length; j++)
        {
            xHigh[j] = Compensated.TwoSum(values[j], -shift[j], out double low);
            xLow[j] = low;
        }
    }

    /// <summary>Copies (widening float exactly) one row into the front of the padded scratch row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRow<T>(ReadOnlySpan<T> source, Span<double> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(source).CopyTo(row);
            return;
        }

        ReadOnlySpan<float> f = MemoryMarshal.Cast<T, float>(source);
        for (int j = 0; j < f.Length; j++)
        {
            row[j] = f[j];
        }
    }
}

/// <summary>
/// The shift sums a first refinement pass can gather on the way (one pass less): Σᵢ wᵢ(xᵢⱼ − cⱼ) and
/// Σᵢ wᵢ(xᵢⱼ − cⱼ)² per feature (padded) and Σᵢ wᵢ(yᵢₖ − dₖ) per target, each as high + low parts. They give exact means
/// x̄ = c + Σwᵢ(xᵢ − c)/Σw for the intercept and the centering correction of the gradient, and exact spreads for the
/// standardized load.
/// </summary>
internal readonly ref struct ShiftSums(Span<double> xHigh, Span<double> xLow, Span<double> squaresHigh, Span<double> squaresLow, Span<double> yHigh, Span<double> yLow)
{
    public Span<double> XHigh { get; } = xHigh;

    public Span<double> XLow { get; } = xLow;

    public Span<double> SquaresHigh { get; } = squaresHigh;

    public Span<double> SquaresLow { get; } = squaresLow;

    public Span<double> YHigh { get; } = yHigh;

    public Span<double> YLow { get; } = yLow;

    public bool IsEmpty => XHigh.IsEmpty;

    public void Clear()
    {
        XHigh.Clear();
        XLow.Clear();
        SquaresHigh.Clear();
        SquaresLow.Clear();
        YHigh.Clear();
        YLow.Clear();
    }
}
