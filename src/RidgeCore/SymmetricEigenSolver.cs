using System;
using System.Globalization;
using RidgeCore.Internal;
using RidgeCore.Kernels.Lanes;

namespace RidgeCore;

/// <summary>
/// The eigendecomposition A = V·Λ·Vᵀ of a real symmetric p×p matrix (a Gram matrix, for example): eigenvalues in
/// ascending order and, on request, an orthonormal set of eigenvectors. A reusable workspace: the constructor allocates
/// everything for its order, and <see cref="Decompose"/> allocates nothing.
/// </summary>
/// <remarks>
/// <para><b>Method.</b> The matrix is scaled by a power of two (exact) so that its largest entry lies in [1, 2), reduced
/// to tridiagonal form T = QᵀAQ by p − 2 Householder reflections, and T is diagonalized by the implicit QL algorithm
/// with Wilkinson-type shifts (EISPACK's tql2 scheme), whose plane rotations are accumulated into Q when eigenvectors
/// are wanted. Each reflection's symmetric rank-2 update of the trailing matrix is fused with the next step's
/// matrix-vector product, so that the trailing matrix is read and written once per step; Q is formed from the
/// reflectors sixteen at a time per column (the column stays in L1 while the group passes). Row operations and
/// rotations run in the active SIMD family (<see cref="KernelSelection"/>).</para>
/// <para><b>Cost.</b> About 2p³ flops for the reduction, 4p³/3 to form Q and 3p³ to 6p³ for the rotations (with
/// vectors); O(p²) for the eigenvalues alone after the reduction.</para>
/// <para><b>Accuracy.</b> Backward stable: the computed pairs are exact for a matrix within a few p·ε·‖A‖ of A, so
/// eigenvalues are accurate to about p·ε·‖A‖ in absolute terms (small eigenvalues of an ill-conditioned matrix carry
/// that absolute error), and ‖VᵀV − I‖ is of order p·ε.</para>
/// <para>Only the lower triangle (with the diagonal) of the input is read. An instance is not safe for concurrent use;
/// separate instances are independent.</para>
/// <example>
/// <code>
/// using var eigen = new SymmetricEigenSolver(p);
/// eigen.Decompose(new MatrixView&lt;double&gt;(gram, p, p));
/// double smallest = eigen.Values[0];
/// double v0OfLargest = eigen.Vectors[(0 * p) + (p - 1)];   // row 0, column p − 1
/// </code>
/// </example>
/// </remarks>
public sealed unsafe class SymmetricEigenSolver : IDisposable
{
    // Reflectors applied together to each column of Q while it sits in L1 (16 × 8 KiB columns at p = 1024 would not
    // all fit, but one column does, and it is the column that is reused across the group).
    private const int ReflectorBlock = 16;
    private const int MaxIterationsPerValue = 60;
    private const double Epsilon = 2.220446049250313e-16;

    private readonly AlignedBuffer<double> _a;
    private readonly AlignedBuffer<double> _z;
    private readonly AlignedBuffer<double> _work;
    private readonly double[] _values;
    private readonly int[] _order;
    private bool _hasValues;
    private bool _hasVectors;
    private bool _hasReflectors;
    private bool _disposed;

    /// <summary>Creates a workspace for p×p matrices.</summary>
    /// <param name="order">p, from 1 to 46 340 (p² must index a span).</param>
    /// <exception cref="ArgumentOutOfRangeException">The order is out of range.</exception>
    public SymmetricEigenSolver(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 46_340);
        Order = order;
        long nn = (long)order * order;
        _a = new AlignedBuffer<double>(nn);
        _z = new AlignedBuffer<double>(nn);
        _work = new AlignedBuffer<double>(6L * (order + 8));
        _values = new double[order];
        _order = new int[order];
    }

    /// <summary>p, the order of the matrices this workspace decomposes.</summary>
    public int Order { get; }

    /// <summary>Whether the last successful <see cref="Decompose"/> computed eigenvectors.</summary>
    public bool HasVectors => _hasVectors;

    /// <summary>The p eigenvalues of the last decomposition, in ascending order.</summary>
    /// <exception cref="InvalidOperationException">Nothing has been decomposed yet.</exception>
    public ReadOnlySpan<double> Values
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _hasValues ? _values : throw new InvalidOperationException("No decomposition yet: call Decompose first.");
        }
    }

    /// <summary>The eigenvectors, p×p row-major: column k (elements k, p + k, 2p + k, …) is the unit eigenvector of
    /// <see cref="Values"/>[k]. Signs are arbitrary.</summary>
    /// <exception cref="InvalidOperationException">The last decomposition did not compute vectors, or there is none.</exception>
    public ReadOnlySpan<double> Vectors
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_hasVectors)
            {
                throw new InvalidOperationException("No eigenvectors: call Decompose with computeVectors = true first.");
            }

            return new ReadOnlySpan<double>(_a.Pointer, Order * Order);
        }
    }

    /// <summary>Computes the eigenvalues (and eigenvectors) of a symmetric matrix.</summary>
    /// <param name="matrix">A, p×p; only its lower triangle and diagonal are read. It is not changed.</param>
    /// <param name="computeVectors">Whether to compute the eigenvectors too (default true).</param>
    /// <exception cref="ArgumentException">The matrix is not p×p.</exception>
    /// <exception cref="InvalidValueException">An entry of the lower triangle is NaN or infinite (row and column named);
    /// the previous results are then no longer available.</exception>
    /// <exception cref="InvalidOperationException">The QL iteration did not converge (not expected for finite input).</exception>
    public void Decompose(MatrixView<double> matrix, bool computeVectors = true)
    {
        int n = Order;
        double* a = _a.Pointer;
        int exponent = Begin(matrix);
        if (exponent == int.MinValue)
        {
            Array.Clear(_values);
            if (computeVectors)
            {
                _a.Clear();
                for (int i = 0; i < n; i++)
                {
                    a[((nint)i * n) + i] = 1.0;
                }
            }

            _hasValues = true;
            _hasVectors = computeVectors;
            return;
        }

        double* work = _work.Pointer;
        nint stride = n + 8;
        double* d = work, e = work + stride, tau = work + (2 * stride), p0 = work + (3 * stride), p1 = work + (4 * stride), w = work + (5 * stride);
        Tridiagonalize(a, n, d, e, tau, p0, p1, w);
        double* z = null;
        if (computeVectors)
        {
            z = _z.Pointer;
            FormQ(a, z, tau, n);
        }

        DiagonalizeTridiagonal(d, e, z, n, p0, p1);
        SortAndPublish(d, z, n, Math.ScaleB(1.0, exponent));
        _hasValues = true;
        _hasVectors = computeVectors;
    }

    /// <summary>
    /// The first half of <see cref="Decompose"/> only: A = Q·T·Qᵀ with T symmetric tridiagonal and Q orthogonal, for
    /// callers that then work with T directly (a shifted tridiagonal system costs O(p) per shift, where the implicit
    /// QL iteration would cost about 3p³ to 6p³ flops with vectors). Invalidates the previous <see cref="Values"/>
    /// and <see cref="Vectors"/>.
    /// </summary>
    /// <param name="matrix">A, p×p; only its lower triangle and diagonal are read.</param>
    /// <param name="diagonal">p values: T's diagonal.</param>
    /// <param name="offDiagonal">At least p − 1 values: entry i couples rows i and i + 1 of T.</param>
    /// <param name="basisTransposed">p² values: Qᵀ row-major (row k is column k of Q); or empty, to keep Q only as its
    /// reflectors, for <see cref="ApplyBasis"/> and <see cref="ApplyBasisTransposed"/> (forming Q costs 4p³/3 flops).</param>
    internal void Tridiagonalize(MatrixView<double> matrix, Span<double> diagonal, Span<double> offDiagonal, Span<double> basisTransposed)
    {
        int n = Order;
        int exponent = Begin(matrix);
        if (exponent == int.MinValue)
        {
            diagonal[..n].Clear();
            offDiagonal[..(n - 1)].Clear();
            if (!basisTransposed.IsEmpty)
            {
                basisTransposed[..(n * n)].Clear();
                for (int i = 0; i < n; i++)
                {
                    basisTransposed[(i * n) + i] = 1.0;
                }
            }

            // Q = I: no reflector acts.
            new Span<double>(_work.Pointer + (2 * (n + 8)), n).Clear();
            _hasReflectors = true;
            return;
        }

        double* work = _work.Pointer;
        nint stride = n + 8;
        double* d = work, e = work + stride, tau = work + (2 * stride), p0 = work + (3 * stride), p1 = work + (4 * stride), w = work + (5 * stride);
        double* a = _a.Pointer, z = _z.Pointer;
        Tridiagonalize(a, n, d, e, tau, p0, p1, w);
        _hasReflectors = true;
        double unscale = Math.ScaleB(1.0, exponent);
        for (int i = 0; i < n; i++)
        {
            diagonal[i] = d[i] * unscale;
        }

        for (int i = 0; i < n - 1; i++)
        {
            offDiagonal[i] = e[i] * unscale;
        }

        if (!basisTransposed.IsEmpty)
        {
            // FormQ leaves column j of Q at z + j·p: read row-major, that is Qᵀ.
            FormQ(a, z, tau, n);
            new ReadOnlySpan<double>(z, n * n).CopyTo(basisTransposed);
        }
    }

    /// <summary>
    /// Z ← Q·Z for the Q of the last <see cref="Tridiagonalize(MatrixView{double}, Span{double}, Span{double}, Span{double})"/>,
    /// from its reflectors (Q = H₀·H₁⋯H_{p−3}, applied last to first): Z is p × <paramref name="columns"/> row-major
    /// with row stride <paramref name="stride"/>. Each reflector costs two passes of whole rows (w = vᵀZ, Z −= τ·v·wᵀ),
    /// which vectorize along the rows: about 2p²·columns flops in all, the cost of multiplying by a formed Q.
    /// </summary>
    /// <param name="z">Z, overwritten with Q·Z.</param>
    /// <param name="stride">Z's row stride.</param>
    /// <param name="columns">Z's columns.</param>
    /// <param name="scratch">At least <paramref name="columns"/> doubles.</param>
    internal void ApplyBasis(double* z, nint stride, int columns, double* scratch)
    {
        CheckReflectors();
        for (int k = Order - 3; k >= 0; k--)
        {
            ApplyReflector(k, z, stride, columns, scratch);
        }
    }

    /// <summary>Z ← Qᵀ·Z (the reflectors applied first to last); see <see cref="ApplyBasis"/>.</summary>
    /// <param name="z">Z, overwritten with Qᵀ·Z.</param>
    /// <param name="stride">Z's row stride.</param>
    /// <param name="columns">Z's columns.</param>
    /// <param name="scratch">At least <paramref name="columns"/> doubles.</param>
    internal void ApplyBasisTransposed(double* z, nint stride, int columns, double* scratch)
    {
        CheckReflectors();
        for (int k = 0; k <= Order - 3; k++)
        {
            ApplyReflector(k, z, stride, columns, scratch);
        }
    }

    private void CheckReflectors()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_hasReflectors)
        {
            throw new InvalidOperationException("No reflectors: call Tridiagonalize first (Decompose replaces them).");
        }
    }

    /// <summary>Rows k + 1 … p − 1 of Z ← H_k·(those rows), H_k = I − τ·v·vᵀ with v (v[0] = 1) in row k of the work
    /// matrix.</summary>
    private void ApplyReflector(int k, double* z, nint stride, int columns, double* scratch)
    {
        int n = Order;
        double tau = _work.Pointer[(2 * (n + 8)) + k];
        if (tau == 0)
        {
            return;
        }

        nint m = n - k - 1;
        double* v = _a.Pointer + ((nint)k * n) + k + 1;
        double* rows = z + ((k + 1) * stride);
        new Span<double>(scratch, columns).Clear();
        for (nint r = 0; r < m; r++)
        {
            LaneKernels.Axpy(v[r], rows + (r * stride), scratch, columns);
        }

        for (nint r = 0; r < m; r++)
        {
            LaneKernels.Axpy(-tau * v[r], scratch, rows + (r * stride), columns);
        }
    }

    /// <summary>The common start of <see cref="Decompose"/> and <see cref="Tridiagonalize(MatrixView{double}, Span{double}, Span{double}, Span{double})"/>: the shape check, the
    /// previous results dropped, and <see cref="LoadScaled"/>.</summary>
    private int Begin(MatrixView<double> matrix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = Order;
        if (matrix.Rows != n || matrix.Columns != n)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"matrix is {matrix.Rows}×{matrix.Columns}; this solver is for {n}×{n}."), nameof(matrix));
        }

        _hasValues = false;
        _hasVectors = false;
        _hasReflectors = false;
        return LoadScaled(matrix);
    }

    /// <summary>Checks the lower triangle, and copies A scaled by a power of two (largest entry in [1, 2)), both
    /// triangles, into the work matrix; returns the exponent to undo the scaling, or int.MinValue for a zero matrix.</summary>
    private int LoadScaled(MatrixView<double> matrix)
    {
        int n = Order;
        double* a = _a.Pointer;
        double largest = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = matrix.Row(i);
            for (int j = 0; j <= i; j++)
            {
                double v = row[j];
                if (!double.IsFinite(v))
                {
                    throw new InvalidValueException(
                        string.Create(CultureInfo.InvariantCulture, $"matrix[{i}, {j}] = {v}: every entry must be finite."), nameof(matrix), i, j);
                }

                largest = Math.Max(largest, Math.Abs(v));
            }
        }

        if (largest == 0)
        {
            return int.MinValue;
        }

        // A power-of-two scale: exact, and it keeps every square in the reflector norms far from overflow and underflow.
        int exponent = Math.ILogB(largest);
        double scale = Math.ScaleB(1.0, -exponent);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = matrix.Row(i);
            for (int j = 0; j <= i; j++)
            {
                double v = row[j] * scale;
                a[((nint)i * n) + j] = v;
                a[((nint)j * n) + i] = v;
            }
        }

        return exponent;
    }

    /// <summary>Frees the native buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _a.Dispose();
        _z.Dispose();
        _work.Dispose();
    }

    /// <summary>
    /// Householder reduction of the full symmetric matrix (both triangles kept) to tridiagonal form: d the diagonal,
    /// e[i] the entry coupling i and i + 1. Reflector k, H = I − τ·v·vᵀ with v[0] = 1, is left in row k, columns
    /// k + 1 … p − 1, for <see cref="FormQ"/>.
    /// </summary>
    private static void Tridiagonalize(double* a, int n, double* d, double* e, double* tau, double* p, double* next, double* w)
    {
        if (n == 1)
        {
            d[0] = a[0];
            e[0] = 0;
            return;
        }

        if (n == 2)
        {
            d[0] = a[0];
            d[1] = a[n + 1];
            e[0] = a[1];
            e[1] = 0;
            return;
        }

        // Step 0: the reflector from row 0 and the plain product p = τ·A₂₂·v.
        tau[0] = MakeReflector(a + 1, n - 1, out e[0]);
        for (int i = 1; i < n; i++)
        {
            p[i - 1] = tau[0] * LaneKernels.Dot(a + ((nint)i * n) + 1, a + 1, n - 1);
        }

        for (int k = 0; k <= n - 3; k++)
        {
            nint m = n - k - 1;
            double* v = a + ((nint)k * n) + k + 1;
            d[k] = a[((nint)k * n) + k];

            // w = p − (τ/2)(pᵀv)·v, so that A₂₂ − v·wᵀ − w·vᵀ = H·A₂₂·H.
            double half = 0.5 * tau[k] * LaneKernels.Dot(p, v, m);
            for (nint r = 0; r < m; r++)
            {
                w[r] = p[r] - (half * v[r]);
            }

            // Row k + 1 first: the next reflector comes from it.
            double* row1 = a + ((nint)(k + 1) * n) + k + 1;
            LaneKernels.Rank2Update(row1, v, w, v[0], w[0], null, m);
            if (k + 1 <= n - 3)
            {
                double* u = row1 + 1;
                double t = MakeReflector(u, m - 1, out e[k + 1]);
                tau[k + 1] = t;

                // The rest of the trailing block, fused with the next product: column k + 1 of these rows is never read
                // again (it mirrors row k + 1), so only columns k + 2 … p − 1 are updated.
                for (nint r = 1; r < m; r++)
                {
                    double* row = a + ((k + 1 + r) * n) + k + 2;
                    next[r - 1] = t * LaneKernels.Rank2Update(row, v + 1, w + 1, v[r], w[r], u, m - 1);
                }

                double* swap = p;
                p = next;
                next = swap;
            }
            else
            {
                double* last = a + ((nint)(n - 1) * n) + n - 1;
                LaneKernels.Rank2Update(last, v + 1, w + 1, v[1], w[1], null, 1);
            }
        }

        d[n - 2] = a[((nint)(n - 2) * n) + n - 2];
        d[n - 1] = a[((nint)(n - 1) * n) + n - 1];
        e[n - 2] = a[((nint)(n - 2) * n) + n - 1];
        e[n - 1] = 0;
    }

    /// <summary>Turns x (length m) into a Householder vector v (v[0] = 1) with (I − τvvᵀ)x = β·e₀; returns τ.</summary>
    private static double MakeReflector(double* x, nint m, out double beta)
    {
        double alpha = x[0];
        double sigma = m > 1 ? LaneKernels.Dot(x + 1, x + 1, m - 1) : 0;
        x[0] = 1.0;
        if (sigma == 0)
        {
            beta = alpha;
            return 0;
        }

        double norm = Math.Sqrt((alpha * alpha) + sigma);
        beta = alpha >= 0 ? -norm : norm;
        double inverse = 1.0 / (alpha - beta);
        for (nint i = 1; i < m; i++)
        {
            x[i] *= inverse;
        }

        return (beta - alpha) / beta;
    }

    /// <summary>Q = H₀·H₁⋯H_{p−3}, column-major in z (column j at z + j·p), by backward accumulation: each column takes
    /// a block of reflectors in turn while it stays in L1.</summary>
    private static void FormQ(double* a, double* z, double* tau, int n)
    {
        NativeClear(z, (long)n * n);
        for (int i = 0; i < n; i++)
        {
            z[((nint)i * n) + i] = 1.0;
        }

        for (int k1 = n - 3; k1 >= 0; k1 -= ReflectorBlock)
        {
            int k0 = Math.Max(0, k1 - ReflectorBlock + 1);
            for (int j = k0 + 1; j < n; j++)
            {
                double* column = z + ((nint)j * n);
                for (int i = Math.Min(k1, j - 1); i >= k0; i--)
                {
                    double t = tau[i];
                    if (t == 0)
                    {
                        continue;
                    }

                    nint length = n - i - 1;
                    double* v = a + ((nint)i * n) + i + 1;
                    double s = t * LaneKernels.Dot(v, column + i + 1, length);
                    LaneKernels.Axpy(-s, v, column + i + 1, length);
                }
            }
        }
    }

    /// <summary>
    /// Implicit QL with shifts on the symmetric tridiagonal (d, e), e[i] coupling i and i + 1: each sweep chases a
    /// bulge from the bottom of the unreduced block up to row l with plane rotations, shifted by the eigenvalue of the
    /// leading 2×2 block nearer d[l]. Converges cubically; an off-diagonal entry below ε·(|dₘ| + |dₘ₊₁|) splits the
    /// matrix. When z is not null, the sweep's rotations are recorded (cosines, sines) and applied to columns i, i + 1
    /// of z together at the end of the sweep (<see cref="LaneKernels.RotateSweep"/>).
    /// </summary>
    private static void DiagonalizeTridiagonal(double* d, double* e, double* z, int n, double* cosines, double* sines)
    {
        e[n - 1] = 0;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            while (true)
            {
                int m = l;
                for (; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= Epsilon * dd)
                    {
                        break;
                    }
                }

                if (m == l)
                {
                    break;
                }

                if (++iterations > MaxIterationsPerValue)
                {
                    throw new InvalidOperationException(
                        string.Create(CultureInfo.InvariantCulture, $"The QL iteration did not converge for eigenvalue {l} after {MaxIterationsPerValue} sweeps."));
                }

                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = Hypot(g, 1.0);
                g = d[m] - d[l] + (e[l] / (g + Math.CopySign(r, g)));
                double s = 1.0, c = 1.0, shift = 0.0;
                bool split = false;
                int lowest = m;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // Underflow: the rotation is the identity; deflate and start this eigenvalue again.
                        d[i + 1] -= shift;
                        e[m] = 0;
                        split = true;
                        break;
                    }

                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - shift;
                    r = ((d[i] - g) * s) + (2.0 * c * b);
                    shift = s * r;
                    d[i + 1] = g + shift;
                    g = (c * r) - b;
                    cosines[i] = c;
                    sines[i] = s;
                    lowest = i;
                }

                if (z != null && lowest < m)
                {
                    LaneKernels.RotateSweep(z, n, cosines, sines, m, lowest);
                }

                if (split)
                {
                    continue;
                }

                d[l] -= shift;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        double big = Math.Max(ax, ay), small = Math.Min(ax, ay);
        if (big == 0)
        {
            return 0;
        }

        double ratio = small / big;
        return big * Math.Sqrt(1.0 + (ratio * ratio));
    }

    /// <summary>Sorts the pairs by ascending eigenvalue, undoes the scaling, and writes the row-major eigenvector matrix
    /// (column k = eigenvector k) into the A buffer, which the reflectors no longer need.</summary>
    private void SortAndPublish(double* d, double* z, int n, double unscale)
    {
        int[] order = _order;
        for (int k = 0; k < n; k++)
        {
            order[k] = k;
        }

        // Insertion sort: stable, O(p²) compares at worst, nothing allocated.
        for (int k = 1; k < n; k++)
        {
            int item = order[k];
            double key = d[item];
            int j = k - 1;
            while (j >= 0 && d[order[j]] > key)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = item;
        }

        for (int k = 0; k < n; k++)
        {
            _values[k] = d[order[k]] * unscale;
        }

        if (z == null)
        {
            return;
        }

        double* output = _a.Pointer;
        const int Block = 8;
        for (int k0 = 0; k0 < n; k0 += Block)
        {
            int k1 = Math.Min(n, k0 + Block);
            for (int r = 0; r < n; r++)
            {
                double* target = output + ((nint)r * n);
                for (int k = k0; k < k1; k++)
                {
                    target[k] = z[((nint)order[k] * n) + r];
                }
            }
        }
    }

    private static void NativeClear(double* p, long length)
        => System.Runtime.InteropServices.NativeMemory.Clear(p, (nuint)length * sizeof(double));
}
