using System;
using System.Numerics;
using RidgeCore.Iterative;

namespace RidgeCore;

/// <summary>
/// Iterative solvers for the ridge problem of <see cref="RidgeOptions"/>: full-batch gradient descent and (Jacobi-)
/// preconditioned conjugate gradient on the penalized normal equations (Cxx + Σw·λ·I)θ = Cxy, from X directly
/// (matrix-free, one fused pass over X per iteration, nothing of size n allocated) or from <see cref="GramAccumulator"/>
/// statistics (one p × p matrix-vector product per iteration), plus λ paths solved by warm-started CG or by one
/// Cholesky factorization per λ. A converged result equals the closed form of <see cref="Ridge"/>.
/// </summary>
/// <remarks>
/// <para><b>When to use which.</b> Cholesky (<see cref="Ridge"/>) costs p³/3 flops once; each CG iteration costs one
/// product with H, and CG needs about ½·√κ·ln(2/tol) of them, κ the condition number of the (preconditioned) H. So CG
/// wins for large p with a well-conditioned or strongly penalized problem, or from X when n·p is much smaller than p²
/// (wide data). Gradient descent needs ~κ·ln(1/tol) iterations and is here mainly as a reference and for the
/// streaming setting; prefer CG. <see cref="ChoosePathSolver"/> documents the measured rule that picks between CG and
/// Cholesky for a λ path.</para>
/// <para>The iterative solvers fit one target. With statistics, the accumulator's <see cref="GramAccumulator.Mode"/>
/// decides whether there is an intercept (centered) or not; <see cref="IterativeRidgeOptions.FitIntercept"/> applies to
/// fits from X.</para>
/// </remarks>
public static class IterativeRidge
{
    /// <summary>Gradient descent from X, unit weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit and warm start.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="InvalidValueException">A value of X or y is not finite.</exception>
    public static IterativeFitResult GradientDescent(MatrixView<double> x, ReadOnlySpan<double> y, IterativeRidgeOptions options)
        => FromData(x, y, options, default, conjugate: false);

    /// <summary>Gradient descent from X with sample weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit and warm start.</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum (empty for all ones).</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or Σw = 0.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a weight is negative.</exception>
    public static IterativeFitResult GradientDescent(MatrixView<double> x, ReadOnlySpan<double> y, IterativeRidgeOptions options, ReadOnlySpan<double> weights)
        => FromData(x, y, options, weights, conjugate: false);

    /// <summary>Gradient descent from float X (the passes over X run in float; the iteration in double).</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit and warm start.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="InvalidValueException">A value of X or y is not finite.</exception>
    public static IterativeFitResult GradientDescent(MatrixView<float> x, ReadOnlySpan<float> y, IterativeRidgeOptions options)
        => FromData(x, y, options, default, conjugate: false);

    /// <summary>Gradient descent from float X with sample weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit and warm start.</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum (empty for all ones).</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or Σw = 0.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a weight is negative.</exception>
    public static IterativeFitResult GradientDescent(MatrixView<float> x, ReadOnlySpan<float> y, IterativeRidgeOptions options, ReadOnlySpan<float> weights)
        => FromData(x, y, options, weights, conjugate: false);

    /// <summary>Gradient descent from sufficient statistics (one target).</summary>
    /// <param name="statistics">The accumulated statistics.</param>
    /// <param name="options">λ, tolerance, iteration limit and warm start.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The statistics have more than one target or no weight.</exception>
    public static IterativeFitResult GradientDescent(GramAccumulator statistics, IterativeRidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        var q = new GramQuadratic(statistics);
        return RidgeIterations.GradientDescent(ref q, options);
    }

    /// <summary>Conjugate gradient from X, unit weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit, preconditioner and warm start.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="InvalidValueException">A value of X or y is not finite.</exception>
    public static IterativeFitResult ConjugateGradient(MatrixView<double> x, ReadOnlySpan<double> y, IterativeRidgeOptions options)
        => FromData(x, y, options, default, conjugate: true);

    /// <summary>Conjugate gradient from X with sample weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit, preconditioner and warm start.</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum (empty for all ones).</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or Σw = 0.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a weight is negative.</exception>
    public static IterativeFitResult ConjugateGradient(MatrixView<double> x, ReadOnlySpan<double> y, IterativeRidgeOptions options, ReadOnlySpan<double> weights)
        => FromData(x, y, options, weights, conjugate: true);

    /// <summary>Conjugate gradient from float X (the passes over X run in float; the iteration in double).</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit, preconditioner and warm start.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="InvalidValueException">A value of X or y is not finite.</exception>
    public static IterativeFitResult ConjugateGradient(MatrixView<float> x, ReadOnlySpan<float> y, IterativeRidgeOptions options)
        => FromData(x, y, options, default, conjugate: true);

    /// <summary>Conjugate gradient from float X with sample weights.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="y">n targets.</param>
    /// <param name="options">λ, intercept, tolerance, iteration limit, preconditioner and warm start.</param>
    /// <param name="weights">n finite, non-negative weights with a positive sum (empty for all ones).</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or Σw = 0.</exception>
    /// <exception cref="InvalidValueException">A value is not finite, or a weight is negative.</exception>
    public static IterativeFitResult ConjugateGradient(MatrixView<float> x, ReadOnlySpan<float> y, IterativeRidgeOptions options, ReadOnlySpan<float> weights)
        => FromData(x, y, options, weights, conjugate: true);

    /// <summary>Conjugate gradient from sufficient statistics (one target).</summary>
    /// <param name="statistics">The accumulated statistics.</param>
    /// <param name="options">λ, tolerance, iteration limit, preconditioner and warm start.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">The statistics have more than one target or no weight.</exception>
    public static IterativeFitResult ConjugateGradient(GramAccumulator statistics, IterativeRidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        var q = new GramQuadratic(statistics);
        return RidgeIterations.ConjugateGradient(ref q, options);
    }

    /// <summary>
    /// Solves the ridge problem for every λ of a path by conjugate gradient, each λ warm-started from the solution of the
    /// one before (give the path in decreasing order: the solutions then move least from one λ to the next, and the
    /// first, most penalized, problem is the best conditioned). <see cref="IterativeRidgeOptions.Lambda"/> is ignored.
    /// </summary>
    /// <param name="statistics">The accumulated statistics (one target).</param>
    /// <param name="lambdas">The λ values (each finite and ≥ 0).</param>
    /// <param name="options">Tolerance, iteration limit per λ, preconditioner and a warm start for the first λ.</param>
    /// <returns>One result per λ, in the given order.</returns>
    /// <exception cref="ArgumentException">The statistics have more than one target or no weight.</exception>
    /// <exception cref="InvalidValueException">A λ is negative or not finite.</exception>
    public static IterativeFitResult[] ConjugateGradientPath(GramAccumulator statistics, ReadOnlySpan<double> lambdas, IterativeRidgeOptions options)
        => SolvePath(statistics, lambdas, options, PathSolver.ConjugateGradient);

    /// <summary>Solves the ridge problem for every λ of a path by one Cholesky factorization of Cxx + Σw·λ·I per λ
    /// (each result reports 0 iterations: a direct solve).</summary>
    /// <param name="statistics">The accumulated statistics (one target).</param>
    /// <param name="lambdas">The λ values (each finite and ≥ 0).</param>
    /// <param name="options">Only read for its type's sake; the Cholesky solve has no tolerance.</param>
    /// <returns>One result per λ, in the given order.</returns>
    /// <exception cref="ArgumentException">The statistics have more than one target or no weight.</exception>
    /// <exception cref="InvalidValueException">A λ is negative or not finite.</exception>
    /// <exception cref="NotPositiveDefiniteException">λ = 0 and Cxx is singular.</exception>
    public static IterativeFitResult[] CholeskyPath(GramAccumulator statistics, ReadOnlySpan<double> lambdas, IterativeRidgeOptions options)
        => SolvePath(statistics, lambdas, options, PathSolver.Cholesky);

    /// <summary>Solves a λ path with the given solver. <see cref="PathSolver.Auto"/> follows the measured cost model at
    /// run time: warm-started CG on each λ with a budget of p/R iterations (one Cholesky costs about p/R Gram products,
    /// R ≈ 64 measured at p = 2048, see bench/results/ConjugateGradientBenchmarks.md); the first λ that does not
    /// converge within the budget, and every λ after it, is solved by Cholesky instead. So Auto never costs much more
    /// than the better of the two, and on well-conditioned or strongly penalized paths it is CG.</summary>
    /// <param name="statistics">The accumulated statistics (one target).</param>
    /// <param name="lambdas">The λ values (each finite and ≥ 0).</param>
    /// <param name="options">Tolerance, iteration limit per λ, preconditioner and a warm start for the first λ.</param>
    /// <param name="solver">The solver (default <see cref="PathSolver.Auto"/>).</param>
    /// <returns>One result per λ, in the given order.</returns>
    /// <exception cref="ArgumentException">The statistics have more than one target or no weight.</exception>
    /// <exception cref="InvalidValueException">A λ is negative or not finite.</exception>
    public static IterativeFitResult[] SolvePath(GramAccumulator statistics, ReadOnlySpan<double> lambdas, IterativeRidgeOptions options, PathSolver solver = PathSolver.Auto)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        CheckLambdas(lambdas);
        var q = new GramQuadratic(statistics);
        var results = new IterativeFitResult[lambdas.Length];
        int first = 0;
        if (solver == PathSolver.Auto)
        {
            // Follow the measurement: CG runs on each λ with a budget of p/R iterations, R the measured cost of one
            // Cholesky in Gram products (RidgePathChoice.CholeskyProductRatio); the first λ that does not converge
            // within it (smaller λ are harder) and every λ after it go to Cholesky. The worst case costs one
            // Cholesky's worth of wasted iterations.
            int budget = (int)Math.Min(options.MaxIterations, Math.Max(1, q.Features / RidgePathChoice.CholeskyProductRatio));
            first = ConjugateGradientRun(ref q, lambdas, options, budget, results, stopAtFailure: true);
            if (first == lambdas.Length)
            {
                return results;
            }

            solver = PathSolver.Cholesky;
        }

        if (solver == PathSolver.Cholesky)
        {
            int p = q.Features;
            using var factor = new CholeskyFactor(p);
            var g = new double[p];
            for (int k = first; k < lambdas.Length; k++)
            {
                q.Lambda = lambdas[k];
                factor.Factor(new MatrixView<double>(q.Gram, p, p), q.WeightSum * lambdas[k]);
                var theta = new double[p];
                factor.Solve(q.RightHandSide, theta);
                q.Gradient(theta, g);
                results[k] = RidgeIterations.Finish(ref q, theta, g, 0, IterativeStopReason.Tolerance);
            }

            return results;
        }

        if (solver != PathSolver.ConjugateGradient)
        {
            throw new ArgumentOutOfRangeException(nameof(solver), solver, "Unknown PathSolver.");
        }

        ConjugateGradientRun(ref q, lambdas, options, options.MaxIterations, results, stopAtFailure: false);
        return results;
    }

    /// <summary>
    /// An a-priori, conservative estimate of the better path solver, from the same cost model <see cref="SolvePath"/>'s
    /// <see cref="PathSolver.Auto"/> applies at run time (Auto itself measures instead of predicting: it watches CG's
    /// iteration counts). Conjugate gradient is chosen only
    /// when its predicted cost is below one Cholesky per λ: CG needs about k = ½·√κ·ln(2/tol) products with H per λ,
    /// where κ is the condition number of
    /// H = Cxx + Σw·λ·I, bounded by (1.1·λ̂_max(Cxx) + Σw·λ)/(Σw·λ) with λ̂_max from 8 power steps; the Jacobi gain is
    /// ignored, so the rule errs towards Cholesky; one product streams the p × p Gram, and one
    /// Cholesky costs as much as p/R products, with R measured (see the remarks of <see cref="IterativeRidge"/> and
    /// bench/results). λ = 0 (κ unbounded) always takes Cholesky.
    /// </summary>
    /// <param name="statistics">The accumulated statistics (one target).</param>
    /// <param name="lambdas">The λ path.</param>
    /// <param name="tolerance">The CG tolerance that would be used.</param>
    /// <returns><see cref="PathSolver.ConjugateGradient"/> or <see cref="PathSolver.Cholesky"/>.</returns>
    public static PathSolver ChoosePathSolver(GramAccumulator statistics, ReadOnlySpan<double> lambdas, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        CheckLambdas(lambdas);
        return RidgePathChoice.Choose(new GramQuadratic(statistics), lambdas, tolerance);
    }

    /// <summary>Warm-started CG over the path; returns the index of the first λ left unsolved (the path's length when
    /// all were solved), stopping at the first λ that misses the tolerance within the budget when asked.</summary>
    private static int ConjugateGradientRun(ref GramQuadratic q, ReadOnlySpan<double> lambdas, IterativeRidgeOptions options, int budget, IterativeFitResult[] results, bool stopAtFailure)
    {
        double[]? warm = null;
        var step = new IterativeRidgeOptions
        {
            Tolerance = options.Tolerance,
            MaxIterations = budget,
            Preconditioned = options.Preconditioned,
            InitialCoefficients = options.InitialCoefficients,
        };
        for (int k = 0; k < lambdas.Length; k++)
        {
            step.Lambda = lambdas[k];
            IterativeFitResult r = RidgeIterations.ConjugateGradient(ref q, step, warm is null ? null : (double[])warm.Clone());
            if (stopAtFailure && !r.Converged)
            {
                return k;
            }

            results[k] = r;
            warm = r.Coefficients.ToArray();
        }

        return lambdas.Length;
    }

    private static IterativeFitResult FromData<T>(MatrixView<T> x, ReadOnlySpan<T> y, IterativeRidgeOptions options, ReadOnlySpan<T> weights, bool conjugate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        IterativeInput.CheckShape(x, y.Length, nameof(y), weights);
        IterativeInput.CheckFinite(y, nameof(y));
        double weightSum = IterativeInput.CheckWeights(weights, x.Rows);

        // X is checked for NaN and ±∞ by the quadratic's pass over it (its column moments), not by a pass of its own.
        var q = new DataQuadratic<T>(x, y, weights, weightSum, options.FitIntercept, nameof(x));
        return conjugate ? RidgeIterations.ConjugateGradient(ref q, options) : RidgeIterations.GradientDescent(ref q, options);
    }

    private static void CheckLambdas(ReadOnlySpan<double> lambdas)
    {
        for (int k = 0; k < lambdas.Length; k++)
        {
            if (!(lambdas[k] >= 0) || !double.IsFinite(lambdas[k]))
            {
                IterativeInput.Throw(nameof(lambdas), k, 0, lambdas[k], "each λ must be finite and non-negative");
            }
        }
    }
}
