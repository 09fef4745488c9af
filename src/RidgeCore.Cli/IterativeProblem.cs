using System;

namespace RidgeCore.Cli;

/// <summary>The iterative solvers <c>ridge fit</c> can run on one target held in memory.</summary>
internal enum IterativeSolver
{
    /// <summary>L2 logistic regression by Newton/IRLS (<see cref="LogisticRegression"/>).</summary>
    Newton,

    /// <summary>L2 logistic regression by mini-batch SGD.</summary>
    LogisticSgd,

    /// <summary>Ridge by conjugate gradient (<see cref="IterativeRidge"/>).</summary>
    ConjugateGradient,

    /// <summary>Ridge by mini-batch SGD (<see cref="SgdRegressor"/>).</summary>
    Sgd,
}

/// <summary>One fit of an <see cref="IterativeProblem"/>: coefficients on the original scale of the features.</summary>
internal sealed record IterativeFit(double[] Coefficients, double Intercept, IterativeFitResult Result, double[] ScaledCoefficients);

/// <summary>
/// One target's data in memory (rows, labels or responses, weights), prepared for an iterative solver, with
/// <c>--standardize</c> done the way <see cref="RidgeOptions.Standardize"/> does it for the closed form: the penalty
/// λ·Σⱼ sⱼ²θⱼ², sⱼ the weighted population standard deviation of feature j about its weighted mean (the root mean
/// square without an intercept). The library's iterative solvers penalize λ‖θ‖², so the problem is solved in the
/// variables φⱼ = sⱼθⱼ on the columns (xⱼ − x̄ⱼ)/sⱼ (the same objective, term by term: the intercept is not penalized,
/// so centering only moves it) and mapped back: θⱼ = φⱼ/sⱼ, b = b̃ − Σⱼ x̄ⱼθⱼ. Without an intercept the columns are only
/// scaled (x̄ⱼ = 0). Centering and scaling also make the solvers' job easier (SGD's step size, Newton's and CG's
/// conditioning). A column that is constant up to rounding (sⱼ ≤ 256·ε·|mean|, the library's rule) is left out and
/// gets coefficient 0.
/// </summary>
internal sealed class IterativeProblem
{
    /// <summary>Columns whose spread is at most this multiple of |mean| are constant up to rounding (as in the library).</summary>
    private const double ConstantTolerance = 256 * 2.220446049250313e-16;

    private readonly double[] _x;        // n × active columns, scaled when standardizing
    private readonly int[] _active;      // the original index of each column of _x
    private readonly double[] _scale;    // sⱼ for each active column (1 without standardization)
    private readonly double[] _center;   // x̄ⱼ for each active column (0 without standardization or intercept)
    private readonly int _p;

    private IterativeProblem(double[] x, int n, int p, int[] active, double[] scale, double[] center, double[] y, double[]? w)
    {
        _center = center;
        _x = x;
        Rows = n;
        _p = p;
        _active = active;
        _scale = scale;
        Y = y;
        W = w;
    }

    public int Rows { get; }

    public double[] Y { get; }

    public double[]? W { get; }

    /// <summary>The problem on rows <paramref name="x"/> (n × p, row-major), not copied unless standardizing.</summary>
    public static IterativeProblem Create(double[] x, int n, int p, double[] y, double[]? w, bool standardize, bool fitIntercept)
    {
        if (!standardize)
        {
            int[] all = new int[p];
            double[] ones = new double[p];
            for (int j = 0; j < p; j++)
            {
                all[j] = j;
                ones[j] = 1;
            }

            return new IterativeProblem(x, n, p, all, ones, new double[p], y, w);
        }

        double[] sd = StandardDeviations(x, n, p, w, fitIntercept, out bool[] constant, out double[] mean);
        int count = 0;
        for (int j = 0; j < p; j++)
        {
            count += constant[j] ? 0 : 1;
        }

        var active = new int[count];
        var scale = new double[count];
        var center = new double[count];
        for (int j = 0, a = 0; j < p; j++)
        {
            if (!constant[j])
            {
                active[a] = j;
                center[a] = mean[j];
                scale[a++] = sd[j];
            }
        }

        var scaled = new double[checked(n * count)];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < count; a++)
            {
                scaled[(i * count) + a] = (x[(i * p) + active[a]] - center[a]) / scale[a];
            }
        }

        return new IterativeProblem(scaled, n, p, active, scale, center, y, w);
    }

    /// <summary>sⱼ as <see cref="RidgeOptions.Standardize"/> defines it, in two passes (mean, then squares about it).</summary>
    public static double[] StandardDeviations(double[] x, int n, int p, double[]? w, bool fitIntercept, out bool[] constant)
        => StandardDeviations(x, n, p, w, fitIntercept, out constant, out _);

    /// <summary>sⱼ, and the weighted means x̄ⱼ (zeros without an intercept).</summary>
    public static double[] StandardDeviations(double[] x, int n, int p, double[]? w, bool fitIntercept, out bool[] constant, out double[] mean)
    {
        mean = new double[p];
        var sd = new double[p];
        constant = new bool[p];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total += w?[i] ?? 1;
        }

        if (fitIntercept)
        {
            for (int i = 0; i < n; i++)
            {
                double wi = w?[i] ?? 1;
                for (int j = 0; j < p; j++)
                {
                    mean[j] += wi * x[(i * p) + j];
                }
            }

            for (int j = 0; j < p; j++)
            {
                mean[j] /= total;
            }
        }

        for (int i = 0; i < n; i++)
        {
            double wi = w?[i] ?? 1;
            for (int j = 0; j < p; j++)
            {
                double d = x[(i * p) + j] - mean[j];
                sd[j] += wi * d * d;
            }
        }

        for (int j = 0; j < p; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / total);
            double tolerance = fitIntercept ? ConstantTolerance * Math.Abs(mean[j]) : 0;
            constant[j] = !(sd[j] > tolerance);
        }

        return sd;
    }

    /// <summary>Fits at λ (the project's convention) and maps the coefficients back to the original scale.</summary>
    /// <param name="solver">Which solver.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <param name="fitIntercept">Whether to fit an unpenalized intercept.</param>
    /// <param name="warmStart">Scaled coefficients of an earlier fit of this problem to start from (conjugate gradient
    /// only), or null.</param>
    /// <param name="newtonTolerance">Newton's gradient tolerance, or null for the library's default.</param>
    /// <param name="shuffle">SGD's row order (SGD only).</param>
    public IterativeFit Fit(IterativeSolver solver, double lambda, bool fitIntercept, double[]? warmStart = null, double? newtonTolerance = null, SgdShuffle shuffle = SgdShuffle.Rows)
    {
        int m = _active.Length;
        double[] phi;
        double intercept;
        IterativeFitResult result;
        if (m == 0)
        {
            // Every column is constant: the model is the intercept alone. The solvers need a column, so give them one
            // zero column (its coefficient stays 0 under any penalty and for any loss).
            var zero = new MatrixView<double>(new double[Rows], Rows, 1);
            (phi, intercept, result) = Solve(solver, zero, lambda, fitIntercept, null, newtonTolerance, shuffle);
            phi = [];
        }
        else
        {
            (phi, intercept, result) = Solve(solver, new MatrixView<double>(_x, Rows, m), lambda, fitIntercept, warmStart, newtonTolerance, shuffle);
        }

        var theta = new double[_p];
        for (int a = 0; a < m; a++)
        {
            theta[_active[a]] = phi[a] / _scale[a];
            intercept -= _center[a] * theta[_active[a]];
        }

        return new IterativeFit(theta, intercept, result, phi);
    }

    private (double[] Phi, double Intercept, IterativeFitResult Result) Solve(
        IterativeSolver solver, MatrixView<double> x, double lambda, bool fitIntercept, double[]? warmStart, double? newtonTolerance, SgdShuffle shuffle)
    {
        ReadOnlySpan<double> w = W ?? default;
        switch (solver)
        {
            case IterativeSolver.Newton:
                var logistic = new LogisticOptions { Lambda = lambda, FitIntercept = fitIntercept };
                if (newtonTolerance is { } tolerance)
                {
                    logistic.Tolerance = tolerance;
                }

                LogisticModel model = LogisticRegression.Fit(x, Y, logistic, w);
                return (model.Coefficients.ToArray(), model.Intercept, model.FitResult);
            case IterativeSolver.ConjugateGradient:
                var options = new IterativeRidgeOptions { Lambda = lambda, FitIntercept = fitIntercept, InitialCoefficients = warmStart };
                IterativeFitResult cg = W is null ? IterativeRidge.ConjugateGradient(x, Y, options) : IterativeRidge.ConjugateGradient(x, Y, options, w);
                return (cg.Coefficients.ToArray(), cg.Intercept, cg);
            default:
                SgdLoss loss = solver == IterativeSolver.LogisticSgd ? SgdLoss.Logistic : SgdLoss.Squared;
                IterativeFitResult sgd = Iterative.Sgd(lambda, fitIntercept, loss, Iterative.SgdLearningRate(lambda), x.Rows, shuffle).Fit(x, Y, w);
                return (sgd.Coefficients.ToArray(), sgd.Intercept, sgd);
        }
    }
}
