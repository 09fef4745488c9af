using System;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>λ selection for <c>ridge fit</c> (leave-one-out, GCV, K-fold) through the library's <see cref="RidgeCV"/>.</summary>
/// <remarks>
/// Leave-one-out and K-fold need the rows themselves, so they run on files that fit in memory; GCV runs from the
/// statistics alone. Without a method (no --lambda), the default is leave-one-out, or GCV from the statistics for a
/// file too large to keep in memory (said so in the output). K-fold assigns rows to folds with a fixed seed (1), so a
/// run is reproducible. The grid is --lambdas, or <see cref="RidgeCV.DefaultLambdaGrid(GramAccumulator, RidgeOptions)"/>.
/// </remarks>
internal static class Search
{
    /// <summary>The seed of the K-fold assignment.</summary>
    public const int FoldSeed = 1;

    public static FitOutcome Fit(FitSettings s, TrainingData data)
    {
        RidgeOptions options = FitCommand.Options(s, 1.0);
        bool explicitMethod = s.Loo || s.Gcv || s.Folds is not null;
        string method = s.Gcv ? "gcv" : s.Folds is { } k ? $"cv{k}" : "loo";
        string? note = null, warning = null;
        if (!data.InMemory && method != "gcv")
        {
            if (explicitMethod)
            {
                throw new UsageException(
                    $"{(method == "loo" ? "--loo" : "--cv")} needs the rows in memory, but {s.Data} has more than {s.InMemoryLimit} values; use --gcv (from the streamed statistics) or a fixed --lambda.");
            }

            method = "gcv";
            warning = $"{s.Data} has more than {s.InMemoryLimit} values, too many to keep in memory for leave-one-out (or K-fold): λ is chosen by GCV from the streamed statistics instead. Use --gcv to ask for that explicitly, or --lambda L.";
            note = $"(The file has more than {s.InMemoryLimit} values, too many to keep in memory for leave-one-out: λ is chosen by GCV from the streamed statistics.)";
        }

        if (s.Folds is { } folds && folds > data.PositiveRows)
        {
            throw new DataException(s.Data, data.LastLine, 0, $"too few rows for --cv {folds}: {data.PositiveRows} rows with positive weight.");
        }

        RidgeSearchResult result;
        try
        {
            double[] grid = s.Lambdas ?? RidgeCV.DefaultLambdaGrid(data.Statistics, options);
            result = Run(method, data, grid, options);
        }
        catch (Exception e) when (e is SingularMatrixException or IllConditionedException or NotPositiveDefiniteException)
        {
            throw FitCommand.Numerical(e);
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // What the library refuses here is about the data (no variation, a fold without rows).
            throw new DataException(s.Data, 0, 0, $"cannot search λ on this data: {e.Message}");
        }

        int t = data.T, count = result.Lambdas.Length;
        var scores = new double[t][];
        var errors = new double[t][];
        for (int q = 0; q < t; q++)
        {
            scores[q] = new double[count];
            errors[q] = new double[count];
            for (int i = 0; i < count; i++)
            {
                scores[q][i] = result.GetScore(i, q);
                errors[q][i] = result.StandardErrors[(i * t) + q];
            }
        }

        var record = new SearchRecord(
            method, "mean squared error", result.Lambdas.ToArray(), scores, errors, result.BestLambdas.ToArray(), result.OneStandardErrorLambdas.ToArray());
        RidgeModel model = result.Model;
        return new FitOutcome
        {
            Model = FitCommand.ToModelFile(model, data, s, "squared", record),
            DegreesOfFreedom = model.EffectiveDegreesOfFreedom.ToArray(),
            Conditions = model.ConditionNumbers.ToArray(),
            LambdaSource = $"chosen by {FitCommand.MethodName(method)}: λ_min",
            Trace = result.Trace,
            Note = note,
            Warning = warning,
        };
    }

    private static RidgeSearchResult Run(string method, TrainingData data, double[] grid, RidgeOptions options)
    {
        if (method == "gcv" && !data.InMemory)
        {
            return RidgeCV.Gcv(data.Statistics, grid, options);
        }

        int n = checked((int)data.Rows);
        var x = new MatrixView<double>(data.X, n, data.P);
        var y = new MatrixView<double>(data.Y, n, data.T);
        double[]? w = data.W;
        return method switch
        {
            "gcv" => w is null ? RidgeCV.Gcv(x, y, grid, options) : RidgeCV.Gcv(x, y, grid, options, w),
            "loo" => w is null ? RidgeCV.LeaveOneOut(x, y, grid, options) : RidgeCV.LeaveOneOut(x, y, grid, options, w),
            _ => w is null
                ? RidgeCV.KFold(x, y, grid, options, int.Parse(method.AsSpan(2), provider: null), FoldSeed)
                : RidgeCV.KFold(x, y, grid, options, int.Parse(method.AsSpan(2), provider: null), FoldSeed, w),
        };
    }
}
