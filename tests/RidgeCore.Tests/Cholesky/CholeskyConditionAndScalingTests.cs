using System;
using Xunit;
using static RidgeCore.Tests.Cholesky.CholeskyReference;

namespace RidgeCore.Tests.Cholesky;

/// <summary>The condition estimate against the true κ₁ from an explicit inverse, equilibration, and allocation-free
/// refactoring.</summary>
public class CholeskyConditionAndScalingTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1e3)]
    [InlineData(5, 10.0)]
    [InlineData(20, 1e4)]
    [InlineData(40, 1e8)]
    [InlineData(60, 1e12)]
    public void Condition_estimate_is_a_lower_bound_within_a_small_factor_of_kappa_one(int p, double kappa)
    {
        double[] a = WithConditionNumber(p, kappa, seed: p + 100);
        double lambda = 1e-3 / kappa;
        double[] load = Fill(p, lambda);
        double trueKappa = NormOne(WithLoad(a, p, load), p) * NormOne(Inverse(a, p, load), p);

        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p), lambda);
        Assert.Equal(NormOne(WithLoad(a, p, load), p), factor.NormOne, 1e-12 * factor.NormOne);
        double estimate = factor.EstimateConditionNumber();
        Assert.True(estimate <= trueKappa * (1 + 1e-6), $"estimate {estimate:E3} above true κ₁ {trueKappa:E3}");
        Assert.True(estimate >= trueKappa / 10, $"estimate {estimate:E3} more than 10x below true κ₁ {trueKappa:E3}");
    }

    [Fact]
    public void Condition_estimate_of_a_random_gram_matrix_is_within_a_factor_of_three()
    {
        const int p = 80;
        double[] a = RandomGram(p, seed: 8);
        double[] load = Fill(p, 0.01);
        double trueKappa = NormOne(WithLoad(a, p, load), p) * NormOne(Inverse(a, p, load), p);
        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(a, p, p), 0.01);
        double estimate = factor.EstimateConditionNumber();
        Assert.InRange(estimate, trueKappa / 3, trueKappa * (1 + 1e-6));
    }

    /// <summary>B well conditioned, A = T·B·T with column scales from 1e-4 to 1e4: κ(A) ≈ 1e16 only because of the scales.</summary>
    private static double[] BadlyScaled(int p, out double[] scales)
    {
        double[] b = WithConditionNumber(p, 10, seed: 6);
        scales = new double[p];
        for (int i = 0; i < p; i++) scales[i] = Math.Pow(10, -4 + (8.0 * ((i * 7) % p) / Math.Max(1, p - 1)));
        var a = new double[p * p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                a[i * p + j] = scales[i] * b[i * p + j] * scales[j];
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(33)]
    [InlineData(130)]
    public void Equilibration_gives_the_same_solution_factor_determinant_and_condition(int p)
    {
        double[] a = BadlyScaled(p, out double[] t);
        double[] load = new double[p];
        for (int i = 0; i < p; i++) load[i] = 1e-6 * t[i] * t[i];
        var xTrue = RandomVector(p, seed: 5);
        for (int i = 0; i < p; i++) xTrue[i] /= t[i];
        var b = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = load[i] * xTrue[i];
            for (int j = 0; j < p; j++) s += a[i * p + j] * xTrue[j];
            b[i] = s;
        }

        using var plain = new CholeskyFactor(p);
        using var equilibrated = new CholeskyFactor(p) { Equilibrate = true };
        plain.Factor(new MatrixView<double>(a, p, p), load);
        equilibrated.Factor(new MatrixView<double>(a, p, p), load);
        Assert.True(equilibrated.IsEquilibrated);
        Assert.False(plain.IsEquilibrated);

        var x1 = new double[p];
        var x2 = new double[p];
        plain.Solve(b, x1);
        equilibrated.Solve(b, x2);
        for (int i = 0; i < p; i++)
        {
            // Componentwise relative: each unknown has its own scale 1/tᵢ.
            Assert.True(Math.Abs(x2[i] - xTrue[i]) <= 1e-10 * Math.Abs(xTrue[i]) + 1e-12 * MaxAbs(xTrue), $"equilibrated x[{i}]");
            Assert.True(Math.Abs(x1[i] - x2[i]) <= 1e-8 * Math.Abs(x2[i]) + 1e-12 * MaxAbs(x2), $"x[{i}] {x1[i]} vs {x2[i]}");
        }

        var l = new double[p * p];
        equilibrated.CopyFactor(l);
        Assert.True(ReconstructionError(l, a, p, load) <= ReconstructionBound(a, p, load));
        Assert.Equal(plain.LogDeterminant(), equilibrated.LogDeterminant(), 1e-9 * Math.Max(1, Math.Abs(plain.LogDeterminant())));
        Assert.Equal(plain.NormOne, equilibrated.NormOne);
        double k1 = plain.EstimateConditionNumber(), k2 = equilibrated.EstimateConditionNumber();
        Assert.InRange(k2, k1 / 3, k1 * 3);

        // The forward and back substitutions of the equilibrated factor are those of L = S⁻¹L̃, the factor of A + D.
        var z = (double[])b.Clone();
        equilibrated.SolveLower(z);
        double[] zNaive = Forward(l, p, b);
        for (int i = 0; i < p; i++) Assert.True(Math.Abs(z[i] - zNaive[i]) <= 1e-8 * MaxAbs(zNaive));
        equilibrated.SolveLowerTransposed(z);
        for (int i = 0; i < p; i++) Assert.True(Math.Abs(z[i] - x2[i]) <= 1e-8 * Math.Abs(x2[i]) + 1e-12 * MaxAbs(x2));
    }

    [Fact]
    public void Equilibration_guards_a_zero_diagonal_that_the_load_makes_positive()
    {
        const int p = 10;
        double[] a = RandomGram(p, seed: 10);
        for (int i = 0; i < p; i++) { a[3 * p + i] = 0; a[i * p + 3] = 0; }
        using var factor = new CholeskyFactor(p) { Equilibrate = true };
        factor.Factor(new MatrixView<double>(a, p, p), 0.5);
        var x = new double[p];
        x[3] = 1;
        factor.Solve(x);
        Assert.Equal(2.0, x[3], 1e-14); // (A + ½I)⁻¹e₃ = 2e₃: row and column 3 are zero.

        Assert.False(factor.TryFactor(new MatrixView<double>(a, p, p)));
        Assert.Equal(3, factor.FailedPivot);
    }

    [Fact]
    public void Refactoring_solving_and_estimating_allocate_nothing()
    {
        const int p = 150;
        double[] a = RandomGram(p, seed: 12);
        double[] singular = (double[])a.Clone();
        singular[100 * p + 100] = -1;
        double[] load = Fill(p, 0.1);
        var b = RandomVector(p, seed: 1);
        var many = RandomVector(3 * p, seed: 2);
        using var factor = new CholeskyFactor(p);
        void Work()
        {
            factor.Equilibrate = false;
            factor.Factor(new MatrixView<double>(a, p, p), 0.1);
            factor.Solve(b);
            factor.Solve(many, 3);
            _ = factor.EstimateConditionNumber();
            _ = factor.LogDeterminant();
            factor.Equilibrate = true;
            factor.Factor(new MatrixView<double>(a, p, p), load);
            factor.SolveLower(b);
            factor.SolveLowerTransposed(b);
            _ = factor.TryFactor(new MatrixView<double>(singular, p, p));
        }

        RidgeCore.Tests.Harness.AllocationAssert.None(Work);
    }
}
