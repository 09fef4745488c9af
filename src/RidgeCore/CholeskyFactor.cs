using System;
using RidgeCore.Factorizations;
using RidgeCore.Internal;

namespace RidgeCore;

/// <summary>
/// The Cholesky factorization A + D = L·Lᵀ of a symmetric positive definite p × p matrix A plus a diagonal load D,
/// with solves, a 1-norm condition estimate and the log-determinant. The factor owns its storage: it reads the caller's
/// matrix (the lower triangle only) and never writes it, and it can be refactored any number of times without allocating.
/// </summary>
/// <remarks>
/// <para><b>The load.</b> D is either a scalar times the identity (for ridge regression, nλ or (Σw)λ in RidgeCore's
/// convention, where λ is the penalty per unit of weight) or a per-coordinate vector (penalty factors). It is added to
/// each pivot as the pivot is formed, so A itself is never modified.</para>
/// <para><b>Failure.</b> A pivot that is not positive and finite stops the factorization: <see cref="Factor(MatrixView{double}, double)"/>
/// throws <see cref="NotPositiveDefiniteException"/> naming it, <see cref="TryFactor(MatrixView{double}, double)"/>
/// returns false and records it in <see cref="FailedPivot"/> and <see cref="FailedPivotValue"/>. Either way the factor
/// then holds no factorization (the previous one is gone too), and NaN never reaches a solution.</para>
/// <para><b>Equilibration.</b> With <see cref="Equilibrate"/> set, the factor works with S(A + D)S, sᵢ = 1/√(aᵢᵢ + dᵢ)
/// rounded to a power of two (LAPACK <c>dpoequ</c>'s scaling, made exact), so the scaled diagonal lies in [1, 4) and
/// the scaling adds no rounding error: solutions map back as x = S·x̃, and <see cref="CopyFactor"/>,
/// <see cref="LogDeterminant"/> and the condition estimate describe A + D itself.</para>
/// <para><b>Kernels.</b> The factor is blocked (recursive, right-looking) on the register-tiled Gram micro-kernels of the
/// active <see cref="KernelSelection"/> family; p³/3 flops. An instance is not safe for concurrent use.</para>
/// </remarks>
public sealed unsafe class CholeskyFactor : IDisposable
{
    private readonly PackedLowerLayout _layout;
    private readonly CholeskyBlocking _blocking;
    private readonly AlignedBuffer<double> _storage;
    private readonly AlignedBuffer<double> _scratch;
    private readonly AlignedBuffer<double> _reciprocals;
    private readonly int _zeroPanelLength;
    private bool _factored;
    private bool _equilibrated;
    private bool _disposed;

    /// <summary>Creates a factor for p × p matrices and allocates everything it will need.</summary>
    /// <param name="order">The order p of the matrices (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is less than 1.</exception>
    public CholeskyFactor(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        Order = order;
        _layout = BlockedCholesky.LayoutFor<double>(order);
        _blocking = CholeskyBlocking.For(KernelSelection.Active);
        _storage = new AlignedBuffer<double>(_layout.Length);
        _zeroPanelLength = BlockedCholesky.ZeroPanelLength(_layout, _blocking);

        // Zero panel, then seven p-vectors: scale, load, column sums, three for the condition estimate, one solve column.
        _scratch = new AlignedBuffer<double>(_zeroPanelLength + (7L * order));
        _reciprocals = new AlignedBuffer<double>(order);
        FailedPivot = -1;
        FailedPivotValue = double.NaN;
        NormOne = double.NaN;
    }

    /// <summary>The order p of the matrices this factor handles.</summary>
    public int Order { get; }

    /// <summary>Whether the next factorization equilibrates (scales A + D to a unit-ish diagonal by exact powers of
    /// two). Results are the same up to rounding; equilibration helps when the columns have very different scales.</summary>
    public bool Equilibrate { get; set; }

    /// <summary>Whether the factor holds a factorization (the last Factor or TryFactor succeeded).</summary>
    public bool IsFactored => _factored;

    /// <summary>Whether the factorization held was computed with equilibration.</summary>
    public bool IsEquilibrated => _factored && _equilibrated;

    /// <summary>‖A + D‖₁ (the largest column sum of magnitudes of the symmetric matrix plus its load) of the last
    /// factored input, computed from the input before factoring; NaN when there is no factorization.</summary>
    public double NormOne { get; private set; }

    /// <summary>The index of the pivot that failed in the last <see cref="TryFactor(MatrixView{double}, double)"/>, or -1.</summary>
    public int FailedPivot { get; private set; }

    /// <summary>The value of the pivot that failed in the last TryFactor (in the units of A + D), or NaN.</summary>
    public double FailedPivotValue { get; private set; }

    private double* ZeroPanel => _scratch.Pointer;

    private double* Scale => _scratch.Pointer + _zeroPanelLength;

    private double* LoadBuffer => Scale + Order;

    private double* ColumnSums => LoadBuffer + Order;

    private double* WorkX => ColumnSums + Order;

    private double* WorkV => WorkX + Order;

    private double* WorkSign => WorkV + Order;

    private double* WorkColumn => WorkSign + Order;

    /// <summary>Factors A (no diagonal load).</summary>
    /// <param name="matrix">A, p × p; only the lower triangle (with the diagonal) is read.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not p × p.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or ±∞ (names row and column).</exception>
    /// <exception cref="NotPositiveDefiniteException">A is not positive definite (names the pivot).</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Factor(MatrixView<double> matrix) => Factor(matrix, 0.0);

    /// <summary>Factors A + λI.</summary>
    /// <param name="matrix">A, p × p; only the lower triangle (with the diagonal) is read.</param>
    /// <param name="diagonalLoad">λ ≥ 0, added to every diagonal entry.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not p × p.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or ±∞ (names row and column), or
    /// the load is negative or not finite.</exception>
    /// <exception cref="NotPositiveDefiniteException">A + λI is not positive definite (names the pivot).</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Factor(MatrixView<double> matrix, double diagonalLoad)
    {
        if (!TryFactor(matrix, diagonalLoad))
        {
            FactorizationThrowHelper.NotPositiveDefinite(FailedPivot, FailedPivotValue);
        }
    }

    /// <summary>Factors A + diag(d).</summary>
    /// <param name="matrix">A, p × p; only the lower triangle (with the diagonal) is read.</param>
    /// <param name="diagonalLoad">d, p values ≥ 0, added to the diagonal.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not p × p, or <paramref name="diagonalLoad"/> does not have p values.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or ±∞, or a load is negative or
    /// not finite (names the index).</exception>
    /// <exception cref="NotPositiveDefiniteException">A + diag(d) is not positive definite (names the pivot).</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Factor(MatrixView<double> matrix, ReadOnlySpan<double> diagonalLoad)
    {
        if (!TryFactor(matrix, diagonalLoad))
        {
            FactorizationThrowHelper.NotPositiveDefinite(FailedPivot, FailedPivotValue);
        }
    }

    /// <summary>Factors A (no diagonal load), reporting a matrix that is not positive definite by returning false.</summary>
    /// <param name="matrix">A, p × p; only the lower triangle (with the diagonal) is read.</param>
    /// <returns>True on success; false when a pivot is not positive and finite (see <see cref="FailedPivot"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not p × p.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or ±∞.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public bool TryFactor(MatrixView<double> matrix) => TryFactor(matrix, 0.0);

    /// <summary>Factors A + λI, reporting a matrix that is not positive definite by returning false.</summary>
    /// <param name="matrix">A, p × p; only the lower triangle (with the diagonal) is read.</param>
    /// <param name="diagonalLoad">λ ≥ 0, added to every diagonal entry.</param>
    /// <returns>True on success; false when a pivot is not positive and finite (see <see cref="FailedPivot"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not p × p.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or ±∞, or the load is negative or not finite.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public bool TryFactor(MatrixView<double> matrix, double diagonalLoad)
    {
        Validate(matrix);
        if (!(diagonalLoad >= 0) || !double.IsFinite(diagonalLoad))
        {
            FactorizationThrowHelper.InvalidLoad(nameof(diagonalLoad), -1, diagonalLoad);
        }

        return FactorCore(matrix, null, diagonalLoad);
    }

    /// <summary>Factors A + diag(d), reporting a matrix that is not positive definite by returning false.</summary>
    /// <param name="matrix">A, p × p; only the lower triangle (with the diagonal) is read.</param>
    /// <param name="diagonalLoad">d, p values ≥ 0, added to the diagonal.</param>
    /// <returns>True on success; false when a pivot is not positive and finite (see <see cref="FailedPivot"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not p × p, or <paramref name="diagonalLoad"/> does not have p values.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or ±∞, or a load is negative or not finite.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public bool TryFactor(MatrixView<double> matrix, ReadOnlySpan<double> diagonalLoad)
    {
        Validate(matrix);
        if (diagonalLoad.Length != Order)
        {
            FactorizationThrowHelper.WrongLength(nameof(diagonalLoad), diagonalLoad.Length, Order);
        }

        for (int i = 0; i < diagonalLoad.Length; i++)
        {
            if (!(diagonalLoad[i] >= 0) || !double.IsFinite(diagonalLoad[i]))
            {
                FactorizationThrowHelper.InvalidLoad(nameof(diagonalLoad), i, diagonalLoad[i]);
            }
        }

        fixed (double* load = diagonalLoad)
        {
            return FactorCore(matrix, load, 0);
        }
    }

    /// <summary>Solves (A + D)·x = b in place.</summary>
    /// <param name="rightHandSide">b on entry (p values), x on return.</param>
    /// <exception cref="ArgumentException">The length is not p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Solve(Span<double> rightHandSide)
    {
        CheckVector(rightHandSide.Length, nameof(rightHandSide));
        fixed (double* x = rightHandSide)
        {
            SolveCore(x);
        }
    }

    /// <summary>Solves (A + D)·x = b.</summary>
    /// <param name="rightHandSide">b, p values.</param>
    /// <param name="solution">Receives x, p values (may be the same memory as <paramref name="rightHandSide"/>).</param>
    /// <exception cref="ArgumentException">A length is not p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Solve(ReadOnlySpan<double> rightHandSide, Span<double> solution)
    {
        CheckVector(rightHandSide.Length, nameof(rightHandSide));
        CheckVector(solution.Length, nameof(solution));
        rightHandSide.CopyTo(solution);
        fixed (double* x = solution)
        {
            SolveCore(x);
        }
    }

    /// <summary>Solves (A + D)·X = B in place for a p × t row-major block of right-hand sides.</summary>
    /// <param name="rightHandSides">B on entry (p rows of t values), X on return.</param>
    /// <param name="columns">The number t of right-hand sides.</param>
    /// <exception cref="ArgumentException">The length is not p·t.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void Solve(Span<double> rightHandSides, int columns) => SolveColumns(rightHandSides, columns, Operation.Full);

    /// <summary>Solves L·z = b in place (forward substitution with the factor of A + D).</summary>
    /// <param name="rightHandSide">b on entry (p values), z on return.</param>
    /// <exception cref="ArgumentException">The length is not p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void SolveLower(Span<double> rightHandSide)
    {
        CheckVector(rightHandSide.Length, nameof(rightHandSide));
        fixed (double* x = rightHandSide)
        {
            ForwardCore(x);
        }
    }

    /// <summary>Solves L·Z = B in place for a p × t row-major block.</summary>
    /// <param name="rightHandSides">B on entry (p rows of t values), Z on return.</param>
    /// <param name="columns">The number t of right-hand sides.</param>
    /// <exception cref="ArgumentException">The length is not p·t.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void SolveLower(Span<double> rightHandSides, int columns) => SolveColumns(rightHandSides, columns, Operation.Forward);

    /// <summary>Solves Lᵀ·x = z in place (back substitution with the transposed factor of A + D).</summary>
    /// <param name="rightHandSide">z on entry (p values), x on return.</param>
    /// <exception cref="ArgumentException">The length is not p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void SolveLowerTransposed(Span<double> rightHandSide)
    {
        CheckVector(rightHandSide.Length, nameof(rightHandSide));
        fixed (double* x = rightHandSide)
        {
            BackwardCore(x);
        }
    }

    /// <summary>Solves Lᵀ·X = Z in place for a p × t row-major block.</summary>
    /// <param name="rightHandSides">Z on entry (p rows of t values), X on return.</param>
    /// <param name="columns">The number t of right-hand sides.</param>
    /// <exception cref="ArgumentException">The length is not p·t.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void SolveLowerTransposed(Span<double> rightHandSides, int columns) => SolveColumns(rightHandSides, columns, Operation.Backward);

    /// <summary>
    /// Estimates the 1-norm condition number κ₁(A + D) = ‖A + D‖₁·‖(A + D)⁻¹‖₁ as LAPACK <c>dpocon</c> does: ‖A + D‖₁
    /// from the input, ‖(A + D)⁻¹‖₁ by Hager and Higham's estimator (a handful of solves, O(p²), no allocation). The
    /// estimate is a lower bound that is rarely off by more than a factor of 3.
    /// </summary>
    /// <returns>The estimate of κ₁(A + D) (≥ 1 up to rounding; +∞ when the norm overflowed).</returns>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public double EstimateConditionNumber()
    {
        CheckFactored();
        var op = new InverseOperator(this);
        double inverseNorm = NormOneEstimator.Estimate(ref op, Order, WorkX, WorkV, WorkSign);
        return NormOne * inverseNorm;
    }

    /// <summary>log det(A + D) = 2·Σ log lᵢᵢ, which does not overflow where the determinant itself would.</summary>
    /// <returns>The natural logarithm of the determinant.</returns>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public double LogDeterminant()
    {
        CheckFactored();
        double* z = _storage.Pointer;
        double sum = 0;
        for (int i = 0; i < Order; i++)
        {
            // With equilibration lᵢᵢ = l̃ᵢᵢ / sᵢ.
            double lii = z[_layout.IndexOf(i, i)];
            sum += Math.Log(lii);
            if (_equilibrated)
            {
                sum -= Math.Log(Scale[i]);
            }
        }

        return 2 * sum;
    }

    /// <summary>Writes the factor L of A + D, row-major p × p with zeros above the diagonal.</summary>
    /// <param name="destination">p·p values.</param>
    /// <exception cref="ArgumentException">The length is not p·p.</exception>
    /// <exception cref="InvalidOperationException">There is no factorization.</exception>
    /// <exception cref="ObjectDisposedException">The factor has been disposed.</exception>
    public void CopyFactor(Span<double> destination)
    {
        CheckFactored();
        if (destination.Length != (long)Order * Order)
        {
            FactorizationThrowHelper.WrongLength(nameof(destination), destination.Length, (long)Order * Order);
        }

        PackedLowerCopy.CopyOut(_storage.Pointer, _layout, _equilibrated ? Scale : null, destination);
    }

    /// <summary>Frees the native storage.</summary>
    public void Dispose()
    {
        _disposed = true;
        _factored = false;
        _storage.Dispose();
        _scratch.Dispose();
        _reciprocals.Dispose();
    }

    private void Validate(MatrixView<double> matrix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (matrix.Rows != Order || matrix.Columns != Order)
        {
            FactorizationThrowHelper.NotSquare(nameof(matrix), matrix.Rows, matrix.Columns, Order);
        }
    }

    private bool FactorCore(MatrixView<double> matrix, double* load, double scalarLoad)
    {
        _factored = false;
        NormOne = double.NaN;
        FailedPivot = -1;
        FailedPivotValue = double.NaN;
        bool equilibrate = Equilibrate;
        double* scale = null;
        double* inputLoad = load;
        double inputScalarLoad = scalarLoad;
        if (equilibrate)
        {
            // sᵢ = 2^-⌊e/2⌋ for aᵢᵢ + dᵢ = m·2^e: (aᵢᵢ + dᵢ)·sᵢ² ∈ [1, 4), and every scaled entry is exact. A diagonal
            // that is not positive (or not finite) keeps sᵢ = 1: its pivot fails, or the copy reports the entry.
            scale = Scale;
            ReadOnlySpan<double> data = matrix.Data;
            for (int i = 0; i < Order; i++)
            {
                double di = load != null ? load[i] : scalarLoad;
                double b = data[(i * matrix.RowStride) + i] + di;
                double s = b > 0 && double.IsFinite(b) ? Math.ScaleB(1.0, -(Math.ILogB(b) >> 1)) : 1.0;
                scale[i] = s;
                LoadBuffer[i] = s * s * di;
            }

            load = LoadBuffer;
            scalarLoad = 0;
        }

        double* z = _storage.Pointer;
        CopyInResult copy = PackedLowerCopy.CopyIn(matrix, z, _layout, scale, inputLoad, inputScalarLoad, ColumnSums);
        if (copy.Failed)
        {
            FactorizationThrowHelper.NonFiniteEntry(nameof(matrix), copy.BadRow, copy.BadColumn, matrix[copy.BadRow, copy.BadColumn]);
        }

        int failed = BlockedCholesky.Factor(z, _layout, _blocking, load, scalarLoad, ZeroPanel, out double pivotValue);
        if (failed >= 0)
        {
            FailedPivot = failed;
            FailedPivotValue = equilibrate ? pivotValue / (scale[failed] * scale[failed]) : pivotValue;
            return false;
        }

        // 1/Lᵢᵢ once per factorization: the substitutions multiply by it, which keeps a division (about 13 cycles of
        // latency) off the dependency chain of every solved value; the condition estimate alone runs several solves.
        double* reciprocals = _reciprocals.Pointer;
        for (int i = 0; i < Order; i++)
        {
            reciprocals[i] = 1.0 / z[_layout.IndexOf(i, i)];
        }

        _factored = true;
        _equilibrated = equilibrate;
        NormOne = copy.NormOne;
        return true;
    }

    private void CheckFactored()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_factored)
        {
            FactorizationThrowHelper.NotFactored();
        }
    }

    private void CheckVector(int length, string paramName)
    {
        CheckFactored();
        if (length != Order)
        {
            FactorizationThrowHelper.WrongLength(paramName, length, Order);
        }
    }

    /// <summary>From this many right-hand sides on, the solves run row-oriented: each step is an axpy across all the
    /// columns, vectorized along the rows of the right-hand-side block, instead of a latency-bound scalar recurrence
    /// per column.</summary>
    private const int RowSolveMinColumns = 8;

    /// <summary>
    /// Forward and/or backward substitution on a row-major p × m block B, in place: row i of the solution is
    /// (Bᵢ − Σₖ lᵢₖ·Xₖ)/lᵢᵢ, formed with <see cref="VectorPrimitives.Axpy(double, ReadOnlySpan{double}, Span{double})"/>
    /// over whole rows. The results equal the column-at-a-time solves up to rounding (the sums run in another order).
    /// </summary>
    private void SolveRows(double* b, int m, Operation operation)
    {
        int p = Order, nr = _layout.NR;
        double* z = _storage.Pointer;
        double* s = Scale;
        if (operation != Operation.Backward)
        {
            for (int i = 0; i < p; i++)
            {
                var row = new Span<double>(b + ((nint)i * m), m);
                if (_equilibrated)
                {
                    ScaleRow(row, s[i]);
                }

                // Row i of L̃ sits in one micro-panel, its entries NR apart.
                double* li = z + _layout.IndexOf(i, 0);
                for (int k = 0; k < i; k++)
                {
                    VectorPrimitives.Axpy(-li[(nint)k * nr], new ReadOnlySpan<double>(b + ((nint)k * m), m), row);
                }

                DivideRow(row, li[(nint)i * nr]);
            }
        }

        if (operation != Operation.Forward)
        {
            for (int i = p - 1; i >= 0; i--)
            {
                var row = new Span<double>(b + ((nint)i * m), m);
                for (int k = i + 1; k < p; k++)
                {
                    VectorPrimitives.Axpy(-z[_layout.IndexOf(k, i)], new ReadOnlySpan<double>(b + ((nint)k * m), m), row);
                }

                DivideRow(row, z[_layout.IndexOf(i, i)]);
            }

            if (_equilibrated)
            {
                for (int i = 0; i < p; i++)
                {
                    ScaleRow(new Span<double>(b + ((nint)i * m), m), s[i]);
                }
            }
        }
    }

    private static void ScaleRow(Span<double> row, double factor)
    {
        for (int j = 0; j < row.Length; j++)
        {
            row[j] *= factor;
        }
    }

    private static void DivideRow(Span<double> row, double divisor)
    {
        for (int j = 0; j < row.Length; j++)
        {
            row[j] /= divisor;
        }
    }

    private void SolveColumns(Span<double> rightHandSides, int columns, Operation operation)
    {
        CheckFactored();
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rightHandSides.Length != (long)Order * columns)
        {
            FactorizationThrowHelper.WrongLength(nameof(rightHandSides), rightHandSides.Length, (long)Order * columns);
        }

        fixed (double* b = rightHandSides)
        {
            if (columns >= RowSolveMinColumns)
            {
                SolveRows(b, columns, operation);
                return;
            }

            // Few columns: one at a time through the single-vector solves, each pass streaming the factor once.
            double* x = WorkColumn;
            for (int j = 0; j < columns; j++)
            {
                for (int i = 0; i < Order; i++)
                {
                    x[i] = b[((nint)i * columns) + j];
                }

                switch (operation)
                {
                    case Operation.Forward:
                        ForwardCore(x);
                        break;
                    case Operation.Backward:
                        BackwardCore(x);
                        break;
                    default:
                        SolveCore(x);
                        break;
                }

                for (int i = 0; i < Order; i++)
                {
                    b[((nint)i * columns) + j] = x[i];
                }
            }
        }
    }

    // L = S⁻¹·L̃, so L·z = b is L̃·z = S·b, and Lᵀ·x = z is x = S·L̃⁻ᵀ·z; (A + D)⁻¹ = S·L̃⁻ᵀ·L̃⁻¹·S.
    private void SolveCore(double* x)
    {
        ForwardCore(x);
        BackwardCore(x);
    }

    private void ForwardCore(double* x)
    {
        if (_equilibrated)
        {
            ApplyScale(x);
        }

        PackedTriangularSolve.Forward(_storage.Pointer, _layout, _reciprocals.Pointer, x);
    }

    private void BackwardCore(double* x)
    {
        PackedTriangularSolve.Backward(_storage.Pointer, _layout, _reciprocals.Pointer, x);
        if (_equilibrated)
        {
            ApplyScale(x);
        }
    }

    private void ApplyScale(double* x)
    {
        double* s = Scale;
        for (int i = 0; i < Order; i++)
        {
            x[i] *= s[i];
        }
    }

    private enum Operation
    {
        Full,
        Forward,
        Backward,
    }

    /// <summary>(A + D)⁻¹ for the estimator; symmetric, so the transpose is the same solve.</summary>
    private readonly struct InverseOperator(CholeskyFactor factor) : IInPlaceOperator
    {
        public void Apply(double* x) => factor.SolveCore(x);

        public void ApplyTransposed(double* x) => factor.SolveCore(x);
    }
}
