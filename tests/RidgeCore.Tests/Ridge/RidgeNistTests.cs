using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace RidgeCore.Tests.RidgeEstimator;

/// <summary>
/// NIST StRD linear regression (Data/nist: the data as CSV, certified values as JSON) fitted as ridge problems at
/// λ = 0 with an intercept: every certified coefficient to at least 12 significant digits (log relative error ≥ 12)
/// with refinement, the default. Without refinement the normal equations lose about log₁₀ κ digits, so the unrefined
/// bar is lower; both are printed for the record.
/// </summary>
public class RidgeNistTests(ITestOutputHelper output)
{
    public sealed record NistCase(string Name, int N, int P, double[] X, double[] Y, double[] Certified, double CertifiedRSquared);

    [Theory]
    [InlineData("Norris", 12.0)]
    [InlineData("Pontius", 10.5)]
    [InlineData("Longley", 11.0)]
    public void Certified_coefficients_to_twelve_digits_with_refinement(string name, double unrefinedBar)
    {
        NistCase c = Load(name);
        double refined = Lre(c, refine: true, out RidgeModel model);
        double plain = Lre(c, refine: false, out RidgeModel plainModel);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: min LRE refined {refined:F2}, unrefined {plain:F2}; kappa estimate {model.ConditionNumber:E2}; R2 LRE {-Math.Log10(Math.Abs(model.RSquared[0] - c.CertifiedRSquared) / c.CertifiedRSquared):F1}"));
        Assert.True(refined >= 12.0, $"{name}: refined min LRE {refined:F2}");
        Assert.True(plain >= unrefinedBar, $"{name}: unrefined min LRE {plain:F2}");
        Assert.Equal(RidgeSolverPath.CholeskyRefined, model.SolverPath);
        Assert.Equal(RidgeSolverPath.Cholesky, plainModel.SolverPath);
        Assert.Equal(c.CertifiedRSquared, model.RSquared[0], 1e-9);
        Assert.Equal(c.P, model.EffectiveDegreesOfFreedom[0], 1e-12);

        // The certified values are printed to 15 digits, which caps the LRE near 14; against the exact rational
        // least-squares solution of the same data, refinement is good to about the last bit.
        double[] exact = ExactSolution(c);
        double[] got = [model.Intercepts[0], .. model.Coefficients];
        double toExact = RidgeReference.MinLre(got, exact);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: refined min LRE against the exact solution {toExact:F2}"));
        Assert.True(toExact >= 14.5, $"{name}: {toExact:F2} digits of the exact solution");
    }

    private static double[] ExactSolution(NistCase c)
    {
        int q = c.P + 1;
        var design = new double[c.N * q];
        for (int i = 0; i < c.N; i++)
        {
            design[i * q] = 1;
            Array.Copy(c.X, i * c.P, design, (i * q) + 1, c.P);
        }

        return RidgeCore.Tests.Cholesky.ExactLeastSquares.Solve(design, c.Y, c.N, q);
    }

    private static double Lre(NistCase c, bool refine, out RidgeModel model)
    {
        var options = new RidgeOptions { Lambda = 0, Refine = refine };
        model = Ridge.Fit(new MatrixView<double>(c.X, c.N, c.P), new MatrixView<double>(c.Y, c.N, 1), options);
        double[] got = [model.Intercepts[0], .. model.Coefficients];
        return RidgeReference.MinLre(got, c.Certified);
    }

    /// <summary>Reads Data/nist/{name}.csv (predictors, then y) and .json (certified B0…Bp); polynomial models get the
    /// powers x, x², … of their single predictor, computed exactly (the products fit in a double).</summary>
    public static NistCase Load(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Data", "nist");
        string[] lines = File.ReadAllLines(Path.Combine(dir, name + ".csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".json")));
        JsonElement root = json.RootElement;
        double[] certified = root.GetProperty("certified").GetProperty("coefficients").EnumerateArray()
            .Select(e => double.Parse(e.GetString()!, CultureInfo.InvariantCulture)).ToArray();
        double r2 = double.Parse(root.GetProperty("certified").GetProperty("r_squared").GetString()!, CultureInfo.InvariantCulture);
        JsonElement degree = root.GetProperty("degree");
        int n = lines.Length, p = certified.Length - 1;
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double[] v = lines[i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            y[i] = v[^1];
            if (degree.ValueKind == JsonValueKind.Number)
            {
                double power = 1;
                for (int j = 0; j < p; j++) x[i * p + j] = power *= v[0];
            }
            else
            {
                Array.Copy(v, 0, x, i * p, p);
            }
        }

        return new NistCase(name, n, p, x, y, certified, r2);
    }
}
