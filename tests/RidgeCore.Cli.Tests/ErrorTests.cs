using System;
using System.IO;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary>
/// Every error class of <c>ridge fit</c> / <c>ridge predict</c>: the exit code (2 usage, 3 bad data, 4 numerical), a
/// message that names file, line and column where there is one, and no output file: neither a new one, nor a change to
/// one that existed, nor a temporary file left behind.
/// </summary>
public class ErrorTests
{
    private const string Good = "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,1,1\n";

    /// <summary>Runs a fit that must fail, with --model and --plot pointing at a pre-existing file and a new one.</summary>
    private static string FailingFit(int expectedCode, string csv, params string[] extra)
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", csv);
        string model = cli.Write("model.json", "previous model");
        string plot = cli.PathOf("plot.svg");
        (int code, string stdout, string stderr) = cli.Run(["fit", data, "--model", model, "--plot", plot, .. extra]);
        Assert.True(expectedCode == code, $"exit code {code}, expected {expectedCode}; stderr: {stderr}");
        Assert.Equal("", stdout);
        Assert.Equal("previous model", File.ReadAllText(model));
        Assert.False(File.Exists(plot), "the plot was written although the fit failed");
        Assert.Equal(2, Directory.GetFiles(cli.Directory).Length);   // data.csv and model.json: no temporary file left
        Assert.StartsWith("ridge: ", stderr, StringComparison.Ordinal);
        return stderr.Replace(data, "data.csv", StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_number_names_file_line_and_column()
    {
        string err = FailingFit(3, "a,b,y\n1,2,3\n2,x1,4\n3,5,2\n", "--target", "y", "--lambda", "1");
        Assert.Contains("data.csv:3:2: cannot parse 'x1' in column 'b' as a number", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("inf")]
    [InlineData("-Infinity")]
    public void NaN_and_infinity_are_bad_data(string value)
    {
        string err = FailingFit(3, $"a,b,y\n1,2,3\n2,1,4\n3,{value},2\n", "--target", "y", "--lambda", "1");
        Assert.Contains("data.csv:4:2:", err, StringComparison.Ordinal);
        Assert.Contains("NaN and infinities are not data", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_field_is_bad_data()
    {
        string err = FailingFit(3, "a,b,y\n1,2,3\n2,,4\n3,4,2\n", "--target", "y", "--lambda", "1");
        Assert.Contains("data.csv:3:2: empty field in column 'b'", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,2\n", 3, "2 fields, but the header has 3 columns")]
    [InlineData("1,2,3,4\n", 4, "4 fields, but the header has 3 columns")]
    public void Ragged_rows_are_bad_data(string row, int column, string message)
    {
        string err = FailingFit(3, "a,b,y\n1,2,3\n2,1,4\n" + row + "3,4,2\n", "--target", "y", "--lambda", "1");
        Assert.Contains($"data.csv:4:{column}: ragged row: {message}", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_column_is_bad_data_and_lists_the_header()
    {
        string err = FailingFit(3, Good, "--target", "z", "--lambda", "1");
        Assert.Contains("data.csv:1: unknown target column 'z': the header has 'a', 'b', 'y'", err, StringComparison.Ordinal);
        err = FailingFit(3, Good, "--target", "y", "--features", "a,c", "--lambda", "1");
        Assert.Contains("unknown feature column 'c'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_column_is_bad_data()
    {
        string err = FailingFit(3, "a,b,a,y\n1,2,3,4\n", "--target", "y", "--lambda", "1");
        Assert.Contains("data.csv:1:3: duplicate column 'a' (also column 1)", err, StringComparison.Ordinal);
        err = FailingFit(3, Good, "--target", "y", "--weight", "y", "--lambda", "1");
        Assert.Contains("data.csv:1:3: column 'y' is selected twice", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_rows_is_bad_data()
    {
        string err = FailingFit(3, "a,b,y\n1,2,3\n", "--target", "y", "--lambda", "1");
        Assert.Contains("data.csv:2: too few rows: 1 data row with positive weight, but a fit with an intercept needs at least 2", err, StringComparison.Ordinal);
        err = FailingFit(3, "a,b,y\n", "--target", "y", "--lambda", "1");
        Assert.Contains("too few rows: 0 data rows", err, StringComparison.Ordinal);
        err = FailingFit(3, "a,b,y\n1,2,3\n2,1,5\n", "--target", "y", "--lambda", "0");
        Assert.Contains("too few rows for λ = 0: 2 features and an intercept cannot be determined from 2 rows", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_bad_data()
    {
        string err = FailingFit(3, "", "--target", "y", "--lambda", "1");
        Assert.Contains("data.csv:1: the file is empty", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_weight_is_bad_data()
    {
        string err = FailingFit(3, "a,w,y\n1,1,3\n2,-0.5,4\n3,1,2\n", "--target", "y", "--weight", "w", "--lambda", "1");
        Assert.Contains("data.csv:3:2: the value of column 'w' is -0.5: weights must be non-negative", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_outside_0_1_are_bad_data_for_logistic()
    {
        string err = FailingFit(3, "a,b,y\n1,2,0\n2,1,1\n3,5,2\n", "--target", "y", "--lambda", "1", "--loss", "logistic");
        Assert.Contains("data.csv:4:3: the value of column 'y' is 2, but logistic labels must be 0 or 1", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Singular_problem_at_lambda_0_is_a_numerical_failure_with_a_suggestion()
    {
        // b = 2a exactly: the least-squares problem has no unique solution, whatever the solver.
        string err = FailingFit(4, "a,b,y\n1,2,3\n2,4,4\n3,6,2\n4,8,7\n5,10,1\n", "--target", "y", "--lambda", "0");
        Assert.Contains("numerical failure", err, StringComparison.Ordinal);
        Assert.Contains("condition estimate", err, StringComparison.Ordinal);
        Assert.Contains("--lambda L with L > 0", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Ill_conditioned_problem_with_QR_fallback_off_is_a_numerical_failure()
    {
        string err = FailingFit(4, "a,b,y\n1,2,3\n2,4.000000001,4\n3,6,2\n4,8,7\n5,10.000000001,1\n", "--target", "y", "--lambda", "0", "--solver", "cholesky");
        Assert.Contains("condition estimate", err, StringComparison.Ordinal);
        Assert.Contains("--lambda L with L > 0", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lambda", "1", "--loo")]
    [InlineData("--lambda", "-1")]
    [InlineData("--loo", "--gcv")]
    [InlineData("--cv", "1")]
    [InlineData("--lambda", "1", "--threads", "0")]
    [InlineData("--lambda", "1", "--solver", "lu")]
    [InlineData("--lambda", "1", "--no-such-option")]
    [InlineData("--lambdas", "1,,2")]
    [InlineData("--lambdas", "1,-2")]
    public void Bad_command_lines_are_usage_errors(params string[] extra)
    {
        string err = FailingFit(2, Good, ["--target", "y", .. extra]);
        Assert.DoesNotContain("Unhandled", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_target_and_missing_command_are_usage_errors()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", Good);
        (int code, _, string err) = cli.Run("fit", data, "--lambda", "1");
        Assert.Equal(2, code);
        Assert.Contains("--target", err, StringComparison.Ordinal);
        Assert.Equal(2, cli.Run().Code);
        Assert.Equal(2, cli.Run("frobnicate").Code);
    }

    [Fact]
    public void Missing_file_is_bad_data()
    {
        using var cli = new CliRunner();
        (int code, _, string err) = cli.Run("fit", cli.PathOf("nope.csv"), "--target", "y", "--lambda", "1");
        Assert.Equal(3, code);
        Assert.Contains("nope.csv: cannot read the file", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_with_missing_feature_or_bad_row_writes_nothing()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", Good);
        string model = cli.PathOf("model.json");
        Assert.Equal(0, cli.Run("fit", data, "--target", "y", "--lambda", "0.1", "--model", model, "-q").Code);

        string output = cli.Write("pred.csv", "previous");
        string other = cli.Write("other.csv", "a,c\n1,2\n");
        (int code, _, string err) = cli.Run("predict", model, other, "--out", output);
        Assert.Equal(3, code);
        Assert.Contains("unknown feature column 'b'", err, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(output));

        string bad = cli.Write("bad.csv", "a,b\n1,2\n3,oops\n");
        (code, _, err) = cli.Run("predict", model, bad, "--out", output);
        Assert.Equal(3, code);
        Assert.Contains("bad.csv:3:2: cannot parse 'oops'", err, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(output));

        string notModel = cli.Write("notmodel.json", "{\"format\": \"something-else\"}");
        (code, _, err) = cli.Run("predict", notModel, data, "--out", output);
        Assert.Equal(3, code);
        Assert.Contains("not a ridgecore-model/1 model", err, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(cli.Directory).Length + 0 - 2);   // data, model, pred, other, bad, notmodel: no temporary files
    }
}

/// <summary>Outputs that cannot be written: a usage error, and neither output appears.</summary>
public class OutputPathTests
{
    [Fact]
    public void Unwritable_plot_path_leaves_no_model_either()
    {
        using var cli = new CliRunner();
        string data = cli.Write("data.csv", "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,1,1\n");
        string model = cli.PathOf("model.json");
        (int code, _, string err) = cli.Run("fit", data, "--target", "y", "--lambda", "1", "--model", model, "--plot", cli.PathOf("no/such/dir/p.svg"));
        Assert.Equal(2, code);
        Assert.Contains("cannot write", err, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
        Assert.Single(Directory.GetFiles(cli.Directory));   // data.csv only: no temporary file left
    }
}
