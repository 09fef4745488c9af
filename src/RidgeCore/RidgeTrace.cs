using System;
using System.Globalization;
using RidgeCore.Selection;

namespace RidgeCore;

/// <summary>
/// The ridge trace: coefficients, intercepts and effective degrees of freedom along a λ grid, ready to plot (one line
/// per feature and target against log λ or against df). All of it comes from one eigendecomposition of the scaled
/// Gram, at O(p²·t) per λ.
/// </summary>
/// <remarks>
/// Coefficients are on the original scale of X and follow <see cref="RidgeOptions"/>' conventions (intercept,
/// standardization, penalty factors), so entry λ of the trace equals <c>Ridge.Fit(statistics, options with Lambda = λ)</c>
/// up to rounding.
/// <example>
/// <code>
/// RidgeTrace trace = RidgeTrace.Compute(stats, RidgeCV.DefaultLambdaGrid(stats, options), options);
/// for (int i = 0; i &lt; trace.Lambdas.Length; i++)
///     Console.WriteLine($"{trace.Lambdas[i]:G4} df={trace.DegreesOfFreedom[i]:F2} θ₀={trace.GetCoefficient(i, 0):G6}");
/// </code>
/// </example>
/// </remarks>
public sealed class RidgeTrace
{
    private readonly double[] _lambdas;
    private readonly double[] _coefficients;
    private readonly double[] _intercepts;
    private readonly double[] _degreesOfFreedom;

    private RidgeTrace(double[] lambdas, int features, int targets, double[] coefficients, double[] intercepts, double[] degreesOfFreedom)
    {
        _lambdas = lambdas;
        Features = features;
        Targets = targets;
        _coefficients = coefficients;
        _intercepts = intercepts;
        _degreesOfFreedom = degreesOfFreedom;
    }

    /// <summary>p, the number of features.</summary>
    public int Features { get; }

    /// <summary>t, the number of targets.</summary>
    public int Targets { get; }

    /// <summary>The grid, in the order given (the default grid runs from the largest λ down).</summary>
    public ReadOnlySpan<double> Lambdas => _lambdas;

    /// <summary>The coefficients, L × p × t: the p × t block of λ index i (row-major, as
    /// <see cref="RidgeModel.Coefficients"/>) starts at i·p·t.</summary>
    public ReadOnlySpan<double> Coefficients => _coefficients;

    /// <summary>The intercepts, L × t (all 0 without an intercept).</summary>
    public ReadOnlySpan<double> Intercepts => _intercepts;

    /// <summary>df(λ) = Σ Λₖ/(Λₖ + λ) per λ, the intercept not counted (as <see cref="RidgeModel.EffectiveDegreesOfFreedom"/>).</summary>
    public ReadOnlySpan<double> DegreesOfFreedom => _degreesOfFreedom;

    /// <summary>The p × t coefficient block of one λ.</summary>
    /// <param name="lambdaIndex">The index into <see cref="Lambdas"/>.</param>
    /// <returns>The coefficients, row-major p × t.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public ReadOnlySpan<double> GetCoefficients(int lambdaIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)lambdaIndex, (uint)_lambdas.Length, nameof(lambdaIndex));
        int block = Features * Targets;
        return _coefficients.AsSpan(lambdaIndex * block, block);
    }

    /// <summary>One coefficient at one λ.</summary>
    /// <param name="lambdaIndex">The index into <see cref="Lambdas"/>.</param>
    /// <param name="feature">The feature j.</param>
    /// <param name="target">The target k (default 0).</param>
    /// <returns>θⱼₖ(λ).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double GetCoefficient(int lambdaIndex, int feature, int target = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)feature, (uint)Features, nameof(feature));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)target, (uint)Targets, nameof(target));
        return GetCoefficients(lambdaIndex)[(feature * Targets) + target];
    }

    /// <summary>Computes the trace from sufficient statistics.</summary>
    /// <param name="statistics">A centered accumulator (see <see cref="GramAccumulator"/>); not changed.</param>
    /// <param name="lambdas">The grid (every value finite and positive), or empty for
    /// <see cref="RidgeCV.DefaultLambdaGrid(GramAccumulator, RidgeOptions)"/>.</param>
    /// <param name="options">Intercept, standardization and penalty factors; λ and per-target λ are ignored.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="ArgumentException">The accumulator is uncentered, holds no weight, or a λ is not positive and finite.</exception>
    /// <exception cref="NotSupportedException">A penalty factor is zero (an unpenalized feature).</exception>
    public static RidgeTrace Compute(GramAccumulator statistics, ReadOnlySpan<double> lambdas, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        RidgeSelection.CheckStatistics(statistics, nameof(statistics));
        RidgeSelection.CheckFactors(options, statistics.Features);
        using var spectral = new SpectralRidge(statistics.Features, statistics.Targets);
        spectral.Load(statistics, options.FitIntercept, options.Standardize, options.PenaltyFactors.Span);
        double[] grid = RidgeSelection.Grid(lambdas, spectral, statistics.RowCount);
        return From(spectral, grid);
    }

    internal static RidgeTrace From(SpectralRidge spectral, double[] grid)
    {
        int p = spectral.Features, t = spectral.Targets, count = grid.Length;
        var coefficients = new double[checked(count * p * t)];
        var intercepts = new double[count * t];
        var df = new double[count];
        for (int i = 0; i < count; i++)
        {
            Span<double> theta = coefficients.AsSpan(i * p * t, p * t);
            spectral.Coefficients(grid[i], theta);
            for (int q = 0; q < t; q++)
            {
                intercepts[(i * t) + q] = spectral.InterceptOf(q, theta);
            }

            df[i] = spectral.DegreesOfFreedom(grid[i]);
        }

        return new RidgeTrace(grid, p, t, coefficients, intercepts, df);
    }

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"RidgeTrace: {Lambdas.Length} λ, p = {Features}, t = {Targets}");
}
