using System;
using Xunit;
using static RidgeCore.Tests.Cholesky.CholeskyReference;

namespace RidgeCore.Tests.Cholesky;

/// <summary>What happens when the matrix is not positive definite or the input is bad: a typed exception naming the
/// pivot or the argument and index, never NaN in a result, and the caller's data untouched.</summary>
public class CholeskyFailureTests
{
    /// <summary>Identity, except that columns 0 and 1 are copied into column 4 (and row 4) with a₄₄ = 2: the leading
    /// 5 × 5 block has e₀ + e₁ − e₄ in its null space, and every step of the elimination is exact, so pivot 4 is 0.</summary>
    private static double[] SingularFifthMinor(int p)
    {
        var a = new double[p * p];
        for (int i = 0; i < p; i++) a[i * p + i] = 1;
        a[4 * p + 0] = a[0 * p + 4] = 1;
        a[4 * p + 1] = a[1 * p + 4] = 1;
        a[4 * p + 4] = 2;
        return a;
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(40)]
    [InlineData(300)]
    public void Singular_fifth_leading_minor_names_pivot_4_and_leaves_input_untouched(int p)
    {
        double[] a = SingularFifthMinor(p);
        var before = (double[])a.Clone();
        using var factor = new CholeskyFactor(p);
        var e = Assert.Throws<NotPositiveDefiniteException>(() => factor.Factor(new MatrixView<double>(a, p, p)));
        Assert.Equal(4, e.Pivot);
        Assert.Equal(0.0, e.PivotValue);
        Assert.Contains("pivot 4", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, a);
        Assert.False(factor.IsFactored);
        Assert.Throws<InvalidOperationException>(() => factor.Solve(new double[p]));

        Assert.False(factor.TryFactor(new MatrixView<double>(a, p, p)));
        Assert.Equal(4, factor.FailedPivot);
        Assert.Equal(0.0, factor.FailedPivotValue);

        // A positive load makes the same matrix positive definite.
        Assert.True(factor.TryFactor(new MatrixView<double>(a, p, p), 1e-3));
        Assert.Equal(-1, factor.FailedPivot);
        Assert.True(double.IsNaN(factor.FailedPivotValue));
    }

    [Theory]
    [InlineData(100, 77)]
    [InlineData(257, 200)]
    [InlineData(64, 63)]
    public void Negative_diagonal_deep_in_a_blocked_matrix_fails_at_that_pivot(int p, int bad)
    {
        double[] a = RandomGram(p, seed: 1);
        for (int i = 0; i < p; i++) a[i * p + i] += p;
        a[bad * p + bad] = -1;
        using var factor = new CholeskyFactor(p);
        var e = Assert.Throws<NotPositiveDefiniteException>(() => factor.Factor(new MatrixView<double>(a, p, p)));
        Assert.Equal(bad, e.Pivot);
        Assert.True(e.PivotValue < -1);
    }

    [Fact]
    public void Overflow_in_the_elimination_fails_with_an_infinite_pivot_instead_of_NaN()
    {
        // l₁₀ = 1e10 / 1e-150 = 1e160 and l₁₀² overflows: pivot 1 = 1 − ∞.
        double[] a = [1e-300, 1e10, 1e10, 1];
        using var factor = new CholeskyFactor(2);
        var e = Assert.Throws<NotPositiveDefiniteException>(() => factor.Factor(new MatrixView<double>(a, 2, 2)));
        Assert.Equal(1, e.Pivot);
        Assert.Equal(double.NegativeInfinity, e.PivotValue);
    }

    [Fact]
    public void Equilibrated_failure_reports_the_pivot_in_the_units_of_the_input()
    {
        const int p = 12;
        double[] a = SingularFifthMinor(p);
        for (int i = 0; i < p * p; i++) a[i] *= 1024;
        a[4 * p + 4] -= 3;
        using var factor = new CholeskyFactor(p) { Equilibrate = true };
        Assert.False(factor.TryFactor(new MatrixView<double>(a, p, p)));
        Assert.Equal(4, factor.FailedPivot);
        Assert.Equal(-3.0, factor.FailedPivotValue, 1e-9);
    }

    [Fact]
    public void Non_finite_entry_names_argument_row_and_column()
    {
        const int p = 9;
        double[] a = RandomGram(p, seed: 2);
        double[] original = (double[])a.Clone();
        a[5 * p + 2] = double.NaN;
        using var factor = new CholeskyFactor(p);
        var e = Assert.Throws<InvalidValueException>(() => factor.Factor(new MatrixView<double>(a, p, p)));
        Assert.Equal("matrix", e.ParamName);
        Assert.Equal(5, e.Row);
        Assert.Equal(2, e.Column);

        a[5 * p + 2] = original[5 * p + 2];
        a[7 * p + 7] = double.PositiveInfinity;
        e = Assert.Throws<InvalidValueException>(() => factor.TryFactor(new MatrixView<double>(a, p, p)));
        Assert.Equal(7, e.Row);
        Assert.Equal(7, e.Column);
        Assert.False(factor.IsFactored);

        // The upper triangle is never read, so a NaN there is no error.
        a[7 * p + 7] = original[7 * p + 7];
        a[2 * p + 5] = double.NaN;
        factor.Factor(new MatrixView<double>(a, p, p));
        Assert.True(factor.IsFactored);
    }

    [Fact]
    public void Bad_loads_name_the_argument_and_index()
    {
        const int p = 6;
        double[] a = RandomGram(p, seed: 3);
        var m = new MatrixView<double>(a, p, p);
        using var factor = new CholeskyFactor(p);
        foreach (double bad in new[] { -1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Assert.Throws<InvalidValueException>(() => factor.Factor(new MatrixView<double>(a, p, p), bad));
            Assert.Equal("diagonalLoad", e.ParamName);
            Assert.Equal(-1, e.Row);

            double[] load = Fill(p, 1);
            load[3] = bad;
            e = Assert.Throws<InvalidValueException>(() => factor.TryFactor(new MatrixView<double>(a, p, p), load));
            Assert.Equal("diagonalLoad", e.ParamName);
            Assert.Equal(3, e.Row);
        }

        var wrong = Assert.Throws<ArgumentException>(() => factor.Factor(new MatrixView<double>(a, p, p), new double[p + 1]));
        Assert.Equal("diagonalLoad", wrong.ParamName);
        Assert.False(factor.IsFactored);
        _ = m;
    }

    [Fact]
    public void Wrong_shapes_and_lengths_name_the_argument()
    {
        const int p = 4;
        double[] a = RandomGram(p, seed: 4);
        using var factor = new CholeskyFactor(p);
        var e = Assert.Throws<ArgumentException>(() => factor.Factor(new MatrixView<double>(new double[20], 4, 5)));
        Assert.Equal("matrix", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => factor.Factor(new MatrixView<double>(new double[9], 3, 3)));
        Assert.Equal("matrix", e.ParamName);

        Assert.Throws<InvalidOperationException>(() => factor.EstimateConditionNumber());
        factor.Factor(new MatrixView<double>(a, p, p), 1);
        Assert.Equal("rightHandSide", Assert.Throws<ArgumentException>(() => factor.Solve(new double[p - 1])).ParamName);
        Assert.Equal("solution", Assert.Throws<ArgumentException>(() => factor.Solve(new double[p], new double[p + 1])).ParamName);
        Assert.Equal("rightHandSides", Assert.Throws<ArgumentException>(() => factor.Solve(new double[2 * p + 1], 2)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => factor.CopyFactor(new double[p])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => factor.Solve(new double[p], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CholeskyFactor(0));

        factor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => factor.Factor(new MatrixView<double>(a, p, p)));
        Assert.Throws<ObjectDisposedException>(() => factor.Solve(new double[p]));
    }
}
