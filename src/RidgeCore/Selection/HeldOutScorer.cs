using System;
using RidgeCore.Internal;
using RidgeCore.Kernels.Selection;

namespace RidgeCore.Selection;

/// <summary>
/// The held-out error of one k-fold split for every λ of the grid at once, from statistics only: the training set's
/// spectral form and the held-out fold's accumulator. A reusable workspace for one (p, t, grid length): the
/// constructor allocates, <see cref="TryScore"/> does not.
/// </summary>
/// <remarks>
/// <para>With θ(λ) the training fit and b(λ) its intercept, the held-out weighted squared error of target q is, with
/// the held-out co-moments Cxxₕ, Cxyₕ, Cyyₕ (about the held-out means x̄ₕ, ȳₕ), weight Wₕ and
/// δ = ȳₕ − b − x̄ₕᵀθ = (ȳₕ − ȳₜ) − (x̄ₕ − x̄ₜ)ᵀθ (training means x̄ₜ, ȳₜ; zero without an intercept):</para>
/// <code>
///   SSE = Cyyₕ − 2θᵀCxyₕ + θᵀCxxₕθ + Wₕ·δ²
/// </code>
/// <para>Every λ together: the training form gives coordinates A (p × t·L, one column per λ and target) with
/// θ(λ) = B·a(λ), B = S·V in the eigenbasis or S·Q in the tridiagonal one (<see cref="SpectralRidge.TryFillShrunk"/>);
/// Θ = B·A (<see cref="SpectralRidge.Expand"/>) holds every θ(λ) as a column, and CΘ = Cxxₕ·Θ, a
/// <see cref="SmallGemm"/> product, gives every quadratic form: about 4p²·t·L flops in all, in long vectorized rows,
/// in place of 2·t·L matrix-vector products through separate dot-product calls (which cost several times more at
/// p = 64: call and reduction overhead per row). The column sums that remain, O(p·t·L), are plain loops: a p-th of
/// the products' work.</para>
/// </remarks>
internal sealed unsafe class HeldOutScorer : IDisposable
{
    private readonly int _p;
    private readonly int _t;
    private readonly int _count;
    private readonly int _ln;
    private readonly int _ltn;
    private readonly AlignedBuffer<double> _expandScratch;
    private readonly AlignedBuffer<double> _shrunk;
    private readonly AlignedBuffer<double> _theta;
    private readonly AlignedBuffer<double> _product;
    private readonly AlignedBuffer<double> _cxx;
    private readonly double[] _cxy;
    private readonly double[] _cyy;
    private readonly double[] _shiftX;

    public HeldOutScorer(int features, int targets, int count)
    {
        _p = features;
        _t = targets;
        _count = count;
        int nr = SmallGemm.PanelWidth;
        _ln = (count + nr - 1) / nr * nr;
        _ltn = targets * _ln;
        long wide = (long)features * _ltn;
        _expandScratch = new AlignedBuffer<double>(Math.Max((long)features * features, _ltn));
        _shrunk = new AlignedBuffer<double>(wide);
        _theta = new AlignedBuffer<double>(wide);
        _product = new AlignedBuffer<double>(wide);
        _cxx = new AlignedBuffer<double>((long)features * features);
        _cxy = new double[features * targets];
        _cyy = new double[targets * targets];
        _shiftX = new double[features];

        // Padded λ columns stay zero for good: their θ and products are zero and never read.
        _shrunk.Clear();
    }

    /// <summary>
    /// Writes the held-out MSE and R² of every (λ, target) pair: <paramref name="mse"/>[l·t + q] and
    /// <paramref name="rSquared"/>[l·t + q] (R² NaN when the held-out targets have no spread).
    /// </summary>
    /// <param name="train">The training set's spectral form (loaded).</param>
    /// <param name="held">The held-out fold's centered statistics (positive weight).</param>
    /// <param name="grid">The λ grid (length as given to the constructor).</param>
    /// <param name="mse">count·t values.</param>
    /// <param name="rSquared">count·t values.</param>
    /// <returns>False, with nothing written, when the training form cannot give the coordinates (see
    /// <see cref="SpectralRidge.TryFillShrunk"/>); load its eigenbasis and score again.</returns>
    public bool TryScore(SpectralRidge train, GramAccumulator held, ReadOnlySpan<double> grid, Span<double> mse, Span<double> rSquared)
    {
        int p = _p, t = _t, count = _count, ln = _ln, ltn = _ltn;
        double* expandScratch = _expandScratch.Pointer, shrunk = _shrunk.Pointer, theta = _theta.Pointer, product = _product.Pointer;
        if (!train.TryFillShrunk(grid, shrunk, ltn, ln))
        {
            return false;
        }

        train.Expand(shrunk, theta, ltn, ltn, expandScratch);
        held.CopyCxx(new Span<double>(_cxx.Pointer, p * p));
        held.CopyCxy(_cxy);
        held.CopyCyy(_cyy);
        SmallGemm.Multiply(_cxx.Pointer, p, theta, ltn, product, ltn, p, p, ltn);

        ReadOnlySpan<double> heldMeanX = held.MeanX, heldMeanY = held.MeanY;
        double[] trainMeanX = train.MeanX, trainMeanY = train.MeanY;
        for (int j = 0; j < p; j++)
        {
            _shiftX[j] = heldMeanX[j] - trainMeanX[j];
        }

        double wh = held.WeightSum;
        for (int q = 0; q < t; q++)
        {
            double cyy = _cyy[(q * t) + q], shiftY = heldMeanY[q] - trainMeanY[q];
            double variance = cyy / wh;
            for (int l = 0; l < count; l++)
            {
                nint column = (q * ln) + l;
                double cross = 0, quadratic = 0, offset = shiftY;
                for (int j = 0; j < p; j++)
                {
                    double thetaJ = theta[((nint)j * ltn) + column];
                    cross += thetaJ * _cxy[(j * t) + q];
                    quadratic += thetaJ * product[((nint)j * ltn) + column];
                    offset -= _shiftX[j] * thetaJ;
                }

                double sse = Math.Max(0, cyy - (2 * cross) + quadratic + (wh * offset * offset));
                double error = sse / wh;
                mse[(l * t) + q] = error;
                rSquared[(l * t) + q] = variance > 0 ? 1 - (error / variance) : double.NaN;
            }
        }

        return true;
    }

    public void Dispose()
    {
        _expandScratch.Dispose();
        _shrunk.Dispose();
        _theta.Dispose();
        _product.Dispose();
        _cxx.Dispose();
    }
}
