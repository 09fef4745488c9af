using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RidgeCore.Kernels.Iterative;

namespace RidgeCore.Iterative;

/// <summary>
/// The ridge problem as the quadratic q(θ) = ½θᵀHθ − cᵀθ with H = C + Σw·λ·I (C the centered weighted Gram Cxx, or the
/// raw XᵀWX without an intercept) and c = Cxy: what gradient descent and conjugate gradient iterate on. Its gradient
/// Hθ − c is, up to the factor 2/Σw, the gradient of the project's objective at the optimal intercept b = ȳ − x̄ᵀθ.
/// </summary>
internal interface IRidgeQuadratic
{
    int Features { get; }

    double WeightSum { get; }

    double Lambda { get; set; }

    /// <summary>c = Cxy.</summary>
    ReadOnlySpan<double> RightHandSide { get; }

    /// <summary>Cyy, for the objective.</summary>
    double TargetSumOfSquares { get; }

    ReadOnlySpan<double> MeanX { get; }

    double MeanY { get; }

    /// <summary>hv ← H·v.</summary>
    void Apply(ReadOnlySpan<double> v, Span<double> hv);

    /// <summary>g ← H·θ − c.</summary>
    void Gradient(ReadOnlySpan<double> theta, Span<double> g);

    /// <summary>d ← diag(C) (without the load).</summary>
    void GramDiagonal(Span<double> d);
}

/// <summary>The quadratic from sufficient statistics: H·v is a symmetric matrix-vector product over the lower triangle
/// of Cxx only (2p² flops, streaming 4p² bytes: each row of the triangle is read once from memory for a dot product and
/// again from L1 for an axpy, so the upper triangle is never stored or read). A CG iteration is bound by that stream.</summary>
internal sealed class GramQuadratic : IRidgeQuadratic
{
    private readonly double[] _cxx;
    private readonly double[] _cxy;
    private readonly double[] _meanX;

    public GramQuadratic(GramAccumulator statistics)
    {
        if (statistics.Targets != 1)
        {
            throw new ArgumentException($"The iterative solvers fit one target; the statistics have {statistics.Targets}.", nameof(statistics));
        }

        if (!(statistics.WeightSum > 0))
        {
            throw new ArgumentException("The statistics have no row with positive weight (Σw = 0), so there is nothing to fit.", nameof(statistics));
        }

        int p = statistics.Features;
        Features = p;
        _cxx = new double[p * p];
        _cxy = new double[p];
        statistics.CopyCxx(_cxx, mirror: false);
        statistics.CopyCxy(_cxy);
        Span<double> cyy = stackalloc double[1];
        statistics.CopyCyy(cyy);
        TargetSumOfSquares = cyy[0];
        _meanX = statistics.MeanX.ToArray();
        MeanY = statistics.MeanY[0];
        WeightSum = statistics.WeightSum;
    }

    public int Features { get; }

    public double WeightSum { get; }

    public double Lambda { get; set; }

    public ReadOnlySpan<double> RightHandSide => _cxy;

    public double TargetSumOfSquares { get; }

    public ReadOnlySpan<double> MeanX => _meanX;

    public double MeanY { get; }

    /// <summary>Cxx, row-major, lower triangle only (the upper is zero), for a Cholesky solve of the same problem.</summary>
    public ReadOnlySpan<double> Gram => _cxx;

    public void Apply(ReadOnlySpan<double> v, Span<double> hv)
    {
        int p = Features;
        double load = WeightSum * Lambda;
        hv.Slice(0, p).Clear();
        for (int i = 0; i < p; i++)
        {
            // Row i of the strict lower triangle: it contributes Σⱼ Lᵢⱼvⱼ to hvᵢ and Lᵢⱼvᵢ to every hvⱼ, j < i.
            ReadOnlySpan<double> row = _cxx.AsSpan(i * p, i);
            hv[i] += VectorPrimitives.Dot(row, v.Slice(0, i)) + ((_cxx[(i * p) + i] + load) * v[i]);
            VectorPrimitives.Axpy(v[i], row, hv.Slice(0, i));
        }
    }

    public void Gradient(ReadOnlySpan<double> theta, Span<double> g)
    {
        Apply(theta, g);
        for (int i = 0; i < Features; i++)
        {
            g[i] -= _cxy[i];
        }
    }

    public void GramDiagonal(Span<double> d)
    {
        for (int i = 0; i < Features; i++)
        {
            d[i] = _cxx[(i * Features) + i];
        }
    }
}

/// <summary>
/// The quadratic straight from X (matrix-free): each product is one fused pass of <see cref="BatchGradientKernel"/> over
/// all rows, O(np) and nothing of size n written. Centering is applied through the intercept of the pass
/// (margins xᵢ·v − x̄·v) and a rank-one correction (subtract x̄·Σwᵢmᵢ), so X is never copied or centered in memory.
/// The pass runs in <typeparamref name="T"/> (float data stay float); the iteration's vectors are double.
/// </summary>
internal ref struct DataQuadratic<T> : IRidgeQuadratic
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ref T _x;
    private readonly nint _stride;
    private readonly int _rows;
    private readonly ReadOnlySpan<T> _y;
    private readonly ReadOnlySpan<T> _w;
    private readonly double[] _meanX;
    private readonly double[] _diagonal; // Σ wᵢ(xᵢⱼ − x̄ⱼ)², from the constructor's pass
    private readonly double[] _rhs;
    private readonly T[] _v;
    private readonly T[] _g;

    public DataQuadratic(MatrixView<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> w, double weightSum, bool intercept, string xName)
    {
        int n = x.Rows, p = x.Columns;
        _x = ref MemoryMarshal.GetReference(x.Data);
        _stride = x.RowStride;
        _rows = n;
        _y = y;
        _w = w;
        Features = p;
        WeightSum = weightSum;
        _meanX = new double[p];
        _diagonal = new double[p];
        _rhs = new double[p];
        _v = new T[p];
        _g = new T[p];

        // One pass over X: the means (when centering), the diagonal of XcᵀWXc for the Jacobi preconditioner, and the
        // finiteness check of X (a non-finite value makes the moments non-finite; then X is scanned to name it).
        if (!ColumnMoments.Compute(x, w, intercept, _meanX, _diagonal))
        {
            IterativeInput.CheckFinite(x, xName);
        }

        if (intercept)
        {
            double sy = 0;
            for (int i = 0; i < n; i++)
            {
                sy += (w.IsEmpty ? 1 : double.CreateTruncating(w[i])) * double.CreateTruncating(y[i]);
            }

            MeanY = sy / weightSum;
        }

        // c = Xcᵀ W yc: the residual pass at θ = 0 with intercept ȳ gives dᵢ = wᵢ(ȳ − yᵢ) = −wᵢ·ycᵢ, and its loss sum is
        // ½Σ wᵢ ycᵢ² = ½Cyy.
        Array.Clear(_v);
        BatchSums<T> sums = BatchGradientKernel.Run(
            default(ResidualLoss<T>), ref _x, _stride, p, default, 0, n, y, w, _v, T.One, T.CreateTruncating(MeanY), _g, computeLoss: true, streams: true);
        double dsum = double.CreateTruncating(sums.DerivativeSum);
        for (int j = 0; j < p; j++)
        {
            _rhs[j] = -(double.CreateTruncating(_g[j]) - (_meanX[j] * dsum));
        }

        TargetSumOfSquares = 2 * double.CreateTruncating(sums.LossSum);
    }

    public int Features { get; }

    public double WeightSum { get; }

    public double Lambda { get; set; }

    public readonly ReadOnlySpan<double> RightHandSide => _rhs;

    public double TargetSumOfSquares { get; }

    public readonly ReadOnlySpan<double> MeanX => _meanX;

    public double MeanY { get; }

    public readonly void Apply(ReadOnlySpan<double> v, Span<double> hv)
    {
        double shift = -VectorPrimitives.Dot(_meanX, v);
        Load(v);
        BatchSums<T> sums = BatchGradientKernel.Run(
            default(MarginIdentity<T>), ref _x, _stride, Features, default, 0, _rows, _y, _w, _v, T.One, T.CreateTruncating(shift), _g, computeLoss: false, streams: true);
        Finish(v, hv, double.CreateTruncating(sums.DerivativeSum));
    }

    public readonly void Gradient(ReadOnlySpan<double> theta, Span<double> g)
    {
        // One pass with the residuals rᵢ = xᵢθ + (ȳ − x̄θ) − yᵢ: the r = X_Bθ + b − y_B, g = X_Bᵀ(w⊙r) form.
        double b = MeanY - VectorPrimitives.Dot(_meanX, theta);
        Load(theta);
        BatchSums<T> sums = BatchGradientKernel.Run(
            default(ResidualLoss<T>), ref _x, _stride, Features, default, 0, _rows, _y, _w, _v, T.One, T.CreateTruncating(b), _g, computeLoss: false, streams: true);
        Finish(theta, g, double.CreateTruncating(sums.DerivativeSum));
    }

    public readonly void GramDiagonal(Span<double> d) => _diagonal.CopyTo(d);

    private readonly void Load(ReadOnlySpan<double> v)
    {
        for (int j = 0; j < Features; j++)
        {
            _v[j] = T.CreateTruncating(v[j]);
        }
    }

    private readonly void Finish(ReadOnlySpan<double> v, Span<double> result, double dsum)
    {
        double load = WeightSum * Lambda;
        for (int j = 0; j < Features; j++)
        {
            result[j] = double.CreateTruncating(_g[j]) - (_meanX[j] * dsum) + (load * v[j]);
        }
    }
}
