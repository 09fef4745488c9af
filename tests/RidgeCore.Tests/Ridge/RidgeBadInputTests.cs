using System;
using Xunit;
using static RidgeCore.Tests.RidgeEstimator.RidgeReference;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>Bad input throws a typed exception naming the argument (and the index), and changes nothing: a solver keeps
/// its previous results, a prediction buffer keeps its contents, an accumulator is only read.</summary>
public class RidgeBadInputTests
{
    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Lambda_must_be_finite_and_non_negative(double lambda)
    {
        var options = new RidgeOptions();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => options.Lambda = lambda);
        Assert.Contains("Lambda", e.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, options.Lambda);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Per_target_lambdas_and_penalty_factors_are_checked_with_their_index(double bad)
    {
        Problem pr = RandomProblem(10, 3, 2, seed: 41);
        using var solver = new RidgeSolver(3, 2);
        solver.Fit(pr.XView, pr.YView, new RidgeOptions());
        double[] before = solver.Coefficients.ToArray();

        var e = Assert.Throws<InvalidValueException>(() => solver.Fit(pr.XView, pr.YView, new RidgeOptions { TargetLambdas = new[] { 1.0, bad } }));
        Assert.Equal("options", e.ParamName);
        Assert.Equal(1, e.Row);
        Assert.Contains("TargetLambdas[1]", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidValueException>(() => solver.Fit(pr.XView, pr.YView, new RidgeOptions { PenaltyFactors = new[] { 1.0, 1.0, bad } }));
        Assert.Equal("options", e.ParamName);
        Assert.Equal(2, e.Row);
        Assert.Contains("PenaltyFactors[2]", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, solver.Coefficients.ToArray());
    }

    [Fact]
    public void Option_lengths_must_match_the_problem()
    {
        Problem pr = RandomProblem(10, 3, 2, seed: 42);
        var e = Assert.Throws<ArgumentException>(() => Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { TargetLambdas = new[] { 1.0 } }));
        Assert.Equal("options", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Ridge.Fit(pr.XView, pr.YView, new RidgeOptions { PenaltyFactors = new[] { 1.0, 2.0 } }));
        Assert.Equal("options", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeOptions { MaxConditionNumber = 0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeOptions { DegreeOfParallelism = 0 });
    }

    [Theory]
    [InlineData("x", 3, 2)]
    [InlineData("y", 7, 1)]
    [InlineData("x", 8500, 0)]   // past the first 8 192-row chunk of the accumulation
    [InlineData("y", 9100, 1)]
    public void Non_finite_data_is_reported_with_its_row_and_column_and_changes_nothing(string name, int row, int column)
    {
        int n = row < 100 ? 20 : 9200;
        Problem pr = RandomProblem(n, 3, 2, seed: 43);
        using var solver = new RidgeSolver(3, 2);
        solver.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 0.1 });
        double[] before = solver.Coefficients.ToArray();
        (name == "x" ? pr.X : pr.Y)[row * (name == "x" ? 3 : 2) + column] = double.NaN;

        var e = Assert.Throws<InvalidValueException>(() => solver.Fit(pr.XView, pr.YView, new RidgeOptions { Lambda = 0.2 }));
        Assert.Equal(name, e.ParamName);
        Assert.Equal(row, e.Row);
        Assert.Equal(column, e.Column);
        Assert.Equal(before, solver.Coefficients.ToArray());
        Assert.Equal(0.1, solver.Lambdas[0]);
    }

    [Fact]
    public void Weights_are_checked_before_anything_runs()
    {
        Problem pr = RandomProblem(10, 2, 1, seed: 44);
        double[] w = Fill(10, 1.0);
        w[6] = -1;
        var e = Assert.Throws<InvalidValueException>(() => Ridge.Fit(pr.XView, pr.YView, new RidgeOptions(), w));
        Assert.Equal("weights", e.ParamName);
        Assert.Equal(6, e.Row);
        w[6] = double.NaN;
        Assert.Equal(6, Assert.Throws<InvalidValueException>(() => Ridge.Fit(pr.XView, pr.YView, new RidgeOptions(), w)).Row);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => Ridge.Fit(pr.XView, pr.YView, new RidgeOptions(), Fill(9, 1.0))).ParamName);
        var none = Assert.Throws<ArgumentException>(() => Ridge.Fit(pr.XView, pr.YView, new RidgeOptions(), Fill(10, 0.0)));
        Assert.Equal("weights", none.ParamName);
        Assert.Contains("positive weight", none.Message, StringComparison.Ordinal);
        float[] wf = ToSingle(Fill(10, 1.0));
        wf[2] = float.PositiveInfinity;
        Assert.Equal(2, Assert.Throws<InvalidValueException>(
            () => Ridge.Fit(new MatrixView<float>(ToSingle(pr.X), 10, 2), new MatrixView<float>(ToSingle(pr.Y), 10, 1), new RidgeOptions(), wf)).Row);
    }

    [Fact]
    public void Shapes_are_checked_and_named()
    {
        Problem pr = RandomProblem(10, 3, 2, seed: 45);
        using var solver = new RidgeSolver(3, 2);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => solver.Fit(new MatrixView<double>(pr.X, 15, 2), pr.YView, new RidgeOptions())).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => solver.Fit(pr.XView, new MatrixView<double>(pr.Y, 20, 1), new RidgeOptions())).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => solver.Fit(pr.XView, new MatrixView<double>(pr.Y, 9, 2), new RidgeOptions())).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => solver.Fit(new MatrixView<double>(pr.X, 0, 3), new MatrixView<double>(pr.Y, 0, 2), new RidgeOptions())).ParamName);
        Assert.Throws<ArgumentNullException>(() => solver.Fit(pr.XView, pr.YView, null!));
        Assert.False(solver.HasFit);
        Assert.Throws<InvalidOperationException>(() => solver.Coefficients.Length);
        Assert.Throws<InvalidOperationException>(() => solver.ToModel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeSolver(0));
    }

    [Fact]
    public void Statistics_must_fit_the_solver_and_the_intercept_setting()
    {
        Problem pr = RandomProblem(10, 3, 1, seed: 46);
        using var uncentered = new GramAccumulator(3, 1, GramMode.Uncentered);
        uncentered.Add(pr.XView, pr.YView);
        var e = Assert.Throws<ArgumentException>(() => Ridge.Fit(uncentered, new RidgeOptions()));
        Assert.Equal("statistics", e.ParamName);
        Assert.Contains("FitIntercept", e.Message, StringComparison.Ordinal);

        using var solver = new RidgeSolver(4);
        Assert.Equal("statistics", Assert.Throws<ArgumentException>(() => solver.Fit(uncentered, new RidgeOptions { FitIntercept = false })).ParamName);
        using var empty = new GramAccumulator(3);
        Assert.Equal("statistics", Assert.Throws<ArgumentException>(() => Ridge.Fit(empty, new RidgeOptions())).ParamName);
        Assert.Equal(10, uncentered.RowCount); // only read
    }

    [Fact]
    public void Prediction_checks_columns_and_destination_and_writes_nothing_on_error()
    {
        Problem pr = RandomProblem(10, 3, 2, seed: 47);
        RidgeModel model = Ridge.Fit(pr.XView, pr.YView, new RidgeOptions());
        double[] destination = Fill(20, -5);
        var e = Assert.Throws<ArgumentException>(() => model.Predict(new MatrixView<double>(pr.X, 15, 2), destination));
        Assert.Equal("x", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => model.Predict(new MatrixView<double>(pr.X, 6, 5), destination));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("p = 3", e.Message, StringComparison.Ordinal);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => model.Predict(pr.XView, destination.AsSpan(0, 19))).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentException>(() => model.PredictRow(new double[4], destination.AsSpan(0, 2))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => model.PredictRow(new double[3], destination.AsSpan(0, 1))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => model.Predict(new MatrixView<float>(new float[8], 2, 4), new float[4])).ParamName);
        Assert.All(destination, v => Assert.Equal(-5, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetCoefficient(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetCoefficient(0, 2));
    }
}
