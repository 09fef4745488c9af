using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>What a fit produced, ready to print, save and plot.</summary>
internal sealed class FitOutcome
{
    public required ModelFile Model { get; init; }

    /// <summary>Per target: effective degrees of freedom of the penalized fit (NaN when unknown).</summary>
    public required double[] DegreesOfFreedom { get; init; }

    /// <summary>Per target: the condition estimate of the factored matrix (NaN when unknown).</summary>
    public required double[] Conditions { get; init; }

    /// <summary>How λ was obtained, for the summary line.</summary>
    public required string LambdaSource { get; init; }

    /// <summary>Coefficients along the searched grid, when λ was searched.</summary>
    public RidgeTrace? Trace { get; init; }

    /// <summary>A note printed above the tables (how the search had to be done), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Something the user must hear about even with --quiet (a method replaced by another): written to stderr.</summary>
    public string? Warning { get; init; }

    /// <summary>The plot's ridge trace when the fit computed its own (logistic fits along the grid), or null.</summary>
    public RidgeTracePoints? TracePoints { get; init; }
}

/// <summary><c>ridge fit</c>: read, fit (or search λ), print, save the model, plot.</summary>
internal static class FitCommand
{
    public static int Run(FitSettings s, TextWriter stdout, TextWriter stderr)
    {
        Validate(s);
        TrainingData data;
        using (Progress? progress = s.Quiet ? null : Progress.Start("reading " + Path.GetFileName(s.Data)))
        {
            data = TrainingData.Read(
                s.Data, new ColumnSelection(s.Targets, s.Features, s.Weight), s.FitIntercept, s.Float32, s.Loss == "logistic", s.Threads, progress, s.InMemoryLimit);
        }

        using (data)
        {
            CheckRows(data, s);
            FitOutcome outcome;
            using (Progress? progress = s.Quiet ? null : Progress.Start(s.Searches ? "searching λ" : "fitting"))
            {
                progress?.Tick();
                outcome = s.Loss == "logistic" ? Iterative.FitLogistic(s, data)
                    : s.Solver is "cg" or "sgd" ? Iterative.FitSquared(s, data)
                    : s.Searches ? Search.Fit(s, data)
                    : FitFixed(s, data);
            }

            if (outcome.Warning is { } warning)
            {
                stderr.WriteLine($"ridge: warning: {warning}");
            }

            // Everything is computed before anything is written: a failure leaves no file behind.
            byte[]? modelBytes = s.ModelPath is null ? null : outcome.Model.ToJson();
            byte[]? plotBytes = null;
            if (s.PlotPath is not null)
            {
                RidgeTracePoints trace = RidgeTracePoints.Compute(data, s, outcome);
                plotBytes = SvgPlot.Render(trace, outcome.Model.Search, $"ridge fit {Path.GetFileName(s.Data)}");
            }

            // Both temporary files are written before either is renamed into place, so a directory that cannot be
            // written (say) leaves neither output behind.
            using (AtomicFile? modelFile = modelBytes is null ? null : AtomicFile.Create(s.ModelPath!))
            using (AtomicFile? plotFile = plotBytes is null ? null : AtomicFile.Create(s.PlotPath!))
            {
                modelFile?.Stream.Write(modelBytes);
                plotFile?.Stream.Write(plotBytes);
                modelFile?.Commit();
                plotFile?.Commit();
            }

            if (!s.Quiet)
            {
                Print(outcome, data, s, stdout);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Command-line combinations that cannot work (exit code 2).</summary>
    private static void Validate(FitSettings s)
    {
        int methods = (s.Loo ? 1 : 0) + (s.Gcv ? 1 : 0) + (s.Folds is null ? 0 : 1);
        if (methods > 1)
        {
            throw new UsageException("choose one of --loo, --gcv and --cv K.");
        }

        if (s.Lambda is { } lambda)
        {
            if (s.Lambdas is not null || methods > 0)
            {
                throw new UsageException("--lambda fixes λ, while --lambdas, --loo, --gcv and --cv search for it: use one or the other.");
            }

            if (!(lambda >= 0) || !double.IsFinite(lambda))
            {
                throw new UsageException($"--lambda must be finite and non-negative, got {lambda.ToString("R", CultureInfo.InvariantCulture)}.");
            }
        }

        if (s.Lambdas is { Length: 0 })
        {
            throw new UsageException("--lambdas needs at least one value.");
        }

        if (s.Shuffle is not null && s.Solver != "sgd")
        {
            throw new UsageException($"--shuffle orders SGD's rows; it needs --solver sgd (got --solver {s.Solver}).");
        }

        if (s.Folds is < 2)
        {
            throw new UsageException($"--cv K needs K ≥ 2, got {s.Folds}.");
        }

        if (s.Threads < 1)
        {
            throw new UsageException($"--threads must be at least 1, got {s.Threads}.");
        }

        if (s.Loss == "logistic" && s.Solver is "cholesky" or "qr" or "cg")
        {
            throw new UsageException($"--solver {s.Solver} solves the squared loss; logistic regression uses Newton/IRLS (auto) or sgd.");
        }

        if (s.Loss == "logistic" && (s.Loo || s.Gcv))
        {
            throw new UsageException(IterativeSearch.LogisticLooMessage(s));
        }

        if (s.ModelPath is not null && s.PlotPath is not null && Path.GetFullPath(s.ModelPath) == Path.GetFullPath(s.PlotPath))
        {
            throw new UsageException("--model and --plot name the same file.");
        }

        if (s.Targets.Distinct(StringComparer.Ordinal).Count() != s.Targets.Length)
        {
            throw new UsageException("a --target is given twice.");
        }
    }

    /// <summary>Too few rows for the fit asked for: bad data (exit code 3).</summary>
    private static void CheckRows(TrainingData data, FitSettings s)
    {
        long needed = s.FitIntercept ? 2 : 1;
        if (data.PositiveRows < needed)
        {
            throw new DataException(
                s.Data, data.LastLine, 0,
                $"too few rows: {data.PositiveRows} data row{(data.PositiveRows == 1 ? "" : "s")} with positive weight, but a fit{(s.FitIntercept ? " with an intercept" : "")} needs at least {needed}.");
        }

        if (s.Lambda == 0 && s.Loss == "squared" && data.P > data.PositiveRows - (s.FitIntercept ? 1 : 0))
        {
            throw new DataException(
                s.Data, data.LastLine, 0,
                $"too few rows for λ = 0: {data.P} features{(s.FitIntercept ? " and an intercept" : "")} cannot be determined from {data.PositiveRows} rows with positive weight; use --lambda with a positive value, or more rows.");
        }
    }

    /// <summary>Library options from the settings.</summary>
    public static RidgeOptions Options(FitSettings s, double lambda) => new()
    {
        Lambda = lambda,
        FitIntercept = s.FitIntercept,
        Standardize = s.Standardize,
        DegreeOfParallelism = s.Threads,
        Factorization = s.Solver switch
        {
            "cholesky" => RidgeFactorization.Cholesky,
            "qr" => RidgeFactorization.QR,
            _ => RidgeFactorization.Auto,
        },
    };

    /// <summary>One fit at a given λ (per target): in memory when the file was small enough (refined against the data,
    /// with the QR fallback), else from the streamed statistics.</summary>
    public static RidgeModel FitModel(FitSettings s, TrainingData data, RidgeOptions options)
    {
        if (options.Factorization == RidgeFactorization.QR && !data.InMemory)
        {
            throw new UsageException(
                $"--solver qr factors the data itself, but {s.Data} has more than {s.InMemoryLimit} values, too many to keep in memory; use --solver auto or cholesky (they stream).");
        }

        try
        {
            if (data.InMemory)
            {
                int n = checked((int)data.Rows);
                var x = new MatrixView<double>(data.X, n, data.P);
                var y = new MatrixView<double>(data.Y, n, data.T);
                return data.W is { } w ? Ridge.Fit(x, y, options, w) : Ridge.Fit(x, y, options);
            }

            return Ridge.Fit(data.Statistics, options);
        }
        catch (Exception e) when (e is SingularMatrixException or IllConditionedException or NotPositiveDefiniteException)
        {
            throw Numerical(e);
        }
    }

    /// <summary>The exit-code-4 error for a library failure, with the CLI's own suggestion.</summary>
    public static NumericalException Numerical(Exception e)
        => new($"numerical failure: {e.Message} (with ridge: --lambda L with L > 0, for example --lambda 1e-6; or drop nearly collinear columns.)", e);

    private static FitOutcome FitFixed(FitSettings s, TrainingData data)
    {
        RidgeModel model = FitModel(s, data, Options(s, s.Lambda!.Value));
        return new FitOutcome
        {
            Model = ToModelFile(model, data, s, "squared", search: null),
            DegreesOfFreedom = model.EffectiveDegreesOfFreedom.ToArray(),
            Conditions = model.ConditionNumbers.ToArray(),
            LambdaSource = "given",
        };
    }

    /// <summary>The model file of a fitted <see cref="RidgeModel"/>.</summary>
    public static ModelFile ToModelFile(RidgeModel model, TrainingData data, FitSettings s, string loss, SearchRecord? search)
    {
        int p = data.P, t = data.T;
        var coefficients = new double[t][];
        for (int k = 0; k < t; k++)
        {
            coefficients[k] = new double[p];
            for (int j = 0; j < p; j++)
            {
                coefficients[k][j] = model.GetCoefficient(j, k);
            }
        }

        string solver = string.Join(",", model.SolverPaths.ToArray().Select(PathName).Distinct());
        return new ModelFile
        {
            Loss = loss,
            Features = data.FeatureNames,
            Targets = data.TargetNames,
            Lambda = model.Lambdas.ToArray(),
            Intercept = model.Intercepts.ToArray(),
            Coefficients = coefficients,
            Standardize = s.Standardize,
            FitIntercept = s.FitIntercept,
            N = data.Rows,
            WeightSum = model.WeightSum,
            Weight = data.WeightName,
            Solver = solver,
            RSquared = model.RSquared.ToArray(),
            Search = search,
        };
    }

    private static string PathName(RidgeSolverPath path) => path switch
    {
        RidgeSolverPath.Cholesky => "cholesky",
        RidgeSolverPath.CholeskyRefined => "cholesky-refined",
        RidgeSolverPath.QR => "qr",
        _ => path.ToString().ToLowerInvariant(),
    };

    /// <summary>The tables on stdout.</summary>
    public static void Print(FitOutcome outcome, TrainingData data, FitSettings s, TextWriter output)
    {
        ModelFile m = outcome.Model;
        string weights = data.WeightName is null ? "" : FormattableString.Invariant($", weights '{data.WeightName}' (Σw = {TextTable.Number(m.WeightSum)})");
        output.WriteLine(FormattableString.Invariant(
            $"ridge fit {s.Data}: {data.Rows} rows{weights}, {data.P} feature{(data.P == 1 ? "" : "s")}, {data.T} target{(data.T == 1 ? "" : "s")}; loss {m.Loss}; {(m.FitIntercept ? "intercept" : "no intercept")}{(m.Standardize ? ", standardized penalty" : "")}; solver {m.Solver}{(data.InMemory ? "" : " (from streamed statistics)")}"));
        output.WriteLine();
        if (outcome.Note is { } note)
        {
            output.WriteLine(note);
            output.WriteLine();
        }

        if (m.Search is { } search)
        {
            SearchTable(search, m.Targets, output);
            output.WriteLine();
        }

        var table = new TextTable(["", .. m.Targets]);
        table.Add(["λ", .. m.Lambda.Select(TextTable.Short)]);
        if (m.FitIntercept)
        {
            table.Add(["(intercept)", .. m.Intercept.Select(TextTable.Number)]);
        }

        for (int j = 0; j < data.P; j++)
        {
            table.Add([m.Features[j], .. m.Coefficients.Select(c => TextTable.Number(c[j]))]);
        }

        if (m.RSquared is { } r2)
        {
            table.Add(["R² (training)", .. r2.Select(v => v.ToString("F6", CultureInfo.InvariantCulture))]);
        }

        if (outcome.DegreesOfFreedom.Any(double.IsFinite))
        {
            table.Add(["effective df", .. outcome.DegreesOfFreedom.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))]);
        }

        if (outcome.Conditions.Any(double.IsFinite))
        {
            table.Add(["condition est.", .. outcome.Conditions.Select(v => v.ToString("E2", CultureInfo.InvariantCulture))]);
        }

        output.WriteLine($"Coefficients (λ {outcome.LambdaSource}; on the original scale of the features):");
        table.WriteTo(output);
    }

    private static void SearchTable(SearchRecord search, string[] targets, TextWriter output)
    {
        output.WriteLine(FormattableString.Invariant($"λ search: {MethodName(search.Method)}, {search.Lambdas.Length} values of λ; score = {search.Score} (± one standard error); * = λ_min, + = λ_1se"));
        var header = new List<string> { "λ" };
        foreach (string t in targets)
        {
            header.Add(t);
        }

        var table = new TextTable([.. header]);
        for (int i = 0; i < search.Lambdas.Length; i++)
        {
            var row = new List<string> { TextTable.Short(search.Lambdas[i]) };
            for (int k = 0; k < targets.Length; k++)
            {
                string mark = search.Lambdas[i] == search.BestLambda[k] ? "*" : search.Lambdas[i] == search.Lambda1se[k] ? "+" : " ";
                double se = search.StdErrors[k][i];
                row.Add(FormattableString.Invariant($"{TextTable.Short(search.Scores[k][i])}{(double.IsFinite(se) ? " ± " + TextTable.Short(se) : "")} {mark}"));
            }

            table.Add([.. row]);
        }

        table.WriteTo(output);
    }

    public static string MethodName(string method) => method switch
    {
        "loo" => "leave-one-out",
        "gcv" => "generalized cross-validation",
        _ when method.StartsWith("cv", StringComparison.Ordinal) => $"{method[2..]}-fold cross-validation",
        _ => method,
    };
}
