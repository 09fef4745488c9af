using System;

namespace RidgeCore.Models;

/// <summary>
/// The per-row arithmetic of the refinement passes, in compensated (double-double) form, once per kernel family. Every
/// span has the same padded length, a multiple of 8 (the widest vector), with zeros past the p real values, so the
/// vector bodies need no tail: a padded lane contributes exactly zero. The vector families require a fused
/// multiply-add (TwoProduct is one FMA); without one the scalar family runs, with Dekker's product.
/// </summary>
internal interface IRefinementKernel
{
    /// <summary>high + low = row − shift exactly (TwoSum per element).</summary>
    static abstract void Center(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> high, Span<double> low);

    /// <summary>(start + startLow) − Σⱼ (xHigh + xLow)ⱼ·(theta + thetaLow)ⱼ, accumulated in double-double and rounded
    /// once.</summary>
    static abstract double Residual(
        double start, double startLow, ReadOnlySpan<double> xHigh, ReadOnlySpan<double> xLow, ReadOnlySpan<double> theta, ReadOnlySpan<double> thetaLow);

    /// <summary>(sumHigh + sumLow)ⱼ += (xHigh + xLow)ⱼ·(vHigh + vLow), dropping only the second-order xLow·vLow.</summary>
    static abstract void AddProduct(
        ReadOnlySpan<double> xHigh, ReadOnlySpan<double> xLow, double vHigh, double vLow, Span<double> sumHigh, Span<double> sumLow);

    /// <summary>(sumHigh + sumLow)ⱼ += w·(xHigh + xLow)ⱼ and (squaresHigh + squaresLow)ⱼ += w·(xHigh + xLow)ⱼ².</summary>
    static abstract void AddWeightedSquares(
        ReadOnlySpan<double> xHigh,
        ReadOnlySpan<double> xLow,
        double w,
        Span<double> sumHigh,
        Span<double> sumLow,
        Span<double> squaresHigh,
        Span<double> squaresLow);
}
