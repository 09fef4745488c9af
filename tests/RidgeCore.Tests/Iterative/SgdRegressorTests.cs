using System;
using System.Linq;
using RidgeCore.Tests.Harness;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of <see cref="SgdRegressor"/>: a decaying schedule with averaging reaches the closed form to 1e-3;
/// runs are bitwise reproducible from the seed; PartialFit over consecutive chunks equals Fit over their concatenation;
/// coupled L2 equals decoupled weight decay with λ_wd = 2λ step by step (§11); the scale trick changes nothing but
/// rounding; bad input and blow-ups throw typed exceptions and leave the model as it was.
/// </summary>
public sealed class SgdRegressorTests
{
    [Theory]
    [InlineData(LearningRateSchedule.Optimal, false, 1e-3)]
    [InlineData(LearningRateSchedule.Optimal, true, 1e-3)]
    [InlineData(LearningRateSchedule.InverseScaling, false, 1e-2)]
    public void Decaying_schedule_with_averaging_reaches_the_closed_form_to_1e_3(LearningRateSchedule schedule, bool weighted, double relative)
    {
        const int n = 2000, p = 5;
        const double lambda = 0.05;
        (double[] x, double[] y, double[]? w) = IterativeRidgeTests.Problem(n, p, 21, weighted);
        RidgeModel exact = Ridge.Fit(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, 1), new RidgeOptions { Lambda = lambda }, w);
        var sgd = new SgdRegressor(new SgdOptions
        {
            Lambda = lambda, Schedule = schedule, LearningRate = schedule == LearningRateSchedule.Optimal ? 0.05 : 0.2, PowerT = 0.75, Average = true, BatchSize = 8,
            MaxEpochs = 150, Tolerance = null, Seed = 3,
        });
        IterativeFitResult result = sgd.Fit(new MatrixView<double>(x, n, p), y, w);
        // Bottou's 1/(μ(t₀ + t)) with averaging converges like 1/t on this strongly convex problem: 1e-3 (the issue's
        // bar). η₀/t^¾ decays too slowly for its average to shed the early iterates in 150 epochs (5e-3 measured), so
        // it is held to 1e-2 here.
        IterativeRidgeTests.AssertClose(exact, result, relative, $"SGD {schedule}");
        Assert.Equal(sgd.Coefficients.ToArray(), result.Coefficients.ToArray());
        Assert.Equal(150, result.Iterations);
        Assert.Equal(IterativeStopReason.MaxIterations, result.StopReason);
    }

    [Fact]
    public void The_same_seed_gives_bitwise_the_same_coefficients_and_another_seed_does_not()
    {
        const int n = 500, p = 7;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 4, weighted: false);
        double[] Run(int seed, SgdShuffle shuffle)
        {
            var sgd = new SgdRegressor(new SgdOptions { Seed = seed, Shuffle = shuffle, MaxEpochs = 5, Tolerance = null, Average = true });
            sgd.Fit(new MatrixView<double>(x, n, p), y);
            return [.. sgd.Coefficients.ToArray(), sgd.Intercept];
        }

        foreach (SgdShuffle shuffle in new[] { SgdShuffle.Rows, SgdShuffle.Batches })
        {
            Assert.Equal(Run(11, shuffle), Run(11, shuffle));
            Assert.NotEqual(Run(11, shuffle), Run(12, shuffle));
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void PartialFit_over_chunks_equals_one_unshuffled_epoch_of_Fit_over_their_concatenation(bool average, bool weighted)
    {
        const int n = 320, p = 9, batch = 16;
        (double[] x, double[] y, double[]? w) = IterativeRidgeTests.Problem(n, p, 5, weighted);
        var options = new SgdOptions { BatchSize = batch, Shuffle = SgdShuffle.None, MaxEpochs = 1, Tolerance = null, Average = average, LearningRate = 0.02 };
        var whole = new SgdRegressor(options);
        whole.Fit(new MatrixView<double>(x, n, p), y, w);

        var pieces = new SgdRegressor(options);
        int[] chunks = [64, 32, 160, 64];
        int start = 0;
        foreach (int rows in chunks)
        {
            pieces.PartialFit(new MatrixView<double>(x.AsSpan(start * p, rows * p), rows, p), y.AsSpan(start, rows), w is null ? default : w.AsSpan(start, rows));
            start += rows;
        }

        Assert.Equal(whole.Coefficients.ToArray(), pieces.Coefficients.ToArray());
        Assert.Equal(whole.Intercept, pieces.Intercept);
        Assert.Equal(whole.Steps, pieces.Steps);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Coupled_L2_equals_decoupled_weight_decay_with_twice_lambda_step_by_step(bool scaleTrick)
    {
        const int n = 240, p = 6, batch = 12;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 6, weighted: false);
        var coupled = new SgdRegressor(new SgdOptions { Lambda = 0.3, BatchSize = batch, ScaleTrick = scaleTrick, Schedule = LearningRateSchedule.Constant, LearningRate = 0.05 });
        var decoupled = new SgdRegressor(new SgdOptions { Lambda = 0, WeightDecay = 0.6, BatchSize = batch, ScaleTrick = scaleTrick, Schedule = LearningRateSchedule.Constant, LearningRate = 0.05 });
        for (int k = 0; k < n / batch; k++)
        {
            var xs = new MatrixView<double>(x.AsSpan(k * batch * p, batch * p), batch, p);
            coupled.PartialFit(xs, y.AsSpan(k * batch, batch));
            decoupled.PartialFit(xs, y.AsSpan(k * batch, batch));
            Assert.Equal(coupled.Coefficients.ToArray(), decoupled.Coefficients.ToArray());
            Assert.Equal(coupled.Intercept, decoupled.Intercept);
        }

        // And both are the textbook coupled step θ ← θ − η(∇L + 2λθ), evaluated naively.
        var theta = new double[p];
        double b = 0;
        for (int k = 0; k < n / batch; k++)
        {
            var g = new double[p];
            double gb = 0;
            for (int i = k * batch; i < (k + 1) * batch; i++)
            {
                double r = b - y[i];
                for (int j = 0; j < p; j++)
                {
                    r += x[(i * p) + j] * theta[j];
                }

                for (int j = 0; j < p; j++)
                {
                    g[j] += 2 * r * x[(i * p) + j] / batch;
                }

                gb += 2 * r / batch;
            }

            for (int j = 0; j < p; j++)
            {
                theta[j] -= 0.05 * (g[j] + (2 * 0.3 * theta[j]));
            }

            b -= 0.05 * gb;
        }

        for (int j = 0; j < p; j++)
        {
            Assert.True(Math.Abs(theta[j] - coupled.Coefficients[j]) <= 1e-12 * (1 + Math.Abs(theta[j])), $"θ[{j}] {coupled.Coefficients[j]} vs naive {theta[j]}");
        }

        Assert.True(Math.Abs(b - coupled.Intercept) <= 1e-12 * (1 + Math.Abs(b)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Takes_scikit_learns_steps_with_lambda_equal_alpha_and_half_its_learning_rate(bool scaleTrick)
    {
        // tests/RidgeCore.Tests/Data/sgd: one unshuffled per-sample epoch of SGDRegressor (constant η₀, alpha), made by
        // generate_sklearn_sgd.py. RidgeCore's objective is twice scikit-learn's at λ = alpha, so η = η₀/2 gives the
        // same steps (RidgePenalty.ToScikitLearnSgdAlpha, the README's table).
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "sgd", "sklearn_sgd.json");
        using var doc = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var root = doc.RootElement;
        int n = root.GetProperty("n").GetInt32(), p = root.GetProperty("p").GetInt32();
        double[] x = [.. root.GetProperty("x").EnumerateArray().Select(e => e.GetDouble())];
        double[] y = [.. root.GetProperty("y").EnumerateArray().Select(e => e.GetDouble())];
        double[] want = [.. root.GetProperty("coefficients").EnumerateArray().Select(e => e.GetDouble())];
        var sgd = new SgdRegressor(new SgdOptions
        {
            Lambda = RidgePenalty.FromScikitLearnSgdAlpha(root.GetProperty("alpha").GetDouble()),
            LearningRate = root.GetProperty("eta0").GetDouble() / 2,
            Schedule = LearningRateSchedule.Constant,
            BatchSize = 1,
            ScaleTrick = scaleTrick,
        });
        sgd.PartialFit(new MatrixView<double>(x, n, p), y);
        for (int j = 0; j < p; j++)
        {
            Assert.True(Math.Abs(sgd.Coefficients[j] - want[j]) <= 1e-12 * (1 + Math.Abs(want[j])), $"θ[{j}] {sgd.Coefficients[j]} vs scikit-learn {want[j]}");
        }

        double b = root.GetProperty("intercept").GetDouble();
        Assert.True(Math.Abs(sgd.Intercept - b) <= 1e-12 * (1 + Math.Abs(b)), $"b {sgd.Intercept} vs scikit-learn {b}");
    }

    [Fact]
    public void The_scale_trick_changes_only_rounding_and_folds_before_underflow()
    {
        const int n = 400, p = 5;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 7, weighted: false);
        // Strong decay: (1 − 2ηλ) = 0.8 per step, so s would underflow after ~3 300 steps without folding.
        double[] Run(bool trick)
        {
            var sgd = new SgdRegressor(new SgdOptions { Lambda = 1, LearningRate = 0.1, Schedule = LearningRateSchedule.Constant, ScaleTrick = trick, BatchSize = 4, MaxEpochs = 40, Tolerance = null, Seed = 1 });
            sgd.Fit(new MatrixView<double>(x, n, p), y);
            Assert.True(sgd.Steps > 3300);
            return [.. sgd.Coefficients.ToArray(), sgd.Intercept];
        }

        double[] with = Run(true), without = Run(false);
        Assert.All(with, v => Assert.True(double.IsFinite(v)));
        for (int j = 0; j < with.Length; j++)
        {
            Assert.True(Math.Abs(with[j] - without[j]) <= 1e-10 * (1 + Math.Abs(without[j])), $"{j}: {with[j]} vs {without[j]}");
        }
    }

    [Fact]
    public void Huber_with_a_huge_delta_is_the_squared_loss_and_logistic_sgd_approaches_irls()
    {
        const int n = 300, p = 4;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 8, weighted: false);
        double[] Run(SgdLoss loss)
        {
            var sgd = new SgdRegressor(new SgdOptions { Loss = loss, HuberDelta = 1e300, MaxEpochs = 3, Tolerance = null });
            sgd.Fit(new MatrixView<double>(x, n, p), y);
            return [.. sgd.Coefficients.ToArray(), sgd.Intercept];
        }

        Assert.Equal(Run(SgdLoss.Squared), Run(SgdLoss.Huber));

        (double[] xl, double[] yl, _) = LogisticRegressionTests.Problem(1000, 3, 9, weighted: false, offset: 0);
        LogisticModel exact = LogisticRegression.Fit(new MatrixView<double>(xl, 1000, 3), yl, new LogisticOptions { Lambda = 0.01 });
        var logistic = new SgdRegressor(new SgdOptions { Loss = SgdLoss.Logistic, Lambda = 0.01, Schedule = LearningRateSchedule.Optimal, LearningRate = 0.5, Average = true, BatchSize = 4, MaxEpochs = 200, Tolerance = null });
        logistic.Fit(new MatrixView<double>(xl, 1000, 3), yl);
        for (int j = 0; j < 3; j++)
        {
            Assert.True(Math.Abs(logistic.Coefficients[j] - exact.Coefficients[j]) <= 1e-2 * (1 + Math.Abs(exact.Coefficients[j])), $"θ[{j}] {logistic.Coefficients[j]} vs IRLS {exact.Coefficients[j]}");
        }
    }

    [Fact]
    public void Float_data_give_the_double_answer_to_float_accuracy()
    {
        const int n = 600, p = 6;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 10, weighted: false);
        float[] xf = [.. x.Select(v => (float)v)], yf = [.. y.Select(v => (float)v)];
        var options = new SgdOptions { MaxEpochs = 20, Tolerance = null, Average = true, Schedule = LearningRateSchedule.Optimal, Lambda = 0.05, LearningRate = 0.05 };
        var single = new SgdRegressor(options);
        single.Fit(new MatrixView<float>(xf, n, p), yf);
        var dbl = new SgdRegressor(options);
        dbl.Fit(new MatrixView<double>([.. xf.Select(v => (double)v)], n, p), [.. yf.Select(v => (double)v)]);
        for (int j = 0; j < p; j++)
        {
            Assert.True(Math.Abs(single.Coefficients[j] - dbl.Coefficients[j]) <= 1e-4 * (1 + Math.Abs(dbl.Coefficients[j])), $"{j}");
        }
    }

    [Fact]
    public void Tolerance_and_early_stopping_end_the_fit_before_the_epoch_limit()
    {
        const int n = 1000, p = 4;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 11, weighted: false);
        var sgd = new SgdRegressor(new SgdOptions { MaxEpochs = 1000, Tolerance = 1e-3 });
        IterativeFitResult r = sgd.Fit(new MatrixView<double>(x, n, p), y);
        Assert.Equal(IterativeStopReason.Tolerance, r.StopReason);
        Assert.True(r.Iterations < 1000);
        sgd.Options.EarlyStopping = true;
        r = sgd.Fit(new MatrixView<double>(x, n, p), y);
        Assert.Equal(IterativeStopReason.EarlyStopping, r.StopReason);
        Assert.True(r.Converged && r.Iterations < 1000);
        sgd.Options.Schedule = LearningRateSchedule.Adaptive;
        sgd.Options.EarlyStopping = false;
        r = sgd.Fit(new MatrixView<double>(x, n, p), y);
        Assert.True(r.Converged);
    }

    [Fact]
    public void PartialFit_allocates_nothing_once_warm()
    {
        const int n = 64, p = 10;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 12, weighted: false);
        var sgd = new SgdRegressor(new SgdOptions { Average = true });
        var predictions = new double[n];
        AllocationAssert.None(() =>
        {
            sgd.PartialFit(new MatrixView<double>(x, n, p), y);
            sgd.Predict(new MatrixView<double>(x, n, p), predictions);
        });
    }

    [Theory]
    [InlineData(SgdShuffle.Rows)]
    [InlineData(SgdShuffle.Once)]
    public void Fit_allocates_nothing_per_epoch_with_early_stopping(SgdShuffle shuffle)
    {
        // Each epoch of an early-stopping fit scores the held-out rows; a fit of 13 epochs must allocate what a fit of 3
        // does (the result, the coefficients: per fit, not per epoch).
        const int n = 300, p = 600; // p > 512: no stack buffers to hide behind
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 14, weighted: false);
        long Allocated(int epochs)
        {
            var sgd = new SgdRegressor(new SgdOptions
            {
                Shuffle = shuffle, EarlyStopping = true, Tolerance = 0, NoImprovementEpochs = 1000, MaxEpochs = epochs, LearningRate = 1e-4,
            });
            sgd.Fit(new MatrixView<double>(x, n, p), y); // the engine, its order and the pooled copy exist from here on
            long before = GC.GetAllocatedBytesForCurrentThread();
            IterativeFitResult result = sgd.Fit(new MatrixView<double>(x, n, p), y);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(epochs, result.Iterations);
            return bytes;
        }

        // The fewest bytes of four tries each, as AllocationAssert does: the runtime's tiering work (a method's call
        // count reaching its threshold, an on-stack replacement) can land on this thread in any one fit.
        long Fewest(int epochs)
        {
            long fewest = long.MaxValue;
            for (int attempt = 0; attempt < 4; attempt++)
            {
                fewest = Math.Min(fewest, Allocated(epochs));
            }

            return fewest;
        }

        Allocated(3);
        Allocated(13);
        Assert.Equal(Fewest(3), Fewest(13));
    }

    [Fact]
    public void Bad_input_throws_typed_exceptions_and_leaves_the_model_as_it_was()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { LearningRate = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { LearningRate = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { LearningRate = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { BatchSize = 0 });
        Assert.Equal("Shuffle", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { Shuffle = (SgdShuffle)7 }).ParamName);
        Assert.Equal("Loss", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { Loss = (SgdLoss)(-1) }).ParamName);
        Assert.Equal("Schedule", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { Schedule = (LearningRateSchedule)9 }).ParamName);
        Assert.Equal("WeightNormalization", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { WeightNormalization = (SgdWeightNormalization)2 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptions { Lambda = -1 });

        const int n = 50, p = 3;
        (double[] x, double[] y, _) = IterativeRidgeTests.Problem(n, p, 13, weighted: false);
        var tooBig = new SgdRegressor(new SgdOptions { BatchSize = 51 });
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => tooBig.Fit(new MatrixView<double>(x, n, p), y)).ParamName);

        var logistic = new SgdRegressor(new SgdOptions { Loss = SgdLoss.Logistic });
        var e = Assert.Throws<InvalidValueException>(() => logistic.Fit(new MatrixView<double>(x, n, p), y));
        Assert.Equal("y", e.ParamName);
        Assert.Equal(0, e.Row);

        var model = new SgdRegressor(new SgdOptions { MaxEpochs = 3, Tolerance = null, Schedule = LearningRateSchedule.Constant, LearningRate = 0.01 });
        model.Fit(new MatrixView<double>(x, n, p), y);
        double[] before = [.. model.Coefficients.ToArray(), model.Intercept];
        model.Options.LearningRate = 50;
        model.Options.MaxEpochs = 200;
        var d = Assert.Throws<DivergenceException>(() => model.Fit(new MatrixView<double>(x, n, p), y));
        Assert.Contains("smaller LearningRate", d.Message, StringComparison.Ordinal);
        Assert.Equal(before, (double[])[.. model.Coefficients.ToArray(), model.Intercept]);
        model.Options.BatchSize = 1;
        model.Options.Lambda = 0;
        model.Options.LearningRate = 1e4;
        Assert.Throws<DivergenceException>(() => model.PartialFit(new MatrixView<double>(x, n, p), y));
        Assert.Equal(before, (double[])[.. model.Coefficients.ToArray(), model.Intercept]);

        model.Options.LearningRate = 0.01;
        Assert.Throws<InvalidOperationException>(() => model.PartialFit(new MatrixView<float>(new float[6], 2, 3), [1f, 2f]));
        Assert.Throws<ArgumentException>(() => model.PartialFit(new MatrixView<double>(new double[8], 2, 4), [1, 2]));
        Assert.Throws<InvalidOperationException>(() => new SgdRegressor(new SgdOptions { Lambda = 0, Schedule = LearningRateSchedule.Optimal }).Fit(new MatrixView<double>(x, n, p), y));
    }
}
