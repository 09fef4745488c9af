using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary>
/// <c>--standardize</c> and the λ search for <c>--loss logistic</c> and <c>--solver cg|sgd</c>: standardized fits equal
/// the closed form's standardized fit (cg, sgd) or the library's logistic fit on pre-standardized columns mapped back;
/// K-fold search of the fits themselves equals the closed form's K-fold search (cg) and a naive cross-validation
/// (logistic); the default logistic grid starts where the coefficients are negligible; the error paths.
/// </summary>
public class IterativeSearchTests
{
    private const int Rows = 240;

    /// <summary>Columns on very different scales and offsets (so standardization matters), a continuous target, a 0/1
    /// label, positive weights.</summary>
    private static string Data(int n = Rows, int seed = 11)
    {
        var rng = new Random(seed);
        var text = new StringBuilder("a,b,c,y,label,w\n");
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextDouble() - 0.5, b = 50 + (20 * (rng.NextDouble() - 0.5)), c = 0.01 * (rng.NextDouble() - 0.5);
            double y = 1 + (2 * a) - (0.05 * b) + (80 * c) + (0.2 * (rng.NextDouble() - 0.5));
            double margin = (3 * a) + (0.1 * (b - 50)) + (200 * c);
            int label = rng.NextDouble() < 1 / (1 + Math.Exp(-margin)) ? 1 : 0;
            double w = 0.5 + rng.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{c:R},{y:R},{label},{w:R}\n");
        }

        return text.ToString();
    }

    private static (double[] X, double[] Y, double[] Labels, double[] W) Parse(string csv)
    {
        double[][] rows = [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..].Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        return ([.. rows.SelectMany(r => r[..3])], [.. rows.Select(r => r[3])], [.. rows.Select(r => r[4])], [.. rows.Select(r => r[5])]);
    }

    private static ModelFile Fit(CliRunner cli, string data, params string[] extra)
    {
        string model = cli.PathOf($"m{Guid.NewGuid():N}.json");
        (int code, _, string err) = cli.Run(["fit", data, "--features", "a,b,c", "--weight", "w", "--model", model, "-q", .. extra]);
        Assert.True(code == 0, err);
        return ModelFile.Read(model);
    }

    private static JsonElement Search(CliRunner cli, string data, out JsonDocument document, params string[] extra)
    {
        string path = cli.PathOf($"s{Guid.NewGuid():N}.json");
        (int code, _, string err) = cli.Run(["fit", data, "--features", "a,b,c", "--weight", "w", "--model", path, "-q", .. extra]);
        Assert.True(code == 0, err);
        document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("search");
    }

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>Naive weighted mean and population standard deviation of each column (root mean square without an
    /// intercept), the convention of <see cref="RidgeOptions.Standardize"/>.</summary>
    private static (double[] Mean, double[] Sd) Moments(double[] x, double[] w, int p, bool intercept)
    {
        int n = w.Length;
        double total = w.Sum();
        var mean = new double[p];
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            if (intercept)
            {
                for (int i = 0; i < n; i++)
                {
                    mean[j] += w[i] * x[(i * p) + j] / total;
                }
            }

            for (int i = 0; i < n; i++)
            {
                sd[j] += w[i] * Math.Pow(x[(i * p) + j] - mean[j], 2) / total;
            }

            sd[j] = Math.Sqrt(sd[j]);
        }

        return (mean, sd);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Standardized_cg_and_sgd_equal_the_closed_form_standardized_fit(bool intercept)
    {
        using var cli = new CliRunner();
        string csv = Data();
        string data = cli.Write("d.csv", csv);
        string[] common = ["--target", "y", "--lambda", "0.003", "--standardize", .. intercept ? Array.Empty<string>() : ["--no-intercept"]];
        ModelFile exact = Fit(cli, data, [.. common, "--solver", "auto"]);
        ModelFile cg = Fit(cli, data, [.. common, "--solver", "cg"]);
        ModelFile sgd = Fit(cli, data, [.. common, "--solver", "sgd"]);
        Assert.True(cg.Standardize);
        (_, double[] sd) = Moments(Parse(csv).X, Parse(csv).W, 3, intercept);
        double size = Enumerable.Range(0, 3).Max(j => Math.Abs(exact.Coefficients[0][j] * sd[j]));
        for (int j = 0; j < 3; j++)
        {
            // Compared in standardized units θⱼsⱼ: the columns' scales differ by 10⁴.
            Assert.Equal(exact.Coefficients[0][j] * sd[j], cg.Coefficients[0][j] * sd[j], 1e-8 * size);
            Assert.Equal(exact.Coefficients[0][j] * sd[j], sgd.Coefficients[0][j] * sd[j], 0.02 * size);
        }

        Assert.Equal(exact.Intercept[0], cg.Intercept[0], 1e-8 * (1 + Math.Abs(exact.Intercept[0])));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Standardized_logistic_equals_the_library_fit_on_prestandardized_columns_mapped_back(bool intercept)
    {
        using var cli = new CliRunner();
        string csv = Data();
        string data = cli.Write("d.csv", csv);
        const double lambda = 0.002;
        ModelFile saved = Fit(cli, data, ["--target", "label", "--loss", "logistic", "--lambda", "0.002", "--standardize", .. intercept ? Array.Empty<string>() : ["--no-intercept"]]);
        Assert.True(saved.Standardize);

        (double[] x, _, double[] labels, double[] w) = Parse(csv);
        (double[] mean, double[] sd) = Moments(x, w, 3, intercept);
        double[] z = [.. x.Select((v, k) => (v - mean[k % 3]) / sd[k % 3])];
        LogisticModel reference = LogisticRegression.Fit(new MatrixView<double>(z, Rows, 3), labels, new LogisticOptions { Lambda = lambda, FitIntercept = intercept }, w);
        double b = reference.Intercept;
        for (int j = 0; j < 3; j++)
        {
            double theta = reference.Coefficients[j] / sd[j];
            b -= mean[j] * theta;
            Assert.Equal(reference.Coefficients[j], saved.Coefficients[0][j] * sd[j], 1e-8);
        }

        Assert.Equal(b, saved.Intercept[0], 1e-8 * (1 + Math.Abs(b)));
        if (!intercept)
        {
            Assert.Equal(0.0, saved.Intercept[0]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cg_kfold_search_scores_equal_the_closed_form_kfold_search(bool standardize)
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data());
        string[] common = ["--target", "y", "--cv", "4", .. standardize ? ["--standardize"] : Array.Empty<string>()];
        JsonElement exact = Search(cli, data, out JsonDocument a, [.. common, "--solver", "auto"]);
        JsonElement cg = Search(cli, data, out JsonDocument b, [.. common, "--solver", "cg"]);
        using (a)
        using (b)
        {
            Assert.Equal("cv4", cg.GetProperty("method").GetString());
            Assert.Equal(Numbers(exact.GetProperty("lambdas")), Numbers(cg.GetProperty("lambdas")));
            double[] want = Numbers(exact.GetProperty("scores")[0]), got = Numbers(cg.GetProperty("scores")[0]);
            double[] wantSe = Numbers(exact.GetProperty("std_errors")[0]), gotSe = Numbers(cg.GetProperty("std_errors")[0]);
            // CG stops at a relative residual of 10⁻¹⁰, so θ is off by up to κ·10⁻¹⁰ (κ of the Jacobi-preconditioned
            // system, up to about 10³ over this grid): scores agree to 10⁻⁷ (seen: 10⁻⁹ at the smallest λ).
            for (int i = 0; i < want.Length; i++)
            {
                Assert.Equal(want[i], got[i], 1e-7 * want[i]);
                Assert.Equal(wantSe[i], gotSe[i], 1e-7 * want[i]);
            }

            Assert.Equal(Numbers(exact.GetProperty("best_lambda")), Numbers(cg.GetProperty("best_lambda")));
            Assert.Equal(Numbers(exact.GetProperty("lambda_1se")), Numbers(cg.GetProperty("lambda_1se")));
            Assert.Equal(
                Numbers(a.RootElement.GetProperty("coefficients")[0]),
                Numbers(b.RootElement.GetProperty("coefficients")[0]),
                new Tolerant(1e-7));
        }
    }

    [Fact]
    public void Logistic_kfold_search_equals_a_naive_cross_validation_and_refits_at_lambda_min()
    {
        using var cli = new CliRunner();
        string csv = Data();
        string data = cli.Write("d.csv", csv);
        double[] grid = [0.3, 0.03, 0.003, 0.0003];
        JsonElement search = Search(cli, data, out JsonDocument doc, "--target", "label", "--loss", "logistic", "--lambdas", "0.3,0.03,0.003,0.0003");
        using (doc)
        {
            Assert.Equal("cv5", search.GetProperty("method").GetString());
            Assert.Equal("log-loss", search.GetProperty("score").GetString());

            // The naive reference: the library's fit on each training set, −[y log p + (1 − y) log(1 − p)] on the held-out rows.
            (double[] x, _, double[] labels, double[] w) = Parse(csv);
            int[] fold = RidgeCV.AssignFolds(Rows, 5, 1);
            var foldScores = new double[5, grid.Length];
            var foldWeight = new double[5];
            for (int f = 0; f < 5; f++)
            {
                int[] train = [.. Enumerable.Range(0, Rows).Where(i => fold[i] != f)];
                int[] held = [.. Enumerable.Range(0, Rows).Where(i => fold[i] == f)];
                double[] xt = [.. train.SelectMany(i => x[(i * 3)..((i * 3) + 3)])];
                foldWeight[f] = held.Sum(i => w[i]);
                for (int l = 0; l < grid.Length; l++)
                {
                    LogisticModel m = LogisticRegression.Fit(new MatrixView<double>(xt, train.Length, 3), [.. train.Select(i => labels[i])], new LogisticOptions { Lambda = grid[l], Tolerance = IterativeSearch.FoldNewtonTolerance }, [.. train.Select(i => w[i])]);
                    double loss = 0;
                    foreach (int i in held)
                    {
                        double prob = m.PredictProbability(x.AsSpan(i * 3, 3));
                        loss -= w[i] * ((labels[i] * Math.Log(prob)) + ((1 - labels[i]) * Math.Log(1 - prob)));
                    }

                    foldScores[f, l] = loss / foldWeight[f];
                }
            }

            double[] scores = Numbers(search.GetProperty("scores")[0]), errors = Numbers(search.GetProperty("std_errors")[0]);
            double total = w.Sum();
            for (int l = 0; l < grid.Length; l++)
            {
                double mean = Enumerable.Range(0, 5).Sum(f => foldWeight[f] * foldScores[f, l]) / total;
                double se = Math.Sqrt(Enumerable.Range(0, 5).Sum(f => foldWeight[f] * Math.Pow(foldScores[f, l] - mean, 2)) / total / 4);
                Assert.Equal(mean, scores[l], 1e-9);
                Assert.Equal(se, errors[l], 1e-9);
            }

            int best = Array.IndexOf(scores, scores.Min());
            Assert.Equal(grid[best], search.GetProperty("best_lambda")[0].GetDouble());
            double oneSe = grid.Where((g, l) => scores[l] <= scores[best] + errors[best]).Max();
            Assert.Equal(oneSe, search.GetProperty("lambda_1se")[0].GetDouble());

            LogisticModel refit = LogisticRegression.Fit(new MatrixView<double>(x, Rows, 3), labels, new LogisticOptions { Lambda = grid[best] }, w);
            Assert.Equal(grid[best], doc.RootElement.GetProperty("lambda")[0].GetDouble());
            Assert.Equal(refit.Coefficients.ToArray(), Numbers(doc.RootElement.GetProperty("coefficients")[0]));
            Assert.Equal(refit.Intercept, doc.RootElement.GetProperty("intercept")[0].GetDouble());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Default_logistic_grid_starts_where_every_coefficient_is_negligible(bool standardize)
    {
        using var cli = new CliRunner();
        string csv = Data();
        string data = cli.Write("d.csv", csv);
        JsonElement search = Search(cli, data, out JsonDocument doc, ["--target", "label", "--loss", "logistic", .. standardize ? ["--standardize"] : Array.Empty<string>()]);
        using (doc)
        {
            double[] grid = Numbers(search.GetProperty("lambdas"));
            Assert.Equal(IterativeSearch.LogisticGridSize, grid.Length);
            Assert.True(grid.Zip(grid.Skip(1)).All(pair => pair.First > pair.Second), "largest first, decreasing");
            Assert.Equal(1e-4, grid[^1] / grid[0], 1e-12);

            // At λ_max every coefficient changes the log-odds by at most about 10⁻³ per standard deviation of its
            // feature (first order, so a little less), and the largest one by not much less: λ_max is not far too big.
            (double[] x, _, double[] labels, double[] w) = Parse(csv);
            (double[] mean, double[] sd) = Moments(x, w, 3, intercept: true);
            double[] z = standardize ? [.. x.Select((v, k) => (v - mean[k % 3]) / sd[k % 3])] : x;
            LogisticModel top = LogisticRegression.Fit(new MatrixView<double>(z, Rows, 3), labels, new LogisticOptions { Lambda = grid[0] }, w);
            double effect = Enumerable.Range(0, 3).Max(j => Math.Abs(top.Coefficients[j] * (standardize ? 1 : sd[j])));
            Assert.InRange(effect, 0.9e-3, 1.0e-3);
            Assert.Equal("cv5", search.GetProperty("method").GetString());
        }
    }

    [Fact]
    public void Searched_logistic_plot_draws_the_cv_curve_and_the_logistic_trace()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data());
        string svg = cli.PathOf("s.svg");
        (int code, string stdout, string err) = cli.Run("fit", data, "--target", "label", "--features", "a,b,c", "--loss", "logistic", "--standardize", "--cv", "3", "--plot", svg);
        Assert.True(code == 0, err);
        Assert.Contains("λ search: 3-fold cross-validation, 30 values of λ; score = log-loss", stdout, StringComparison.Ordinal);
        XNamespace ns = "http://www.w3.org/2000/svg";
        XDocument doc = XDocument.Load(svg);
        string text = string.Concat(doc.Descendants(ns + "text").Select(t => t.Value + " "));
        Assert.Contains("λ_min = ", text, StringComparison.Ordinal);
        Assert.Contains("log-loss", text, StringComparison.Ordinal);
        Assert.Single(doc.Descendants(ns + "polygon"));                      // the ±1 SE band
        Assert.Equal(3 + 1, doc.Descendants(ns + "path").Count());           // three trace curves and the score curve
    }

    [Fact]
    public void A_logistic_plot_traces_the_logistic_fits_not_the_squared_loss()
    {
        using var cli = new CliRunner();
        string csv = Data();
        string path = cli.Write("d.csv", csv);
        var s = new FitSettings { Data = path, Targets = ["label"], Features = ["a", "b", "c"], Weight = "w", Loss = "logistic", Lambda = 0.01, PlotPath = cli.PathOf("p.svg") };
        using TrainingData data = TrainingData.Read(path, new ColumnSelection(s.Targets, s.Features, s.Weight), true, false, true, 1, null);
        RidgeTracePoints trace = IterativeSearch.LogisticTrace(s, data, IterativeSolver.Newton, [0.1, 0.01], 0.01);
        Assert.Equal([0.01, 0.1], trace.Lambdas);

        (double[] x, _, double[] labels, double[] w) = Parse(csv);
        (_, double[] sd) = Moments(x, w, 3, intercept: true);
        LogisticModel expected = LogisticRegression.Fit(new MatrixView<double>(x, Rows, 3), labels, new LogisticOptions { Lambda = 0.01 }, w);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(expected.Coefficients[j] * sd[j], trace.Values[j][0], 1e-12);
        }

        // And the command draws it: one curve per feature, the chosen λ marked, no CV curve for a fixed λ.
        (int code, _, string err) = cli.Run("fit", path, "--target", "label", "--features", "a,b,c", "--weight", "w", "--loss", "logistic", "--lambda", "0.01", "--plot", s.PlotPath);
        Assert.True(code == 0, err);
        XNamespace ns = "http://www.w3.org/2000/svg";
        XDocument doc = XDocument.Load(s.PlotPath);
        Assert.Equal(3, doc.Descendants(ns + "path").Count());
        Assert.Empty(doc.Descendants(ns + "polygon"));
    }

    [Fact]
    public void Sgd_search_and_cg_leave_one_out_choose_lambda_and_fit_with_their_solver()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data(120));
        ModelFile sgd = Fit(cli, data, "--target", "y", "--solver", "sgd", "--standardize", "--lambdas", "1,0.1,0.01,0.001");
        Assert.Equal("sgd", sgd.Solver);
        ModelFile cg = Fit(cli, data, "--target", "y", "--solver", "cg", "--loo");
        ModelFile exact = Fit(cli, data, "--target", "y", "--loo");
        Assert.Equal("cg", cg.Solver);
        Assert.Equal(exact.Lambda, cg.Lambda);
        Assert.Equal(exact.Coefficients[0], cg.Coefficients[0], new Tolerant(1e-7));
    }

    [Fact]
    public void A_constant_column_gets_coefficient_0_with_standardization_and_small_files_fit_with_sgd()
    {
        // Column a is constant: the closed form drops it under --standardize; so must every iterative path. Ten rows
        // are fewer than one SGD batch of 32, so SGD takes them all as its batch.
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", "a,b,y,l\n1,2,3,1\n1,1,4,0\n1,5,2,1\n1,4,6,0\n1,1,1,1\n1,3,5,1\n1,2,2,0\n1,6,1,1\n1,2,7,0\n1,4,3,1\n");
        ModelFile Run(params string[] extra)
        {
            string model = cli.PathOf($"m{Guid.NewGuid():N}.json");
            (int code, _, string err) = cli.Run(["fit", data, "--features", "a,b", "--standardize", "--model", model, "-q", .. extra]);
            Assert.True(code == 0, err);
            return ModelFile.Read(model);
        }

        ModelFile exact = Run("--target", "y", "--lambda", "0.05");
        ModelFile cg = Run("--target", "y", "--lambda", "0.05", "--solver", "cg");
        ModelFile sgd = Run("--target", "y", "--lambda", "0.05", "--solver", "sgd");
        ModelFile logistic = Run("--target", "l", "--loss", "logistic", "--lambda", "0.05");
        Assert.Equal(0.0, exact.Coefficients[0][0]);
        foreach (ModelFile m in new[] { cg, sgd, logistic })
        {
            Assert.Equal(0.0, m.Coefficients[0][0]);
        }

        Assert.Equal(exact.Coefficients[0][1], cg.Coefficients[0][1], 1e-9);
        Assert.Equal(exact.Intercept[0], cg.Intercept[0], 1e-9);
        Assert.Equal(exact.Coefficients[0][1], sgd.Coefficients[0][1], 0.05);
    }

    [Theory]
    [InlineData("--loo")]
    [InlineData("--gcv")]
    public void Leave_one_out_and_gcv_with_the_logistic_loss_are_usage_errors(string method)
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data(40));
        string model = cli.PathOf("m.json");
        (int code, string stdout, string err) = cli.Run("fit", data, "--target", "label", "--features", "a,b,c", "--loss", "logistic", method, "--model", model);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains($"{method} has an exact closed form for the squared loss only", err, StringComparison.Ordinal);
        Assert.Contains("--cv K", err, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void Labels_unrelated_to_every_feature_leave_no_default_logistic_grid()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", "a,b,label\n1,2,1\n2,1,1\n3,5,1\n4,4,1\n5,1,1\n6,3,1\n");
        string model = cli.PathOf("m.json");
        (int code, _, string err) = cli.Run("fit", data, "--target", "label", "--loss", "logistic", "--cv", "2", "--model", model);
        Assert.Equal(3, code);
        Assert.Contains("no feature varies together with the labels", err, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    /// <summary>A fit that must fail: the exit code, nothing on stdout, the message, and neither --model nor --plot written.</summary>
    private static string FailingFit(int expected, string csv, params string[] extra)
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", csv);
        string model = cli.PathOf("m.json"), plot = cli.PathOf("p.svg");
        (int code, string stdout, string err) = cli.Run(["fit", data, "--model", model, "--plot", plot, .. extra]);
        Assert.True(code == expected, $"exit code {code}, expected {expected}: {err}");
        Assert.Equal("", stdout);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(plot));
        Assert.Single(Directory.GetFiles(cli.Directory));   // d.csv alone: no temporary file left behind
        return err;
    }

    [Fact]
    public void A_fold_without_weight_is_bad_data()
    {
        // Every row of fold 0 (as the CLI deals 2 folds over 12 rows) gets weight 0.
        int[] fold = RidgeCV.AssignFolds(12, 2, RidgeCore.Cli.Search.FoldSeed);
        var csv = new StringBuilder("a,b,l,w\n");
        for (int i = 0; i < 12; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{(i * 7) % 5},{i % 2},{(fold[i] == 0 ? 0 : 1)}\n");
        }

        string err = FailingFit(3, csv.ToString(), "--target", "l", "--weight", "w", "--loss", "logistic", "--cv", "2");
        Assert.Contains("cannot search λ by 2-fold cross-validation: fold 0 has no rows of positive weight", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cg")]
    [InlineData("sgd")]
    public void Features_without_variation_leave_no_default_grid(string solver)
    {
        string err = FailingFit(3, "a,b,y\n1,2,3\n1,2,4\n1,2,2\n1,2,6\n1,2,1\n1,2,5\n", "--target", "y", "--solver", solver);
        Assert.Contains("cannot search λ on this data", err, StringComparison.Ordinal);
        Assert.Contains("no variation", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_too_large_for_memory_say_so_on_stderr_and_refuse_what_needs_the_rows()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", Data(80));
        string model = cli.PathOf("m.json");

        // The squared-loss default (leave-one-out) falls back to GCV: said on stderr, even with --quiet.
        var err = new StringWriter();
        var quiet = new FitSettings { Data = data, Targets = ["y"], Features = ["a", "b", "c"], Quiet = true, InMemoryLimit = 0 };
        Assert.Equal(0, FitCommand.Run(quiet, TextWriter.Null, err));
        Assert.Contains("ridge: warning:", err.ToString(), StringComparison.Ordinal);
        Assert.Contains("λ is chosen by GCV from the streamed statistics instead", err.ToString(), StringComparison.Ordinal);

        // Conjugate gradient follows the same fallback, and fits from the statistics.
        var cgErr = new StringWriter();
        var cg = new FitSettings { Data = data, Targets = ["y"], Features = ["a", "b", "c"], Solver = "cg", Quiet = true, ModelPath = model, InMemoryLimit = 0 };
        Assert.Equal(0, FitCommand.Run(cg, TextWriter.Null, cgErr));
        Assert.Contains("GCV", cgErr.ToString(), StringComparison.Ordinal);
        using (JsonDocument saved = JsonDocument.Parse(File.ReadAllBytes(model)))
        {
            Assert.Equal("cg", saved.RootElement.GetProperty("solver").GetString());
            Assert.Equal("gcv", saved.RootElement.GetProperty("search").GetProperty("method").GetString());
        }

        File.Delete(model);

        // What needs the rows is a usage error, and writes nothing.
        FitSettings[] refused =
        [
            new() { Data = data, Targets = ["y"], Features = ["a", "b", "c"], Solver = "cg", Folds = 3, ModelPath = model, InMemoryLimit = 0 },
            new() { Data = data, Targets = ["y"], Features = ["a", "b", "c"], Solver = "cg", Lambda = 0.1, Standardize = true, ModelPath = model, InMemoryLimit = 0 },
            new() { Data = data, Targets = ["label"], Features = ["a", "b", "c"], Loss = "logistic", ModelPath = model, InMemoryLimit = 0 },
            new() { Data = data, Targets = ["y"], Features = ["a", "b", "c"], Solver = "sgd", ModelPath = model, InMemoryLimit = 0 },
            new() { Data = data, Targets = ["y"], Features = ["a", "b", "c"], Solver = "cg", Standardize = true, ModelPath = model, InMemoryLimit = 0 },
            new() { Data = data, Targets = ["y", "label"], Features = ["a", "b", "c"], Solver = "cg", ModelPath = model, InMemoryLimit = 0 },
        ];
        string[] messages =
        [
            "--cv with --solver cg needs the rows in memory", "--solver cg --standardize needs the rows in memory", "--loss logistic needs the rows in memory",
            "--solver sgd needs the rows in memory", "--solver cg --standardize needs the rows in memory", "--solver cg with several targets needs the rows in memory",
        ];
        for (int i = 0; i < refused.Length; i++)
        {
            UsageException e = Assert.Throws<UsageException>(() => FitCommand.Run(refused[i], TextWriter.Null, TextWriter.Null));
            Assert.Contains(messages[i], e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(model));
        }
    }

    /// <summary>Element-wise comparison within an absolute tolerance scaled by the larger magnitude.</summary>
    private sealed class Tolerant(double relative) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= relative * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

        public int GetHashCode(double obj) => 0;
    }
}
