using System;
using System.Globalization;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>
/// <c>--loss logistic</c> and <c>--solver cg|sgd</c>: the bridge to the library's <see cref="LogisticRegression"/>
/// (Newton/IRLS), <see cref="IterativeRidge"/> (conjugate gradient) and <see cref="SgdRegressor"/>. Each target is
/// fitted on its own, at a fixed --lambda or at the λ that <see cref="IterativeSearch"/> chooses, with
/// <c>--standardize</c> done as <see cref="IterativeProblem"/> describes (the closed form's convention). Logistic
/// regression and SGD work on the rows, so they need a file that fits in memory; conjugate gradient also runs from the
/// streamed statistics when there is one target and no standardization.
/// </summary>
internal static class Iterative
{
    /// <summary>The seed of SGD's shuffling, so that a run is reproducible.</summary>
    public const int SgdSeed = 1;

    public static FitOutcome FitLogistic(FitSettings s, TrainingData data)
    {
        if (s.Solver is not ("auto" or "sgd"))
        {
            throw new UsageException($"--solver {s.Solver} solves the squared loss; logistic regression uses Newton/IRLS (auto) or sgd.");
        }

        IterativeSolver solver = s.Solver == "sgd" ? IterativeSolver.LogisticSgd : IterativeSolver.Newton;
        RequireRows(s, data, "--loss logistic");
        return s.Lambda is { } lambda ? FitFixed(s, data, solver, lambda) : IterativeSearch.Fit(s, data, solver);
    }

    public static FitOutcome FitSquared(FitSettings s, TrainingData data)
    {
        IterativeSolver solver = s.Solver == "cg" ? IterativeSolver.ConjugateGradient : IterativeSolver.Sgd;
        if (solver == IterativeSolver.Sgd)
        {
            RequireRows(s, data, "--solver sgd");
        }
        else if (!data.InMemory)
        {
            CheckStreamable(s, data);   // before a λ search spends its time
        }

        return s.Lambda is { } lambda ? FitFixed(s, data, solver, lambda) : IterativeSearch.Fit(s, data, solver);
    }

    /// <summary>The solver's name in the model file.</summary>
    public static string SolverName(IterativeSolver solver) => solver switch
    {
        IterativeSolver.Newton => "newton-irls",
        IterativeSolver.ConjugateGradient => "cg",
        _ => "sgd",
    };

    /// <summary>The loss of a solver, as the model file names it.</summary>
    public static string LossName(IterativeSolver solver) => solver is IterativeSolver.Newton or IterativeSolver.LogisticSgd ? "logistic" : "squared";

    private static string Method(IterativeSolver solver) => solver switch
    {
        IterativeSolver.Newton => "Newton/IRLS",
        IterativeSolver.ConjugateGradient => "conjugate gradient",
        _ => "sgd",
    };

    private static FitOutcome FitFixed(FitSettings s, TrainingData data, IterativeSolver solver, double lambda)
    {
        int t = data.T;
        var coefficients = new double[t][];
        var intercepts = new double[t];
        var notes = new string[t];
        double[] lambdas = [.. Enumerable.Repeat(lambda, t)];
        FitAll(s, data, solver, lambdas, coefficients, intercepts, notes);

        // A logistic model's trace is its own path (the squared-loss trace of the statistics would be another model's).
        RidgeTracePoints? points = s.PlotPath is not null && LossName(solver) == "logistic"
            ? IterativeSearch.LogisticTrace(s, data, solver, IterativeSearch.LogisticTraceGrid(s, data, lambda), lambda)
            : null;
        return Outcome(s, data, solver, lambdas, coefficients, intercepts, string.Join(Environment.NewLine, notes), search: null, "given", tracePoints: points);
    }

    /// <summary>Fits every target at its λ on all the data: from the rows when they are in memory, else (conjugate
    /// gradient, one target, no standardization) from the streamed statistics.</summary>
    public static void FitAll(
        FitSettings s, TrainingData data, IterativeSolver solver, double[] lambdas, double[][] coefficients, double[] intercepts, string[] notes)
    {
        for (int k = 0; k < data.T; k++)
        {
            try
            {
                IterativeFitResult result;
                if (data.InMemory)
                {
                    int n = checked((int)data.Rows);
                    IterativeFit fit = IterativeProblem.Create(data.X!, n, data.P, Column(data, k), data.W, s.Standardize, s.FitIntercept)
                        .Fit(solver, lambdas[k], s.FitIntercept, shuffle: s.SgdShuffle);
                    coefficients[k] = fit.Coefficients;
                    intercepts[k] = fit.Intercept;
                    result = fit.Result;
                }
                else
                {
                    result = StreamedConjugateGradient(s, data, lambdas[k]);
                    coefficients[k] = result.Coefficients.ToArray();
                    intercepts[k] = result.Intercept;
                }

                notes[k] = Describe(data.TargetNames[k], Method(solver), result);
            }
            catch (Exception e) when (e is ArithmeticException)
            {
                throw FitCommand.Numerical(e);
            }
        }
    }

    /// <summary>Conjugate gradient from the statistics of a file too large for memory.</summary>
    private static IterativeFitResult StreamedConjugateGradient(FitSettings s, TrainingData data, double lambda)
    {
        CheckStreamable(s, data);
        return IterativeRidge.ConjugateGradient(data.Statistics, new IterativeRidgeOptions { Lambda = lambda, FitIntercept = s.FitIntercept });
    }

    /// <summary>Conjugate gradient runs from the statistics for one target without standardization only.</summary>
    private static void CheckStreamable(FitSettings s, TrainingData data)
    {
        if (data.T != 1)
        {
            throw new UsageException($"--solver cg with several targets needs the rows in memory, but {s.Data} has more than {s.InMemoryLimit} values; fit one target at a time, or use --solver auto.");
        }

        if (s.Standardize)
        {
            throw new UsageException(
                $"--solver cg --standardize needs the rows in memory, but {s.Data} has more than {s.InMemoryLimit} values; use --solver auto or cholesky (they standardize from the streamed statistics).");
        }
    }

    /// <summary>SGD as the CLI runs it: the adaptive schedule (η₀ = 0.01 until the epoch loss stalls, then η/5) and a
    /// tight tolerance, so the run goes on until the loss settles. Measured on a small well-scaled problem, this reached
    /// the closed form to 3 digits where scikit-learn's defaults (inverse scaling, tolerance 10⁻³) and Polyak averaging
    /// from the first step stopped 10 % short.</summary>
    /// <remarks>Batches of 32 rows (the library's default), or all the rows of a smaller training set.</remarks>
    public static SgdRegressor Sgd(double lambda, bool fitIntercept, SgdLoss loss, double learningRate, int rows, SgdShuffle shuffle = SgdShuffle.Rows)
        => new(new SgdOptions
        {
            Shuffle = shuffle,
            WeightNormalization = SgdWeightNormalization.MeanWeight, // converges to the weighted closed form in every order
            BatchSize = Math.Clamp(rows, 1, 32),
            LearningRate = learningRate,
            Lambda = lambda,
            FitIntercept = fitIntercept,
            Loss = loss,
            Seed = SgdSeed,
            Average = false,
            Schedule = LearningRateSchedule.Adaptive,
            Tolerance = 1e-6,
        });

    /// <summary>SGD's η₀: 0.01 (for well-scaled features, see <see cref="Sgd"/>), capped at 1/(4λ) so that the L2 step's
    /// decay factor 1 − 2ηλ stays at least ½ (it must stay positive: the large λ of a search grid would otherwise make
    /// the first step diverge).</summary>
    public static double SgdLearningRate(double lambda) => lambda > 0 ? Math.Min(0.01, 0.25 / lambda) : 0.01;

    /// <summary>Logistic regression and SGD read the rows: a file too large to keep in memory is a usage error.</summary>
    public static void RequireRows(FitSettings s, TrainingData data, string what)
    {
        if (!data.InMemory)
        {
            throw new UsageException($"{what} needs the rows in memory, but {s.Data} has more than {s.InMemoryLimit} values.");
        }
    }

    /// <summary>Target k of the in-memory data, as its own array.</summary>
    public static double[] Column(TrainingData data, int k)
    {
        int n = checked((int)data.Rows);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = data.Y![(i * data.T) + k];
        }

        return y;
    }

    private static string Describe(string target, string method, IterativeFitResult fit)
        => string.Create(CultureInfo.InvariantCulture,
            $"{target}: {method}, {fit.Iterations} iteration{(fit.Iterations == 1 ? "" : "s")}, {(fit.Converged ? "converged" : "NOT converged")} ({fit.StopReason}), objective {fit.Objective:G10}");

    /// <summary>What an iterative fit produced, for printing, saving and plotting.</summary>
    public static FitOutcome Outcome(
        FitSettings s, TrainingData data, IterativeSolver solver, double[] lambdas, double[][] coefficients, double[] intercepts, string note,
        SearchRecord? search, string lambdaSource, RidgeTrace? trace = null, RidgeTracePoints? tracePoints = null, string? warning = null)
    {
        int t = data.T;
        var model = new ModelFile
        {
            Loss = LossName(solver),
            Features = data.FeatureNames,
            Targets = data.TargetNames,
            Lambda = lambdas,
            Intercept = intercepts,
            Coefficients = coefficients,
            Standardize = s.Standardize,
            FitIntercept = s.FitIntercept,
            N = data.Rows,
            WeightSum = data.Statistics.WeightSum,
            Weight = data.WeightName,
            Solver = SolverName(solver),
            Search = search,
        };
        return new FitOutcome
        {
            Model = model,
            DegreesOfFreedom = [.. Enumerable.Repeat(double.NaN, t)],
            Conditions = [.. Enumerable.Repeat(double.NaN, t)],
            LambdaSource = lambdaSource,
            Note = note,
            Trace = trace,
            TracePoints = tracePoints,
            Warning = warning,
        };
    }
}
