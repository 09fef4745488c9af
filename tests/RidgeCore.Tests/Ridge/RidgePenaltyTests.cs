using System;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>The converters against the closed forms of the other libraries' objectives, solved naively in their own
/// parametrization (with an unpenalized intercept, by centering with the weighted means).</summary>
public class RidgePenaltyTests
{
    /// <summary>scikit-learn Ridge: min Σwᵢ(yᵢ − b − xᵢθ)² + α‖θ‖², so (Xcᵀ W Xc + αI)θ = Xcᵀ W yc.</summary>
    [Fact]
    public void ScikitLearn_Ridge_alpha_is_lambda_times_the_weight_sum()
    {
        Problem pr = RandomProblem(30, 4, 1, seed: 71, weighted: true);
        const double alpha = 3.5;
        double wsum = Harness.Reference.Sum(pr.W).Value;
        double[] want = ClosedForm(pr, scaleData: 1, load: alpha);
        double lambda = RidgePenalty.FromScikitLearnRidgeAlpha(alpha, wsum);
        AssertFit(pr, lambda, want);
        Assert.Equal(alpha, RidgePenalty.ToScikitLearnRidgeAlpha(lambda, wsum), 1e-15 * alpha);
    }

    /// <summary>SGDRegressor (squared loss, l2): min (1/n)Σ½(yᵢ − b − xᵢθ)² + α·½‖θ‖², so (XcᵀXc/n + αI)θ = Xcᵀyc/n.</summary>
    [Fact]
    public void ScikitLearn_SGD_alpha_is_lambda()
    {
        Problem pr = RandomProblem(30, 4, 1, seed: 72);
        const double alpha = 0.02;
        double[] want = ClosedForm(pr, scaleData: 1.0 / pr.N, load: alpha);
        AssertFit(pr, RidgePenalty.FromScikitLearnSgdAlpha(alpha), want);
        Assert.Equal(alpha, RidgePenalty.ToScikitLearnSgdAlpha(alpha));
    }

    /// <summary>LogisticRegression's parametrization, ½‖θ‖² + C·Σwᵢℓᵢ, with the squared loss in place of the log-loss
    /// (the conversion concerns the penalty scaling only): (2C·XcᵀWXc + I)θ = 2C·XcᵀWyc.</summary>
    [Fact]
    public void ScikitLearn_Logistic_C_is_one_over_two_n_lambda()
    {
        Problem pr = RandomProblem(30, 4, 1, seed: 73, weighted: true);
        const double c = 0.7;
        double wsum = Harness.Reference.Sum(pr.W).Value;
        double[] want = ClosedForm(pr, scaleData: 2 * c, load: 1);
        double lambda = RidgePenalty.FromScikitLearnLogisticC(c, wsum);
        Assert.Equal(1 / (2 * wsum * c), lambda);
        AssertFit(pr, lambda, want);
        Assert.Equal(c, RidgePenalty.ToScikitLearnLogisticC(lambda, wsum), 1e-15);
        Assert.Equal(double.PositiveInfinity, RidgePenalty.ToScikitLearnLogisticC(0, wsum));
        Assert.Equal(1 / (2 * 30 * 0.25), RidgePenalty.FromScikitLearnLogisticC(0.25, 30));
    }

    [Fact]
    public void Converters_reject_values_outside_their_domain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgePenalty.FromScikitLearnRidgeAlpha(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgePenalty.FromScikitLearnRidgeAlpha(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgePenalty.ToScikitLearnRidgeAlpha(double.NaN, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgePenalty.FromScikitLearnSgdAlpha(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgePenalty.FromScikitLearnLogisticC(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RidgePenalty.ToScikitLearnLogisticC(1, -2));
    }

    private static void AssertFit(Problem pr, double lambda, double[] want)
    {
        RidgeModel model = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = lambda }, pr.W);
        Assert.True(RelativeError(model.Coefficients, want) <= 1e-13, $"{RelativeError(model.Coefficients, want):E2}");
    }

    /// <summary>θ from (s·XcᵀWXc + load·I)θ = s·XcᵀWyc with weighted means, by Gaussian elimination.</summary>
    private static double[] ClosedForm(Problem pr, double scaleData, double load)
    {
        int n = pr.N, p = pr.P;
        double[] w = pr.W ?? Fill(n, 1.0);
        double wsum = Harness.Reference.Sum(w).Value;
        double[] y = Column(pr.Y, n, 1, 0);
        double ybar = Harness.Reference.Dot(w, y).Value / wsum;
        var xbar = new double[p];
        for (int j = 0; j < p; j++) xbar[j] = Harness.Reference.Dot(w, Column(pr.X, n, p, j)).Value / wsum;
        var a = new double[p, p + 1];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int r = 0; r < n; r++) s += w[r] * (pr.X[r * p + i] - xbar[i]) * (pr.X[r * p + j] - xbar[j]);
                a[i, j] = scaleData * s;
            }

            double t = 0;
            for (int r = 0; r < n; r++) t += w[r] * (pr.X[r * p + i] - xbar[i]) * (y[r] - ybar);
            a[i, i] += load;
            a[i, p] = scaleData * t;
        }

        return Gauss(a, p);
    }
}
