using System;
using RidgeCore.Factorizations;
using RidgeCore.Internal;

namespace RidgeCore;

/// <summary>
/// The Householder QR factorization X = Q·R of an n × p design matrix, optionally augmented by √D (a ridge load), with
/// a least-squares solve. It is the fallback for problems whose normal equations cannot be trusted: QR's error grows
/// with κ(X), where the normal equations' grows with κ(X)², so on a NIST Filip-like degree-10 polynomial fit QR keeps
/// about 7 digits while Cholesky of XᵀX breaks down.
/// </summary>
/// <remarks>
/// <para>The factor keeps a column-major copy of X (one contiguous run per column), so that each reflection's norm, dot
/// products and updates run over long contiguous vectors through <see cref="VectorPrimitives"/> on the active kernel
/// family. Unblocked: 2np² − 2p³/3 flops, about twice the cost of forming XᵀX and factoring it.</para>
/// <para>With a load D (scalar λ or per-coordinate d ≥ 0) the factor is that of [X; √D], so the solve minimizes
/// ‖y − Xβ‖² + βᵀDβ: the ridge solution, which is defined even when n &lt; p. No column pivoting: a column that is (to
/// rounding) a combination of earlier ones gives a tiny |rⱼⱼ| rather than an error, so check
/// <see cref="EstimateConditionNumber"/>; an exactly zero rⱼⱼ makes the solve throw. An instance is not safe for
/// concurrent use; refactoring allocates nothing.</para>
/// </remarks>
public sealed unsafe class HouseholderQR : IDisposable
{
    private readonly int _stride;
    private readonly AlignedBuffer<double> _columns;
    private readonly AlignedBuffer<double> _scratch;
    private int _m;
    private bool _factored;
    private bool _disposed;

    /// <summary>Creates a factor for n × p matrices and allocates everything it will need.</summary>
    /// <param name="rows">n ≥ 1.</param>
    /// <param name="columns">p ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1.</exception>
    public HouseholderQR(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Rows = rows;
        Columns = columns;
        _stride = checked(rows + columns);
        _columns = new AlignedBuffer<double>((long)_stride * columns);

        // τ (p), then three p-vectors for the condition estimate, then one (n + p)-vector for Qᵀy.
        _scratch = new AlignedBuffer<double>((4L * columns) + _stride);
    }

    /// <summary>The number n of rows of X.</summary>
    public int Rows { get; }

    /// <summary>The number p of columns of X.</summary>
    public int Columns { get; }

    /// <summary>Whether the factor holds a factorization.</summary>
    public bool IsFactored => _factored;

    private double* Tau => _scratch.Pointer;

    private double* WorkX => Tau + Columns;

    private double* WorkV => WorkX + Columns;

    private double* WorkSign => WorkV + Columns;

    private double* WorkTarget => WorkSign + Columns;

    /// <summary>Factors X.</summary>
    /// <param name="matrix">X, n × p.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not n × p.</exception>
    /// <exception cref="InvalidValueException">An entry is NaN or ±∞ (names row and column).</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Factor(MatrixView<double> matrix) => FactorCore(matrix, null, 0, augment: false);

    /// <summary>Factors [X; √λ·I], for the ridge problem min ‖y − Xβ‖² + λ‖β‖².</summary>
    /// <param name="matrix">X, n × p.</param>
    /// <param name="diagonalLoad">λ ≥ 0 (the amount added to the diagonal of XᵀX).</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not n × p.</exception>
    /// <exception cref="InvalidValueException">An entry is NaN or ±∞, or the load is negative or not finite.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Factor(MatrixView<double> matrix, double diagonalLoad)
    {
        if (!(diagonalLoad >= 0) || !double.IsFinite(diagonalLoad))
        {
            FactorizationThrowHelper.InvalidLoad(nameof(diagonalLoad), -1, diagonalLoad);
        }

        FactorCore(matrix, null, diagonalLoad, augment: true);
    }

    /// <summary>Factors [X; diag(√d)], for min ‖y − Xβ‖² + Σ dⱼβⱼ².</summary>
    /// <param name="matrix">X, n × p.</param>
    /// <param name="diagonalLoad">d, p values ≥ 0 (added to the diagonal of XᵀX).</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not n × p, or <paramref name="diagonalLoad"/> does not have p values.</exception>
    /// <exception cref="InvalidValueException">An entry is NaN or ±∞, or a load is negative or not finite (names the index).</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Factor(MatrixView<double> matrix, ReadOnlySpan<double> diagonalLoad)
    {
        if (diagonalLoad.Length != Columns)
        {
            FactorizationThrowHelper.WrongLength(nameof(diagonalLoad), diagonalLoad.Length, Columns);
        }

        for (int j = 0; j < diagonalLoad.Length; j++)
        {
            if (!(diagonalLoad[j] >= 0) || !double.IsFinite(diagonalLoad[j]))
            {
                FactorizationThrowHelper.InvalidLoad(nameof(diagonalLoad), j, diagonalLoad[j]);
            }
        }

        fixed (double* load = diagonalLoad)
        {
            FactorCore(matrix, load, 0, augment: true);
        }
    }

    /// <summary>
    /// Solves the least-squares problem min ‖y − Xβ‖² (+ βᵀDβ when factored with a load): β = R⁻¹·(Qᵀy)[0, p).
    /// </summary>
    /// <param name="target">y, n values.</param>
    /// <param name="coefficients">Receives β, p values.</param>
    /// <returns>The minimized objective ‖y − Xβ‖² + βᵀDβ, from the tail of Qᵀy.</returns>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    /// <exception cref="InvalidValueException">An entry of <paramref name="target"/> is NaN or ±∞.</exception>
    /// <exception cref="NotPositiveDefiniteException">R has an exactly zero diagonal entry (named as the pivot): X (with
    /// its load) has rank below p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public double SolveLeastSquares(ReadOnlySpan<double> target, Span<double> coefficients)
    {
        CheckFactored();
        if (target.Length != Rows)
        {
            FactorizationThrowHelper.WrongLength(nameof(target), target.Length, Rows);
        }

        if (coefficients.Length != Columns)
        {
            FactorizationThrowHelper.WrongLength(nameof(coefficients), coefficients.Length, Columns);
        }

        for (int i = 0; i < target.Length; i++)
        {
            if (!double.IsFinite(target[i]))
            {
                throw new InvalidValueException($"target[{i}] is {target[i]}; every target value must be finite.", nameof(target), i, -1);
            }
        }

        int p = Columns, m = _m, reflections = Math.Min(m, p);
        for (int j = 0; j < p; j++)
        {
            if (j >= m || Column(j)[j] == 0)
            {
                throw new NotPositiveDefiniteException(
                    $"X (with its load) has rank below {p}: R[{j},{j}] is zero, so column {j} is a combination of the earlier columns. Add a diagonal load or drop the column.",
                    j,
                    0.0);
            }
        }

        // Qᵀy, reflection by reflection: y ← y − τⱼ·vⱼ·(vⱼᵀy), with vⱼ = (1, stored entries below the diagonal).
        double* y = WorkTarget;
        target.CopyTo(new Span<double>(y, m));
        new Span<double>(y + Rows, m - Rows).Clear();
        for (int j = 0; j < reflections; j++)
        {
            double tau = Tau[j];
            if (tau == 0)
            {
                continue;
            }

            double* v = Column(j);
            int below = m - j - 1;
            double t = tau * (y[j] + VectorPrimitives.Dot(new ReadOnlySpan<double>(v + j + 1, below), new ReadOnlySpan<double>(y + j + 1, below)));
            y[j] -= t;
            VectorPrimitives.Axpy(-t, new ReadOnlySpan<double>(v + j + 1, below), new Span<double>(y + j + 1, below));
        }

        double residual = VectorPrimitives.SumOfSquares(new ReadOnlySpan<double>(y + p, m - p));
        for (int j = p - 1; j >= 0; j--)
        {
            double s = y[j];
            for (int k = j + 1; k < p; k++)
            {
                s -= Column(k)[j] * coefficients[k];
            }

            coefficients[j] = s / Column(j)[j];
        }

        return residual;
    }

    /// <summary>
    /// Estimates κ₁(R) = ‖R‖₁·‖R⁻¹‖₁ (LAPACK <c>dtrcon</c>'s Hager–Higham estimator). κ₂(X) = κ₂(R), and the 1-norm
    /// condition of R is within a factor p of it; a value near 1/eps ≈ 4.5e15 means the solution has no correct digits.
    /// </summary>
    /// <returns>The estimate; +∞ when R has a zero diagonal entry.</returns>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public double EstimateConditionNumber()
    {
        CheckFactored();
        int p = Columns;
        double norm = 0;
        for (int k = 0; k < p; k++)
        {
            double* col = Column(k);
            double s = 0;
            for (int j = 0; j <= k && j < _m; j++)
            {
                s += Math.Abs(col[j]);
            }

            norm = Math.Max(norm, s);
            if (k >= _m || col[k] == 0)
            {
                return double.PositiveInfinity;
            }
        }

        var op = new TriangularInverse(this);
        return norm * NormOneEstimator.Estimate(ref op, p, WorkX, WorkV, WorkSign);
    }

    /// <summary>Writes R, row-major p × p with zeros below the diagonal (rows past the rank, if any, are zero).</summary>
    /// <param name="destination">p·p values.</param>
    /// <exception cref="ArgumentException">The length is not p·p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void CopyR(Span<double> destination)
    {
        CheckFactored();
        int p = Columns;
        if (destination.Length != p * p)
        {
            FactorizationThrowHelper.WrongLength(nameof(destination), destination.Length, p * p);
        }

        destination.Clear();
        for (int j = 0; j < Math.Min(p, _m); j++)
        {
            for (int k = j; k < p; k++)
            {
                destination[(j * p) + k] = Column(k)[j];
            }
        }
    }

    /// <summary>Frees the native storage.</summary>
    public void Dispose()
    {
        _disposed = true;
        _factored = false;
        _columns.Dispose();
        _scratch.Dispose();
    }

    private double* Column(int k) => _columns.Pointer + ((nint)k * _stride);

    private void CheckFactored()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_factored)
        {
            FactorizationThrowHelper.NotFactored();
        }
    }

    private void FactorCore(MatrixView<double> matrix, double* load, double scalarLoad, bool augment)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (matrix.Rows != Rows || matrix.Columns != Columns)
        {
            FactorizationThrowHelper.WrongShape(nameof(matrix), matrix.Rows, matrix.Columns, Rows, Columns);
        }

        _factored = false;
        int n = Rows, p = Columns;
        int m = augment ? n + p : n;
        ReadOnlySpan<double> data = matrix.Data;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = data.Slice(i * matrix.RowStride, p);
            for (int k = 0; k < p; k++)
            {
                double v = row[k];
                if (!double.IsFinite(v))
                {
                    FactorizationThrowHelper.NonFiniteEntry(nameof(matrix), i, k, v);
                }

                Column(k)[i] = v;
            }
        }

        if (augment)
        {
            for (int k = 0; k < p; k++)
            {
                double* col = Column(k) + n;
                new Span<double>(col, p).Clear();
                col[k] = Math.Sqrt(load != null ? load[k] : scalarLoad);
            }
        }

        _m = m;
        for (int j = 0; j < Math.Min(m, p); j++)
        {
            Reflect(j, m);
        }

        _factored = true;
    }

    /// <summary>
    /// Builds the reflection that zeroes column j below the diagonal (LAPACK <c>dlarfg</c>: β = −sign(α)·‖(α, x)‖,
    /// τ = (β − α)/β, v = x/(α − β), with τ = 0 when x is already zero) and applies it to the columns to the right.
    /// </summary>
    private void Reflect(int j, int m)
    {
        double* a = Column(j);
        int below = m - j - 1;
        var x = new Span<double>(a + j + 1, below);
        double xnorm = Norm(x);
        double alpha = a[j];
        if (xnorm == 0)
        {
            Tau[j] = 0;
            return;
        }

        double beta = -Math.CopySign(double.Hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        double scal = 1.0 / (alpha - beta);
        for (int i = 0; i < below; i++)
        {
            x[i] *= scal;
        }

        a[j] = beta;
        Tau[j] = tau;

        // Column k ← (I − τvvᵀ)·column k: w = vᵀ·column k, then column k −= τ·w·v.
        ReadOnlySpan<double> v = x;
        for (int k = j + 1; k < Columns; k++)
        {
            double* c = Column(k);
            var ck = new Span<double>(c + j + 1, below);
            double w = tau * (c[j] + VectorPrimitives.Dot(v, ck));
            c[j] -= w;
            VectorPrimitives.Axpy(-w, v, ck);
        }
    }

    /// <summary>‖x‖₂ without overflow or underflow: the plain sum of squares when it is safely in range, otherwise the
    /// sum of squares of x/max|xᵢ| (the two-pass form of BLAS <c>dnrm2</c>).</summary>
    private static double Norm(ReadOnlySpan<double> x)
    {
        double ss = VectorPrimitives.SumOfSquares(x);
        if (ss > 1e-290 && ss < 1e290)
        {
            return Math.Sqrt(ss);
        }

        double max = 0;
        foreach (double v in x)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        if (max == 0)
        {
            return 0;
        }

        double s = 0;
        foreach (double v in x)
        {
            double r = v / max;
            s += r * r;
        }

        return max * Math.Sqrt(s);
    }

    /// <summary>R⁻¹ (back substitution) and R⁻ᵀ (forward substitution with Rᵀ) for the estimator.</summary>
    private readonly struct TriangularInverse(HouseholderQR qr) : IInPlaceOperator
    {
        public void Apply(double* x)
        {
            int p = qr.Columns;
            for (int j = p - 1; j >= 0; j--)
            {
                double s = x[j];
                for (int k = j + 1; k < p; k++)
                {
                    s -= qr.Column(k)[j] * x[k];
                }

                x[j] = s / qr.Column(j)[j];
            }
        }

        public void ApplyTransposed(double* x)
        {
            int p = qr.Columns;
            for (int k = 0; k < p; k++)
            {
                double* col = qr.Column(k);
                double s = x[k];
                for (int j = 0; j < k; j++)
                {
                    s -= col[j] * x[j];
                }

                x[k] = s / col[k];
            }
        }
    }
}
