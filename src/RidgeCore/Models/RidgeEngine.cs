using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Models;

/// <summary>
/// The ridge solve behind <see cref="RidgeSolver"/>: from sufficient statistics (and, for in-memory fits, the data)
/// to coefficients, intercepts and diagnostics. Every buffer is allocated here, once, for (p, t); a fit allocates
/// nothing except on the QR fallback.
/// </summary>
/// <remarks>
/// <para><b>Per target group.</b> Targets that share a λ share one factorization of the equilibrated matrix
/// S(G + D)S, with G the (centered or raw) Gram of X, D the diagonal load (Σw·λ·fⱼ, or λ·fⱼ·Gⱼⱼ when standardizing)
/// and S the diagonal of exact powers of two that brings the diagonal of G + D into [1, 4). The scaling adds no rounding
/// and makes the condition estimate independent of the units of the columns, which is what the fallback decision
/// needs. Columns dropped as constant (standardization) are replaced by unit rows and columns with a zero right-hand
/// side, so the factor keeps its order and their coefficients come out exactly 0.</para>
/// <para><b>Outputs</b> are computed into working buffers and copied to the published ones only when the whole fit has
/// succeeded, so a fit that throws leaves the previous results as they were.</para>
/// </remarks>
internal sealed class RidgeEngine : IDisposable
{
    /// <summary>A column whose standard deviation is at most this multiple of |mean| is constant up to rounding: the
    /// centered co-moments of an exactly constant column are sums of squared errors of its accumulated means, which are
    /// off by tens of units in the last place (30 ulps measured for a constant 10⁶ + 0.3 over 5 000 rows), so 256 ulps
    /// leaves room while a real column still needs only a relative spread of 6·10⁻¹⁴ to count.</summary>
    private const double ConstantTolerance = 256 * Epsilon;

    /// <summary>2⁻⁵², the spacing of doubles at 1.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>2⁻¹⁸: the relative precision assumed for statistics accumulated from float data (float products and
    /// partial sums over up to 2 048 rows, about 2⁻²⁴ times a growth factor of 64).</summary>
    private const double FloatStatisticsPrecision = 3.814697265625e-6;

    private const int MaxRefinementSteps = 3;

    private readonly int _p;
    private readonly int _t;
    private readonly int _pp;

    // Statistics: G (p × p, both triangles), B (p × t), Cyy (t × t), means, Σw.
    private readonly double[] _gram;
    private readonly double[] _rhs;
    private readonly double[] _cyy;
    private readonly double[] _meanX;
    private readonly double[] _meanY;
    private double _weightSum;
    private long _rowCount;
    private bool _doublePrecisionStatistics;
    private long _positiveRows;
    private bool _intercept;
    private bool _standardize;

    // Options of the current fit.
    private readonly double[] _lambdas;
    private readonly double[] _factors;
    private readonly bool[] _constant;

    // Per group.
    private readonly double[] _load;
    private readonly double[] _scale;
    private readonly double[] _scaledLoad;
    private readonly double[] _matrix;
    private readonly double[] _block;
    private readonly double[] _column;
    private readonly int[] _group;
    private readonly bool[] _done;
    private CholeskyFactor _factor;

    // Diagnostics computed on first read (see EnsureDiagnostics): the published fit's factor, loads and inactive
    // columns. A later fit factors into _spareFactor, so a fit that fails leaves them intact.
    private CholeskyFactor? _spareFactor;
    private CholeskyFactor? _pendingFactor;
    private readonly double[] _pendingLoads;
    private readonly bool[] _pendingConstant;
    private bool _pendingStandardize;
    private bool _deferredThisFit;

    // Working results.
    private readonly double[] _theta;
    private readonly double[] _intercepts;
    private readonly double[] _r2;
    private readonly double[] _df;
    private readonly double[] _condition;
    private readonly RidgeSolverPath[] _paths;

    // Refinement.
    private readonly double[] _thetaByTarget;
    private readonly double[] _thetaLow;
    private readonly double[] _thetaLowByTarget;
    private readonly double[] _gHigh;
    private readonly double[] _gLow;
    private readonly double[] _mHigh;
    private readonly double[] _mLow;
    private readonly double[] _row;
    private readonly double[] _shift;
    private readonly double[] _xHigh;
    private readonly double[] _xLow;
    private readonly double[] _xSumHigh;
    private readonly double[] _xSumLow;
    private readonly double[] _ySumHigh;
    private readonly double[] _ySumLow;
    private readonly double[] _xShiftSum;
    private readonly double[] _yShiftSum;
    private readonly double[] _xSquaresHigh;
    private readonly double[] _xSquaresLow;
    private readonly double[] _diagonal;
    private readonly double[] _lastStep;
    private readonly int[] _activeGroup;
    private readonly int[] _targets;
    private readonly int[] _loadedColumns;
    private readonly double[] _substitutions;
    private bool _shiftsKnown;

    // QR fallback, allocated when first needed and kept while the row count stays the same.
    private HouseholderQR? _qr;
    private double[] _qrDesign = [];
    private double[] _qrTarget = [];

    /// <summary>Creates the engine and every buffer a fit needs.</summary>
    public RidgeEngine(int features, int targets)
    {
        _p = features;
        _t = targets;
        _pp = RidgeRefinement.PaddedLength(features);
        int p = features, t = targets, pp = _pp;
        _gram = new double[checked(p * p)];
        _rhs = new double[checked(p * t)];
        _cyy = new double[checked(t * t)];
        _meanX = new double[p];
        _meanY = new double[t];
        _lambdas = new double[t];
        _factors = new double[p];
        _constant = new bool[p];
        _load = new double[p];
        _scale = new double[p];
        _scaledLoad = new double[p];
        _matrix = new double[p * p];
        _block = new double[p * t];
        _column = new double[p];
        _group = new int[t];
        _done = new bool[t];
        _factor = new CholeskyFactor(p);
        _pendingLoads = new double[p];
        _pendingConstant = new bool[p];
        _theta = new double[p * t];
        _intercepts = new double[t];
        _r2 = new double[t];
        _df = new double[t];
        _condition = new double[t];
        _paths = new RidgeSolverPath[t];
        _thetaByTarget = new double[pp * t];
        _thetaLow = new double[p * t];
        _thetaLowByTarget = new double[pp * t];
        _gHigh = new double[pp * t];
        _gLow = new double[pp * t];
        _mHigh = new double[t];
        _mLow = new double[t];
        _row = new double[pp];
        _shift = new double[pp];
        _xHigh = new double[pp];
        _xLow = new double[pp];
        _xSumHigh = new double[pp];
        _xSumLow = new double[pp];
        _ySumHigh = new double[t];
        _ySumLow = new double[t];
        _xShiftSum = new double[p];
        _yShiftSum = new double[t];
        _xSquaresHigh = new double[pp];
        _xSquaresLow = new double[pp];
        _diagonal = new double[p];
        _lastStep = new double[t];
        _activeGroup = new int[t];
        _targets = new int[t];
        _loadedColumns = new int[p];
        _substitutions = new double[4 * p];

        Coefficients = new double[p * t];
        Intercepts = new double[t];
        Lambdas = new double[t];
        RSquared = new double[t];
        DegreesOfFreedom = new double[t];
        ConditionNumbers = new double[t];
        Paths = new RidgeSolverPath[t];
    }

    // Published results.
    public double[] Coefficients { get; }

    public double[] Intercepts { get; }

    public double[] Lambdas { get; }

    public double[] RSquared { get; }

    public double[] DegreesOfFreedom { get; }

    public double[] ConditionNumbers { get; }

    public RidgeSolverPath[] Paths { get; }

    public long RowCount { get; private set; }

    public double WeightSum { get; private set; }

    public bool FitIntercept { get; private set; }

    public bool Standardized { get; private set; }

    public bool HasFit { get; private set; }

    public void Dispose()
    {
        // The published diagnostics stay readable after the factors are freed.
        EnsureDiagnostics();
        _factor.Dispose();
        _spareFactor?.Dispose();
        _qr?.Dispose();
    }

    /// <summary>Checks the options against (p, t) and copies the per-target λ and the penalty factors.</summary>
    public void ReadOptions(RidgeOptions options)
    {
        ReadOnlySpan<double> lambdas = options.TargetLambdas.Span;
        if (lambdas.IsEmpty)
        {
            _lambdas.AsSpan().Fill(options.Lambda);
        }
        else
        {
            if (lambdas.Length != _t)
            {
                RidgeThrow.BadOptionLength(nameof(options), nameof(RidgeOptions.TargetLambdas), lambdas.Length, _t, "target");
            }

            for (int k = 0; k < _t; k++)
            {
                if (!(lambdas[k] >= 0) || !double.IsFinite(lambdas[k]))
                {
                    RidgeThrow.BadOptionValue(nameof(options), nameof(RidgeOptions.TargetLambdas), k, lambdas[k], "every λ must be finite and non-negative.");
                }
            }

            lambdas.CopyTo(_lambdas);
        }

        ReadOnlySpan<double> factors = options.PenaltyFactors.Span;
        if (factors.IsEmpty)
        {
            _factors.AsSpan().Fill(1.0);
        }
        else
        {
            if (factors.Length != _p)
            {
                RidgeThrow.BadOptionLength(nameof(options), nameof(RidgeOptions.PenaltyFactors), factors.Length, _p, "feature");
            }

            for (int j = 0; j < _p; j++)
            {
                if (!(factors[j] >= 0) || !double.IsFinite(factors[j]))
                {
                    RidgeThrow.BadOptionValue(nameof(options), nameof(RidgeOptions.PenaltyFactors), j, factors[j], "every penalty factor must be finite and non-negative.");
                }
            }

            factors.CopyTo(_factors);
        }

        _intercept = options.FitIntercept;
        _standardize = options.Standardize;
    }

    /// <summary>Copies the statistics a fit needs out of an accumulator: centered for a fit with an intercept, raw
    /// cross products without (converted from centered statistics when that is what the accumulator holds).</summary>
    public void LoadStatistics(GramAccumulator statistics, long positiveRows)
    {
        int p = _p, t = _t;
        if (_intercept && statistics.Mode == GramMode.Uncentered)
        {
            RidgeThrow.Shape(
                nameof(statistics),
                "An uncentered accumulator (GramMode.Uncentered) holds no means, so it cannot give a fit with an intercept: set FitIntercept = false, or accumulate in GramMode.Centered.");
        }

        if (!(statistics.WeightSum > 0))
        {
            RidgeThrow.NoWeight(nameof(statistics));
        }

        statistics.CopyCxx(_gram);
        statistics.CopyCxy(_rhs);
        statistics.CopyCyy(_cyy);
        statistics.MeanX.CopyTo(_meanX);
        statistics.MeanY.CopyTo(_meanY);
        _weightSum = statistics.WeightSum;
        _rowCount = statistics.RowCount;
        _doublePrecisionStatistics = statistics.DoublePrecisionOnly;
        _positiveRows = positiveRows;
        if (!_intercept && statistics.Mode == GramMode.Centered)
        {
            // Raw cross products from centered ones: XᵀWX = Cxx + Σw·x̄x̄ᵀ, and so on.
            double w = _weightSum;
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    _gram[(i * p) + j] += w * _meanX[i] * _meanX[j];
                }

                for (int k = 0; k < t; k++)
                {
                    _rhs[(i * t) + k] += w * _meanX[i] * _meanY[k];
                }
            }

            for (int k = 0; k < t; k++)
            {
                for (int l = 0; l < t; l++)
                {
                    _cyy[(k * t) + l] += w * _meanY[k] * _meanY[l];
                }
            }

            Array.Clear(_meanX);
            Array.Clear(_meanY);
        }
    }

    /// <summary>Solves every target group and computes intercepts and diagnostics; publishes them on success.</summary>
    /// <param name="options">The (already read) options.</param>
    /// <param name="hasData">Whether x, y and weights are the data the statistics came from (in-memory fit).</param>
    /// <param name="x">X (in-memory fits), or an empty view.</param>
    /// <param name="y">Y (in-memory fits), or an empty view.</param>
    /// <param name="weights">The weights, or empty.</param>
    public void Solve<T>(RidgeOptions options, bool hasData, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_pendingFactor == _factor)
        {
            // The published fit's diagnostics still need its factor: this fit factors into the other one.
            _spareFactor ??= new CholeskyFactor(_p);
            (_factor, _spareFactor) = (_spareFactor, _factor);
        }

        _deferredThisFit = false;
        MarkConstantColumns();
        bool refine = hasData && options.Refine;
        Array.Clear(_xShiftSum);
        Array.Clear(_yShiftSum);
        Array.Clear(_thetaLow);
        _meanX.CopyTo(_shift, 0);
        _shiftsKnown = !(_intercept || _standardize);

        Array.Clear(_done);
        for (int k0 = 0; k0 < _t; k0++)
        {
            if (_done[k0])
            {
                continue;
            }

            double lambda = _lambdas[k0];
            int g = 0;
            for (int k = k0; k < _t; k++)
            {
                if (!_done[k] && _lambdas[k] == lambda)
                {
                    _group[g++] = k;
                    _done[k] = true;
                }
            }

            SolveGroup(options, lambda, _group.AsSpan(0, g), hasData, refine, x, y, weights);
        }

        ComputeInterceptsAndRSquared();
        Publish();
    }

    /// <summary>Whether the published fit's condition estimate and degrees of freedom wait for EnsureDiagnostics.</summary>
    public bool DiagnosticsPending => _pendingFactor is not null;

    /// <summary>Fills in <see cref="ConditionNumbers"/> and <see cref="DegreesOfFreedom"/> of the published fit when
    /// its solve left them for later (a single well-conditioned Cholesky group without refinement): the condition
    /// estimate from its factor, the degrees of freedom from its loads. The values are the ones an eager fit reports.</summary>
    public void EnsureDiagnostics()
    {
        CholeskyFactor? factor = _pendingFactor;
        if (factor is null)
        {
            return;
        }

        double condition = factor.EstimateConditionNumber();
        factor.CopyFactor(_matrix);
        double df = DegreesOfFreedomFromLower(_matrix, _pendingLoads, _pendingConstant, _pendingStandardize);
        for (int k = 0; k < _t; k++)
        {
            _condition[k] = condition;
            _df[k] = df;
            ConditionNumbers[k] = condition;
            DegreesOfFreedom[k] = df;
        }

        _pendingFactor = null;
    }

    /// <summary>
    /// Whether the matrix just factored, A = S(G + D)S (equilibrated, loads d̃ = S²d), is certainly conditioned far
    /// inside <paramref name="limit"/>, without estimating its condition: G is a Gram matrix, so λ_min(A) ≥ min d̃ − ε_G,
    /// where ε_G bounds how far rounding in the accumulated statistics can push SGS below positive semidefinite
    /// (|SES|ᵢⱼ ≤ γ·√(sᵢ²Gᵢᵢ·sⱼ²Gⱼⱼ) &lt; 4γ, γ = (summation depth)·u, so ε_G ≤ 4pγ), and then
    /// cond₁(A) = ‖A‖₁‖A⁻¹‖₁ ≤ ‖A‖₁·√p / λ_min(A). Both the minimum load and the limit keep a wide margin (10⁴ and 10³),
    /// so the answer stays right even if ε_G were underestimated a hundredfold. Statistics with any float rows, or of
    /// unknown origin (deserialized), are taken at float precision.
    /// </summary>
    private bool ConditionSurelyWithin(double limit, bool doublePrecisionData)
    {
        double minimumLoad = double.PositiveInfinity;
        for (int j = 0; j < _p; j++)
        {
            if (!IsActive(j))
            {
                return false;
            }

            minimumLoad = Math.Min(minimumLoad, _scaledLoad[j]);
        }

        double depth = doublePrecisionData ? _rowCount + 64.0 : Math.Min(_rowCount, 2048) + 64.0 + (_rowCount * Math.ScaleB(1.0, -29));
        double roundoff = Math.ScaleB(1.0, doublePrecisionData ? -53 : -24);
        double slack = 4.0 * _p * depth * roundoff;
        if (!(minimumLoad > 1e4 * slack))
        {
            return false;
        }

        double bound = _factor.NormOne * Math.Sqrt(_p) / (minimumLoad - slack);
        return bound <= limit * 1e-3;
    }

    private void MarkConstantColumns()
    {
        for (int j = 0; j < _p; j++)
        {
            double gjj = _gram[(j * _p) + j];
            double tolerance = _intercept ? ConstantTolerance * Math.Abs(_meanX[j]) : 0;
            _constant[j] = !(gjj > _weightSum * tolerance * tolerance);
            _diagonal[j] = gjj;
        }
    }

    private void SolveGroup<T>(
        RidgeOptions options, double lambda, ReadOnlySpan<int> group, bool hasData, bool refine, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = _p;
        PrepareLoads(lambda, group[0]);
        BuildEquilibratedMatrix();

        double limit = options.MaxConditionNumber;
        RidgeFactorization method = options.Factorization;
        if (method == RidgeFactorization.QR)
        {
            if (!hasData)
            {
                RidgeThrow.QRNeedsData(nameof(options));
            }

            SolveGroupByQR(lambda, group, limit, x, y, weights);
            return;
        }

        bool factored = _factor.TryFactor(new MatrixView<double>(_matrix, p, p), _scaledLoad);

        // A single group that is surely well within the limit needs its condition estimate (~5 pairs of triangular
        // solves) and degrees of freedom (p³/6 multiply-adds) only if someone reads them: they wait for EnsureDiagnostics.
        bool defer = factored && !refine && group.Length == _t && ConditionSurelyWithin(limit, _doublePrecisionStatistics);
        double condition = !factored ? double.PositiveInfinity : defer ? double.NaN : _factor.EstimateConditionNumber();
        if (!factored || (!defer && !(condition <= limit)))
        {
            if (hasData && method == RidgeFactorization.Auto)
            {
                SolveGroupByQR(lambda, group, limit, x, y, weights);
                return;
            }

            if (!factored)
            {
                RidgeThrow.FactorizationFailed(new NotPositiveDefiniteException(_factor.FailedPivot, _factor.FailedPivotValue), group[0], lambda, limit, canFallBack: false);
            }

            RidgeThrow.IllConditioned(condition, limit, group[0], lambda, statisticsOnly: !hasData, fallBackDisabled: hasData);
        }

        int g = group.Length;
        Span<double> block = _block.AsSpan(0, p * g);
        for (int j = 0; j < p; j++)
        {
            for (int kk = 0; kk < g; kk++)
            {
                block[(j * g) + kk] = IsActive(j) ? _scale[j] * _rhs[(j * _t) + group[kk]] : 0.0;
            }
        }

        _factor.Solve(block, g);
        for (int j = 0; j < p; j++)
        {
            for (int kk = 0; kk < g; kk++)
            {
                _theta[(j * _t) + group[kk]] = _scale[j] * block[(j * g) + kk];
            }
        }

        RidgeSolverPath path = RidgeSolverPath.Cholesky;
        if (refine)
        {
            Refine(lambda, condition, group, x, y, weights);
            path = RidgeSolverPath.CholeskyRefined;
        }

        double df = double.NaN;
        if (defer)
        {
            _deferredThisFit = true;
        }
        else
        {
            _factor.CopyFactor(_matrix);
            df = DegreesOfFreedomFromLower(_matrix, _scaledLoad, _constant, _standardize);
        }

        foreach (int k in group)
        {
            _condition[k] = condition;
            _df[k] = df;
            _paths[k] = path;
        }
    }

    private bool IsActive(int j) => !(_standardize && _constant[j]);

    /// <summary>The loads dⱼ of one λ, the structural singularity checks, and the power-of-two equilibration.</summary>
    private void PrepareLoads(double lambda, int target)
    {
        int unpenalized = 0;
        for (int j = 0; j < _p; j++)
        {
            double gjj = _gram[(j * _p) + j];
            if (!IsActive(j))
            {
                _load[j] = 0;
                _scale[j] = 1;
                continue;
            }

            // Standardized: Σw·λ·fⱼ·sⱼ² with sⱼ² = Gⱼⱼ/Σw, that is λ·fⱼ·Gⱼⱼ (with Gⱼⱼ recomputed exactly from the data
            // when refining, so that the refined problem is the one the data define, not the accumulated statistics).
            double load = lambda * _factors[j] * (_standardize ? _diagonal[j] : _weightSum);
            _load[j] = load;
            if (load == 0)
            {
                if (_constant[j])
                {
                    RidgeThrow.ConstantColumn(j, target, lambda, _intercept);
                }

                unpenalized++;
            }

            // sⱼ = 2^-⌊e/2⌋ for Gⱼⱼ + dⱼ = m·2^e: the scaled diagonal lies in [1, 4) and every scaled entry is exact.
            double v = gjj + load;
            _scale[j] = v > 0 && double.IsFinite(v) ? Math.ScaleB(1.0, -(Math.ILogB(v) >> 1)) : 1.0;
        }

        long identifiable = _intercept ? _positiveRows - 1 : _positiveRows;
        if (unpenalized > identifiable)
        {
            RidgeThrow.TooFewRows(unpenalized, _positiveRows, target, lambda, _intercept);
        }
    }

    private void BuildEquilibratedMatrix()
    {
        int p = _p;
        Span<double> scale = _column;
        for (int j = 0; j < p; j++)
        {
            // Dropped columns get scale 0 here: their rows and columns vanish, and a unit diagonal is set below.
            scale[j] = IsActive(j) ? _scale[j] : 0.0;
            _scaledLoad[j] = scale[j] * scale[j] * _load[j];
        }

        for (int i = 0; i < p; i++)
        {
            ReadOnlySpan<double> source = _gram.AsSpan(i * p, p);
            Span<double> target = _matrix.AsSpan(i * p, p);
            double si = scale[i];
            for (int j = 0; j < p; j++)
            {
                target[j] = si * scale[j] * source[j];
            }

            if (si == 0)
            {
                target[i] = 1.0;
            }
        }
    }

    /// <summary>
    /// Iterative refinement of one group's coefficients: r = X̃ᵀW(ỹ − X̃θ) − D·θ from the data in compensated
    /// arithmetic, δ from the same factor, θ ← θ + δ, with θ carried as a double-double.
    /// </summary>
    /// <remarks>
    /// Per target it stops when δ no longer halves (and then does not apply it), after three steps, or as soon as the
    /// error left after a step is predicted to lie well below the last bit of θ: each step contracts the error by about
    /// ρ = 4·p·κ·u, with κ the condition estimate of the factored matrix and u the precision of the statistics it was
    /// factored from (2⁻⁵² for double data; 2⁻¹⁸ for float data, whose Gram is accumulated in float), so the error left
    /// after a step δ is about ρ·‖δ‖. Well-conditioned problems (NIST Norris, Pontius, Longley) then need one pass over
    /// the data. Norms are taken on the equilibrated scale, where the coefficients are comparable.
    /// </remarks>
    private void Refine<T>(double lambda, double condition, ReadOnlySpan<int> group, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = _p, pp = _pp, g0 = group.Length;
        double w = _weightSum;
        double contraction = 4.0 * p * condition * (typeof(T) == typeof(float) ? FloatStatisticsPrecision : Epsilon);
        const double Target = 1e-4 * Epsilon;
        for (int kk = 0; kk < g0; kk++)
        {
            _lastStep[kk] = double.PositiveInfinity;
        }

        int g = g0;
        Span<int> active = _activeGroup.AsSpan(0, g0);
        for (int kk = 0; kk < g0; kk++)
        {
            active[kk] = kk;
        }

        for (int step = 0; step < MaxRefinementSteps && g > 0; step++)
        {
            // θ for the active targets, target-major, and the residual pass.
            Span<int> targets = _targets.AsSpan(0, g);
            for (int a = 0; a < g; a++)
            {
                int k = group[active[a]];
                targets[a] = k;
                for (int j = 0; j < p; j++)
                {
                    _thetaByTarget[(a * pp) + j] = _theta[(j * _t) + k];
                    _thetaLowByTarget[(a * pp) + j] = _thetaLow[(j * _t) + k];
                }
            }

            // The first pass of a fit also gathers the exact shift sums (means, spreads) on its way through the data.
            bool gatherShifts = !_shiftsKnown;
            ShiftSums sums = gatherShifts
                ? new ShiftSums(_xSumHigh, _xSumLow, _xSquaresHigh, _xSquaresLow, _ySumHigh.AsSpan(0, _t), _ySumLow.AsSpan(0, _t))
                : default;
            RidgeRefinement.ResidualPass(
                x, y, weights, _shift, _meanY, targets, _thetaByTarget, _thetaLowByTarget, _row, _xHigh, _xLow, _gHigh, _gLow, _mHigh, _mLow, sums);
            if (gatherShifts)
            {
                UseShiftSums(lambda);
            }

            Span<double> block = _block.AsSpan(0, p * g);
            for (int a = 0; a < g; a++)
            {
                double mean = (_mHigh[a] + _mLow[a]) / w;
                for (int j = 0; j < p; j++)
                {
                    double r = 0;
                    if (IsActive(j))
                    {
                        double gradient = (_gHigh[(a * pp) + j] + _gLow[(a * pp) + j]) - (_xShiftSum[j] * mean);
                        r = gradient - (_load[j] * (_thetaByTarget[(a * pp) + j] + _thetaLowByTarget[(a * pp) + j]));
                    }

                    block[(j * g) + a] = _scale[j] * r;
                }
            }

            _factor.Solve(block, g);
            int kept = 0;
            for (int a = 0; a < g; a++)
            {
                int kk = active[a], k = targets[a];
                double stepNorm = 0, thetaNorm = 0;
                for (int j = 0; j < p; j++)
                {
                    stepNorm = Math.Max(stepNorm, Math.Abs(block[(j * g) + a]));
                    thetaNorm = Math.Max(thetaNorm, Math.Abs(_thetaByTarget[(a * pp) + j] / _scale[j]));
                }

                if (step > 0 && !(stepNorm <= 0.5 * _lastStep[kk]))
                {
                    continue; // not contracting: keep θ as it is
                }

                // θ is carried as θ + θlow (renormalized after each step), so the correction is not rounded away: the
                // intercept ȳ − x̄ᵀθ needs θ beyond double precision when |x̄ⱼθⱼ| ≫ |b| (NIST Norris, Pontius).
                for (int j = 0; j < p; j++)
                {
                    int at = (j * _t) + k;
                    double low = _thetaLow[at] + (_scale[j] * block[(j * g) + a]);
                    _theta[at] = Compensated.TwoSum(_theta[at], low, out double rest);
                    _thetaLow[at] = rest;
                }

                _lastStep[kk] = stepNorm;
                if (contraction * stepNorm > Target * thetaNorm)
                {
                    active[kept++] = kk;
                }
            }

            g = kept;
        }
    }

    /// <summary>
    /// Takes the exact statistics gathered by the first refinement pass: with an intercept, Σwᵢ(xᵢ − c) and Σwᵢ(yᵢ − d)
    /// (c, d the accumulator's means), for the centering correction of the gradient and for the intercept; with
    /// standardization, the column sums of squares Gⱼⱼ about the mean (about zero without an intercept), and the
    /// current group's loads recomputed from them. Float input's accumulated statistics carry float rounding, which the
    /// refined solution must not inherit.
    /// </summary>
    private void UseShiftSums(double lambda)
    {
        double w = _weightSum;
        for (int j = 0; j < _p; j++)
        {
            double sum = _xSumHigh[j] + _xSumLow[j];
            if (_intercept)
            {
                _xShiftSum[j] = sum;
            }

            if (_standardize && IsActive(j))
            {
                // Σw(x − x̄)² = Σw(x − c)² − (Σw(x − c))²/Σw; the second term is tiny, c being close to the mean.
                _diagonal[j] = (_xSquaresHigh[j] + _xSquaresLow[j]) - (_intercept ? sum * sum / w : 0);
                _load[j] = lambda * _factors[j] * _diagonal[j];
            }
        }

        if (_intercept)
        {
            for (int k = 0; k < _t; k++)
            {
                _yShiftSum[k] = _ySumHigh[k] + _ySumLow[k];
            }
        }

        _shiftsKnown = true;
    }

    /// <summary>
    /// The fallback for a group whose normal equations cannot be trusted: Householder QR of the weighted, centered,
    /// equilibrated design [√W·(X − 1x̄ᵀ)·S ; √(S·D·S)], rows of weight zero left out. Constant (dropped) columns are
    /// zero with a unit load, so their coefficients come out 0.
    /// </summary>
    private void SolveGroupByQR<T>(double lambda, ReadOnlySpan<int> group, double limit, MatrixView<T> x, MatrixView<T> y, ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = _p, m = checked((int)_positiveRows);
        if (_qr is null || _qr.Rows != m)
        {
            _qr?.Dispose();
            _qr = new HouseholderQR(m, p);
            _qrDesign = new double[checked(m * p)];
            _qrTarget = new double[m];
        }

        bool weighted = !weights.IsEmpty;
        for (int i = 0, r = 0; i < x.Rows; i++)
        {
            double wi = weighted ? RidgeRefinement.ToDouble(weights[i]) : 1.0;
            if (wi == 0)
            {
                continue;
            }

            double root = Math.Sqrt(wi);
            ReadOnlySpan<T> xi = x.Row(i);
            for (int j = 0; j < p; j++)
            {
                _qrDesign[(r * p) + j] = IsActive(j) ? root * (RidgeRefinement.ToDouble(xi[j]) - _meanX[j]) * _scale[j] : 0.0;
            }

            r++;
        }

        // The loads of [X̃; √D̃]: dropped columns get 1 so that R stays regular; their right-hand side is zero.
        Span<double> qrLoad = _column;
        for (int j = 0; j < p; j++)
        {
            qrLoad[j] = IsActive(j) ? _scaledLoad[j] : 1.0;
        }

        _qr.Factor(new MatrixView<double>(_qrDesign, m, p), qrLoad);
        double condition = _qr.EstimateConditionNumber();
        if (!(condition <= limit))
        {
            RidgeThrow.IllConditioned(condition, limit, group[0], lambda, statisticsOnly: false);
        }

        Span<double> solution = _block.AsSpan(0, p);
        foreach (int k in group)
        {
            for (int i = 0, r = 0; i < x.Rows; i++)
            {
                double wi = weighted ? RidgeRefinement.ToDouble(weights[i]) : 1.0;
                if (wi != 0)
                {
                    _qrTarget[r++] = Math.Sqrt(wi) * (RidgeRefinement.ToDouble(y[i, k]) - _meanY[k]);
                }
            }

            try
            {
                _qr.SolveLeastSquares(_qrTarget, solution);
            }
            catch (NotPositiveDefiniteException e)
            {
                RidgeThrow.FactorizationFailed(e, k, lambda, limit, canFallBack: true);
            }

            for (int j = 0; j < p; j++)
            {
                _theta[(j * _t) + k] = IsActive(j) ? _scale[j] * solution[j] : 0.0;
            }
        }

        // (X̃ᵀX̃ + D̃) = RᵀR, so Rᵀ plays the part of the Cholesky factor for the degrees of freedom.
        _qr.CopyR(_matrix);
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < i; j++)
            {
                _matrix[(i * p) + j] = _matrix[(j * p) + i];
                _matrix[(j * p) + i] = 0;
            }
        }

        double df = DegreesOfFreedomFromLower(_matrix, _scaledLoad, _constant, _standardize);
        foreach (int k in group)
        {
            _condition[k] = condition;
            _df[k] = df;
            _paths[k] = RidgeSolverPath.QR;
        }
    }

    /// <summary>
    /// df(λ) = tr((G + D)⁻¹G) = (active columns) − tr((G + D)⁻¹D) = (active columns) − Σⱼ d̃ⱼ‖L⁻¹eⱼ‖², from the lower
    /// factor L of the equilibrated matrix (L·Lᵀ = S(G + D)S, d̃ = S²d). Column j of L⁻¹ is zero above j, so the forward
    /// substitutions cost p³/6 multiply-adds in all, and only columns with a load are needed.
    /// </summary>
    /// <remarks>
    /// The columns go four at a time: each row of L is read once for four substitutions, and the four running dot
    /// products are independent chains (one column alone is a chain of dependent dot products and divisions, bound
    /// by latency; it cost four times as much at p = 32).
    /// </remarks>
    private unsafe double DegreesOfFreedomFromLower(double[] lower, double[] scaledLoad, bool[] constant, bool standardize)
    {
        int p = _p, active = 0, loaded = 0;
        Span<int> columns = _loadedColumns;
        for (int j = 0; j < p; j++)
        {
            if (!(standardize && constant[j]))
            {
                active++;
                if (scaledLoad[j] > 0)
                {
                    columns[loaded++] = j;
                }
            }
        }

        double trace = 0;
        fixed (double* l = lower, inverse = _column, z = _substitutions)
        {
            for (int i = 0; i < p; i++)
            {
                inverse[i] = 1.0 / l[((nint)i * p) + i];
            }

            double* z0 = z, z1 = z + p, z2 = z + (2 * p), z3 = z + (3 * p);
            for (int c = 0; c < loaded; c += 4)
            {
                // Up to four columns j0 ≤ j1 ≤ j2 ≤ j3 (missing ones repeat j0 with weight 0).
                int j0 = columns[c];
                int j1 = c + 1 < loaded ? columns[c + 1] : j0;
                int j2 = c + 2 < loaded ? columns[c + 2] : j0;
                int j3 = c + 3 < loaded ? columns[c + 3] : j0;
                double sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
                for (int i = j0; i < p; i++)
                {
                    double* row = l + ((nint)i * p);
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int k = j0;
                    if (Vector256.IsHardwareAccelerated && Tier.Family >= KernelFamily.Vector256)
                    {
                        // Four dot products of row i with z₀..z₃ at once, four lanes at a time (z is zero below j₀).
                        Vector256<double> d0 = default, d1 = default, d2 = default, d3 = default;
                        for (; k + 4 <= i; k += 4)
                        {
                            Vector256<double> lik = Vector256.Load(row + k);
                            d0 = SimdOps.MulAdd(lik, Vector256.Load(z0 + k), d0);
                            d1 = SimdOps.MulAdd(lik, Vector256.Load(z1 + k), d1);
                            d2 = SimdOps.MulAdd(lik, Vector256.Load(z2 + k), d2);
                            d3 = SimdOps.MulAdd(lik, Vector256.Load(z3 + k), d3);
                        }

                        s0 = Vector256.Sum(d0);
                        s1 = Vector256.Sum(d1);
                        s2 = Vector256.Sum(d2);
                        s3 = Vector256.Sum(d3);
                    }

                    for (; k < i; k++)
                    {
                        double lik = row[k];
                        s0 += lik * z0[k];
                        s1 += lik * z1[k];
                        s2 += lik * z2[k];
                        s3 += lik * z3[k];
                    }

                    double v0 = ((i == j0 ? 1.0 : 0.0) - s0) * inverse[i];
                    double v1 = ((i == j1 ? 1.0 : 0.0) - s1) * inverse[i];
                    double v2 = ((i == j2 ? 1.0 : 0.0) - s2) * inverse[i];
                    double v3 = ((i == j3 ? 1.0 : 0.0) - s3) * inverse[i];
                    z0[i] = v0;
                    z1[i] = v1;
                    z2[i] = v2;
                    z3[i] = v3;
                    sum0 += v0 * v0;
                    sum1 += v1 * v1;
                    sum2 += v2 * v2;
                    sum3 += v3 * v3;
                }

                trace += scaledLoad[j0] * sum0;
                trace += c + 1 < loaded ? scaledLoad[j1] * sum1 : 0;
                trace += c + 2 < loaded ? scaledLoad[j2] * sum2 : 0;
                trace += c + 3 < loaded ? scaledLoad[j3] * sum3 : 0;
            }
        }

        return active - trace;
    }

    private void ComputeInterceptsAndRSquared()
    {
        int p = _p, t = _t;
        Span<double> theta = _column;
        for (int k = 0; k < t; k++)
        {
            for (int j = 0; j < p; j++)
            {
                theta[j] = _theta[(j * t) + k];
            }

            _intercepts[k] = _intercept ? Intercept(k, theta) : 0.0;

            // RSS = Cyy − 2θᵀB + θᵀGθ holds for any θ (refined or from QR); TSS is Cyy (about the mean with an
            // intercept, about zero without).
            double tss = _cyy[(k * t) + k], cross = 0, quadratic = 0;
            for (int i = 0; i < p; i++)
            {
                cross += theta[i] * _rhs[(i * t) + k];
                quadratic += theta[i] * VectorPrimitives.Dot(_gram.AsSpan(i * p, p), theta);
            }

            double rss = Math.Max(0, tss - (2 * cross) + quadratic);
            _r2[k] = tss > 0 ? 1 - (rss / tss) : double.NaN;
        }
    }

    /// <summary>
    /// b = ȳ − x̄ᵀθ with the exact means x̄ = c + Σwᵢ(xᵢ − c)/Σw (c, d the rounded means, the shift sums zero unless
    /// refinement computed them) and θ + θlow (θlow the part of a refined θ below its last bit), summed in compensated arithmetic: the terms x̄ⱼθⱼ can be far larger than b (NIST
    /// Norris: about 400 against b ≈ −0.26), so rounding them, or the means, would cost digits of b.
    /// </summary>
    private double Intercept(int k, ReadOnlySpan<double> theta)
    {
        double s = _meanY[k], e = 0, correction = _yShiftSum[k];
        for (int j = 0; j < _p; j++)
        {
            double q = Compensated.TwoProduct(-_meanX[j], theta[j], out double qe);
            s = Compensated.TwoSum(s, q, out double se);
            e += se + qe;
            correction -= (_xShiftSum[j] * theta[j]) + (_weightSum * _meanX[j] * _thetaLow[(j * _t) + k]);
        }

        return s + (e + (correction / _weightSum));
    }

    private void Publish()
    {
        _theta.AsSpan().CopyTo(Coefficients);
        _intercepts.AsSpan().CopyTo(Intercepts);
        _lambdas.AsSpan().CopyTo(Lambdas);
        _r2.AsSpan().CopyTo(RSquared);
        _df.AsSpan().CopyTo(DegreesOfFreedom);
        _condition.AsSpan().CopyTo(ConditionNumbers);
        _paths.AsSpan().CopyTo(Paths);
        if (_deferredThisFit)
        {
            _pendingFactor = _factor;
            _scaledLoad.AsSpan().CopyTo(_pendingLoads);
            _constant.AsSpan().CopyTo(_pendingConstant);
            _pendingStandardize = _standardize;
        }
        else
        {
            _pendingFactor = null;
        }

        RowCount = _rowCount;
        WeightSum = _weightSum;
        FitIntercept = _intercept;
        Standardized = _standardize;
        HasFit = true;
    }
}
