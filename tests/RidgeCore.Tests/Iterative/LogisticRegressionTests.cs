using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using RidgeCore.Tests.Harness;
using Xunit;

namespace RidgeCore.Tests.Iterative;

/// <summary>
/// Specification of <see cref="LogisticRegression"/>: it finds the penalized maximum-likelihood solution (equal to a
/// naive Newton reference, gradient zero to 1e-9, scikit-learn's answer with C = 1/(2Σwλ) to 1e-6), in a handful of
/// Newton steps, predicts without allocating, and rejects bad input with typed exceptions naming the row.
/// </summary>
public sealed class LogisticRegressionTests
{
    public static TheoryData<string> SklearnCases => new() { "basic", "weighted", "no-intercept", "offset-features", "weak-penalty" };

    [Theory]
    [MemberData(nameof(SklearnCases))]
    public void Matches_scikit_learn_with_C_equal_one_over_2_sum_w_lambda(string name)
    {
        JsonElement c = LoadCase(name);
        int n = c.GetProperty("n").GetInt32(), p = c.GetProperty("p").GetInt32();
        double lambda = c.GetProperty("lambda").GetDouble();
        double[] x = Doubles(c, "x"), y = Doubles(c, "y");
        double[]? w = c.GetProperty("weights").ValueKind == JsonValueKind.Null ? null : Doubles(c, "weights");
        bool intercept = c.GetProperty("fitIntercept").GetBoolean();

        // The stored C is scikit-learn's; RidgePenalty must map it back to the same λ.
        double weightSum = w?.Sum() ?? n;
        Assert.True(Math.Abs(lambda - RidgePenalty.FromScikitLearnLogisticC(c.GetProperty("C").GetDouble(), weightSum)) <= 1e-12 * lambda);

        LogisticModel model = LogisticRegression.Fit(new MatrixView<double>(x, n, p), y, new LogisticOptions { Lambda = lambda, FitIntercept = intercept }, w);
        double[] want = [.. Doubles(c, "coefficients"), c.GetProperty("intercept").GetDouble()];
        double[] got = [.. model.Coefficients.ToArray(), model.Intercept];
        double scale = want.Max(Math.Abs);
        for (int j = 0; j < want.Length; j++)
        {
            Assert.True(Math.Abs(got[j] - want[j]) <= 1e-6 * scale, $"{name}: coefficient {j}: {got[j]} vs scikit-learn {want[j]}");
        }

        Assert.True(model.FitResult.Converged, $"{name}: {model.FitResult.StopReason}");
    }

    [Theory]
    [InlineData(200, 3, 1e-2, false, true, 1)]
    [InlineData(300, 7, 1e-3, true, true, 2)]
    [InlineData(150, 5, 1e-1, true, false, 3)]
    [InlineData(500, 12, 1e-4, false, true, 4)]
    [InlineData(60, 9, 3e-2, true, true, 5)]
    public void Equals_naive_newton_and_its_gradient_vanishes(int n, int p, double lambda, bool weighted, bool intercept, int seed)
    {
        (double[] x, double[] y, double[]? w) = Problem(n, p, seed, weighted, offset: 3);
        LogisticModel model = LogisticRegression.Fit(new MatrixView<double>(x, n, p), y, new LogisticOptions { Lambda = lambda, FitIntercept = intercept }, w);
        (double[] theta, double b) = LogisticReference.Fit(x, y, w, n, p, lambda, intercept);

        double scale = Math.Max(theta.Max(Math.Abs), Math.Abs(b));
        for (int j = 0; j < p; j++)
        {
            Assert.True(Math.Abs(model.Coefficients[j] - theta[j]) <= 1e-9 * scale, $"θ[{j}]: {model.Coefficients[j]} vs {theta[j]}");
        }

        Assert.True(Math.Abs(model.Intercept - b) <= 1e-9 * scale, $"b: {model.Intercept} vs {b}");

        double[] beta = [.. model.Coefficients.ToArray(), model.Intercept];
        double[] g = LogisticReference.Gradient(x, y, w, n, p, lambda, beta, intercept);
        Assert.All(g, gi => Assert.True(Math.Abs(gi) <= 1e-9, $"gradient component {gi}"));

        Assert.True(model.FitResult.Converged);
        Assert.True(model.FitResult.Iterations <= 12, $"{model.FitResult.Iterations} Newton iterations");
        double objective = LogisticReference.Objective(x, y, w, n, p, lambda, beta, intercept);
        Assert.True(Math.Abs(model.FitResult.Objective - objective) <= 1e-12 * Math.Max(1, objective), $"objective {model.FitResult.Objective} vs {objective}");
    }

    [Fact]
    public void Probabilities_and_log_loss_match_their_definitions_and_predicting_allocates_nothing()
    {
        const int n = 120, p = 6;
        (double[] x, double[] y, double[]? w) = Problem(n, p, 9, weighted: true, offset: 0);
        LogisticModel model = LogisticRegression.Fit(new MatrixView<double>(x, n, p), y, new LogisticOptions { Lambda = 1e-2 }, w);
        var batch = new double[n];
        model.PredictProbability(new MatrixView<double>(x, n, p), batch);
        double loss = 0, wsum = 0;
        for (int i = 0; i < n; i++)
        {
            double m = model.Intercept;
            for (int j = 0; j < p; j++)
            {
                m += x[(i * p) + j] * model.Coefficients[j];
            }

            double pr = 1 / (1 + Math.Exp(-m));
            Assert.True(Math.Abs(pr - batch[i]) <= 1e-14, $"row {i}: {batch[i]} vs {pr}"); // rounding of the margin's sum order only
            Assert.Equal(batch[i], model.PredictProbability(x.AsSpan(i * p, p)));
            loss += w![i] * -((y[i] * Math.Log(pr)) + ((1 - y[i]) * Math.Log(1 - pr)));
            wsum += w[i];
        }

        Assert.True(Math.Abs((loss / wsum) - model.LogLoss(new MatrixView<double>(x, n, p), y, w)) <= 1e-12);
        double[] theta = [.. model.Coefficients.ToArray(), model.Intercept];
        Assert.True(Math.Abs(model.FitResult.Objective - (1e-2 * theta.Take(p).Sum(t => t * t)) - model.LogLoss(new MatrixView<double>(x, n, p), y, w)) <= 1e-12);
        AllocationAssert.None(() =>
        {
            model.PredictProbability(new MatrixView<double>(x, n, p), batch);
            _ = model.PredictProbability(x.AsSpan(0, p));
        });
    }

    /// <summary>The whole fit (subsample levels, Hessians, chord steps) on the same X at every element-aligned position
    /// of a 64-byte line: bitwise the same model.</summary>
    [Fact]
    public unsafe void Fit_is_bit_identical_at_every_alignment_of_x()
    {
        const int n = 5000, p = 9; // enough rows for a subsample level (4 · 1024 ≤ n)
        (double[] source, double[] y, double[]? w) = Problem(n, p, 21, weighted: true, offset: 0.5);
        var options = new LogisticOptions { Lambda = 1e-4 };
        LogisticModel? first = null;
        for (int offset = 0; offset < 8; offset++)
        {
            using var x = new GuardedBuffer<double>(n * p, offset);
            source.CopyTo(x.Span);
            LogisticModel model = LogisticRegression.Fit(new MatrixView<double>(x.Span, n, p), y, options, w);
            x.AssertGuardsIntact($"offset {offset}");
            Assert.True(model.FitResult.SubsampleIterations > 0, "the fit should take the subsample path");
            if (first is null)
            {
                first = model;
                continue;
            }

            Assert.True(model.Coefficients.SequenceEqual(first.Coefficients), $"offset {offset}: coefficients differ");
            Assert.Equal(first.Intercept, model.Intercept);
            Assert.Equal(first.FitResult.Objective, model.FitResult.Objective);
        }
    }

    [Fact]
    public void Float_input_gives_the_double_answer_for_the_same_values()
    {
        const int n = 200, p = 4;
        (double[] x, double[] y, _) = Problem(n, p, 12, weighted: false, offset: 0);
        float[] xf = [.. x.Select(v => (float)v)];
        float[] yf = [.. y.Select(v => (float)v)];
        double[] xr = [.. xf.Select(v => (double)v)];
        var options = new LogisticOptions { Lambda = 1e-3 };
        LogisticModel single = LogisticRegression.Fit(new MatrixView<float>(xf, n, p), yf, options);
        LogisticModel dbl = LogisticRegression.Fit(new MatrixView<double>(xr, n, p), y, options);
        Assert.Equal(dbl.Coefficients.ToArray(), single.Coefficients.ToArray());
        Assert.Equal(dbl.Intercept, single.Intercept);
    }

    [Fact]
    public void Separable_data_without_penalty_ends_finite_either_by_the_limit_or_a_vanishing_gradient()
    {
        // No finite optimum: θ grows each step while the gradient decays like e^(−margin). Either stop is honest, as
        // long as the coefficients stay finite and a Tolerance stop really has a gradient below the tolerance.
        double[] x = [-2, -1, 1, 2];
        double[] y = [0, 0, 1, 1];
        var options = new LogisticOptions { Lambda = 0, MaxIterations = 30 };
        LogisticModel model = LogisticRegression.Fit(new MatrixView<double>(x, 4, 1), y, options);
        Assert.True(double.IsFinite(model.Coefficients[0]) && model.Coefficients[0] > 0);
        double[] g = LogisticReference.Gradient(x, y, null, 4, 1, 0, [model.Coefficients[0], model.Intercept], intercept: true);
        if (model.FitResult.Converged)
        {
            Assert.All(g, gi => Assert.True(Math.Abs(gi) <= 2 * options.Tolerance));
        }
        else
        {
            Assert.Equal(IterativeStopReason.MaxIterations, model.FitResult.StopReason);
        }
    }

    [Fact]
    public void Bad_input_throws_typed_exceptions_naming_the_argument_and_row()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        var options = new LogisticOptions();
        var e = Assert.Throws<InvalidValueException>(() => LogisticRegression.Fit(new MatrixView<double>(x, 3, 2), [0, 2, 1], options));
        Assert.Equal("labels", e.ParamName);
        Assert.Equal(1, e.Row);
        e = Assert.Throws<InvalidValueException>(() => LogisticRegression.Fit(new MatrixView<double>(x, 3, 2), [0, 1, double.NaN], options));
        Assert.Equal(2, e.Row);
        e = Assert.Throws<InvalidValueException>(() => LogisticRegression.Fit(new MatrixView<double>([1, 2, 3, double.PositiveInfinity, 5, 6], 3, 2), [0, 1, 1], options));
        Assert.Equal("x", e.ParamName);
        Assert.Equal((1L, 1), (e.Row, e.Column));
        e = Assert.Throws<InvalidValueException>(() => LogisticRegression.Fit(new MatrixView<double>(x, 3, 2), [0, 1, 1], options, [1, -1, 1]));
        Assert.Equal("weights", e.ParamName);
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(new MatrixView<double>(x, 3, 2), [0, 1], options));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(new MatrixView<double>(x, 3, 2), [0, 1, 1], options, [0, 0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { Lambda = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { Lambda = double.NaN });
        Assert.Throws<ArgumentNullException>(() => LogisticRegression.Fit(new MatrixView<double>(x, 3, 2), [0, 1, 1], null!));
    }

    internal static (double[] X, double[] Y, double[]? W) Problem(int n, int p, int seed, bool weighted, double offset)
    {
        var rng = new Random(seed);
        var x = new double[n * p];
        var beta = new double[p];
        for (int j = 0; j < p; j++)
        {
            beta[j] = (rng.NextDouble() * 2) - 1;
        }

        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double m = 0.2;
            for (int j = 0; j < p; j++)
            {
                double v = Normal(rng);
                x[(i * p) + j] = v + offset;
                m += v * beta[j];
            }

            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-m)) ? 1 : 0;
        }

        double[]? w = null;
        if (weighted)
        {
            w = new double[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = 0.2 + (2 * rng.NextDouble());
            }
        }

        return (x, y, w);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static JsonElement LoadCase(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "logistic", "sklearn_logistic.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return c.Clone();
            }
        }

        throw new InvalidOperationException($"no case {name}");
    }

    private static double[] Doubles(JsonElement c, string property) => [.. c.GetProperty(property).EnumerateArray().Select(e => e.GetDouble())];
}
