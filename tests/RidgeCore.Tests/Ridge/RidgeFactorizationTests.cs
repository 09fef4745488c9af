using System;
using Xunit;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary><see cref="RidgeOptions.Factorization"/>: Auto falls back to QR when it must, Cholesky never does, QR always
/// factors the data and agrees with Cholesky on a well-conditioned problem.</summary>
public class RidgeFactorizationTests
{
    private static (double[] X, double[] Y) WellConditioned(int n, int p, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < p; j++)
            {
                x[(i * p) + j] = rng.NextDouble() - 0.5;
                s += (j + 1) * x[(i * p) + j];
            }

            y[i] = s + 3 + (0.1 * (rng.NextDouble() - 0.5));
        }

        return (x, y);
    }

    [Fact]
    public void QR_and_Cholesky_agree_on_a_well_conditioned_problem_and_report_their_path()
    {
        (double[] x, double[] y) = WellConditioned(60, 5, 3);
        var xv = new MatrixView<double>(x, 60, 5);
        var yv = new MatrixView<double>(y, 60, 1);
        double[] w = new double[60];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = 0.5 + (i % 3);
        }

        RidgeModel chol = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0.01, Factorization = RidgeFactorization.Cholesky }, w);
        RidgeModel qr = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0.01, Factorization = RidgeFactorization.QR }, w);
        Assert.Equal(RidgeSolverPath.CholeskyRefined, chol.SolverPath);
        Assert.Equal(RidgeSolverPath.QR, qr.SolverPath);
        for (int j = 0; j < 5; j++)
        {
            Assert.Equal(chol.Coefficients[j], qr.Coefficients[j], 1e-12 * (1 + Math.Abs(chol.Coefficients[j])));
        }

        Assert.Equal(chol.Intercepts[0], qr.Intercepts[0], 1e-12 * (1 + Math.Abs(chol.Intercepts[0])));
    }

    [Fact]
    public void Cholesky_only_refuses_an_ill_conditioned_problem_that_Auto_solves_by_QR()
    {
        RidgeNistTests.NistCase c = RidgeNistTests.Load("Longley");
        var xv = new MatrixView<double>(c.X, c.N, c.P);
        var yv = new MatrixView<double>(c.Y, c.N, 1);
        RidgeModel auto = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 0, MaxConditionNumber = 1e3 });
        Assert.Equal(RidgeSolverPath.QR, auto.SolverPath);
        var e = Assert.ThrowsAny<IllConditionedException>(
            () => Ridge.Fit(
                new MatrixView<double>(c.X, c.N, c.P), new MatrixView<double>(c.Y, c.N, 1),
                new RidgeOptions { Lambda = 0, MaxConditionNumber = 1e3, Factorization = RidgeFactorization.Cholesky }));
        Assert.Contains("QR fallback is turned off", e.Message, StringComparison.Ordinal);
        Assert.True(e.ConditionNumber > 1e3);
    }

    [Fact]
    public void QR_from_statistics_alone_is_an_argument_error_and_bad_values_are_rejected()
    {
        (double[] x, double[] y) = WellConditioned(20, 3, 4);
        using var acc = new GramAccumulator(3);
        acc.Add(new MatrixView<double>(x, 20, 3), new MatrixView<double>(y, 20, 1));
        var e = Assert.Throws<ArgumentException>(() => Ridge.Fit(acc, new RidgeOptions { Factorization = RidgeFactorization.QR }));
        Assert.Equal("options", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeOptions { Factorization = (RidgeFactorization)7 });
    }
}
