using System;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>
/// The ridge trace of one target: every coefficient along a log-spaced λ grid, in standardized units θⱼ·sⱼ (sⱼ the
/// feature's weighted standard deviation) so that features measured in different units share one axis. Computed by
/// refits from the accumulated statistics (one p × p Cholesky per λ: cheap next to reading the data).
/// </summary>
internal sealed class RidgeTracePoints
{
    public required string Target { get; init; }

    public required string[] Features { get; init; }

    /// <summary>The λ grid, increasing, all positive.</summary>
    public required double[] Lambdas { get; init; }

    /// <summary>Values[j][i]: feature j at Lambdas[i] (NaN where the refit failed).</summary>
    public required double[][] Values { get; init; }

    /// <summary>The λ of the fitted model (NaN or 0: not drawn on a log axis).</summary>
    public double Chosen { get; init; }

    /// <summary>Whether the values are standardized coefficients.</summary>
    public bool Standardized { get; init; } = true;

    public static RidgeTracePoints Compute(TrainingData data, FitSettings s, FitOutcome outcome)
    {
        double chosen = outcome.Model.Lambda[0];
        if (outcome.TracePoints is { } own)
        {
            return own;
        }

        if (outcome.Trace is { } searched)
        {
            return FromTrace(data, searched, chosen);
        }

        double[] grid = DefaultTraceGrid(data, s, chosen);
        try
        {
            // The whole path from one eigendecomposition of the statistics.
            RidgeOptions options = FitCommand.Options(s, 1.0);
            return FromTrace(data, RidgeTrace.Compute(data.Statistics, grid, options), chosen);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return Along(data, s, grid, chosen, target: 0);   // refits, leaving gaps where a λ is too small
        }
    }

    /// <summary>Target 0 of a library <see cref="RidgeTrace"/>, standardized and sorted by λ.</summary>
    private static RidgeTracePoints FromTrace(TrainingData data, RidgeTrace trace, double chosen)
    {
        double[] sd = StandardDeviations(data.Statistics);
        int[] order = [.. Enumerable.Range(0, trace.Lambdas.Length).Where(i => trace.Lambdas[i] > 0).OrderBy(i => trace.Lambdas[i])];
        double[] lambdas = [.. order.Select(i => trace.Lambdas[i])];
        var values = new double[data.P][];
        for (int j = 0; j < data.P; j++)
        {
            values[j] = [.. order.Select(i => trace.GetCoefficient(i, j, 0) * sd[j])];
        }

        return new RidgeTracePoints
        {
            Target = data.TargetNames[0],
            Features = data.FeatureNames,
            Lambdas = lambdas,
            Values = values,
            Chosen = chosen,
        };
    }

    /// <summary>Coefficients of target <paramref name="target"/> along <paramref name="grid"/>, from statistics.</summary>
    public static RidgeTracePoints Along(TrainingData data, FitSettings s, double[] grid, double chosen, int target)
    {
        int p = data.P;
        double[] sd = StandardDeviations(data.Statistics);
        var values = new double[p][];
        for (int j = 0; j < p; j++)
        {
            values[j] = new double[grid.Length];
        }

        using var solver = new RidgeSolver(p, data.T);
        RidgeOptions options = FitCommand.Options(s, 1.0);
        options.Factorization = RidgeFactorization.Auto;
        for (int i = 0; i < grid.Length; i++)
        {
            options.Lambda = grid[i];
            bool ok;
            try
            {
                solver.Fit(data.Statistics, options);
                ok = true;
            }
            catch (Exception e) when (e is SingularMatrixException or IllConditionedException or NotPositiveDefiniteException)
            {
                ok = false;   // this λ is too small for the statistics alone: leave a gap in the trace
            }

            ReadOnlySpan<double> theta = ok ? solver.Coefficients : default;
            for (int j = 0; j < p; j++)
            {
                values[j][i] = ok ? theta[(j * data.T) + target] * sd[j] : double.NaN;
            }
        }

        return new RidgeTracePoints
        {
            Target = data.TargetNames[target],
            Features = data.FeatureNames,
            Lambdas = grid,
            Values = values,
            Chosen = chosen,
        };
    }

    /// <summary>sⱼ = √(Cxx_jj / Σw): the weighted standard deviation (root mean square without an intercept).</summary>
    public static double[] StandardDeviations(GramAccumulator statistics)
    {
        int p = statistics.Features;
        var cxx = new double[p * p];
        statistics.CopyCxx(cxx);
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            sd[j] = Math.Sqrt(Math.Max(cxx[(j * p) + j], 0) / statistics.WeightSum);
        }

        return sd;
    }

    /// <summary>
    /// 80 log-spaced λ covering the whole shrinkage path. Feature j is shrunk by about half when Σw·λ equals its
    /// centered sum of squares, that is λ ≈ sⱼ² (λ ≈ 1 for every feature with a standardized penalty), so the grid runs
    /// from 10⁻⁶·min sⱼ² (next to least squares) to 10³·max sⱼ² (every coefficient near 0), widened to keep the
    /// chosen λ a decade inside.
    /// </summary>
    private static double[] DefaultTraceGrid(TrainingData data, FitSettings s, double chosen)
    {
        double vMin = 1, vMax = 1;
        if (!s.Standardize)
        {
            double[] variances = [.. StandardDeviations(data.Statistics).Select(x => x * x).Where(v => v > 0 && double.IsFinite(v))];
            if (variances.Length > 0)
            {
                vMin = variances.Min();
                vMax = variances.Max();
            }
        }

        double lo = Math.Log10(vMin) - 6, hi = Math.Log10(vMax) + 3;
        if (chosen > 0)
        {
            lo = Math.Min(lo, Math.Log10(chosen) - 1);
            hi = Math.Max(hi, Math.Log10(chosen) + 1);
        }

        const int points = 80;
        return [.. Enumerable.Range(0, points).Select(i => Math.Pow(10, lo + ((hi - lo) * i / (points - 1))))];
    }
}
