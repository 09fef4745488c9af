using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary><c>ridge fit</c> choosing λ: the same choice as the library's <see cref="RidgeCV"/>, the search block of
/// the model file, the default (leave-one-out on the default grid), GCV from statistics for files too large for memory,
/// and the CV curve in the plot.</summary>
public class SearchTests
{
    private const string Features = "f0,f1,f2,f3,f4,f5";

    private static string Sklearn => CliRunner.Data("sklearn", "ridge_data.csv");

    private static JsonElement Fit(CliRunner cli, out JsonDocument document, params string[] extra)
    {
        string model = cli.PathOf($"m{Guid.NewGuid():N}.json");
        (int code, _, string err) = cli.Run(["fit", Sklearn, "--target", "y1", "--target", "y2", "--weight", "w", "--features", Features, "--model", model, "-q", .. extra]);
        Assert.True(code == 0, err);
        document = JsonDocument.Parse(File.ReadAllBytes(model));
        return document.RootElement;
    }

    /// <summary>The data file loaded the way a test can hand it to the library.</summary>
    private static (double[] X, double[] Y, double[] W, int N) Load()
    {
        string[] lines = File.ReadAllLines(Sklearn);
        int n = lines.Length - 1;
        double[][] rows = [.. lines[1..].Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())];
        return ([.. rows.SelectMany(r => r[..6])], [.. rows.SelectMany(r => r[6..8])], [.. rows.Select(r => r[9])], n);
    }

    [Fact]
    public void Default_is_leave_one_out_on_the_default_grid_and_matches_RidgeCV()
    {
        using var cli = new CliRunner();
        JsonElement root = Fit(cli, out JsonDocument doc);
        using (doc)
        {
            JsonElement search = root.GetProperty("search");
            Assert.Equal("loo", search.GetProperty("method").GetString());

            (double[] x, double[] y, double[] w, int n) = Load();
            using var stats = new GramAccumulator(6, 2);
            stats.Add(new MatrixView<double>(x, n, 6), new MatrixView<double>(y, n, 2), w);
            var options = new RidgeOptions();
            double[] grid = RidgeCV.DefaultLambdaGrid(stats, options);
            RidgeSearchResult expected = RidgeCV.LeaveOneOut(new MatrixView<double>(x, n, 6), new MatrixView<double>(y, n, 2), grid, options, w);

            Assert.Equal(grid, search.GetProperty("lambdas").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected.BestLambdas.ToArray(), search.GetProperty("best_lambda").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected.OneStandardErrorLambdas.ToArray(), search.GetProperty("lambda_1se").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(expected.BestLambdas.ToArray(), root.GetProperty("lambda").EnumerateArray().Select(e => e.GetDouble()));
            for (int k = 0; k < 2; k++)
            {
                double[] scores = [.. search.GetProperty("scores")[k].EnumerateArray().Select(e => e.GetDouble())];
                double[] errors = [.. search.GetProperty("std_errors")[k].EnumerateArray().Select(e => e.GetDouble())];
                Assert.Equal(grid.Length, scores.Length);
                for (int i = 0; i < grid.Length; i++)
                {
                    Assert.Equal(expected.GetScore(i, k), scores[i]);
                    Assert.Equal(expected.StandardErrors[(i * 2) + k], errors[i]);
                }

                for (int j = 0; j < 6; j++)
                {
                    Assert.Equal(expected.Model.GetCoefficient(j, k), root.GetProperty("coefficients")[k][j].GetDouble(), 1e-12 * (1 + Math.Abs(expected.Model.GetCoefficient(j, k))));
                }
            }
        }
    }

    [Fact]
    public void Gcv_and_kfold_on_a_given_grid_record_their_method()
    {
        using var cli = new CliRunner();
        JsonElement gcv = Fit(cli, out JsonDocument a, "--lambdas", "0.001,0.01,0.1,1", "--gcv");
        JsonElement cv = Fit(cli, out JsonDocument b, "--lambdas", "0.001,0.01,0.1,1", "--cv", "5");
        using (a)
        using (b)
        {
            Assert.Equal("gcv", gcv.GetProperty("search").GetProperty("method").GetString());
            Assert.Equal(JsonValueKind.Null, gcv.GetProperty("search").GetProperty("std_errors")[0][0].ValueKind);   // GCV has none
            Assert.Equal("cv5", cv.GetProperty("search").GetProperty("method").GetString());
            Assert.True(cv.GetProperty("search").GetProperty("std_errors")[0][0].GetDouble() > 0);
            foreach (JsonElement r in new[] { gcv, cv })
            {
                double best = r.GetProperty("search").GetProperty("best_lambda")[0].GetDouble();
                Assert.Contains(best, new[] { 0.001, 0.01, 0.1, 1 });
            }
        }
    }

    [Fact]
    public void A_file_too_large_for_memory_is_searched_by_GCV_from_statistics_and_LOO_is_refused()
    {
        using var cli = new CliRunner();
        var output = new StringWriter();
        var settings = new FitSettings { Data = Sklearn, Targets = ["y1"], Weight = "w", Features = Features.Split(','), InMemoryLimit = 0 };
        Assert.Equal(0, FitCommand.Run(settings, output, TextWriter.Null));
        Assert.Contains("GCV from the streamed statistics", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("generalized cross-validation", output.ToString(), StringComparison.Ordinal);

        var loo = new FitSettings { Data = Sklearn, Targets = ["y1"], Weight = "w", Loo = true, InMemoryLimit = 0 };
        UsageException e = Assert.Throws<UsageException>(() => FitCommand.Run(loo, TextWriter.Null, TextWriter.Null));
        Assert.Contains("--gcv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_plot_has_the_curve_with_its_band_and_both_lambdas_marked()
    {
        using var cli = new CliRunner();
        string svg = cli.PathOf("s.svg");
        (int code, string stdout, string err) = cli.Run("fit", Sklearn, "--target", "y1", "--weight", "w", "--features", Features, "--cv", "4", "--plot", svg);
        Assert.True(code == 0, err);
        Assert.Contains("λ search: 4-fold cross-validation", stdout, StringComparison.Ordinal);
        XNamespace ns = "http://www.w3.org/2000/svg";
        XDocument doc = XDocument.Load(svg);
        string text = string.Concat(doc.Descendants(ns + "text").Select(t => t.Value + " "));
        Assert.Contains("λ_min = ", text, StringComparison.Ordinal);
        Assert.Contains("4-fold cross-validation", text, StringComparison.Ordinal);
        Assert.Contains("chosen λ = ", text, StringComparison.Ordinal);
        Assert.Single(doc.Descendants(ns + "polygon"));                      // the ±1 SE band
        Assert.Equal(6 + 1, doc.Descendants(ns + "path").Count());           // six trace curves and the score curve
    }

    [Fact]
    public void Too_many_folds_is_bad_data()
    {
        using var cli = new CliRunner();
        string data = cli.Write("d.csv", "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,1,1\n");
        (int code, _, string err) = cli.Run("fit", data, "--target", "y", "--cv", "10");
        Assert.Equal(3, code);
        Assert.Contains("too few rows for --cv 10", err, StringComparison.Ordinal);
    }
}
