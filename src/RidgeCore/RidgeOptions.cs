using System;
using System.Globalization;

namespace RidgeCore;

/// <summary>
/// What a ridge fit minimizes and how: the penalty λ (one for every target, or one per target), per-feature penalty
/// factors, the intercept, standardization, iterative refinement and the conditioning limit.
/// </summary>
/// <remarks>
/// <para><b>The objective.</b> For each target column y, RidgeCore minimizes over the intercept b and the coefficients θ</para>
/// <code>
///   (1/Σw) · Σᵢ wᵢ (yᵢ − b − xᵢ·θ)²  +  λ · Σⱼ fⱼ θⱼ²
/// </code>
/// <para>with sample weights wᵢ (all 1 when none are given) and penalty factors fⱼ (all 1 by default; 0 leaves θⱼ
/// unpenalized). The intercept is never penalized. Because the data term is a weighted <i>mean</i>, λ does not grow with
/// the number of rows. The solution solves the centered normal equations (Cxx + Σw·λ·F)·θ = Cxy with
/// b = ȳ − x̄ᵀθ, where Cxx and Cxy are the weighted co-moments about the weighted means (see
/// <see cref="GramAccumulator"/>); without an intercept the raw cross products XᵀWX, XᵀWy are used and b = 0.
/// <see cref="RidgePenalty"/> converts λ to and from scikit-learn's parameters.</para>
/// <para><b>Standardization</b> (glmnet's convention) penalizes every feature in units of its spread: it is the same
/// problem with load Σw·λ·fⱼ·sⱼ² on coordinate j, where sⱼ = √(Cxx_jj/Σw) is the weighted population standard
/// deviation (about the weighted mean; without an intercept, the root mean square). Coefficients are always reported on
/// the original scale of X. A constant column (spread at rounding level, see <see cref="Standardize"/>) gets
/// coefficient 0.</para>
/// <para>An options object is read at the start of each fit and may be changed between fits (a service can refit with a
/// new λ without allocating); do not change it while a fit that uses it is running.</para>
/// <example>
/// <code>
/// var options = new RidgeOptions { Lambda = 0.1, Standardize = true };
/// RidgeModel model = Ridge.Fit(new MatrixView&lt;double&gt;(x, n, p), new MatrixView&lt;double&gt;(y, n, 1), options);
///
/// // Two targets, each with its own penalty, and an unpenalized first feature:
/// var perTarget = new RidgeOptions { TargetLambdas = new[] { 0.01, 1.0 }, PenaltyFactors = penalties };
/// </code>
/// </example>
/// </remarks>
public sealed class RidgeOptions
{
    /// <summary>The default <see cref="MaxConditionNumber"/>: 10¹².</summary>
    public const double DefaultMaxConditionNumber = 1e12;

    private double _lambda = 1.0;
    private double _maxConditionNumber = DefaultMaxConditionNumber;
    private int _degreeOfParallelism = 1;
    private RidgeFactorization _factorization;

    /// <summary>λ ≥ 0, the penalty per unit of weight, used for every target unless <see cref="TargetLambdas"/> is set
    /// (default 1). λ = 0 is ordinary (weighted) least squares.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double Lambda
    {
        get => _lambda;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"Lambda must be finite and non-negative, but it is {value:G17}."));
            }

            _lambda = value;
        }
    }

    /// <summary>One λ per target column (length t), or empty (default) to use <see cref="Lambda"/> for every target.
    /// Targets that share a value share one factorization. Checked at each fit: every value finite and ≥ 0.</summary>
    public ReadOnlyMemory<double> TargetLambdas { get; set; }

    /// <summary>Penalty factors fⱼ ≥ 0, one per feature (length p), or empty (default) for all ones. fⱼ = 0 leaves
    /// feature j unpenalized. Checked at each fit: every value finite and ≥ 0.</summary>
    public ReadOnlyMemory<double> PenaltyFactors { get; set; }

    /// <summary>Whether to fit an unpenalized intercept (default true). Without one the model passes through the
    /// origin: the fit uses uncentered statistics and every intercept is 0.</summary>
    public bool FitIntercept { get; set; } = true;

    /// <summary>
    /// Whether to penalize each feature in units of its standard deviation (glmnet-style; default false). The reported
    /// coefficients stay on the original scale, and the fit becomes invariant to rescaling a column. A column whose
    /// standard deviation is zero, or below 256·ε·|mean| (≈ 5.7·10⁻¹⁴ of its mean: rounding noise of a constant
    /// column), is treated as constant and gets coefficient 0; without standardization such a column is an error
    /// when it is unpenalized (<see cref="SingularMatrixException"/>).
    /// </summary>
    public bool Standardize { get; set; }

    /// <summary>
    /// Whether in-memory fits refine the normal-equations solution against the data (default true): correction steps
    /// r = X̃ᵀW(ỹ − X̃θ) − D·θ computed from X itself in compensated (double-double) arithmetic, solved with the same
    /// factor, until the correction stops shrinking or the remaining error is predicted (from the condition estimate)
    /// to lie below the last bit of θ; at most three. Well-conditioned problems take one pass over X. Refinement
    /// recovers the digits the normal equations lose to conditioning (NIST Longley: 14.6 certified digits instead of
    /// 11.7; the exact least-squares solution to the last bit), carries θ beyond double precision for the intercept,
    /// and lifts a float fit to double accuracy.
    /// </summary>
    /// <remarks>
    /// Each pass costs O(n·p·t): about 2 ns per element of X on a single AVX-512 core, which is about half the Gram
    /// accumulation at p = 256 and about twice it at p = 32 (the Gram costs O(n·p²) but runs at full FMA throughput).
    /// Turn it off for latency-critical refits of well-conditioned problems. Fits from statistics alone cannot refine
    /// and ignore this setting.
    /// </remarks>
    public bool Refine { get; set; } = true;

    /// <summary>
    /// The largest acceptable condition number (default 10¹²) of the matrix a fit factors: the equilibrated normal
    /// matrix for Cholesky, the column-scaled X for the QR fallback. A solution computed in double loses about
    /// log₁₀(κ) of its 16 digits, so at 10¹² about four remain before refinement, and refinement (which contracts the
    /// error by about κ·ε per step) still converges quickly. Above the limit an in-memory fit falls back to a Householder
    /// QR of the centered, scaled X (whose error grows with κ(X) = √κ(G) instead of κ(G)); a fit from statistics alone
    /// throws <see cref="IllConditionedException"/>. A penalty λ &gt; 0 bounds the condition number.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or NaN.</exception>
    public double MaxConditionNumber
    {
        get => _maxConditionNumber;
        set
        {
            if (!(value >= 1))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"MaxConditionNumber must be at least 1, but it is {value:G17}."));
            }

            _maxConditionNumber = value;
        }
    }

    /// <summary>Which direct method the fit uses (default <see cref="RidgeFactorization.Auto"/>: Cholesky, with a QR
    /// fallback for ill-conditioned in-memory fits). <see cref="RidgeFactorization.Cholesky"/> turns the fallback off;
    /// <see cref="RidgeFactorization.QR"/> always factors the data (in-memory fits only).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="RidgeFactorization"/>.</exception>
    public RidgeFactorization Factorization
    {
        get => _factorization;
        set
        {
            if (value is not (RidgeFactorization.Auto or RidgeFactorization.Cholesky or RidgeFactorization.QR))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Factorization must be Auto, Cholesky or QR.");
            }

            _factorization = value;
        }
    }

    /// <summary>How many threads the Gram accumulation of an in-memory fit may use (default 1). Results do not depend
    /// on it (see <see cref="GramAccumulator.DegreeOfParallelism"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int DegreeOfParallelism
    {
        get => _degreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _degreeOfParallelism = value;
        }
    }
}
