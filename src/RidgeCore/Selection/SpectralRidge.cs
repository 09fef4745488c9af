using System;
using System.Globalization;

namespace RidgeCore.Selection;

/// <summary>
/// One ridge problem in the eigenbasis of its scaled Gram, from which every λ costs O(p²·t) or less.
/// </summary>
/// <remarks>
/// <para>With the load λ·dⱼ on coordinate j (dⱼ = Σw·fⱼ, or fⱼ·Gⱼⱼ when standardizing: exactly
/// <see cref="RidgeOptions"/>' convention) substitute θ = S·θ′ with S = diag(1/√dⱼ): the problem becomes
/// (G′ + λI)θ′ = c″ with G′ = S·G·S and c″ = S·Cxy. With G′ = V·Λ·Vᵀ and c′ = Vᵀc″:</para>
/// <code>
///   θ(λ)   = S·V·diag(1/(Λ + λ))·c′
///   df(λ)  = Σₖ Λₖ/(Λₖ + λ)
///   RSS(λ) = Cyy − Σₖ c′ₖ²·(Λₖ + 2λ)/(Λₖ + λ)²
/// </code>
/// <para>Constant columns dropped by standardization get sⱼ = 0, so their coefficients are exactly 0, as in a fit.
/// Eigenvalues below zero by rounding are set to zero.</para>
/// </remarks>
internal sealed class SpectralRidge : IDisposable
{
    private const double Epsilon = 2.220446049250313e-16;
    private const double ConstantTolerance = 256 * Epsilon;

    private readonly int _p;
    private readonly int _t;
    private readonly SymmetricEigenSolver _eigen;
    private readonly double[] _gram;
    private readonly double[] _rhs;
    private readonly double[] _cyy;
    private readonly double[] _work;
    private readonly double[] _diagonal;
    private readonly double[] _offDiagonal;
    private readonly double[] _solveScratch;
    private bool _tridiagonal;

    public SpectralRidge(int features, int targets)
    {
        _p = features;
        _t = targets;
        _eigen = new SymmetricEigenSolver(features);
        _gram = new double[features * features];
        _rhs = new double[features * targets];
        _cyy = new double[targets * targets];
        _work = new double[features * targets];
        _diagonal = new double[features];
        _offDiagonal = new double[features];
        _solveScratch = new double[2 * features * Kernels.Selection.ShiftedTridiagonalSolve.MaxLanes];
        MeanX = new double[features];
        MeanY = new double[targets];
        Scale = new double[features];
        Values = new double[features];
        Vectors = new double[features * features];
        Projected = new double[features * targets];
        TotalSquares = new double[targets];
    }

    public int Features => _p;

    public int Targets => _t;

    public bool Intercept { get; private set; }

    public double WeightSum { get; private set; }

    /// <summary>Weighted means of X (zero without an intercept).</summary>
    public double[] MeanX { get; }

    /// <summary>Weighted means of Y (zero without an intercept).</summary>
    public double[] MeanY { get; }

    /// <summary>sⱼ = 1/√dⱼ (0 for a dropped constant column).</summary>
    public double[] Scale { get; }

    /// <summary>Λ, ascending, non-negative.</summary>
    public double[] Values { get; }

    /// <summary>V, p × p row-major, column k the eigenvector of Λₖ (not valid after <see cref="LoadTridiagonal"/>).</summary>
    public double[] Vectors { get; }

    /// <summary>c′ = Vᵀ·S·Cxy, p × t row-major (after <see cref="LoadTridiagonal"/>: Qᵀ·S·Cxy).</summary>
    public double[] Projected { get; }

    /// <summary>Cyyₖₖ per target (about the mean with an intercept, about zero without).</summary>
    public double[] TotalSquares { get; }

    /// <summary>The number of columns that take part (not dropped as constant).</summary>
    public int ActiveColumns { get; private set; }

    public void Dispose() => _eigen.Dispose();

    /// <summary>Reads centered statistics, forms the scaled Gram and decomposes it.</summary>
    public void Load(GramAccumulator statistics, bool intercept, bool standardize, ReadOnlySpan<double> factors)
    {
        int p = _p, t = _t;
        Prepare(statistics, intercept, standardize, factors);
        _eigen.Decompose(new MatrixView<double>(_gram, p, p));
        ReadOnlySpan<double> values = _eigen.Values;
        for (int k = 0; k < p; k++)
        {
            Values[k] = Math.Max(0.0, values[k]);
        }

        _eigen.Vectors.CopyTo(Vectors);
        for (int k = 0; k < p; k++)
        {
            for (int q = 0; q < t; q++)
            {
                double s = 0;
                for (int j = 0; j < p; j++)
                {
                    s += Vectors[(j * p) + k] * Scale[j] * _rhs[(j * t) + q];
                }

                Projected[(k * t) + q] = s;
            }
        }

        _tridiagonal = false;
    }

    /// <summary>
    /// Reads centered statistics, forms the scaled Gram G′ and reduces it to tridiagonal form only, G′ = Q·T·Qᵀ,
    /// without the QL iteration and without forming Q (it stays as p − 2 reflectors in the eigensolver): enough for
    /// <see cref="TryFillShrunk"/> and <see cref="Expand"/> (k-fold scoring), where each λ then costs one O(p)
    /// tridiagonal solve per target instead of the 3p³ to 6p³ flops of the eigenvectors, and Q is applied to all
    /// λ at once. <see cref="Values"/>, <see cref="Vectors"/> and everything built on them are not valid after it.
    /// </summary>
    public unsafe void LoadTridiagonal(GramAccumulator statistics, bool intercept, bool standardize, ReadOnlySpan<double> factors)
    {
        int p = _p, t = _t;
        Prepare(statistics, intercept, standardize, factors);
        _eigen.Tridiagonalize(new MatrixView<double>(_gram, p, p), _diagonal, _offDiagonal, default);

        // Projected = Qᵀ·S·Cxy, p × t.
        for (int j = 0; j < p; j++)
        {
            for (int q = 0; q < t; q++)
            {
                Projected[(j * t) + q] = Scale[j] * _rhs[(j * t) + q];
            }
        }

        fixed (double* projected = Projected, scratch = _work)
        {
            _eigen.ApplyBasisTransposed(projected, t, t, scratch);
        }

        _tridiagonal = true;
    }

    /// <summary>
    /// Θ = B·A for the coordinates A of <see cref="TryFillShrunk"/> (p × <paramref name="columns"/>, row stride
    /// <paramref name="stride"/>), written to <paramref name="theta"/> (same shape): B = S·V after <see cref="Load"/>
    /// (formed into <paramref name="scratch"/>, p² doubles, and multiplied by <see cref="Kernels.Selection.SmallGemm"/>), B = S·Q
    /// after <see cref="LoadTridiagonal"/> (Q applied by its reflectors; scratch needs <paramref name="columns"/>
    /// doubles). Column c of Θ is then θ for the λ and target of column c of A.
    /// </summary>
    public unsafe void Expand(double* shrunk, double* theta, nint stride, int columns, double* scratch)
    {
        int p = _p;
        if (_tridiagonal)
        {
            for (int j = 0; j < p; j++)
            {
                new ReadOnlySpan<double>(shrunk + (j * stride), columns).CopyTo(new Span<double>(theta + (j * stride), columns));
            }

            _eigen.ApplyBasis(theta, stride, columns, scratch);
            for (int j = 0; j < p; j++)
            {
                double s = Scale[j];
                double* row = theta + (j * stride);
                for (int c = 0; c < columns; c++)
                {
                    row[c] *= s;
                }
            }

            return;
        }

        for (int j = 0; j < p; j++)
        {
            double s = Scale[j];
            double* row = scratch + ((nint)j * p);
            for (int k = 0; k < p; k++)
            {
                row[k] = s * Vectors[(j * p) + k];
            }
        }

        Kernels.Selection.SmallGemm.Multiply(scratch, p, shrunk, stride, theta, stride, p, p, columns);
    }

    /// <summary>
    /// The coordinates a(λ) with θ(λ) = B·a(λ) (<see cref="Expand"/>) for every λ and target:
    /// shrunk[k·stride + q·targetStride + l] = aₖ of target q at λ = grid[l]. In the eigenbasis aₖ = c′ₖ/(Λₖ + λ);
    /// in the tridiagonal basis a = (T + λI)⁻¹·c′, by LDLᵀ solves vectorized across λ
    /// (<see cref="Kernels.Selection.ShiftedTridiagonalSolve"/>). Returns false, with nothing usable written, when
    /// a pivot of T + λI is not clearly positive (a λ far below the rounding level of the Gram): then only the
    /// eigenbasis, whose eigenvalues are clamped at zero, gives the answer the fit would.
    /// </summary>
    public unsafe bool TryFillShrunk(ReadOnlySpan<double> grid, double* shrunk, nint stride, nint targetStride)
    {
        int p = _p, t = _t, count = grid.Length;
        if (!_tridiagonal)
        {
            for (int k = 0; k < p; k++)
            {
                double* row = shrunk + (k * stride);
                for (int l = 0; l < count; l++)
                {
                    double inverse = 1.0 / (Values[k] + grid[l]);
                    for (int q = 0; q < t; q++)
                    {
                        row[(q * targetStride) + l] = Projected[(k * t) + q] * inverse;
                    }
                }
            }

            return true;
        }

        // Pivots of an SPD tridiagonal matrix are at least its smallest eigenvalue; one below the rounding level of T
        // (p·ε·‖T‖) means T + λI is numerically singular or indefinite.
        double norm = 0;
        for (int i = 0; i < p; i++)
        {
            double row = Math.Abs(_diagonal[i]) + (i > 0 ? Math.Abs(_offDiagonal[i - 1]) : 0) + (i < p - 1 ? Math.Abs(_offDiagonal[i]) : 0);
            norm = Math.Max(norm, row);
        }

        double floor = p * Epsilon * norm;
        fixed (double* d = _diagonal, e = _offDiagonal, rhs = Projected, scratch = _solveScratch)
        {
            if (!Kernels.Selection.ShiftedTridiagonalSolve.Run(d, e, p, grid, floor, rhs, t, shrunk, stride, targetStride, scratch))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The centered (or, without an intercept, raw) scaled Gram G′ = S·G·S and right-hand side, the means,
    /// weights and scales, shared by both loads.</summary>
    private void Prepare(GramAccumulator statistics, bool intercept, bool standardize, ReadOnlySpan<double> factors)
    {
        int p = _p, t = _t;
        statistics.CopyCxx(_gram);
        statistics.CopyCxy(_rhs);
        statistics.CopyCyy(_cyy);
        double w = statistics.WeightSum;
        WeightSum = w;
        Intercept = intercept;
        statistics.MeanX.CopyTo(MeanX);
        statistics.MeanY.CopyTo(MeanY);
        if (!intercept)
        {
            // Raw cross products from centered ones: XᵀWX = Cxx + Σw·x̄x̄ᵀ, and so on.
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    _gram[(i * p) + j] += w * MeanX[i] * MeanX[j];
                }

                for (int k = 0; k < t; k++)
                {
                    _rhs[(i * t) + k] += w * MeanX[i] * MeanY[k];
                }
            }

            for (int k = 0; k < t; k++)
            {
                _cyy[(k * t) + k] += w * MeanY[k] * MeanY[k];
            }

            Array.Clear(MeanX);
            Array.Clear(MeanY);
        }

        int active = 0;
        for (int j = 0; j < p; j++)
        {
            double f = factors.IsEmpty ? 1.0 : factors[j];
            double gjj = _gram[(j * p) + j];
            double load;
            if (standardize)
            {
                double tolerance = intercept ? ConstantTolerance * Math.Abs(statistics.MeanX[j]) : 0;
                load = gjj > w * tolerance * tolerance ? f * gjj : 0;
            }
            else
            {
                load = w * f;
            }

            Scale[j] = load > 0 ? 1.0 / Math.Sqrt(load) : 0.0;
            active += load > 0 ? 1 : 0;
        }

        ActiveColumns = active;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                _gram[(i * p) + j] *= Scale[i] * Scale[j];
            }
        }

        for (int q = 0; q < t; q++)
        {
            TotalSquares[q] = _cyy[(q * t) + q];
        }
    }

    /// <summary>df(λ) = Σ Λₖ/(Λₖ + λ) (the intercept not counted).</summary>
    public double DegreesOfFreedom(double lambda)
    {
        double df = 0;
        foreach (double v in Values)
        {
            df += v / (v + lambda);
        }

        return df;
    }

    /// <summary>θ(λ), p × t row-major, on the original scale of X: per target, the shrunk coordinates c′/(Λ + λ)
    /// (contiguous), then one vectorized dot product with each row of V.</summary>
    public void Coefficients(double lambda, Span<double> theta)
    {
        int p = _p, t = _t;
        Span<double> shrunk = _work.AsSpan(0, p);
        for (int q = 0; q < t; q++)
        {
            for (int k = 0; k < p; k++)
            {
                shrunk[k] = Projected[(k * t) + q] / (Values[k] + lambda);
            }

            for (int j = 0; j < p; j++)
            {
                theta[(j * t) + q] = Scale[j] * VectorPrimitives.Dot(Vectors.AsSpan(j * p, p), shrunk);
            }
        }
    }

    /// <summary>b = ȳ − x̄ᵀθ for target q (0 without an intercept).</summary>
    public double InterceptOf(int q, ReadOnlySpan<double> theta)
    {
        if (!Intercept)
        {
            return 0;
        }

        double b = MeanY[q];
        for (int j = 0; j < _p; j++)
        {
            b -= MeanX[j] * theta[(j * _t) + q];
        }

        return b;
    }

    /// <summary>The weighted residual sum of squares of target q at λ, from the statistics (clamped at zero).</summary>
    public double ResidualSumOfSquares(double lambda, int q)
    {
        double explained = 0;
        for (int k = 0; k < _p; k++)
        {
            double c = Projected[(k * _t) + q], v = Values[k], d = v + lambda;
            explained += c * c * (v + (2 * lambda)) / (d * d);
        }

        return Math.Max(0.0, TotalSquares[q] - explained);
    }

    /// <summary>
    /// The default grid: <paramref name="destination"/>.Length values log-spaced from the λ where df(λ) = 1 % of the
    /// active columns down to the λ where df(λ) = 99 % of min(m − 1, p) (m − 1 becomes m without an intercept, m the
    /// rows of positive weight; p is capped by the numerical rank of the Gram), largest first.
    /// </summary>
    public void DefaultGrid(long positiveRows, Span<double> destination)
    {
        int p = _p;
        double largest = Values[p - 1];
        if (!(largest > 0))
        {
            Models.RidgeThrow.Shape("x", "The features have no variation (the Gram matrix is zero), so no λ grid can be derived from them.");
        }

        int rank = 0;
        double smallestKept = largest;
        foreach (double v in Values)
        {
            if (v > largest * p * 4 * Epsilon)
            {
                rank++;
                smallestKept = Math.Min(smallestKept, v);
            }
        }

        long dof = Intercept ? positiveRows - 1 : positiveRows;
        double high = 0.99 * Math.Min(Math.Min(dof, ActiveColumns), rank);
        double low = 0.01 * ActiveColumns;
        if (!(high > low))
        {
            low = 0.01 * high;
        }

        if (!(high > 0))
        {
            Models.RidgeThrow.Shape("x", string.Create(CultureInfo.InvariantCulture, $"Too few rows ({positiveRows} of positive weight) to derive a λ grid."));
        }

        double lambdaHigh = LambdaForDegreesOfFreedom(low, smallestKept * 1e-8, largest * 1e6);
        double lambdaLow = LambdaForDegreesOfFreedom(high, smallestKept * 1e-8, largest * 1e6);
        int count = destination.Length;
        double a = Math.Log(lambdaHigh), b = Math.Log(lambdaLow);
        for (int i = 0; i < count; i++)
        {
            destination[i] = count == 1 ? lambdaHigh : Math.Exp(a + ((b - a) * i / (count - 1)));
        }
    }

    /// <summary>The λ where the (decreasing) df(λ) equals <paramref name="target"/>, by bisection on log λ.</summary>
    private double LambdaForDegreesOfFreedom(double target, double lower, double upper)
    {
        double lo = Math.Log(lower), hi = Math.Log(upper);
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (DegreesOfFreedom(Math.Exp(mid)) > target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Math.Exp(0.5 * (lo + hi));
    }
}
