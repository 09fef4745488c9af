using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace RidgeCore.Cli.Tests;

/// <summary>
/// <c>ridge fit</c> reproduces scikit-learn's Ridge on committed data (Data/sklearn: 240 rows, 6 features on scales from
/// 0.01 to 250 with offsets up to 1000, three targets, weights with some zeros), with alpha = λ·Σw, for weighted and
/// unweighted fits, with and without intercept and standardization; and NIST Longley at λ = 0 to 12 digits.
/// </summary>
public class SklearnAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<int> Cases() => [0, 1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_matches_scikit_learn_Ridge_to_1e_9_relative(int index)
    {
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllBytes(CliRunner.Data("sklearn", "ridge_expected.json")));
        JsonElement c = expected.RootElement.GetProperty("cases")[index];
        string[] features = [.. expected.RootElement.GetProperty("features").EnumerateArray().Select(e => e.GetString()!)];
        double lambda = c.GetProperty("lambda").GetDouble();
        bool weighted = c.GetProperty("weighted").GetBoolean(), intercept = c.GetProperty("intercept").GetBoolean(), standardize = c.GetProperty("standardize").GetBoolean();

        using var cli = new CliRunner();
        string model = cli.PathOf("model.json");
        string[] args = ["fit", CliRunner.Data("sklearn", "ridge_data.csv"), "--target", "y1", "--target", "y2", "--target", "y3",
            "--lambda", lambda.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--model", model, "--quiet",
            .. weighted ? new[] { "--weight", "w" } : ["--features", string.Join(",", features)],
            .. intercept ? Array.Empty<string>() : ["--no-intercept"],
            .. standardize ? new[] { "--standardize" } : []];
        (int code, string stdout, string stderr) = cli.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);

        using JsonDocument got = JsonDocument.Parse(File.ReadAllBytes(model));
        double worst = 0;
        for (int k = 0; k < 3; k++)
        {
            double[] want = [.. c.GetProperty("coefficients")[k].EnumerateArray().Select(e => e.GetDouble())];
            double[] have = [.. got.RootElement.GetProperty("coefficients")[k].EnumerateArray().Select(e => e.GetDouble())];
            for (int j = 0; j < want.Length; j++)
            {
                worst = Math.Max(worst, Relative(have[j], want[j]));
            }

            worst = Math.Max(worst, Relative(got.RootElement.GetProperty("intercept")[k].GetDouble(), c.GetProperty("intercepts")[k].GetDouble()));
        }

        output.WriteLine($"case {index}: λ = {lambda}, weighted {weighted}, intercept {intercept}, standardize {standardize}: worst relative difference {worst:E2}");
        Assert.True(worst <= 1e-9, $"worst relative difference {worst:E2}");
        Assert.Equal(weighted ? "w" : null, got.RootElement.GetProperty("weight").GetString());
    }

    [Fact]
    public void Longley_at_lambda_0_has_12_certified_digits()
    {
        using var cli = new CliRunner();
        string model = cli.PathOf("longley.json");
        (int code, _, string stderr) = cli.Run("fit", CliRunner.Data("nist", "Longley.csv"), "--target", "y", "--lambda", "0", "--model", model, "-q");
        Assert.True(code == 0, stderr);
        using JsonDocument certified = JsonDocument.Parse(File.ReadAllBytes(CliRunner.Data("nist", "Longley.json")));
        double[] want = [.. certified.RootElement.GetProperty("certified").GetProperty("coefficients").EnumerateArray()
            .Select(e => double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture))];
        using JsonDocument got = JsonDocument.Parse(File.ReadAllBytes(model));
        double[] have = [got.RootElement.GetProperty("intercept")[0].GetDouble(), .. got.RootElement.GetProperty("coefficients")[0].EnumerateArray().Select(e => e.GetDouble())];
        for (int j = 0; j < want.Length; j++)
        {
            double lre = -Math.Log10(Math.Max(Relative(have[j], want[j]), 1e-16));
            output.WriteLine($"B{j}: {have[j]:R} vs {want[j]:R}: {lre:F1} digits");
            Assert.True(lre >= 12, $"B{j}: {lre:F1} digits");
        }
    }

    private static double Relative(double a, double b) => a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(b), double.Epsilon);
}
