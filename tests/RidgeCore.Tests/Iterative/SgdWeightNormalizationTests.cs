using System;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of <see cref="SgdWeightNormalization"/>: without weights the two normalizations are the same steps, bit
/// for bit; with weights, <see cref="SgdWeightNormalization.MeanWeight"/> reaches the weighted optimum for every row
/// order, where <see cref="SgdWeightNormalization.BatchWeight"/> with fixed batches settles off it; PartialFit takes the
/// mean weight of the rows it is given.
/// </summary>
public sealed class SgdWeightNormalizationTests
{
    [Theory]
    [InlineData(SgdShuffle.Rows)]
    [InlineData(SgdShuffle.Once)]
    [InlineData(SgdShuffle.Batches)]
    public void Without_weights_both_normalizations_take_the_same_steps(SgdShuffle shuffle)
    {
        const int n = 203, p = 6;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 51, weighted: false);
        double[] Run(SgdWeightNormalization normalization)
        {
            var sgd = new SgdRegressor(new SgdOptions { Shuffle = shuffle, WeightNormalization = normalization, BatchSize = 16, MaxEpochs = 3, Tolerance = null, Average = true, Seed = 4 });
            sgd.Fit(new MatrixView<double>(x, n, p), y);
            return [.. sgd.Coefficients.ToArray(), sgd.Intercept];
        }

        Assert.Equal(Run(SgdWeightNormalization.BatchWeight), Run(SgdWeightNormalization.MeanWeight));
    }

    [Theory]
    [InlineData(SgdShuffle.Rows)]
    [InlineData(SgdShuffle.Once)]
    [InlineData(SgdShuffle.Batches)]
    public void MeanWeight_reaches_the_weighted_optimum_for_every_row_order(SgdShuffle shuffle)
    {
        const int n = 2000, p = 5;
        const double lambda = 0.05;
        (double[] x, double[] y, double[]? w) = IterativeRidgeTests.Problem(n, p, 21, weighted: true);
        RidgeModel exact = Ridge.Fit(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), new RidgeOptions { Lambda = lambda }, w);
        IterativeFitResult Fit(SgdWeightNormalization normalization)
            => new SgdRegressor(new SgdOptions
            {
                Lambda = lambda, Schedule = LearningRateSchedule.Optimal, LearningRate = 0.05, Average = true, BatchSize = 8,
                MaxEpochs = 600, Tolerance = null, Seed = 3, Shuffle = shuffle, WeightNormalization = normalization,
            }).Fit(new MatrixView<double>(x, n, p), y, w);

        // Measured over 8 seeds: MeanWeight 0.7-1.2·10⁻⁴ after 600 epochs for all three orders; BatchWeight 2.4·10⁻⁴
        // (Rows) and 1.4-1.6·10⁻³ (Once, Batches), not improving from 50 epochs on.
        IterativeRidgeTests.AssertClose(exact, Fit(SgdWeightNormalization.MeanWeight), 3e-4, $"SGD {shuffle}, MeanWeight");
        if (shuffle != SgdShuffle.Rows)
        {
            IterativeFitResult biased = Fit(SgdWeightNormalization.BatchWeight);
            double worst = 0;
            for (int j = 0; j < p; j++)
            {
                worst = Math.Max(worst, Math.Abs(biased.Coefficients[j] - exact.Coefficients[j]));
            }

            Assert.True(worst > 1e-3, $"BatchWeight with fixed batches came within {worst:E2} of the weighted optimum");
        }
    }

    [Fact]
    public void PartialFit_normalizes_by_the_mean_weight_of_the_rows_it_is_given()
    {
        const int n = 150, p = 4;
        (double[] x, double[] y, double[]? w) = IterativeRidgeTests.Problem(n, p, 53, weighted: true);
        var options = new SgdOptions { Shuffle = SgdShuffle.None, WeightNormalization = SgdWeightNormalization.MeanWeight, BatchSize = 10, MaxEpochs = 1, Tolerance = null, LearningRate = 0.02 };
        var fit = new SgdRegressor(options);
        fit.Fit(new MatrixView<double>(x, n, p), y, w);
        var partial = new SgdRegressor(options);
        partial.PartialFit(new MatrixView<double>(x, n, p), y, w);
        Assert.Equal(fit.Coefficients.ToArray(), partial.Coefficients.ToArray());
        Assert.Equal(fit.Intercept, partial.Intercept);

        // Scaling every weight by 3 changes neither normalization's steps (up to rounding): the mean scales with them.
        double[] heavier = Array.ConvertAll(w!, v => v * 3);
        var scaled = new SgdRegressor(options);
        scaled.PartialFit(new MatrixView<double>(x, n, p), y, heavier);
        for (int j = 0; j < p; j++)
        {
            Assert.Equal(partial.Coefficients[j], scaled.Coefficients[j], 1e-12);
        }
    }
}
