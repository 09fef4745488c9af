using System;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>Properties the theory of ridge regression guarantees, checked on the estimator as a whole.</summary>
public class RidgeTheoryTests
{
    /// <summary>
    /// The 1-D case. One row x = 1, target y, no intercept, weight w: RidgeCore minimizes (1/w)·w(y − θ)² + λθ²
    /// = (y − θ)² + λθ², which is 2·J for J = ½(y − θ)² + ½λθ², so both have the minimizer θ = y/(1 + λ). With 1 + λ
    /// exact in double, IEEE division rounds that correctly, and the refined fit must return exactly the same double;
    /// from statistics (no refinement) it is within two units in the last place.
    /// </summary>
    [Theory]
    [InlineData(3.0, 2.0, 1.0)]
    [InlineData(1.0, 0.375, 1.0)]
    [InlineData(-7.0, 0.75, 2.5)]
    [InlineData(1e-3, 4095.0, 1.0)]
    [InlineData(123.456, 0.0, 0.125)]
    public void One_dimensional_fit_is_y_over_one_plus_lambda(double y, double lambda, double weight)
    {
        double expected = y / (1 + lambda);
        var x = new MatrixView<double>(new[] { 1.0 }, 1, 1);
        var yv = new MatrixView<double>(new[] { y }, 1, 1);
        var options = new RidgeOptions { Lambda = lambda, FitIntercept = false };
        RidgeModel refined = Ridge.Fit(x, yv, options, new[] { weight });
        Assert.Equal(expected, refined.Coefficients[0]);
        Assert.Equal(0.0, refined.Intercepts[0]);
        Assert.Equal(1 / (1 + lambda), refined.EffectiveDegreesOfFreedom[0], 1e-15);

        using var acc = new GramAccumulator(1, 1, GramMode.Uncentered);
        acc.Add(x, yv, new[] { weight });
        double fromStatistics = Ridge.Fit(acc, options).Coefficients[0];
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        Assert.True(Math.Abs(fromStatistics - expected) <= 2 * ulp, $"{fromStatistics:R} vs {expected:R}");
    }

    [Fact]
    public void Coefficient_norm_strictly_decreases_in_lambda_and_vanishes()
    {
        Problem pr = RandomProblem(50, 6, 1, seed: 21);
        double[] lambdas = [0, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1e4, 1e8];
        double previous = double.PositiveInfinity, first = 0;
        foreach (double lambda in lambdas)
        {
            RidgeModel model = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = lambda });
            double norm = Math.Sqrt(Harness.Reference.SumOfSquares(model.Coefficients).Value);
            Assert.True(norm < previous, $"‖θ‖ = {norm:R} at λ = {lambda} did not decrease from {previous:R}");
            if (lambda == 0) first = norm;
            previous = norm;
        }

        Assert.True(previous < 1e-6 * first, $"‖θ‖ at λ = 1e8 is {previous:E2}, against {first:E2} at λ = 0");
    }

    [Fact]
    public void Standardized_fit_is_invariant_to_rescaling_a_column()
    {
        Problem pr = RandomProblem(40, 5, 2, seed: 22);
        double[] scaled = (double[])pr.X.Clone();
        for (int i = 0; i < pr.N; i++)
        {
            scaled[i * 5 + 1] *= 1000;
            scaled[i * 5 + 3] *= 1e-3;
        }

        var options = new RidgeOptions { Lambda = 0.3, Standardize = true };
        RidgeModel a = Ridge.Fit(pr.XView, pr.YView, options);
        RidgeModel b = Ridge.Fit(new MatrixView<double>(scaled, pr.N, 5), pr.YView, options);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(a.GetCoefficient(1, k), b.GetCoefficient(1, k) * 1000, 1e-12);
            Assert.Equal(a.GetCoefficient(3, k), b.GetCoefficient(3, k) * 1e-3, 1e-12);
            foreach (int j in new[] { 0, 2, 4 }) Assert.Equal(a.GetCoefficient(j, k), b.GetCoefficient(j, k), 1e-12);
            Assert.Equal(a.Intercepts[k], b.Intercepts[k], 1e-12);
        }

        // Without standardization the penalty is not scale-free, and the fits differ.
        RidgeModel c = Ridge.Fit(new MatrixView<double>(scaled, pr.N, 5), pr.YView, new RidgeOptions { Lambda = 0.3 });
        RidgeModel d = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 0.3 });
        Assert.NotEqual(d.GetCoefficient(1), c.GetCoefficient(1) * 1000, 1e-3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_with_an_intercept_is_invariant_to_shifting_a_column(bool standardize)
    {
        Problem pr = RandomProblem(40, 4, 1, seed: 23);
        double[] shifted = (double[])pr.X.Clone();
        for (int i = 0; i < pr.N; i++) shifted[i * 4 + 2] += 1000;

        var options = new RidgeOptions { Lambda = 0.05, Standardize = standardize };
        RidgeModel a = Ridge.Fit(pr.XView, pr.YView, options);
        RidgeModel b = Ridge.Fit(new MatrixView<double>(shifted, pr.N, 4), pr.YView, options);
        for (int j = 0; j < 4; j++) Assert.Equal(a.GetCoefficient(j), b.GetCoefficient(j), 1e-13);
        Assert.Equal(a.Intercepts[0] - 1000 * a.GetCoefficient(2), b.Intercepts[0], 1e-10);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_row_of_weight_two_equals_the_row_twice(bool intercept, bool standardize)
    {
        Problem pr = RandomProblem(15, 4, 2, seed: 24);
        var weights = Fill(pr.N, 1.0);
        weights[3] = 2;
        int n2 = pr.N + 1;
        var x2 = new double[n2 * 4];
        var y2 = new double[n2 * 2];
        Array.Copy(pr.X, x2, pr.X.Length);
        Array.Copy(pr.Y, y2, pr.Y.Length);
        Array.Copy(pr.X, 3 * 4, x2, pr.N * 4, 4);
        Array.Copy(pr.Y, 3 * 2, y2, pr.N * 2, 2);

        var options = new RidgeOptions { Lambda = 0.2, FitIntercept = intercept, Standardize = standardize };
        RidgeModel weighted = Ridge.Fit(pr.XView, pr.YView, options, weights);
        RidgeModel duplicated = Ridge.Fit(new MatrixView<double>(x2, n2, 4), new MatrixView<double>(y2, n2, 2), options);
        Assert.True(RelativeError(weighted.Coefficients, duplicated.Coefficients) <= 1e-14);
        Assert.True(RelativeError(weighted.Intercepts, duplicated.Intercepts) <= 1e-14);
        Assert.Equal(duplicated.WeightSum, weighted.WeightSum);
        Assert.Equal(duplicated.RSquared[0], weighted.RSquared[0], 1e-13);
    }

    /// <summary>
    /// Two identical copies of a feature split its weight equally: with X = [x, x, z], any split θ₀ + θ₁ = β fits the
    /// data the same, and λ(θ₀² + θ₁²) is smallest at θ₀ = θ₁ = β/2, where it equals λ·β²/2. So the fit equals the
    /// one-copy fit with penalty factor ½ on x, its coefficient shared evenly.
    /// </summary>
    [Fact]
    public void Identical_copies_of_a_feature_share_its_weight_equally()
    {
        Problem pr = RandomProblem(30, 2, 1, seed: 25);
        var twice = new double[pr.N * 3];
        for (int i = 0; i < pr.N; i++)
        {
            twice[i * 3] = twice[i * 3 + 1] = pr.X[i * 2];
            twice[i * 3 + 2] = pr.X[i * 2 + 1];
        }

        RidgeModel copies = Ridge.Fit(new MatrixView<double>(twice, pr.N, 3), pr.YView, new RidgeOptions { Lambda = 0.1 });
        RidgeModel single = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 0.1, PenaltyFactors = new[] { 0.5, 1.0 } });
        Assert.Equal(copies.GetCoefficient(0), copies.GetCoefficient(1), 1e-14);
        Assert.Equal(single.GetCoefficient(0) / 2, copies.GetCoefficient(0), 1e-13);
        Assert.Equal(single.GetCoefficient(1), copies.GetCoefficient(2), 1e-13);
        Assert.Equal(single.Intercepts[0], copies.Intercepts[0], 1e-13);
    }
}
