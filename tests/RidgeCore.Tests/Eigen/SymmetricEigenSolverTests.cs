using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RidgeCore.Tests.Harness;
using Xunit;

namespace RidgeCore.Tests.Eigen;

/// <summary>
/// Specifications of <see cref="SymmetricEigenSolver"/>: against cyclic Jacobi for the eigenvalues, and by the
/// defining properties (VᵀV = I, A·V = V·Λ, ascending order) for the pairs, on every shape around the register widths
/// (1 … 33), a few large orders, clustered, repeated and zero eigenvalues. The suite runs once per SIMD tier.
/// </summary>
public class SymmetricEigenSolverTests
{
    private const double Eps = 2.220446049250313e-16;

    internal static double[] RandomSymmetric(int n, int seed, double scale = 1)
    {
        var random = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[(i * n) + j] = a[(j * n) + i] = scale * ((2 * random.NextDouble()) - 1);
        return a;
    }

    /// <summary>Q·diag(values)·Qᵀ for a random orthogonal Q (product of Householder reflections).</summary>
    internal static double[] WithSpectrum(double[] values, int seed)
    {
        int n = values.Length;
        var random = new Random(seed);
        var q = new double[n * n];
        for (int i = 0; i < n; i++) q[(i * n) + i] = 1;
        for (int r = 0; r < 3; r++)
        {
            var v = new double[n];
            double norm = 0;
            for (int i = 0; i < n; i++) { v[i] = (2 * random.NextDouble()) - 1; norm += v[i] * v[i]; }
            for (int i = 0; i < n; i++) v[i] /= Math.Sqrt(norm);
            // q ← (I − 2vvᵀ)q
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += v[i] * q[(i * n) + j];
                for (int i = 0; i < n; i++) q[(i * n) + j] -= 2 * v[i] * s;
            }
        }

        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[(i * n) + k] * values[k] * q[(j * n) + k];
                a[(i * n) + j] = s;
            }

        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                a[(j * n) + i] = a[(i * n) + j];
        return a;
    }

    private static double FrobeniusNorm(double[] a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }

    /// <summary>Checks sortedness, VᵀV = I and AV = VΛ within c·p·ε (relative to ‖A‖_F), and returns nothing.</summary>
    internal static void AssertDecomposition(double[] a, int n, SymmetricEigenSolver solver, double factor = 16)
    {
        ReadOnlySpan<double> values = solver.Values;
        ReadOnlySpan<double> v = solver.Vectors;
        double norm = Math.Max(FrobeniusNorm(a), double.Epsilon);
        double tol = factor * n * Eps;
        for (int k = 1; k < n; k++)
            Assert.True(values[k - 1] <= values[k], $"values not ascending at {k}: {values[k - 1]} > {values[k]}");

        double worstOrth = 0, worstResidual = 0;
        for (int k = 0; k < n; k++)
        {
            for (int l = 0; l <= k; l++)
            {
                double s = 0;
                for (int r = 0; r < n; r++) s += v[(r * n) + k] * v[(r * n) + l];
                worstOrth = Math.Max(worstOrth, Math.Abs(s - (k == l ? 1 : 0)));
            }

            for (int r = 0; r < n; r++)
            {
                double s = 0;
                for (int c = 0; c < n; c++) s += a[(r * n) + c] * v[(c * n) + k];
                worstResidual = Math.Max(worstResidual, Math.Abs(s - (values[k] * v[(r * n) + k])));
            }
        }

        Assert.True(worstOrth <= tol, $"p={n}: max |VᵀV − I| = {worstOrth:E3} > {tol:E3}");
        Assert.True(worstResidual <= tol * norm, $"p={n}: max |AV − VΛ| = {worstResidual:E3} > {tol * norm:E3}");
    }

    private static void AssertValuesMatchJacobi(double[] a, int n, ReadOnlySpan<double> values, double factor = 16)
    {
        double[] expected = JacobiReference.Eigenvalues(a, n);
        double tol = factor * n * Eps * Math.Max(FrobeniusNorm(a), double.Epsilon);
        for (int k = 0; k < n; k++)
            Assert.True(Math.Abs(values[k] - expected[k]) <= tol, $"p={n}, λ[{k}] = {values[k]:R}, Jacobi {expected[k]:R}, tol {tol:E2}");
    }

    [Property(MaxTest = 60)]
    public Property Random_matrices_match_Jacobi_and_decompose(PositiveInt size, int seed)
    {
        int n = 1 + (size.Get % 40);
        double[] a = RandomSymmetric(n, seed);
        using var solver = new SymmetricEigenSolver(n);
        solver.Decompose(new MatrixView<double>(a, n, n));
        AssertDecomposition(a, n, solver);
        AssertValuesMatchJacobi(a, n, solver.Values);
        return true.ToProperty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(65)]
    public void Every_small_order_around_register_edges(int n)
    {
        double[] a = RandomSymmetric(n, 1000 + n, scale: 1e3);
        using var solver = new SymmetricEigenSolver(n);
        solver.Decompose(new MatrixView<double>(a, n, n));
        AssertDecomposition(a, n, solver);
        AssertValuesMatchJacobi(a, n, solver.Values);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(600)]
    public void Large_orders_decompose(int n)
    {
        double[] a = RandomSymmetric(n, n);
        using var solver = new SymmetricEigenSolver(n);
        solver.Decompose(new MatrixView<double>(a, n, n));
        AssertDecomposition(a, n, solver, factor: 8);
    }

    [Fact]
    public void Clustered_and_repeated_eigenvalues()
    {
        double[] spectrum = [1, 1, 1, 1 + 1e-12, 1 + 2e-12, 2, 2, 5, 5 + 1e-9, 10, 10, 10];
        double[] a = WithSpectrum(spectrum, 7);
        int n = spectrum.Length;
        using var solver = new SymmetricEigenSolver(n);
        solver.Decompose(new MatrixView<double>(a, n, n));
        AssertDecomposition(a, n, solver);
        double[] sorted = (double[])spectrum.Clone();
        Array.Sort(sorted);
        for (int k = 0; k < n; k++)
            Assert.True(Math.Abs(solver.Values[k] - sorted[k]) <= 64 * n * Eps * 10, $"λ[{k}] = {solver.Values[k]:R}, want {sorted[k]:R}");
    }

    [Fact]
    public void Zero_eigenvalues_of_a_rank_deficient_gram()
    {
        // G = XᵀX with X 5 × 12: rank 5, so seven eigenvalues are zero (to rounding).
        int n = 12, rows = 5;
        var random = new Random(3);
        var x = new double[rows * n];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() - 0.5;
        var g = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int r = 0; r < rows; r++)
                    g[(i * n) + j] += x[(r * n) + i] * x[(r * n) + j];
        using var solver = new SymmetricEigenSolver(n);
        solver.Decompose(new MatrixView<double>(g, n, n));
        AssertDecomposition(g, n, solver);
        double norm = FrobeniusNorm(g);
        for (int k = 0; k < n - rows; k++)
            Assert.True(Math.Abs(solver.Values[k]) <= 16 * n * Eps * norm, $"λ[{k}] = {solver.Values[k]:E3} should be 0");
        Assert.True(solver.Values[n - rows] > 1e-6 * norm);
    }

    [Fact]
    public void Zero_and_diagonal_matrices()
    {
        using var solver = new SymmetricEigenSolver(4);
        solver.Decompose(new MatrixView<double>(new double[16], 4, 4));
        Assert.Equal(new double[4], solver.Values.ToArray());
        AssertDecomposition(new double[16], 4, solver);

        double[] diag = [3, 0, 0, 0, 0, -1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1e-200];
        solver.Decompose(new MatrixView<double>(diag, 4, 4));
        Assert.Equal(new[] { -1, 1e-200, 2, 3 }, solver.Values.ToArray());
        AssertDecomposition(diag, 4, solver);
    }

    [Fact]
    public void Huge_and_tiny_scales_do_not_overflow()
    {
        foreach (double scale in new[] { 1e-300, 1e300 })
        {
            double[] a = RandomSymmetric(9, 5, scale);
            using var solver = new SymmetricEigenSolver(9);
            solver.Decompose(new MatrixView<double>(a, 9, 9));
            foreach (double v in solver.Values) Assert.True(double.IsFinite(v));
            double[] unit = RandomSymmetric(9, 5, 1);
            solver.Decompose(new MatrixView<double>(a, 9, 9), computeVectors: false);
            double[] scaled = solver.Values.ToArray();
            solver.Decompose(new MatrixView<double>(unit, 9, 9), computeVectors: false);
            for (int k = 0; k < 9; k++)
                Assert.True(Math.Abs((scaled[k] / scale) - solver.Values[k]) <= 1e-13, $"{scale}: {scaled[k] / scale} vs {solver.Values[k]}");
        }
    }

    [Fact]
    public void Values_only_agree_with_values_and_vectors()
    {
        double[] a = RandomSymmetric(37, 11);
        using var solver = new SymmetricEigenSolver(37);
        solver.Decompose(new MatrixView<double>(a, 37, 37));
        double[] withVectors = solver.Values.ToArray();
        solver.Decompose(new MatrixView<double>(a, 37, 37), computeVectors: false);
        Assert.False(solver.HasVectors);
        Assert.Throws<InvalidOperationException>(() => solver.Vectors.Length);
        for (int k = 0; k < 37; k++)
            Assert.True(Math.Abs(withVectors[k] - solver.Values[k]) <= 1e-13 * 37);
    }

    [Fact]
    public void Only_the_lower_triangle_is_read_and_the_input_is_unchanged()
    {
        double[] a = RandomSymmetric(6, 4);
        double[] junk = (double[])a.Clone();
        for (int i = 0; i < 6; i++)
            for (int j = i + 1; j < 6; j++)
                junk[(i * 6) + j] = double.NaN;
        double[] copy = (double[])junk.Clone();
        using var solver = new SymmetricEigenSolver(6);
        solver.Decompose(new MatrixView<double>(junk, 6, 6));
        AssertDecomposition(a, 6, solver);
        Assert.Equal(copy, junk);
    }

    [Fact]
    public void Agrees_with_the_Cholesky_path_on_a_positive_definite_gram()
    {
        // det(G) = Π λ: the product of the eigenvalues equals the squared product of the Cholesky pivots.
        int n = 10;
        double[] g = WithSpectrum([0.5, 1, 1.5, 2, 3, 4, 6, 8, 9, 12], 9);
        using var solver = new SymmetricEigenSolver(n);
        solver.Decompose(new MatrixView<double>(g, n, n), computeVectors: false);
        double logDetEigen = 0;
        foreach (double v in solver.Values) logDetEigen += Math.Log(v);
        using var chol = new CholeskyFactor(n);
        chol.Factor(new MatrixView<double>(g, n, n));
        var l = new double[n * n];
        chol.CopyFactor(l);
        double logDetChol = 0;
        for (int i = 0; i < n; i++) logDetChol += 2 * Math.Log(l[(i * n) + i]);
        Assert.Equal(logDetChol, logDetEigen, 1e-12);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        using var solver = new SymmetricEigenSolver(3);
        Assert.Throws<ArgumentException>(() => solver.Decompose(new MatrixView<double>(new double[6], 2, 3)));
        double[] a = [1, 0, 0, 0, 1, 0, 0, double.PositiveInfinity, 1];
        var e = Assert.Throws<InvalidValueException>(() => solver.Decompose(new MatrixView<double>(a, 3, 3)));
        Assert.Equal(2, e.Row);
        Assert.Equal(1, e.Column);
        Assert.Throws<InvalidOperationException>(() => solver.Values.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SymmetricEigenSolver(0));
    }

    [Fact]
    public void Decompose_allocates_nothing()
    {
        double[] a = RandomSymmetric(40, 1);
        using var solver = new SymmetricEigenSolver(40);
        AllocationAssert.None(() => solver.Decompose(new MatrixView<double>(a, 40, 40)));
    }
}
