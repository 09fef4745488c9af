using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace RidgeCore.Cli;

/// <summary>
/// <c>ridge demo</c>, the main job in one command: NIST's Longley data (public domain, notoriously ill-conditioned)
/// fitted by least squares and compared digit by digit with the certified values, then with λ chosen by leave-one-out;
/// and a synthetic set with two pairs of nearly collinear features, where least squares splits the signal wildly
/// between the twins and ridge does not. Writes the synthetic set's ridge trace (and leave-one-out curve) as SVG.
/// </summary>
internal static class Demo
{
    private const int SyntheticRows = 120;
    private const int Seed = 20261;

    /// <summary>The synthetic set's true coefficients (x1, x2, x3, x4, x5) and noise level.</summary>
    private static readonly double[] s_truth = [1.0, 1.0, 2.0, -1.0, 0.0];

    public static int Run(string plotPath, TextWriter output)
    {
        KernelSelectionReport report = KernelSelection.Report;
        output.WriteLine($"ridge demo — RidgeCore {Program.VersionOf(typeof(VectorPrimitives).Assembly)}, kernel family {report.Family} ({report.TierName}): {report.Reason}");
        output.WriteLine();

        // 1. Longley by least squares against NIST's certified values.
        output.WriteLine("1. NIST Longley (16 rows, 6 highly collinear features; a classic accuracy test): least squares (λ = 0)");
        output.WriteLine();
        FitSettings longleyOls = Settings("Longley.csv", lambda: 0, standardize: false);
        double[] certified = CertifiedLongley();
        using (TrainingData longley = TrainingData.Read(Embedded("Longley.csv"), new ColumnSelection(["y"], null, null), true, false, false, 1, null))
        {
            RidgeModel ols = FitCommand.FitModel(longleyOls, longley, FitCommand.Options(longleyOls, 0));
            var table = new TextTable("", "RidgeCore", "NIST certified", "digits agreeing");
            double[] got = [ols.Intercepts[0], .. Enumerable.Range(0, 6).Select(j => ols.GetCoefficient(j))];
            string[] names = ["(intercept)", .. longley.FeatureNames];
            for (int j = 0; j < got.Length; j++)
            {
                table.Add(names[j], got[j].ToString("G15", CultureInfo.InvariantCulture), certified[j].ToString("G15", CultureInfo.InvariantCulture), Digits(got[j], certified[j]));
            }

            table.WriteTo(output);
            output.WriteLine($"   (solver: {ols.SolverPath}; condition estimate of the equilibrated normal matrix {ols.ConditionNumber:E2})");
            output.WriteLine();

            // 2. Longley with λ chosen by leave-one-out, standardized penalty.
            output.WriteLine("2. NIST Longley, standardized penalty, λ chosen by leave-one-out on the default grid");
            output.WriteLine();
            FitAndPrint(Settings("Longley.csv", lambda: null, standardize: true), longley, output, out _);
        }

        // 3. The synthetic set: least squares against ridge.
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant(
            $"3. Synthetic: {SyntheticRows} rows; x2 = x1 + 0.05·noise and x4 = x3 + 0.05·noise (correlation ≈ 0.999); y = x1 + x2 + 2·x3 − x4 + 0·x5 + N(0, 1); seed {Seed}"));
        output.WriteLine();
        using TrainingData synthetic = TrainingData.Read(
            CsvReader.FromStream("synthetic.csv", new MemoryStream(SyntheticCsv(), writable: false)), new ColumnSelection(["y"], null, null), true, false, false, 1, null);
        FitSettings olsSettings = Settings("synthetic.csv", lambda: 0, standardize: false);
        RidgeModel leastSquares = FitCommand.FitModel(olsSettings, synthetic, FitCommand.Options(olsSettings, 0));
        FitSettings ridgeSettings = Settings("synthetic.csv", lambda: null, standardize: false);
        FitOutcome ridge = FitAndPrint(ridgeSettings, synthetic, output, out bool searched);
        output.WriteLine();
        double[] plain = [.. Enumerable.Range(0, s_truth.Length).Select(j => leastSquares.GetCoefficient(j))];
        double[] atMin = ridge.Model.Coefficients[0];
        double[]? atOneSe = null;
        double oneSe = ridge.Model.Search?.Lambda1se[0] ?? double.NaN;
        if (ridge.Trace is { } path && path.Lambdas.IndexOf(oneSe) is int i1 and >= 0)
        {
            atOneSe = [.. Enumerable.Range(0, s_truth.Length).Select(j => path.GetCoefficient(i1, j, 0))];
        }

        string[] header = ["", "truth", "least squares", $"ridge λ_min = {TextTable.Short(ridge.Model.Lambda[0])}", .. atOneSe is null ? Array.Empty<string>() : [$"ridge λ_1se = {TextTable.Short(oneSe)}"]];
        var compare = new TextTable(header);
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        void Row(string name, string truth, Func<double[], double> pick)
            => compare.Add([name, truth, F(pick(plain)), F(pick(atMin)), .. atOneSe is null ? Array.Empty<string>() : [F(pick(atOneSe))]]);
        for (int j = 0; j < s_truth.Length; j++)
        {
            int jj = j;
            Row(synthetic.FeatureNames[j], TextTable.Short(s_truth[j]), c => c[jj]);
        }

        Row("x1 + x2", "2", c => c[0] + c[1]);
        Row("x3 + x4", "1", c => c[2] + c[3]);
        output.WriteLine("Least squares against ridge: the twins' sums are identified either way; how each sum is split between the twins is");
        output.WriteLine("not, and ridge shares it out evenly as λ grows (λ_1se: the largest λ within one standard error of the best score).");
        compare.WriteTo(output);

        RidgeTracePoints trace = RidgeTracePoints.Compute(synthetic, ridgeSettings, ridge);
        byte[] svg = SvgPlot.Render(trace, ridge.Model.Search, searched ? "ridge demo: synthetic set with correlated features" : "ridge demo: synthetic set (fixed λ)");
        AtomicFile.WriteAll(plotPath, svg);
        output.WriteLine();
        output.WriteLine($"Ridge trace{(searched ? " and leave-one-out curve" : "")} written to {plotPath}");
        return ExitCodes.Success;
    }

    private static FitSettings Settings(string name, double? lambda, bool standardize) => new()
    {
        Data = name,
        Targets = ["y"],
        Lambda = lambda,
        Loo = lambda is null,
        Standardize = standardize,
    };

    /// <summary>λ by leave-one-out when this build has it; otherwise a fixed λ = 1, said so plainly.</summary>
    private static FitOutcome FitAndPrint(FitSettings settings, TrainingData data, TextWriter output, out bool searched)
    {
        FitOutcome outcome;
        try
        {
            outcome = Search.Fit(settings, data);
            searched = true;
        }
        catch (UsageException e) when (e.Message.Contains("not available in this build", StringComparison.Ordinal))
        {
            output.WriteLine("   (λ search is not available in this build: using a fixed λ = 1 instead)");
            settings = new FitSettings { Data = settings.Data, Targets = settings.Targets, Lambda = 1, Standardize = settings.Standardize };
            RidgeModel model = FitCommand.FitModel(settings, data, FitCommand.Options(settings, 1));
            outcome = new FitOutcome
            {
                Model = FitCommand.ToModelFile(model, data, settings, "squared", null),
                DegreesOfFreedom = model.EffectiveDegreesOfFreedom.ToArray(),
                Conditions = model.ConditionNumbers.ToArray(),
                LambdaSource = "fixed",
            };
            searched = false;
        }

        FitCommand.Print(outcome, data, settings, output);
        return outcome;
    }

    private static string Digits(double value, double certified)
    {
        double error = Math.Abs(value - certified);
        double lre = error == 0 ? 15 : Math.Min(15, -Math.Log10(error / Math.Abs(certified)));
        return lre.ToString("F1", CultureInfo.InvariantCulture);
    }

    private static CsvReader Embedded(string name) => CsvReader.FromStream(name, Resource(name));

    private static Stream Resource(string name)
        => Assembly.GetExecutingAssembly().GetManifestResourceStream("RidgeCore.Cli.Data." + name)
           ?? throw new InvalidOperationException($"embedded resource {name} is missing from this build.");

    private static double[] CertifiedLongley()
    {
        using Stream stream = Resource("Longley.json");
        using JsonDocument json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("certified").GetProperty("coefficients").EnumerateArray()
            .Select(e => double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture))];
    }

    /// <summary>The synthetic data set as CSV text (so it goes through the same reader as a user's file).</summary>
    private static byte[] SyntheticCsv()
    {
        var rng = new Random(Seed);
        var text = new StringBuilder("x1,x2,x3,x4,x5,y\n");
        for (int i = 0; i < SyntheticRows; i++)
        {
            double x1 = Gaussian(rng), x3 = Gaussian(rng);
            double[] x = [x1, x1 + (0.05 * Gaussian(rng)), x3, x3 + (0.05 * Gaussian(rng)), Gaussian(rng)];
            double y = Gaussian(rng);
            for (int j = 0; j < x.Length; j++)
            {
                y += s_truth[j] * x[j];
                text.Append(x[j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(y.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static double Gaussian(Random rng)
    {
        // Box–Muller; 1 − U avoids log(0).
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
