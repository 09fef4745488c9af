using System;
using System.Globalization;

namespace RidgeCore;

/// <summary>
/// The outcome of a λ search (<see cref="RidgeCV"/>): the grid, a mean-squared-error score and its standard error per λ
/// and target, the effective degrees of freedom per λ, the chosen λ per target (the minimum and glmnet's one-standard-
/// error rule), the model refitted at the chosen λ, and the ridge trace along the grid.
/// </summary>
/// <remarks>
/// <para>Scores estimate the weighted mean squared prediction error, (1/Σw)·Σ wᵢ(yᵢ − ŷᵢ)², in the units of y².
/// Arrays indexed by λ and target are row-major L × t: the score of λ index i and target k is at i·t + k
/// (<see cref="GetScore"/>).</para>
/// <para><b>Choice.</b> Each target picks its own λ (<see cref="BestLambdas"/>), the first grid entry with the smallest
/// score (scikit-learn's tie rule). <see cref="OneStandardErrorLambdas"/> is the largest λ whose score lies within one
/// standard error of that minimum (glmnet's <c>lambda.1se</c>): a simpler model that is statistically as good.
/// <see cref="Model"/> is refitted with <see cref="RidgeOptions.TargetLambdas"/> = <see cref="BestLambdas"/>.</para>
/// </remarks>
public sealed class RidgeSearchResult
{
    private readonly double[] _lambdas;
    private readonly double[] _scores;
    private readonly double[] _standardErrors;
    private readonly double[] _degreesOfFreedom;
    private readonly double[] _best;
    private readonly int[] _bestIndices;
    private readonly double[] _oneStandardError;
    private readonly double[] _foldScores;
    private readonly double[] _foldRSquared;

    internal RidgeSearchResult(
        RidgeSearchMethod method, int targets, double[] lambdas, double[] scores, double[] standardErrors, double[] degreesOfFreedom,
        RidgeTrace trace, int folds, double[] foldScores, double[] foldRSquared)
    {
        Method = method;
        Targets = targets;
        _lambdas = lambdas;
        _scores = scores;
        _standardErrors = standardErrors;
        _degreesOfFreedom = degreesOfFreedom;
        Trace = trace;
        Folds = folds;
        _foldScores = foldScores;
        _foldRSquared = foldRSquared;
        Features = trace.Features;

        int count = lambdas.Length, t = targets;
        _best = new double[t];
        _bestIndices = new int[t];
        _oneStandardError = new double[t];
        for (int k = 0; k < t; k++)
        {
            int best = 0;
            for (int i = 1; i < count; i++)
            {
                if (scores[(i * t) + k] < scores[(best * t) + k])
                {
                    best = i;
                }
            }

            _bestIndices[k] = best;
            _best[k] = lambdas[best];
            double se = standardErrors[(best * t) + k];
            double limit = scores[(best * t) + k] + (double.IsFinite(se) ? se : 0);
            double chosen = lambdas[best];
            for (int i = 0; i < count; i++)
            {
                if (scores[(i * t) + k] <= limit && lambdas[i] > chosen)
                {
                    chosen = lambdas[i];
                }
            }

            _oneStandardError[k] = chosen;
        }

        int shared = 0;
        double sharedScore = double.PositiveInfinity;
        for (int i = 0; i < count; i++)
        {
            double mean = 0;
            for (int k = 0; k < t; k++)
            {
                mean += scores[(i * t) + k] / t;
            }

            if (mean < sharedScore)
            {
                sharedScore = mean;
                shared = i;
            }
        }

        BestIndex = shared;
    }

    /// <summary>How the grid was scored.</summary>
    public RidgeSearchMethod Method { get; }

    /// <summary>p, the number of features.</summary>
    public int Features { get; }

    /// <summary>t, the number of targets.</summary>
    public int Targets { get; }

    /// <summary>The number of folds (k-fold only; 0 otherwise).</summary>
    public int Folds { get; }

    /// <summary>The λ grid, in RidgeCore's convention (see <see cref="RidgeOptions"/>), in the order given.</summary>
    public ReadOnlySpan<double> Lambdas => _lambdas;

    /// <summary>The estimated mean squared prediction error, L × t: leave-one-out, GCV, or the weighted mean over the
    /// folds of each fold's held-out MSE.</summary>
    public ReadOnlySpan<double> Scores => _scores;

    /// <summary>The standard error of each score, L × t: for leave-one-out that of the mean of the n squared
    /// leave-one-out residuals; for k-fold glmnet's √(Σ wₖ(MSEₖ − MSE)² / Σ wₖ / (k − 1)) over the folds (wₖ the fold
    /// weight); NaN for GCV, which has none.</summary>
    public ReadOnlySpan<double> StandardErrors => _standardErrors;

    /// <summary>df(λ) per λ on the whole data, the intercept not counted (as
    /// <see cref="RidgeModel.EffectiveDegreesOfFreedom"/>).</summary>
    public ReadOnlySpan<double> DegreesOfFreedom => _degreesOfFreedom;

    /// <summary>Per target, the λ with the smallest score (λ_min).</summary>
    public ReadOnlySpan<double> BestLambdas => _best;

    /// <summary>Per target, the index of <see cref="BestLambdas"/> in <see cref="Lambdas"/>.</summary>
    public ReadOnlySpan<int> BestIndices => _bestIndices;

    /// <summary>Per target, λ_1se: the largest λ whose score is at most the minimum plus its standard error (equal to
    /// λ_min for GCV).</summary>
    public ReadOnlySpan<double> OneStandardErrorLambdas => _oneStandardError;

    /// <summary>The single λ that minimizes the score averaged over the targets (equal to <see cref="BestLambdas"/>[0]
    /// for one target).</summary>
    public double BestLambda => _lambdas[BestIndex];

    /// <summary>The index of <see cref="BestLambda"/> in <see cref="Lambdas"/>.</summary>
    public int BestIndex { get; }

    /// <summary>The model refitted on all the data with each target's <see cref="BestLambdas"/> (from the full
    /// statistics; from the data, refined, when the statistics alone are too ill-conditioned).</summary>
    public RidgeModel Model { get; internal set; } = null!;

    /// <summary>Coefficients along the grid (from the whole data).</summary>
    public RidgeTrace Trace { get; }

    /// <summary>k-fold only: each fold's held-out MSE, folds × L × t (fold f, λ index i, target k at
    /// (f·L + i)·t + k); empty otherwise.</summary>
    public ReadOnlySpan<double> FoldScores => _foldScores;

    /// <summary>k-fold only: each fold's held-out R² = 1 − MSE / (weighted variance of the held-out y about its own
    /// mean), laid out as <see cref="FoldScores"/>; empty otherwise.</summary>
    public ReadOnlySpan<double> FoldRSquared => _foldRSquared;

    /// <summary>The score of one λ and target.</summary>
    /// <param name="lambdaIndex">The index into <see cref="Lambdas"/>.</param>
    /// <param name="target">The target (default 0).</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double GetScore(int lambdaIndex, int target = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)lambdaIndex, (uint)_lambdas.Length, nameof(lambdaIndex));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)target, (uint)Targets, nameof(target));
        return _scores[(lambdaIndex * Targets) + target];
    }

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Method}: {Lambdas.Length} λ, best λ {BestLambda:G6} (score {_scores[BestIndex * Targets]:G6})");
}
