using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace RidgeCore.Tests.Selection;

/// <summary>
/// The chosen λ equals scikit-learn 1.2.1 RidgeCV's on committed data sets (Data/ridgecv/ridgecv_cases.json, made by
/// Data/ridgecv/make_ridgecv_cases.py with Debian's python3: see the script's header). scikit-learn's alpha is λ·Σw
/// and its default is efficient leave-one-out, so RidgeCV.LeaveOneOut on λ = alpha/Σw must pick the same grid index;
/// for unweighted cases its best_score_ is minus our leave-one-out MSE.
/// </summary>
public class RidgeCVScikitLearnTests
{
    public static IEnumerable<object[]> Cases()
    {
        using JsonDocument doc = Load();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
            yield return new object[] { c.GetProperty("name").GetString()! };
    }

    private static JsonDocument Load()
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "ridgecv", "ridgecv_cases.json")));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chosen_lambda_matches_scikit_learn_RidgeCV(string name)
    {
        using JsonDocument doc = Load();
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int n = c.GetProperty("n").GetInt32(), p = c.GetProperty("p").GetInt32(), t = c.GetProperty("t").GetInt32();
        double[] x = Doubles(c.GetProperty("x")), y = Doubles(c.GetProperty("y"));
        double[]? w = c.GetProperty("w").ValueKind == JsonValueKind.Null ? null : Doubles(c.GetProperty("w"));
        double[] alphas = Doubles(c.GetProperty("alphas"));
        int[] expected = c.GetProperty("expected_index").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] bestScore = Doubles(c.GetProperty("best_score"));
        bool perTarget = c.GetProperty("alpha_per_target").GetBoolean();
        double sw = w?.Sum() ?? n;
        double[] lambdas = alphas.Select(a => a / sw).ToArray();
        var options = new RidgeOptions { FitIntercept = c.GetProperty("fit_intercept").GetBoolean() };

        RidgeSearchResult result = RidgeCV.LeaveOneOut(new MatrixView<double>(x, n, p), new MatrixView<double>(y, n, t), lambdas, options, w ?? []);
        if (perTarget || t == 1)
        {
            Assert.Equal(expected, result.BestIndices.ToArray());
        }
        else
        {
            Assert.All(expected, e => Assert.Equal(e, result.BestIndex));
        }

        if (w is null)
        {
            for (int q = 0; q < bestScore.Length; q++)
            {
                double ours = perTarget || t == 1 ? result.GetScore(result.BestIndices[q], q) : Enumerable.Range(0, t).Average(k => result.GetScore(result.BestIndex, k));
                LeaveOneOutTests.AssertRelative(-bestScore[q], ours, 1e-8, $"{name} best score, target {q}");
            }
        }
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
