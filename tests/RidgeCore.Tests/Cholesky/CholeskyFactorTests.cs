using System;
using Xunit;
using static RidgeCore.Tests.Cholesky.CholeskyReference;

namespace RidgeCore.Tests.Cholesky;

/// <summary>
/// The factorization against the textbook triple loop, on whichever kernel family the process runs (CI runs the suite
/// once per tier). The sizes straddle every blocking edge of every family: MR (8; 6; 4), NR (16; 8; 4), the
/// left-looking width (32; 24; 16), MC (128; 120; 64) and KC (256, crossed by the k = 304 update at p = 600).
/// </summary>
public class CholeskyFactorTests
{
    public static TheoryData<int> Sizes => new()
    {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 97,
        119, 120, 121, 127, 128, 129, 255, 256, 257, 600,
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Factor_reproduces_A_plus_load_within_backward_error_bound(int p)
    {
        double[] a = RandomGram(p, seed: p);
        double lambda = 0.25;
        double[] load = Fill(p, lambda);
        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p), lambda);

        var l = new double[p * p];
        factor.CopyFactor(l);
        Assert.True(ReconstructionError(l, a, p, load) <= ReconstructionBound(a, p, load));

        double[] naive = Factor(a, p, load)!;
        double scale = MaxAbs(naive);
        for (int i = 0; i < p * p; i++)
        {
            // Well-conditioned (κ of a Gram matrix plus load ≈ 10³ at most here): factors agree to a few hundred ulps.
            Assert.True(Math.Abs(l[i] - naive[i]) <= 1e-11 * scale, $"L[{i / p},{i % p}] = {l[i]}, naive {naive[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Solve_matches_naive_forward_and_back_substitution(int p)
    {
        double[] a = RandomGram(p, seed: 7 * p + 1);
        double[] load = RandomVector(p, seed: p);
        for (int i = 0; i < p; i++) load[i] = Math.Abs(load[i]) + 0.1;
        double[] b = RandomVector(p, seed: 3 * p);
        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p), load);

        double[] l = Factor(a, p, load)!;
        double[] expected = Backward(l, p, Forward(l, p, b));
        var x = (double[])b.Clone();
        factor.Solve(x);
        double tol = 1e-10 * Math.Max(1, MaxAbs(expected));
        for (int i = 0; i < p; i++) Assert.True(Math.Abs(x[i] - expected[i]) <= tol, $"x[{i}] = {x[i]}, naive {expected[i]}");

        var z = (double[])b.Clone();
        factor.SolveLower(z);
        double[] zNaive = Forward(l, p, b);
        for (int i = 0; i < p; i++) Assert.True(Math.Abs(z[i] - zNaive[i]) <= 1e-10 * Math.Max(1, MaxAbs(zNaive)));
        factor.SolveLowerTransposed(z);
        for (int i = 0; i < p; i++) Assert.True(Math.Abs(z[i] - expected[i]) <= tol);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(9, 1)]
    [InlineData(17, 5)]
    [InlineData(33, 2)]
    [InlineData(130, 4)]
    [InlineData(1, 8)]
    [InlineData(17, 8)]
    [InlineData(33, 13)]
    [InlineData(130, 40)]
    public void Many_right_hand_sides_equal_one_at_a_time(int p, int t)
    {
        double[] a = RandomGram(p, seed: p + t);
        double[] rhs = RandomVector(p * t, seed: 11);
        foreach ((bool equilibrate, int op) in new[] { (false, 0), (false, 1), (false, 2), (true, 0), (true, 1), (true, 2) })
        {
            using var factor = new CholeskyFactor(p) { Equilibrate = equilibrate };
            factor.Factor(new MatrixView<double>(a, p, p), 0.5);
            var block = (double[])rhs.Clone();
            if (op == 0) factor.Solve(block, t);
            else if (op == 1) factor.SolveLower(block, t);
            else factor.SolveLowerTransposed(block, t);
            for (int j = 0; j < t; j++)
            {
                var column = new double[p];
                for (int i = 0; i < p; i++) column[i] = rhs[i * t + j];
                if (op == 0) factor.Solve(column);
                else if (op == 1) factor.SolveLower(column);
                else factor.SolveLowerTransposed(column);

                // Below eight columns the block solve runs column by column (bitwise the same); from eight on it
                // runs row-oriented, with the same divisions but the sums in another order.
                double tol = t < 8 ? 0 : 1e-10 * Math.Max(1, MaxAbs(column));
                for (int i = 0; i < p; i++)
                    Assert.True(Math.Abs(column[i] - block[i * t + j]) <= tol, $"eq {equilibrate}, op {op}, column {j}, row {i}: {block[i * t + j]} vs {column[i]}");
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(131)]
    public void Only_the_lower_triangle_is_read_and_the_row_stride_is_honoured(int p)
    {
        double[] a = RandomGram(p, seed: 5);
        int stride = p + 3;
        var padded = new double[p * stride];
        Array.Fill(padded, double.NaN);
        for (int i = 0; i < p; i++)
            for (int j = 0; j <= i; j++)
                padded[i * stride + j] = a[i * p + j];
        var before = (double[])padded.Clone();

        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(padded, p, p, stride), 1.0);
        using var reference = new CholeskyFactor(p);
        reference.Factor(new MatrixView<double>(a, p, p), 1.0);
        var l1 = new double[p * p];
        var l2 = new double[p * p];
        factor.CopyFactor(l1);
        reference.CopyFactor(l2);
        Assert.Equal(l2, l1);
        Assert.Equal(before, padded); // NaN == NaN for Assert.Equal on doubles: the input is bitwise untouched.
    }

    [Theory]
    [InlineData(20, 1e2)]
    [InlineData(64, 1e6)]
    [InlineData(100, 1e10)]
    [InlineData(150, 1e12)]
    public void Controlled_condition_number_gives_forward_error_within_kappa_eps(int p, double kappa)
    {
        double[] a = WithConditionNumber(p, kappa, seed: p);
        double[] xTrue = RandomVector(p, seed: 2);
        var b = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = 0;
            for (int j = 0; j < p; j++) s += a[i * p + j] * xTrue[j];
            b[i] = s;
        }

        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p));
        factor.Solve(b);
        double err = 0;
        for (int i = 0; i < p; i++) err = Math.Max(err, Math.Abs(b[i] - xTrue[i]));

        // ‖δx‖/‖x‖ ≲ c·p·κ·eps; b itself carries rounding of relative size p·eps, which the same bound covers.
        Assert.True(err / MaxAbs(xTrue) <= 10.0 * p * kappa * Eps, $"relative error {err / MaxAbs(xTrue):E2} for κ = {kappa:E0}");
        Assert.True(err / MaxAbs(xTrue) <= 0.5, "the solution must carry at least some correct digits");
    }

    [Fact]
    public void Scalar_load_and_the_same_load_as_a_vector_give_identical_factors()
    {
        const int p = 77;
        double[] a = RandomGram(p, seed: 3);
        using var f1 = new CholeskyFactor(p);
        using var f2 = new CholeskyFactor(p);
        f1.Factor(new MatrixView<double>(a, p, p), 0.3);
        f2.Factor(new MatrixView<double>(a, p, p), Fill(p, 0.3));
        var l1 = new double[p * p];
        var l2 = new double[p * p];
        f1.CopyFactor(l1);
        f2.CopyFactor(l2);
        Assert.Equal(l1, l2);
    }

    [Fact]
    public void The_load_is_applied_on_the_fly_equal_to_factoring_A_plus_D_written_out()
    {
        const int p = 45;
        double[] a = RandomGram(p, seed: 9);
        double[] load = RandomVector(p, seed: 4);
        for (int i = 0; i < p; i++) load[i] = 10 * Math.Abs(load[i]);
        using var f1 = new CholeskyFactor(p);
        using var f2 = new CholeskyFactor(p);
        f1.Factor(new MatrixView<double>(a, p, p), load);
        f2.Factor(new MatrixView<double>(WithLoad(a, p, load), p, p));
        var l1 = new double[p * p];
        var l2 = new double[p * p];
        f1.CopyFactor(l1);
        f2.CopyFactor(l2);
        for (int i = 0; i < p * p; i++) Assert.True(Math.Abs(l1[i] - l2[i]) <= 1e-13 * MaxAbs(l2));
    }

    [Fact]
    public void Refactoring_is_deterministic_and_independent_of_what_was_factored_before()
    {
        const int p = 70;
        double[] a = RandomGram(p, seed: 1);
        double[] other = WithConditionNumber(p, 1e8, seed: 2);
        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p), 0.1);
        var first = new double[p * p];
        factor.CopyFactor(first);
        factor.Factor(new MatrixView<double>(other, p, p));
        Assert.False(factor.TryFactor(new MatrixView<double>(WithLoad(a, p, Fill(p, -1e6)), p, p)));
        factor.Factor(new MatrixView<double>(a, p, p), 0.1);
        var again = new double[p * p];
        factor.CopyFactor(again);
        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(50)]
    public void Log_determinant_is_twice_the_sum_of_log_pivots(int p)
    {
        double[] a = RandomGram(p, seed: p);
        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p), 0.2);
        double[] l = Factor(a, p, Fill(p, 0.2))!;
        double expected = 0;
        for (int i = 0; i < p; i++) expected += 2 * Math.Log(l[i * p + i]);
        Assert.Equal(expected, factor.LogDeterminant(), 1e-10 * Math.Max(1, Math.Abs(expected)));
    }
}
