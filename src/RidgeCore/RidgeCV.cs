using System;
using RidgeCore.Selection;

namespace RidgeCore;

/// <summary>
/// Chooses λ: exact leave-one-out, generalized cross-validation and k-fold cross-validation over a λ grid, each from
/// one eigendecomposition of the (scaled, centered, weighted) Gram per training set, so that a grid of 50 λ costs little
/// more than one λ. Every method returns a <see cref="RidgeSearchResult"/> with the scores, the chosen λ per target,
/// the refitted model and the ridge trace.
/// </summary>
/// <remarks>
/// <para><b>Conventions.</b> λ is RidgeCore's (see <see cref="RidgeOptions"/>); scikit-learn's alpha is λ·Σw. The
/// options' intercept, standardization and (positive) penalty factors apply; their <see cref="RidgeOptions.Lambda"/>
/// and <see cref="RidgeOptions.TargetLambdas"/> are ignored. A zero penalty factor throws
/// <see cref="NotSupportedException"/>: the spectral path needs every feature penalized. An empty λ span means the
/// default grid (<see cref="DefaultLambdaGrid(GramAccumulator, RidgeOptions)"/>).</para>
/// <para><b>Leave-one-out</b> uses the exact identity e₍₋ᵢ₎ = eᵢ/(1 − hᵢᵢ) with hᵢᵢ = wᵢ/Σw (intercept) +
/// wᵢ·x̃ᵢᵀ(G + D)⁻¹x̃ᵢ. It holds the penalty load D at the full data's value (Σw·λ·fⱼ, or λ·fⱼ·Gⱼⱼ when
/// standardizing) while row i is left out, which is also what scikit-learn's <c>RidgeCV</c> does with a fixed alpha; so
/// leave-one-out here equals refitting without row i at λ·Σw/(Σw − wᵢ). Cost: the Gram pass, an eigendecomposition,
/// and one more pass that forms U = X̃·S·V block by block and scores every λ while the block is in cache, about
/// 2n·p·(p + 2L·t) flops.</para>
/// <para><b>GCV</b> (Golub, Heath and Wahba) is (RSS/Σw)/(1 − tr H/m)², tr H = df(λ) + 1 with an intercept and m the
/// number of rows of positive weight: n·RSS/(n − tr H)² without weights. It needs the statistics only.</para>
/// <para><b>k-fold</b> makes one pass that feeds one <see cref="GramAccumulator"/> per fold; fold f trains on the merge
/// of the other folds (with the training set's own Σw and, when standardizing, its own spreads, exactly like
/// <see cref="Ridge.Fit(MatrixView{double}, MatrixView{double}, RidgeOptions, ReadOnlySpan{double})"/> on those rows)
/// and is scored on its own statistics, with no second pass over X. Each training set's scaled Gram is only reduced to
/// tridiagonal form, G′ = Q·T·Qᵀ (no QL iteration, Q kept as reflectors): every λ is then an O(p) solve with T + λI,
/// vectorized across λ, and Q and the held-out quadratic forms are applied to all λ at once, about 4p²·L·t flops per
/// fold (the eigenbasis is used instead for a λ below the rounding level of T). Folds come from the caller, or from a seed: chunks
/// of c = clamp(⌊n/(64k)⌋, 1, 256) consecutive rows (single rows below 128·k rows) are shuffled deterministically and
/// dealt to the folds in turn, so fold sizes differ by less than two chunks and every fold holds about 64 or more chunks
/// spread over the data; runs of one fold then go to its accumulator straight from X, without copying rows.</para>
/// <para><b>Allocation.</b> A search allocates its result (scores, trace, refitted model) and O(p² + p·L·t) working
/// memory; nothing per row, except one int per chunk of rows for seeded folds.</para>
/// <example>
/// <code>
/// var options = new RidgeOptions { Standardize = true };
/// RidgeSearchResult cv = RidgeCV.KFold(new MatrixView&lt;double&gt;(x, n, p), new MatrixView&lt;double&gt;(y, n, 1),
///                                      ReadOnlySpan&lt;double&gt;.Empty, options, folds: 5, seed: 42);
/// Console.WriteLine($"λ_min {cv.BestLambdas[0]:G4}, λ_1se {cv.OneStandardErrorLambdas[0]:G4}");
/// RidgeModel model = cv.Model;                       // refitted at λ_min
/// </code>
/// </example>
/// </remarks>
public static class RidgeCV
{
    /// <summary>The number of λ in the default grid.</summary>
    public const int DefaultGridSize = 50;

    /// <summary>Leave-one-out over a λ grid, unweighted.</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">X or Y holds NaN or ±∞, a λ is not finite and positive, or a penalty factor is negative.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult LeaveOneOut(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options)
        => RidgeSelection.LeaveOneOut(x, y, lambdas, options, default);

    /// <summary>Leave-one-out over a λ grid with sample weights.</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid (index named).</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult LeaveOneOut(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<double> weights)
        => RidgeSelection.LeaveOneOut(x, y, lambdas, options, weights);

    /// <summary>Leave-one-out over a λ grid on float data, unweighted (statistics and scores in double).</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult LeaveOneOut(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options)
        => RidgeSelection.LeaveOneOut(x, y, lambdas, options, default);

    /// <summary>Leave-one-out over a λ grid on weighted float data.</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult LeaveOneOut(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<float> weights)
        => RidgeSelection.LeaveOneOut(x, y, lambdas, options, weights);

    /// <summary>Generalized cross-validation over a λ grid, unweighted (one pass for the statistics).</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult Gcv(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options)
        => RidgeSelection.Gcv(x, y, lambdas, options, default);

    /// <summary>Generalized cross-validation over a λ grid with sample weights.</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult Gcv(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<double> weights)
        => RidgeSelection.Gcv(x, y, lambdas, options, weights);

    /// <summary>Generalized cross-validation on float data, unweighted.</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult Gcv(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options)
        => RidgeSelection.Gcv(x, y, lambdas, options, default);

    /// <summary>Generalized cross-validation on weighted float data.</summary>
    /// <param name="x">X, n × p (n ≥ 2).</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores, the choice and the refitted model.</returns>
    /// <exception cref="ArgumentException">A shape is wrong, or every weight is zero.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult Gcv(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<float> weights)
        => RidgeSelection.Gcv(x, y, lambdas, options, weights);

    /// <summary>Generalized cross-validation from sufficient statistics alone (no pass over data). m is taken as the
    /// accumulator's <see cref="GramAccumulator.RowCount"/>.</summary>
    /// <param name="statistics">A centered accumulator; not changed.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors.</param>
    /// <returns>The scores, the choice and the model refitted from the statistics.</returns>
    /// <exception cref="ArgumentException">The accumulator is uncentered or holds no weight.</exception>
    /// <exception cref="InvalidValueException">A λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    /// <exception cref="IllConditionedException">The refit at the chosen λ is too ill-conditioned to solve from statistics.</exception>
    public static RidgeSearchResult Gcv(GramAccumulator statistics, ReadOnlySpan<double> lambdas, RidgeOptions options)
        => RidgeSelection.Gcv(statistics, lambdas, options);

    /// <summary>k-fold cross-validation with folds drawn from a seed, unweighted.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="folds">k, from 2 to n.</param>
    /// <param name="seed">The seed of the deterministic shuffle that assigns rows to folds.</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 2 or k &gt; n.</exception>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options, int folds, int seed)
        => RidgeSelection.KFold(x, y, lambdas, options, SeededFolds(x.Rows, folds, seed, out int chunk), chunk, folds, default);

    /// <summary>k-fold cross-validation with folds drawn from a seed, weighted.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="folds">k, from 2 to n.</param>
    /// <param name="seed">The seed of the deterministic shuffle that assigns rows to folds.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 2 or k &gt; n.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, every weight is zero, or a fold has no weight.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options, int folds, int seed, ReadOnlySpan<double> weights)
        => RidgeSelection.KFold(x, y, lambdas, options, SeededFolds(x.Rows, folds, seed, out int chunk), chunk, folds, weights);

    /// <summary>k-fold cross-validation with the caller's folds, unweighted.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="foldIds">n fold numbers in [0, k), k = 1 + the largest; every fold must hold rows.</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fold id is negative, or k &lt; 2.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, or a fold in [0, k) has no rows.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<int> foldIds)
        => RidgeSelection.KFold(x, y, lambdas, options, foldIds, 1, FoldCount(foldIds), default);

    /// <summary>k-fold cross-validation with the caller's folds, weighted.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="foldIds">n fold numbers in [0, k), k = 1 + the largest; every fold must hold rows.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fold id is negative, or k &lt; 2.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, every weight is zero, or a fold has no weight.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<int> foldIds, ReadOnlySpan<double> weights)
        => RidgeSelection.KFold(x, y, lambdas, options, foldIds, 1, FoldCount(foldIds), weights);

    /// <summary>k-fold cross-validation on float data with folds drawn from a seed, unweighted.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="folds">k, from 2 to n.</param>
    /// <param name="seed">The seed of the deterministic shuffle that assigns rows to folds.</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 2 or k &gt; n.</exception>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options, int folds, int seed)
        => RidgeSelection.KFold(x, y, lambdas, options, SeededFolds(x.Rows, folds, seed, out int chunk), chunk, folds, default);

    /// <summary>k-fold cross-validation on weighted float data with folds drawn from a seed.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="folds">k, from 2 to n.</param>
    /// <param name="seed">The seed of the deterministic shuffle that assigns rows to folds.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k &lt; 2 or k &gt; n.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, every weight is zero, or a fold has no weight.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options, int folds, int seed, ReadOnlySpan<float> weights)
        => RidgeSelection.KFold(x, y, lambdas, options, SeededFolds(x.Rows, folds, seed, out int chunk), chunk, folds, weights);

    /// <summary>k-fold cross-validation on float data with the caller's folds, unweighted.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="foldIds">n fold numbers in [0, k), k = 1 + the largest; every fold must hold rows.</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fold id is negative, or k &lt; 2.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, or a fold in [0, k) has no rows.</exception>
    /// <exception cref="InvalidValueException">A value, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<int> foldIds)
        => RidgeSelection.KFold(x, y, lambdas, options, foldIds, 1, FoldCount(foldIds), default);

    /// <summary>k-fold cross-validation on weighted float data with the caller's folds.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="y">Y, n × t.</param>
    /// <param name="lambdas">The grid (finite, positive), or empty for the default grid.</param>
    /// <param name="options">Intercept, standardization, penalty factors, threads.</param>
    /// <param name="foldIds">n fold numbers in [0, k), k = 1 + the largest; every fold must hold rows.</param>
    /// <param name="weights">n finite, non-negative weights (empty for unit weights).</param>
    /// <returns>The scores (with per-fold MSE and R²), the choice and the refitted model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fold id is negative, or k &lt; 2.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, every weight is zero, or a fold has no weight.</exception>
    /// <exception cref="InvalidValueException">A value, weight, λ or penalty factor is invalid.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static RidgeSearchResult KFold(MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<double> lambdas, RidgeOptions options, ReadOnlySpan<int> foldIds, ReadOnlySpan<float> weights)
        => RidgeSelection.KFold(x, y, lambdas, options, foldIds, 1, FoldCount(foldIds), weights);

    /// <summary>
    /// The default λ grid of <see cref="DefaultGridSize"/> values: log-spaced from the λ at which the effective degrees
    /// of freedom df(λ) = Σ Λₖ/(Λₖ + λ) are 1 % of p down to the λ at which they are 99 % of min(m − 1, p) (m without
    /// an intercept; m the rows, p capped by the numerical rank of the Gram), largest λ first. Λ are the eigenvalues of
    /// the penalty-scaled Gram, so the grid follows the options' standardization and penalty factors and needs no
    /// tuning: it spans the whole useful range from a nearly constant model to a nearly unpenalized one.
    /// </summary>
    /// <param name="statistics">A centered accumulator; not changed.</param>
    /// <param name="options">Intercept, standardization, penalty factors.</param>
    /// <returns>The grid, largest first.</returns>
    /// <exception cref="ArgumentException">The accumulator is uncentered, holds no weight, or X has no variation.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static double[] DefaultLambdaGrid(GramAccumulator statistics, RidgeOptions options)
        => RidgeSelection.DefaultGrid(statistics, options, DefaultGridSize);

    /// <summary>The default λ grid (see <see cref="DefaultLambdaGrid(GramAccumulator, RidgeOptions)"/>) with a chosen
    /// number of points.</summary>
    /// <param name="statistics">A centered accumulator; not changed.</param>
    /// <param name="options">Intercept, standardization, penalty factors.</param>
    /// <param name="count">The number of λ (≥ 1).</param>
    /// <returns>The grid, largest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1.</exception>
    /// <exception cref="ArgumentException">The accumulator is uncentered, holds no weight, or X has no variation.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static double[] DefaultLambdaGrid(GramAccumulator statistics, RidgeOptions options, int count)
        => RidgeSelection.DefaultGrid(statistics, options, count);

    /// <summary>The default λ grid for unweighted data in memory (one Gram pass over X).</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="options">Intercept, standardization, penalty factors.</param>
    /// <returns>The grid, largest first.</returns>
    /// <exception cref="ArgumentException">X has no rows or no variation.</exception>
    /// <exception cref="InvalidValueException">X holds NaN or ±∞.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static double[] DefaultLambdaGrid(MatrixView<double> x, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using GramAccumulator statistics = GridStatistics(x.Columns);
        statistics.Add(x, FirstColumn(x));
        return RidgeSelection.DefaultGrid(statistics, options, DefaultGridSize);
    }

    /// <summary>The default λ grid for unweighted float data in memory.</summary>
    /// <param name="x">X, n × p.</param>
    /// <param name="options">Intercept, standardization, penalty factors.</param>
    /// <returns>The grid, largest first.</returns>
    /// <exception cref="ArgumentException">X has no rows or no variation.</exception>
    /// <exception cref="InvalidValueException">X holds NaN or ±∞.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero.</exception>
    public static double[] DefaultLambdaGrid(MatrixView<float> x, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using GramAccumulator statistics = GridStatistics(x.Columns);
        statistics.Add(x, FirstColumn(x));
        return RidgeSelection.DefaultGrid(statistics, options, DefaultGridSize);
    }

    private static GramAccumulator GridStatistics(int features)
    {
        if (features < 1)
        {
            Models.RidgeThrow.Shape("x", "x has no columns.");
        }

        return new GramAccumulator(features, 1);
    }

    // The grid needs X only; X's first column stands in for y (no copy, no allocation).
    private static MatrixView<T> FirstColumn<T>(MatrixView<T> x) => new(x.Data, x.Rows, 1, x.RowStride);

    /// <summary>The fold of each row exactly as <c>KFold(…, folds, seed)</c> deals them, for a caller that scores
    /// another estimator on the same folds (the <c>ridge</c> CLI cross-validates its iterative and logistic fits with
    /// it): balanced folds, chunks of consecutive rows shuffled by a deterministic generator seeded with
    /// <paramref name="seed"/>.</summary>
    /// <param name="rows">The number of rows n.</param>
    /// <param name="folds">The number of folds k, 2 ≤ k ≤ n.</param>
    /// <param name="seed">The seed of the shuffle.</param>
    /// <returns>n fold numbers in 0..k − 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k is below 2 or above n.</exception>
    public static int[] AssignFolds(int rows, int folds, int seed)
    {
        CheckFoldCount(rows, folds);
        return RidgeSelection.AssignFolds(rows, folds, seed);
    }

    private static int[] SeededFolds(int rows, int folds, int seed, out int chunk)
    {
        CheckFoldCount(rows, folds);
        return RidgeSelection.AssignFoldChunks(rows, folds, seed, out chunk);
    }

    private static void CheckFoldCount(int rows, int folds)
    {
        if (folds < 2 || folds > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"k-fold cross-validation needs 2 ≤ k ≤ n = {rows}.");
        }
    }

    private static int FoldCount(ReadOnlySpan<int> foldIds)
    {
        int largest = -1;
        for (int i = 0; i < foldIds.Length; i++)
        {
            if (foldIds[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(foldIds), foldIds[i], $"foldIds[{i}] = {foldIds[i]} is negative; fold numbers run from 0 to k − 1.");
            }

            largest = Math.Max(largest, foldIds[i]);
        }

        if (largest < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(foldIds), largest + 1, "foldIds name fewer than two folds; k-fold cross-validation needs k ≥ 2.");
        }

        return largest + 1;
    }
}
