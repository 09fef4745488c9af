using System;
using System.IO;
using System.Linq;
using Xunit;

namespace RidgeCore.Cli.Tests;

/// <summary>The README's library quick start, compiled and run: the code between the markers below must appear
/// verbatim (up to indentation) as the first C# block of the README's "Library quick start" section.</summary>
public class QuickStartTests
{
    private static (RidgeModel Model, RidgeModel Streamed) QuickStart()
    {
        // README quick start: begin
        // Data: n rows of p features (row-major) and one target column.
        int n = 200, p = 3;
        var rng = new Random(1);
        double[] x = new double[n * p], y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++) x[(i * p) + j] = rng.NextDouble();
            y[i] = 1 + (2 * x[i * p]) - x[(i * p) + 1] + (0.01 * rng.NextDouble());
        }

        // A ridge fit in one call: λ in this project's convention (see below), intercept unpenalized.
        var xv = new MatrixView<double>(x, n, p);
        var yv = new MatrixView<double>(y, n, 1);
        RidgeModel model = Ridge.Fit(xv, yv, new RidgeOptions { Lambda = 1e-4, Standardize = true });
        double[] theta = model.Coefficients.ToArray();        // p × t, row-major
        double b = model.Intercepts[0];
        var predictions = new double[n];
        model.Predict(xv, predictions);                       // allocation-free

        // Or stream: sufficient statistics of [X | y] batch by batch (memory O(p²) for any n), then fit from them.
        using var stats = new GramAccumulator(features: p, targets: 1);
        stats.Add(xv.SliceRows(0, 120), yv.SliceRows(0, 120));
        stats.Add(xv.SliceRows(120, 80), yv.SliceRows(120, 80));   // or stats.Merge(otherAccumulator)
        RidgeModel streamed = Ridge.Fit(stats, new RidgeOptions { Lambda = 1e-4, Standardize = true });
        Console.WriteLine($"θ = [{string.Join(", ", theta.Select(t => t.ToString("F3")))}], b = {b:F3}, R² = {model.RSquared[0]:F4}");
        // README quick start: end
        return (model, streamed);
    }

    [Fact]
    public void Readme_quick_start_is_this_code()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        int section = readme.IndexOf("## Library quick start", StringComparison.Ordinal);
        Assert.True(section >= 0, "the README has no 'Library quick start' section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        string[] documented = Lines(readme[start..end]);

        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "QuickStart.cs.txt"));
        int from = source.IndexOf("// README quick start: begin", StringComparison.Ordinal);
        from = source.IndexOf('\n', from) + 1;
        int to = source.IndexOf("// README quick start: end", StringComparison.Ordinal);
        string[] compiled = Lines(source[from..to]);
        Assert.Equal(compiled, documented.Where(l => !(l.StartsWith("using ", StringComparison.Ordinal) && !l.Contains('=', StringComparison.Ordinal))).ToArray());   // minus using directives
    }

    [Fact]
    public void Readme_quick_start_runs_and_recovers_the_coefficients()
    {
        (RidgeModel model, RidgeModel streamed) = QuickStart();
        Assert.Equal(2, model.GetCoefficient(0), 0.01);
        Assert.Equal(-1, model.GetCoefficient(1), 0.01);
        Assert.Equal(0, model.GetCoefficient(2), 0.01);
        Assert.Equal(model.GetCoefficient(0), streamed.GetCoefficient(0), 1e-9);
        Assert.StartsWith("θ = [2.00", Console.Text, StringComparison.Ordinal);
    }

    /// <summary>Stands in for System.Console inside this class, so the quick start's output can be checked.</summary>
    private static class Console
    {
        [ThreadStatic]
        private static StringWriter? s_text;

        public static string Text => s_text?.ToString() ?? "";

        public static void WriteLine(string line) => (s_text ??= new StringWriter()).WriteLine(line);
    }

    private static string[] Lines(string text)
        => [.. text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
}
