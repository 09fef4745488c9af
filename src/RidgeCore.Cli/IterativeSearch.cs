using System;
using System.Globalization;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>
/// Choosing λ for <c>--loss logistic</c> and <c>--solver cg|sgd</c> (no --lambda).
/// </summary>
/// <remarks>
/// <para><b>K-fold cross-validation of the fits themselves</b> (the default, K = 5, or --cv K): the rows are dealt to
/// folds exactly as <see cref="RidgeCV.KFold(MatrixView{double}, MatrixView{double}, ReadOnlySpan{double}, RidgeOptions, int, int)"/>
/// deals them (<see cref="RidgeCV.AssignFolds"/>, seed <see cref="Search.FoldSeed"/>), so the closed form and the
/// iterative solvers are scored on the same folds. Each training set is fitted exactly as the whole file would be
/// (standardized with its own sⱼ) at every λ of the grid, and scored on its held-out fold with the loss's own
/// deviance: the weighted mean squared error for the squared loss, the weighted mean log-loss
/// −[y log p + (1 − y) log(1 − p)] for the logistic loss. As in <see cref="RidgeCV"/> (glmnet's convention), the
/// score is the mean of the fold scores weighted by each fold's Σw, its standard error √(weighted variance / (K − 1)),
/// λ_min the first grid value with the smallest score and λ_1se the largest λ whose score is within one standard
/// error of it; the model is refitted on all rows at λ_min (per target).</para>
/// <para><b>Leave-one-out and GCV</b> have exact closed forms for the squared loss only. With --solver cg|sgd they
/// score the grid through <see cref="RidgeCV"/> (the objective is the one these solvers minimize) and the solver then
/// fits at λ_min; for a file too large for memory, conjugate gradient's default is GCV from the statistics, as for the
/// closed form. For the logistic loss they would need an approximation, so they are a usage error.</para>
/// <para><b>Default grids.</b> Squared loss: <see cref="RidgeCV.DefaultLambdaGrid(GramAccumulator, RidgeOptions)"/>.
/// Logistic loss: <see cref="LogisticGridSize"/> values log-spaced from λ_max down to
/// <see cref="LogisticGridRatio"/>·λ_max, see <see cref="LogisticLambdaMax"/>.</para>
/// </remarks>
internal static class IterativeSearch
{
    /// <summary>K when λ is searched without --cv.</summary>
    public const int DefaultFolds = 5;

    /// <summary>The number of λ in the default logistic grid.</summary>
    public const int LogisticGridSize = 30;

    /// <summary>The smallest λ of the default logistic grid, relative to λ_max.</summary>
    public const double LogisticGridRatio = 1e-4;

    /// <summary>
    /// Newton's gradient tolerance for the fits that only score a fold (the final fit keeps the library's 10⁻¹⁰). A
    /// gradient of 10⁻⁸ moves the held-out log-loss by about 10⁻⁸ (far below its standard error), and it keeps the
    /// fold fits clear of a stall seen at 10⁻¹⁰ on larger sets: at n = 16 000, p = 10 some fits ran all 100 Newton
    /// iterations because the line search could no longer resolve the objective's decrease (a 40 s search became 3 s).
    /// </summary>
    public const double FoldNewtonTolerance = 1e-8;

    /// <summary>At λ_max no coefficient moves the log-odds by more than this per standard deviation of its feature (to
    /// first order): glmnet's ridge convention (it computes λ_max as for α = 0.001).</summary>
    public const double NegligibleEffect = 1e-3;

    public static FitOutcome Fit(FitSettings s, TrainingData data, IterativeSolver solver)
    {
        bool logistic = Iterative.LossName(solver) == "logistic";
        if (logistic && (s.Loo || s.Gcv))
        {
            throw new UsageException(LogisticLooMessage(s));
        }

        if (s.Loo || s.Gcv || (!data.InMemory && s.Folds is null))
        {
            return ClosedFormScored(s, data, solver);
        }

        if (!data.InMemory)
        {
            throw new UsageException(
                $"--cv with --solver {s.Solver} needs the rows in memory, but {s.Data} has more than {s.InMemoryLimit} values; use --gcv (from the streamed statistics) or a fixed --lambda.");
        }

        return KFold(s, data, solver, logistic);
    }

    /// <summary>The usage error for --loo or --gcv with the logistic loss.</summary>
    public static string LogisticLooMessage(FitSettings s)
        => $"{(s.Loo ? "--loo" : "--gcv")} has an exact closed form for the squared loss only; --loss logistic chooses λ by K-fold cross-validation: use --cv K (or leave the method out for {DefaultFolds}-fold).";

    /// <summary>cg/sgd with --loo or --gcv: the closed form scores the grid, the solver fits at λ_min.</summary>
    private static FitOutcome ClosedFormScored(FitSettings s, TrainingData data, IterativeSolver solver)
    {
        FitOutcome scored = Search.Fit(s, data);
        SearchRecord search = scored.Model.Search!;
        double[] lambdas = scored.Model.Lambda;
        int t = data.T;
        var coefficients = new double[t][];
        var intercepts = new double[t];
        var notes = new string[t];
        Iterative.FitAll(s, data, solver, lambdas, coefficients, intercepts, notes);
        string note = string.Join(Environment.NewLine, [
            .. scored.Note is null ? Array.Empty<string>() : [scored.Note],
            $"(The {FitCommand.MethodName(search.Method)} scores are those of the exact minimizer of the same objective, from the closed form; {Iterative.SolverName(solver)} then fits at λ_min.)",
            .. notes]);
        return Iterative.Outcome(s, data, solver, lambdas, coefficients, intercepts, note, search, scored.LambdaSource, trace: scored.Trace, warning: scored.Warning);
    }

    private static FitOutcome KFold(FitSettings s, TrainingData data, IterativeSolver solver, bool logistic)
    {
        int n = checked((int)data.Rows), p = data.P, t = data.T;
        int folds = s.Folds ?? DefaultFolds;
        if (folds > data.PositiveRows)
        {
            throw new DataException(s.Data, data.LastLine, 0, $"too few rows for --cv {folds}: {data.PositiveRows} rows with positive weight.");
        }

        double[] grid = s.Lambdas ?? DefaultGrid(s, data, logistic);
        int count = grid.Length;
        int[] foldOf = RidgeCV.AssignFolds(n, folds, Search.FoldSeed);
        double[] x = data.X!;
        double[]? w = data.W;
        double[][] targets = [.. Enumerable.Range(0, t).Select(k => Iterative.Column(data, k))];

        // scores[k][f][l]: target k, fold f, λ index l; foldWeight[f]: the held-out Σw.
        var foldScores = new double[t][][];
        for (int k = 0; k < t; k++)
        {
            foldScores[k] = new double[folds][];
        }

        var foldWeight = new double[folds];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            foldWeight[foldOf[i]] += w?[i] ?? 1;
            total += w?[i] ?? 1;
        }

        for (int f = 0; f < folds; f++)
        {
            if (!(foldWeight[f] > 0) || !(total - foldWeight[f] > 0))
            {
                throw new DataException(s.Data, 0, 0, $"cannot search λ by {folds}-fold cross-validation: fold {f} {(foldWeight[f] > 0 ? "holds all the weight, so its training set is empty" : "has no rows of positive weight")}.");
            }

            int[] train = [.. Enumerable.Range(0, n).Where(i => foldOf[i] != f)];
            int[] held = [.. Enumerable.Range(0, n).Where(i => foldOf[i] == f)];
            double[] xTrain = Gather(x, p, train);
            double[]? wTrain = w is null ? null : Gather(w, 1, train);
            for (int k = 0; k < t; k++)
            {
                double[] y = targets[k];
                IterativeProblem problem = IterativeProblem.Create(xTrain, train.Length, p, Gather(y, 1, train), wTrain, s.Standardize, s.FitIntercept);
                double[]? warm = null;
                var scores = foldScores[k][f] = new double[count];
                for (int l = 0; l < count; l++)
                {
                    IterativeFit fit = Guard(s, () => problem.Fit(solver, grid[l], s.FitIntercept, warm, FoldNewtonTolerance, s.SgdShuffle));
                    warm = solver == IterativeSolver.ConjugateGradient ? fit.ScaledCoefficients : null;   // warm start along the path
                    scores[l] = HeldOutLoss(logistic, fit, x, p, y, w, held) / foldWeight[f];
                }
            }
        }

        var means = new double[t][];
        var errors = new double[t][];
        var best = new double[t];
        var oneSe = new double[t];
        for (int k = 0; k < t; k++)
        {
            means[k] = new double[count];
            errors[k] = new double[count];
            for (int l = 0; l < count; l++)
            {
                double mean = 0, variance = 0;
                for (int f = 0; f < folds; f++)
                {
                    mean += foldWeight[f] * foldScores[k][f][l];
                }

                mean /= total;
                for (int f = 0; f < folds; f++)
                {
                    double d = foldScores[k][f][l] - mean;
                    variance += foldWeight[f] * d * d;
                }

                means[k][l] = mean;
                errors[k][l] = Math.Sqrt(variance / total / (folds - 1));
            }

            (best[k], oneSe[k]) = Choose(grid, means[k], errors[k], s, data.TargetNames[k]);
        }

        var coefficients = new double[t][];
        var intercepts = new double[t];
        var notes = new string[t];
        Iterative.FitAll(s, data, solver, best, coefficients, intercepts, notes);
        var search = new SearchRecord($"cv{folds}", logistic ? "log-loss" : "mean squared error", grid, means, errors, best, oneSe);
        string method = FitCommand.MethodName(search.Method);
        string note = string.Join(Environment.NewLine, [
            $"(λ chosen by {method} of the {Iterative.SolverName(solver)} fits themselves, folds dealt by seed {Search.FoldSeed}; score: held-out {search.Score}.)",
            .. notes]);

        // The plot's trace: the closed-form path for the squared loss (the objective cg and sgd minimize), the logistic
        // fits along the grid for the logistic loss.
        RidgeTrace? trace = null;
        RidgeTracePoints? points = null;
        if (s.PlotPath is not null)
        {
            if (logistic)
            {
                points = LogisticTrace(s, data, solver, grid, best[0]);
            }
            else
            {
                trace = Guard(s, () => RidgeTrace.Compute(data.Statistics, grid, FitCommand.Options(s, 1.0)));
            }
        }

        return Iterative.Outcome(s, data, solver, best, coefficients, intercepts, note, search, $"chosen by {method}: λ_min", trace, points);
    }

    /// <summary>λ_min (the first grid value with the smallest score) and λ_1se (the largest λ within one standard error
    /// of it).</summary>
    private static (double Best, double OneSe) Choose(double[] grid, double[] scores, double[] errors, FitSettings s, string target)
    {
        int at = -1;
        for (int l = 0; l < grid.Length; l++)
        {
            if (double.IsNaN(scores[l]))
            {
                throw new DataException(s.Data, 0, 0, $"cannot search λ on this data: the cross-validation score of λ = {grid[l].ToString("G17", CultureInfo.InvariantCulture)} for target '{target}' is NaN.");
            }

            if (at < 0 || scores[l] < scores[at])
            {
                at = l;
            }
        }

        double limit = scores[at] + errors[at];
        double oneSe = grid[at];
        for (int l = 0; l < grid.Length; l++)
        {
            if (scores[l] <= limit && grid[l] > oneSe)
            {
                oneSe = grid[l];
            }
        }

        return (grid[at], oneSe);
    }

    /// <summary>Σ wᵢℓᵢ over the held-out rows, with the model's coefficients on the original scale.</summary>
    private static double HeldOutLoss(bool logistic, IterativeFit fit, double[] x, int p, double[] y, double[]? w, int[] held)
    {
        double sum = 0;
        ReadOnlySpan<double> theta = fit.Coefficients;
        foreach (int i in held)
        {
            double margin = fit.Intercept + VectorPrimitives.Dot(x.AsSpan(i * p, p), theta);
            double loss;
            if (logistic)
            {
                // −[y log σ(m) + (1 − y) log(1 − σ(m))] = log(1 + e^m) − y·m, evaluated without overflow.
                double softplus = margin > 0 ? margin + Math.Log(1 + Math.Exp(-margin)) : Math.Log(1 + Math.Exp(margin));
                loss = softplus - (y[i] * margin);
            }
            else
            {
                double r = y[i] - margin;
                loss = r * r;
            }

            sum += (w?[i] ?? 1) * loss;
        }

        return sum;
    }

    private static double[] Gather(double[] source, int width, int[] rows)
    {
        var result = new double[rows.Length * width];
        for (int r = 0; r < rows.Length; r++)
        {
            Array.Copy(source, rows[r] * width, result, r * width, width);
        }

        return result;
    }

    /// <summary>The grid when none is given: the closed form's for the squared loss, the logistic grid otherwise.</summary>
    private static double[] DefaultGrid(FitSettings s, TrainingData data, bool logistic)
    {
        if (!logistic)
        {
            return Guard(s, () => RidgeCV.DefaultLambdaGrid(data.Statistics, FitCommand.Options(s, 1.0)));
        }

        double lambdaMax = 0;
        for (int k = 0; k < data.T; k++)
        {
            lambdaMax = Math.Max(lambdaMax, LogisticLambdaMax(data.X!, checked((int)data.Rows), data.P, Iterative.Column(data, k), data.W, s.Standardize, s.FitIntercept));
        }

        if (!(lambdaMax > 0) || !double.IsFinite(lambdaMax))
        {
            throw new DataException(s.Data, 0, 0, "cannot choose a λ grid for logistic regression: no feature varies together with the labels (the gradient at θ = 0 is zero); give the grid with --lambdas.");
        }

        return LogGrid(lambdaMax, LogisticGridRatio * lambdaMax, LogisticGridSize);
    }

    /// <summary>
    /// λ_max of the default logistic grid. At θ = 0 (the intercept at its optimum: the weighted mean label ȳ, or ½
    /// without an intercept) the gradient of the mean log-loss is −g with gⱼ = (1/Σw)·Σᵢ wᵢ(yᵢ − ȳ)(xᵢⱼ − x̄ⱼ), and for
    /// large λ the penalized minimum is, to first order, θⱼ = gⱼ/(2λdⱼ) (dⱼ = sⱼ² with --standardize, else 1: the
    /// penalty λΣdⱼθⱼ² has gradient 2λdⱼθⱼ). λ_max is the smallest λ at which every |sⱼθⱼ|, the change of the log-odds
    /// per standard deviation of feature j, is at most <see cref="NegligibleEffect"/>:
    /// λ_max = maxⱼ sⱼ|gⱼ| / (2·dⱼ·10⁻³). With --standardize this is maxⱼ |x̃ⱼᵀW(y − ȳ)| / (2·Σw·10⁻³), x̃ⱼ the
    /// centered, scaled column: glmnet's λ_max for ridge (α = 0.001), halved because glmnet's penalty is λ/2·‖θ‖².
    /// </summary>
    public static double LogisticLambdaMax(double[] x, int n, int p, double[] y, double[]? w, bool standardize, bool fitIntercept)
    {
        double[] sd = IterativeProblem.StandardDeviations(x, n, p, w, fitIntercept, out bool[] constant);
        double total = 0, ySum = 0;
        var xSum = new double[p];
        for (int i = 0; i < n; i++)
        {
            double wi = w?[i] ?? 1;
            total += wi;
            ySum += wi * y[i];
            for (int j = 0; j < p; j++)
            {
                xSum[j] += wi * x[(i * p) + j];
            }
        }

        double yBar = fitIntercept ? ySum / total : 0.5;
        var g = new double[p];
        for (int i = 0; i < n; i++)
        {
            double r = (w?[i] ?? 1) * (y[i] - yBar);
            for (int j = 0; j < p; j++)
            {
                g[j] += r * (x[(i * p) + j] - (fitIntercept ? xSum[j] / total : 0));
            }
        }

        double largest = 0;
        for (int j = 0; j < p; j++)
        {
            if (standardize && constant[j])
            {
                continue;   // left out of the fit (coefficient 0)
            }

            double d = standardize ? sd[j] * sd[j] : 1;
            if (d > 0)
            {
                largest = Math.Max(largest, sd[j] * Math.Abs(g[j] / total) / (2 * d));
            }
        }

        return largest / NegligibleEffect;
    }

    /// <summary>count values log-spaced from high down to low (largest first).</summary>
    public static double[] LogGrid(double high, double low, int count)
    {
        double a = Math.Log(high), b = Math.Log(low);
        var grid = new double[count];
        for (int i = 0; i < count; i++)
        {
            grid[i] = i == 0 ? high : i == count - 1 ? low : Math.Exp(a + ((b - a) * i / (count - 1)));
        }

        return grid;
    }

    /// <summary>The logistic coefficients of target 0 on all rows along a grid, standardized (θⱼ·sⱼ) for the plot.</summary>
    public static RidgeTracePoints LogisticTrace(FitSettings s, TrainingData data, IterativeSolver solver, double[] grid, double chosen)
    {
        int n = checked((int)data.Rows), p = data.P;
        IterativeProblem problem = IterativeProblem.Create(data.X!, n, p, Iterative.Column(data, 0), data.W, s.Standardize, s.FitIntercept);
        double[] sd = IterativeProblem.StandardDeviations(data.X!, n, p, data.W, s.FitIntercept, out _);
        double[] lambdas = [.. grid.Where(l => l > 0).Distinct().Order()];
        var values = new double[p][];
        for (int j = 0; j < p; j++)
        {
            values[j] = new double[lambdas.Length];
        }

        for (int l = 0; l < lambdas.Length; l++)
        {
            IterativeFit? fit;
            try
            {
                fit = problem.Fit(solver, lambdas[l], s.FitIntercept, shuffle: s.SgdShuffle);
            }
            catch (Exception e) when (e is ArithmeticException)
            {
                fit = null;   // leave a gap in the trace where a fit fails
            }

            for (int j = 0; j < p; j++)
            {
                values[j][l] = fit is null ? double.NaN : fit.Coefficients[j] * sd[j];
            }
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

    /// <summary>The trace grid of a logistic fit at a fixed λ: the default grid, widened to keep λ a decade inside.</summary>
    public static double[] LogisticTraceGrid(FitSettings s, TrainingData data, double chosen)
    {
        double[] grid;
        try
        {
            grid = DefaultGrid(s, data, logistic: true);
        }
        catch (DataException)
        {
            grid = [1];
        }

        double high = grid.Max(), low = grid.Min();
        if (chosen > 0)
        {
            high = Math.Max(high, chosen * 10);
            low = Math.Min(low, chosen / 10);
        }

        return LogGrid(high, low, LogisticGridSize);
    }

    /// <summary>Runs library work of the search, turning its failures into the CLI's error classes.</summary>
    private static T Guard<T>(FitSettings s, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is ArithmeticException)
        {
            throw FitCommand.Numerical(e);
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // What the library refuses here is about the data (no variation, a fold without rows).
            throw new DataException(s.Data, 0, 0, $"cannot search λ on this data: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            throw new DataException(s.Data, 0, 0, $"cannot search λ on this data: {e.Message}");
        }
    }
}
