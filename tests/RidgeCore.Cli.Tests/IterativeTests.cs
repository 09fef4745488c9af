using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary><c>--loss logistic</c> and <c>--solver cg|sgd</c>: the CLI gives what the library gives, predict returns
/// probabilities for logistic models, and the combinations that cannot work are usage errors.</summary>
public class IterativeTests
{
    /// <summary>Well-scaled data (features about N(0, 1)), a continuous target and a 0/1 label.</summary>
    private static string Data(int n)
    {
        var rng = new Random(5);
        var text = new StringBuilder("a,b,c,y,label\n");
        for (int i = 0; i < n; i++)
        {
            double a = 3 * (rng.NextDouble() - 0.5), b = 3 * (rng.NextDouble() - 0.5), c = 3 * (rng.NextDouble() - 0.5);
            double y = 1 + (2 * a) - b + (0.1 * (rng.NextDouble() - 0.5));
            int label = rng.NextDouble() < 1 / (1 + Math.Exp(-(a - b))) ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{c:R},{y:R},{label}\n");
        }

        return text.ToString();
    }

    private static (double[] X, double[] Y, double[] Labels) Parse(string csv)
    {
        double[][] rows = [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..].Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        return ([.. rows.SelectMany(r => r[..3])], [.. rows.Select(r => r[3])], [.. rows.Select(r => r[4])]);
    }

    [Fact]
    public void Logistic_fit_equals_LogisticRegression_and_predict_gives_its_probabilities()
    {
        using var cli = new CliRunner();
        string csv = Data(300);
        string data = cli.Write("d.csv", csv);
        string model = cli.PathOf("m.json");
        string probabilities = cli.PathOf("p.csv");
        (int code, string stdout, string err) = cli.Run("fit", data, "--target", "label", "--features", "a,b,c", "--loss", "logistic", "--lambda", "0.001", "--model", model);
        Assert.True(code == 0, err);
        Assert.Contains("Newton/IRLS", stdout, StringComparison.Ordinal);
        Assert.Equal(0, cli.Run("predict", model, data, "--out", probabilities).Code);

        (double[] x, _, double[] labels) = Parse(csv);
        LogisticModel expected = LogisticRegression.Fit(new MatrixView<double>(x, 300, 3), labels, new LogisticOptions { Lambda = 0.001 });
        ModelFile saved = ModelFile.Read(model);
        Assert.Equal("logistic", saved.Loss);
        Assert.Equal(expected.Intercept, saved.Intercept[0]);
        Assert.Equal(expected.Coefficients.ToArray(), saved.Coefficients[0]);

        var want = new double[300];
        expected.PredictProbability(new MatrixView<double>(x, 300, 3), want);
        double[] got = [.. File.ReadAllLines(probabilities)[1..].Select(l => double.Parse(l, CultureInfo.InvariantCulture))];
        for (int i = 0; i < 300; i++)
        {
            Assert.InRange(got[i], 0, 1);
            Assert.Equal(want[i], got[i], 1e-12);
        }
    }

    [Fact]
    public void Conjugate_gradient_and_SGD_approach_the_closed_form()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data(400));
        ModelFile Fit(string solver)
        {
            string model = cli.PathOf(solver + ".json");
            (int code, _, string err) = cli.Run("fit", data, "--target", "y", "--features", "a,b,c", "--lambda", "0.01", "--solver", solver, "--model", model, "-q");
            Assert.True(code == 0, err);
            return ModelFile.Read(model);
        }

        ModelFile exact = Fit("auto"), cg = Fit("cg"), sgd = Fit("sgd");
        Assert.Equal("cg", cg.Solver);
        Assert.Equal("sgd", sgd.Solver);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(exact.Coefficients[0][j], cg.Coefficients[0][j], 1e-7);
            Assert.Equal(exact.Coefficients[0][j], sgd.Coefficients[0][j], 0.05);
        }

        Assert.Equal(exact.Intercept[0], cg.Intercept[0], 1e-7);
    }

    [Fact]
    public void SGD_shuffled_once_approaches_the_closed_form_and_differs_from_reshuffling()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data(400));
        ModelFile Fit(params string[] extra)
        {
            string model = cli.PathOf(string.Join("-", extra) + ".json");
            (int code, _, string err) = cli.Run(["fit", data, "--target", "y", "--features", "a,b,c", "--lambda", "0.01", "--model", model, "-q", .. extra]);
            Assert.True(code == 0, err);
            return ModelFile.Read(model);
        }

        ModelFile exact = Fit(), rows = Fit("--solver", "sgd"), once = Fit("--solver", "sgd", "--shuffle", "once");
        Assert.Equal("sgd", once.Solver);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(exact.Coefficients[0][j], once.Coefficients[0][j], 0.05);
        }

        Assert.NotEqual(rows.Coefficients[0], once.Coefficients[0]);
    }

    [Theory]
    [InlineData("--shuffle", "once")]
    [InlineData("--solver", "cg", "--shuffle", "rows")]
    [InlineData("--loss", "logistic", "--lambda", "0.1", "--solver", "qr")]
    [InlineData("--loss", "logistic", "--solver", "cg")]
    [InlineData("--loss", "logistic", "--gcv")]
    [InlineData("--loss", "logistic", "--lambda", "0.1", "--loo")]
    public void Combinations_the_iterative_paths_do_not_support_are_usage_errors(params string[] extra)
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data(50));
        string model = cli.PathOf("m.json");
        (int code, _, string err) = cli.Run(["fit", data, "--target", "label", "--features", "a,b,c", "--model", model, .. extra]);
        Assert.True(code == 2, err);
        Assert.False(File.Exists(model));
    }
}
