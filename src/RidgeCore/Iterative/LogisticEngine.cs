using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using RidgeCore.Kernels.Iterative;

namespace RidgeCore.Iterative;

/// <summary>
/// Newton's method for L2 logistic regression in its IRLS form, accelerated by nested row subsamples and chord
/// (modified-Newton) steps. A Hessian is one weighted Gram (<see cref="GramAccumulator"/> with weights
/// vᵢ = wᵢ·pᵢ(1 − pᵢ), centered about the v-weighted means so the unpenalized intercept drops out exactly as in ridge)
/// and one Cholesky factorization with diagonal load 2λ; every step is checked by a backtracking (Armijo) line search
/// whose trial evaluation — one fused pass of the batch kernel over the rows — also yields the next gradient. The
/// passes store the margins and leave out the loss (a logarithm per row, a third of a pass's time): the line search
/// accepts most steps by the gradient or by a proven bound on the objective's change (<see cref="ArmijoBound"/>) and
/// sums the loss from the margins only when neither decides, and once for the result.
/// </summary>
/// <remarks>
/// <para><b>The Newton system.</b> With g the gradient of F(b, θ) = (1/W)Σ wᵢℓᵢ + λ‖θ‖² (W = Σw) and H its Hessian,
/// eliminating the intercept's row of H·d = −g leaves (Cxx(v)/W + 2λ·I)·dθ = −(Σ wᵢ(pᵢ − yᵢ)(xᵢ − x̄)/W + 2λθ) and
/// db = −(Σ wᵢ(pᵢ − yᵢ)/W)/(V/W) − x̄·dθ, where x̄ and Cxx(v) are the v-weighted mean and co-moment and V = Σv. The
/// load is 2λ rather than ridge's λ because the log-loss has no factor 2 in its gradient while λ‖θ‖² does. Everything
/// is divided by the weight sum of the rows it was computed from, so a factor built on a subsample is an estimate of
/// the full-data Hessian and can be used on the full data as it is.</para>
/// <para><b>Why an inexact Hessian gives the exact answer.</b> A step θ ← θ − H̃⁻¹g(θ) with any fixed symmetric
/// positive definite H̃ has its fixed points exactly where g = 0: the Hessian only sets the convergence rate, which is
/// ‖I − H̃⁻¹H‖ near the optimum. The gradient, computed in double over all rows, decides where the iteration stops, so
/// the answer and the stopping test (every gradient component below <see cref="LogisticOptions.Tolerance"/>) are
/// those of plain Newton.</para>
/// <para><b>The path</b> (when n is large enough, see <see cref="MinimumSubsampleRows"/>):</para>
/// <list type="number">
/// <item>Newton on deterministic row subsamples (about one row in 4ᵏ, taken as short blocks of consecutive rows spread
/// evenly over X, see <see cref="LevelLayout"/>; coarsest first, as many levels as leave at least
/// <see cref="MinimumSubsampleRows"/> and 16·p rows), each level started from the previous level's solution
/// and stopped once its own gradient fell tenfold (a hundredfold on the first level, which starts from zero). A
/// level's Gram costs a fraction of a full one, and its optimum lies within sampling error of the full optimum, so
/// the next level needs about one Newton step.</item>
/// <item>On all rows, chord steps with the last level's factor: each is one fused O(np) pass (margins,
/// probabilities and gradient) and one small solve. The step's matrix starts as the factor's Hessian over
/// (θ, b) and is refined after every step by a BFGS update from the step and the change of the gradient, so the steps
/// learn the directions in which the subsample Hessian is wrong (on the benchmark's 10⁵ × 64 problem, 6 chord steps
/// instead of 9 to a 10⁻¹⁰ gradient; on ill-conditioned or nearly separable data it can cost a step more). The
/// (p + 1)² matrix is refactored after each update, O(p³/3), small against the O(np) pass. The Hessian is rebuilt on
/// all rows only when a step contracted the gradient by less than <see cref="ChordRateLimit"/>, or needed the line search to
/// shorten it; from then on the rule is the same with the new factor, so a poor estimate (ill-conditioned or nearly
/// separable data) falls back to full Newton.</item>
/// </list>
/// <para>If a subsample level fails (its weighted Gram is singular, or Newton stalls or runs out of steps on it, as on
/// data that are separable within the subsample), the fit forgets that level's progress and continues from the last
/// good point with plain Newton on all rows. Small problems skip the subsample levels and run plain Newton, reusing a
/// factor near the optimum while each reuse gains at least tenfold.</para>
/// <para>The right-hand side is formed from the gradient directly rather than from IRLS's working response
/// zᵢ = mᵢ + (yᵢ − pᵢ)/(pᵢ(1 − pᵢ)), which overflows where a point is confidently misclassified.</para>
/// </remarks>
internal sealed class LogisticEngine : IDisposable
{
    /// <summary>The chord rate above which the Hessian is rebuilt on all rows: a step that shrinks the largest
    /// gradient component less than this (gmax_new / gmax_old) costs a pass for little gain, and a fresh Hessian
    /// (n·p² flops, about p/2 passes' worth of work) restores Newton's rate.</summary>
    internal const double ChordRateLimit = 0.3;

    /// <summary>Plain path only: the gradient size below which a Newton step may reuse the previous factor.</summary>
    private const double HessianReuseGradient = 1e-4;

    /// <summary>The most Newton steps on one subsample level before it counts as failed.</summary>
    private const int LevelIterationLimit = 25;

    /// <summary>Each subsample level keeps about a quarter of the rows of the next finer one.</summary>
    private const int LevelStride = 4;

    /// <summary>The most rows in one block of a subsample level: 128 rows of p = 64 doubles are 64 KiB, long enough
    /// for the passes and the Gram to stream them at memory speed. Measured on Zen 5 (10⁵ × 64, a quarter of the
    /// rows): the weighted Gram of every 4th row took 3.0–3.4 ms, of blocks of 32 rows 3.3, of 64 rows 2.6, of 128
    /// rows 2.3 and of 256 rows 2.2 (2.0–2.2 ms for the first quarter of X, contiguous); single rows 2 KiB apart
    /// draw the hardware prefetcher into the rows between them.</summary>
    internal const int LevelBlockRowsLimit = 128;

    /// <summary>The fewest blocks a subsample level is cut into while its blocks can shrink (down to single rows):
    /// blocks spread over the whole of X, so a level samples data sorted by label or by a feature almost as evenly as
    /// single rows would.</summary>
    internal const int LevelBlocks = 32;

    private readonly int _p;
    private readonly GramAccumulator _gram;
    private readonly CholeskyFactor _factor;
    private readonly double[] _cxx;
    private readonly double[] _xbar;
    private readonly double[] _rhs;
    private readonly double[] _theta;
    private readonly double[] _trial;
    private readonly double[] _gradient;
    private readonly double[] _trialGradient;
    private readonly double[] _savedTheta;
    private readonly double[] _blockGradient; // one block's gradient on a subsample level
    // Two n-long buffers, rented from the shared pool (a fit per call allocating 1.6 MB on the large-object heap cost
    // a full collection every other fit): only the entries a pass wrote are ever read.
    private double[] _margins = []; // margins of the current point (written by the pass that evaluated it)
    private double[] _scratch = []; // a trial point's margins, or the IRLS weights while a Hessian is built
    private double _objectiveSize; // the last objective computed: its size decides whether F can resolve a step
    private double[] _zeros = [];
    private double _vbar; // V/W of the rows the factor was built from
    private int _hessians;

    // The chord phase's quasi-Newton matrix B over (θ, b): built from the last factor's statistics, refined by BFGS.
    private readonly int _m; // p + 1 with an intercept, else p
    private readonly CholeskyFactor _quasiFactor;
    private readonly double[] _quasi; // B, m × m row-major
    private readonly double[] _step; // s, then B·s
    private readonly double[] _change; // y
    private readonly double[] _direction;
    private bool _quasiReady;

    public LogisticEngine(int features, bool intercept)
    {
        _p = features;
        _gram = new GramAccumulator(features, 1, intercept ? GramMode.Centered : GramMode.Uncentered);
        _factor = new CholeskyFactor(features);
        _cxx = new double[features * features];
        _xbar = new double[features];
        _rhs = new double[features];
        _theta = new double[features];
        _trial = new double[features];
        _gradient = new double[features];
        _trialGradient = new double[features];
        _savedTheta = new double[features];
        _blockGradient = new double[features];
        _m = features + (intercept ? 1 : 0);
        _quasiFactor = new CholeskyFactor(_m);
        _quasi = new double[_m * _m];
        _step = new double[_m];
        _change = new double[_m];
        _direction = new double[_m];
    }

    /// <summary>Passes over all rows in the last fit (the first evaluation and every line-search trial): the work
    /// measure of the chord phase.</summary>
    internal int FullPasses { get; private set; }

    /// <summary>The fewest rows a subsample level may have (it must also have at least 16·p). Below
    /// 4 × this many rows the fit is plain Newton. Tests lower it to reach the accelerated path on small data.</summary>
    internal int MinimumSubsampleRows { get; set; } = 1024;

    /// <summary>Whether the chord phase refines its matrix by BFGS updates (default); tests turn it off to compare.</summary>
    internal bool QuasiNewton { get; set; } = true;

    /// <summary>BFGS updates applied in the last fit's chord phase.</summary>
    internal int QuasiUpdates { get; private set; }

    /// <summary>θ of the last <see cref="FitInPlace"/> (its other results are in the summary it returned).</summary>
    internal ReadOnlySpan<double> Theta => _theta;

    /// <summary>Fits and returns the model (allocates the result; <see cref="FitInPlace"/> does not).</summary>
    public LogisticModel Fit(MatrixView<double> x, ReadOnlySpan<double> y, LogisticOptions options, ReadOnlySpan<double> w)
        => Model(FitInPlace(x, y, options, w), _theta);

    /// <summary>The model of a fit's summary and coefficients (copied).</summary>
    internal static LogisticModel Model(in LogisticFitSummary fit, ReadOnlySpan<double> theta)
    {
        var coefficients = theta.ToArray();
        var result = new IterativeFitResult(coefficients, fit.Intercept, fit.Iterations, fit.Objective, fit.StopReason, fit.Lambda)
        {
            HessianUpdates = fit.HessianUpdates,
            SubsampleIterations = fit.SubsampleIterations,
        };
        return new LogisticModel(coefficients, fit.Intercept, fit.WeightSum, result);
    }

    /// <summary>Fits, leaving θ in <see cref="Theta"/>; allocates nothing once the margin buffers have grown to n.</summary>
    public LogisticFitSummary FitInPlace(MatrixView<double> x, ReadOnlySpan<double> y, LogisticOptions options, ReadOnlySpan<double> w)
    {
        int n = x.Rows, p = _p;
        IterativeInput.CheckShape(x, y.Length, "labels", w);

        // X is not scanned for NaN and ±∞ up front (that scan cost ~10 % of a fit): every pass checks its sums, which a
        // non-finite value in any of its rows makes non-finite, and every row is in the first pass over all rows; a
        // failing pass scans X for the first offending value (see Evaluate). Labels and weights are checked here.
        IterativeInput.CheckBinary(y, "labels");
        double weightSum = IterativeInput.CheckWeights(w, n);
        if (_margins.Length < n)
        {
            ReturnBuffers();
            _margins = ArrayPool<double>.Shared.Rent(n);
            _scratch = ArrayPool<double>.Shared.Rent(n);
        }

        bool intercept = options.FitIntercept;
        double positive = w.IsEmpty ? VectorPrimitives.Sum(y) : VectorPrimitives.Dot(w, y);

        double mean = Math.Clamp(positive / weightSum, 1e-12, 1 - 1e-12);
        double b = intercept ? Math.Log(mean / (1 - mean)) : 0;
        Array.Clear(_theta);
        _objectiveSize = double.NaN;
        _hessians = 0;
        FullPasses = 0;
        QuasiUpdates = 0;

        // Subsample levels, coarsest first: about n/4^k rows for every k ≥ 1 that leaves enough rows.
        int minimumRows = Math.Max(MinimumSubsampleRows, 16 * p);
        int coarsest = 1;
        while ((long)coarsest * LevelStride * minimumRows <= n)
        {
            coarsest *= LevelStride;
        }

        int subsampleIterations = 0;
        bool haveFactor = false;
        for (int stride = coarsest; stride > 1; stride /= LevelStride)
        {
            var level = Level(x, y, w, stride);
            if (!(level.WeightSum > 0))
            {
                continue;
            }

            _theta.CopyTo(_savedTheta, 0);
            double savedB = b;
            Outcome outcome = Run(level, ref b, options, LevelIterationLimit, firstLevel: stride == coarsest, chord: false, reuseAtStart: false);
            subsampleIterations += outcome.Iterations;
            if (outcome.Reason != IterativeStopReason.Tolerance)
            {
                // Separable within the subsample, singular there, or stalled: forget the level and go to all rows.
                _savedTheta.CopyTo(_theta, 0);
                b = savedB;
                haveFactor = false;
                break;
            }

            haveFactor = true;
        }

        var all = new LevelData(x, y, w, weightSum);
        Outcome final = Run(all, ref b, options, options.MaxIterations, firstLevel: false, chord: haveFactor, reuseAtStart: haveFactor);
        return new LogisticFitSummary(b, final.Iterations, subsampleIterations, _hessians, final.Objective, final.Reason, weightSum, options.Lambda);
    }

    public void Dispose()
    {
        _gram.Dispose();
        _factor.Dispose();
        _quasiFactor.Dispose();
        ReturnBuffers();
    }

    private void ReturnBuffers()
    {
        if (_margins.Length > 0)
        {
            ArrayPool<double>.Shared.Return(_margins);
            ArrayPool<double>.Shared.Return(_scratch);
            _margins = _scratch = [];
        }
    }

    /// <summary>The blocks of the subsample level that keeps about one row in <paramref name="stride"/>: blocks of
    /// <c>BlockRows</c> consecutive rows starting at rows 0, <c>Spacing</c>, 2·<c>Spacing</c>, … (Spacing = stride ·
    /// BlockRows; the last block ends at row n). BlockRows is n/(stride·<see cref="LevelBlocks"/>) clamped to
    /// 1 … <see cref="LevelBlockRowsLimit"/>: at least <see cref="LevelBlocks"/> blocks while blocks of one row
    /// allow it, as long as streaming them costs no more than a contiguous range would. Tests use it to build data
    /// whose subsample rows differ from the rest.</summary>
    internal static (int BlockRows, int Spacing) LevelLayout(int n, int stride)
    {
        int blockRows = (int)Math.Clamp((long)n / ((long)stride * LevelBlocks), 1, LevelBlockRowsLimit);
        return (blockRows, blockRows * stride);
    }

    /// <summary>The subsample level of about n/<paramref name="stride"/> rows (<see cref="LevelLayout"/>) as a problem
    /// of its own; its rows keep their indices into X, the labels, the weights and the margins.</summary>
    private static LevelData Level(MatrixView<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, int stride)
    {
        (int blockRows, int spacing) = LevelLayout(x.Rows, stride);
        double weightSum = 0;
        foreach ((int first, int count) in new LevelBlockList(x.Rows, blockRows, spacing))
        {
            weightSum += w.IsEmpty ? count : VectorPrimitives.Sum(w.Slice(first, count));
        }

        return new LevelData(x, y, w, weightSum, blockRows, spacing, isFull: false);
    }

    /// <summary>One fused pass over the rows of <paramref name="d"/> at (<paramref name="theta"/>, b): the margins into
    /// <paramref name="margins"/> (at the rows' own indices), the unnormalized loss gradient into
    /// <paramref name="gradient"/>, and the sums, without the loss itself (<see cref="Objective"/> sums it from the
    /// margins when a step needs it). A NaN or ±∞ anywhere in those rows of X makes the sums or the gradient
    /// non-finite (its margin is, and so is its term d·x even where d = 0); then X is scanned and the first offending
    /// value throws, before anything else happens. Finite X whose sums overflow go on as before.</summary>
    private BatchSums<double> Evaluate(in LevelData d, ReadOnlySpan<double> theta, double b, Span<double> gradient, double[] margins)
    {
        int p = _p;
        ref double x0 = ref MemoryMarshal.GetReference(d.X.Data);
        var loss = default(LogisticLoss<double>);
        BatchSums<double> sums;
        if (d.IsFull)
        {
            int n = d.X.Rows;
            sums = BatchGradientKernel.Run(loss, ref x0, d.X.RowStride, p, default, 0, n, d.Y, d.W, theta, 1.0, b, gradient, computeLoss: false, margins: margins.AsSpan(0, n), streams: true);
            FullPasses++;
        }
        else
        {
            // Block by block, each one's rows requested ahead while the previous block computes.
            gradient.Clear();
            double weightSum = 0, derivativeSum = 0;
            int n = d.X.Rows;
            foreach ((int first, int count) in d.Blocks)
            {
                int next = first + d.Spacing;
                int nextCount = next < n ? Math.Min(d.BlockRows, n - next) : 0;
                BatchSums<double> block = BatchGradientKernel.Run(loss, ref x0, d.X.RowStride, p, default, first, count, d.Y, d.W, theta, 1.0, b, _blockGradient, computeLoss: false, margins: margins.AsSpan(0, n), availableRows: count, nextFirst: next, nextCount: nextCount);
                VectorPrimitives.ScaleAdd(1.0, gradient, 1.0, _blockGradient);
                weightSum += block.WeightSum;
                derivativeSum += block.DerivativeSum;
            }

            sums = new BatchSums<double>(weightSum, derivativeSum, 0);
        }

        if (!double.IsFinite(sums.DerivativeSum + VectorPrimitives.Sum(gradient)))
        {
            IterativeInput.CheckFinite(d.X, "x");
        }

        return sums;
    }

    /// <summary>F = (1/W)·Σ wᵢℓᵢ + λ‖θ‖² over the rows of <paramref name="d"/>, from the margins a pass stored.</summary>
    private double Objective(in LevelData d, double[] margins, ReadOnlySpan<double> theta, double lambda)
    {
        double lossSum = 0;
        foreach ((int first, int count) in d.Blocks)
        {
            lossSum += LogisticLoss<double>.Sum(margins.AsSpan(first, count), d.Y.Slice(first, count), d.W.IsEmpty ? default : d.W.Slice(first, count));
        }

        double objective = (lossSum / d.WeightSum) + (lambda * VectorPrimitives.SumOfSquares(theta));
        _objectiveSize = Math.Abs(objective);
        return objective;
    }

    /// <summary>Newton (or chord) steps on one set of rows until every gradient component is at most the tolerance
    /// (on a subsample level: at most a tenth, on the first level a hundredth, of its size at entry, or the tolerance,
    /// whichever is larger: a level's optimum is only within sampling error of the next one's, so more is wasted; one
    /// Newton step usually suffices on every level after the first).</summary>
    private Outcome Run(in LevelData d, ref double b, LogisticOptions options, int maxIterations, bool firstLevel, bool chord, bool reuseAtStart)
    {
        int p = _p;
        bool intercept = options.FitIntercept;
        double lambda = options.Lambda, weightSum = d.WeightSum;
        bool subsample = !d.IsFull;
        BatchSums<double> sums = Evaluate(d, _theta, b, _gradient, _margins);

        // The objective is summed from the margins only when a step's test needs it (see the line search) and at the end.
        double objective = double.NaN;
        if (double.IsNaN(_objectiveSize))
        {
            objective = Objective(d, _margins, _theta, lambda);
        }

        double derivativeSum = sums.DerivativeSum;
        int iteration = 0;
        bool factored = reuseAtStart;
        bool lastStepFull = true;
        _quasiReady = chord && reuseAtStart && QuasiNewton && BuildQuasi(lambda, intercept);
        double previousGmax = double.PositiveInfinity, stopAt = options.Tolerance;
        while (true)
        {
            double gmax = GradientMax(_gradient, _theta, derivativeSum, weightSum, lambda, intercept);
            if (iteration == 0 && subsample)
            {
                stopAt = Math.Max(options.Tolerance, gmax * (firstLevel ? 1e-2 : 1e-1));
            }

            if (gmax <= stopAt)
            {
                return Finish(d, iteration, IterativeStopReason.Tolerance, objective, lambda);
            }

            if (iteration == maxIterations)
            {
                return Finish(d, iteration, IterativeStopReason.MaxIterations, objective, lambda);
            }

            iteration++;
            double rate = gmax / previousGmax;
            bool reuse = factored && (iteration == 1 ? reuseAtStart
                : chord ? lastStepFull && rate <= ChordRateLimit
                : !subsample && gmax <= HessianReuseGradient && rate <= 0.1);
            previousGmax = gmax;
            if (!reuse)
            {
                if (!Factor(d, weightSum, lambda, intercept))
                {
                    return Finish(d, iteration, IterativeStopReason.Stalled, objective, lambda);
                }

                factored = true;
                _quasiReady = chord && QuasiNewton && BuildQuasi(lambda, intercept);
            }

            double db = 0;
            if (_quasiReady)
            {
                // Chord phase: the direction from B, the factor's Hessian refined by the BFGS updates of earlier steps.
                for (int j = 0; j < p; j++)
                {
                    _direction[j] = -((_gradient[j] / weightSum) + (2 * lambda * _theta[j]));
                }

                if (intercept)
                {
                    _direction[p] = -(derivativeSum / weightSum);
                }

                _quasiFactor.Solve(_direction);
                _direction.AsSpan(0, p).CopyTo(_rhs);
                db = intercept ? _direction[p] : 0;
            }
            else
            {
                // The Newton (or chord) direction from the normalized system (see the remarks).
                for (int j = 0; j < p; j++)
                {
                    _rhs[j] = -((_gradient[j] / weightSum) + (2 * lambda * _theta[j]) - (intercept ? derivativeSum / weightSum * _xbar[j] : 0));
                }

                _factor.Solve(_rhs);
                if (intercept)
                {
                    db = -(derivativeSum / weightSum / _vbar) - VectorPrimitives.Dot(_xbar, _rhs);
                }
            }

            // Directional derivative gᵀd (negative: H̃ is positive definite).
            double slope = intercept ? derivativeSum / weightSum * db : 0;
            for (int j = 0; j < p; j++)
            {
                slope += ((_gradient[j] / weightSum) + (2 * lambda * _theta[j])) * _rhs[j];
            }

            if (!(slope < 0))
            {
                return Finish(d, iteration, IterativeStopReason.Stalled, objective, lambda);
            }

            bool accepted = false;
            double t = 1;
            for (int attempt = 0; attempt < 50 && !accepted; attempt++, t *= 0.5)
            {
                for (int j = 0; j < p; j++)
                {
                    _trial[j] = _theta[j] + (t * _rhs[j]);
                }

                double bt = b + (t * db);
                BatchSums<double> trial = Evaluate(d, _trial, bt, _trialGradient, _scratch);

                // Armijo, or a full step whose change is at rounding level (near the optimum the predicted decrease
                // −gᵀd/2 falls below what F can resolve, and a strict test would reject the exact Newton step). When
                // even the predicted decrease is below F's resolution (a sum of n rounded terms), F's differences are
                // noise, and a step is judged by what it does to the gradient instead. Two tests that need no objective
                // go first, that one and a bound that proves Armijo (ArmijoBound); when either accepts, neither
                // objective is summed (F's size, which only decreases, comes from the last one summed).
                bool resolvable = -slope * t > 1e-11 * Math.Max(1, _objectiveSize);
                double ft = double.NaN;
                bool better = (!resolvable && GradientMax(_trialGradient, _trial, trial.DerivativeSum, weightSum, lambda, intercept) < gmax)
                    || ArmijoBound(d, t, slope, TrialSlope(db, trial.DerivativeSum, weightSum, lambda, intercept)) <= 1e-4 * t * slope;
                if (!better)
                {
                    if (double.IsNaN(objective))
                    {
                        objective = Objective(d, _margins, _theta, lambda);
                    }

                    ft = Objective(d, _scratch, _trial, lambda);
                }

                if (better || ft <= objective + (1e-4 * t * slope) || (t == 1 && ft - objective <= 1e-15 * Math.Abs(objective)))
                {
                    accepted = true;
                    lastStepFull = t == 1;
                    if (_quasiReady)
                    {
                        _quasiReady = UpdateQuasi(t, db, trial.DerivativeSum - derivativeSum, weightSum, lambda, intercept);
                    }

                    _trial.CopyTo(_theta, 0);
                    _trialGradient.CopyTo(_gradient, 0);
                    (_margins, _scratch) = (_scratch, _margins);
                    b = bt;
                    objective = ft;
                    derivativeSum = trial.DerivativeSum;
                }
            }

            if (!accepted)
            {
                return Finish(d, iteration, IterativeStopReason.Stalled, objective, lambda);
            }
        }
    }

    /// <summary>An upper bound on F(x + t·d) − F(x) from the slopes at both ends and the margins, without a logarithm.
    /// With ψ(u) = F(x + u·t·d) on [0, 1], the trapezoid rule gives ψ(1) − ψ(0) = (ψ'(0) + ψ'(1))/2 − ψ'''(ξ)/12. The
    /// log-loss has |σ''| ≤ σ', so along the step |ψ'''| ≤ M·ψ'' with M = maxᵢ |Δmᵢ|, the largest change of a margin
    /// (the penalty's ψ''' is 0); then ψ'' varies by at most a factor e^M over the step, and its largest value is at
    /// most e^M times its mean ψ'(1) − ψ'(0). So ψ(1) − ψ(0) ≤ (ψ'(0) + ψ'(1))/2 + M·e^M·(ψ'(1) − ψ'(0))/12. For the
    /// chord steps, which overshoot or stop short of the line's minimum by a few per cent, this proves Armijo's
    /// decrease while M is below about 1 (a chord step on the benchmark changes margins by at most ~0.5), where
    /// summing the loss would cost two exp/log per row. +∞ when M ≥ 2 (the bound is then too loose to use).</summary>
    private double ArmijoBound(in LevelData d, double t, double slope, double trialSlope)
    {
        double maxChange = 0;
        foreach ((int first, int count) in d.Blocks)
        {
            maxChange = Math.Max(maxChange, MaxAbsDifference(_scratch.AsSpan(first, count), _margins.AsSpan(first, count)));
        }

        return TrapezoidBound(t, slope, trialSlope, maxChange);
    }

    /// <summary>The bound of <see cref="ArmijoBound"/> from its parts: the step length t, φ'(0) and φ'(t) along d, and
    /// M, the largest change of a margin over the step.</summary>
    internal static double TrapezoidBound(double t, double slope, double trialSlope, double maxChange)
        => maxChange < 2
            ? (t * (slope + trialSlope) / 2) + (maxChange * Math.Exp(maxChange) * t * (trialSlope - slope) / 12)
            : double.PositiveInfinity;

    /// <summary>maxᵢ |aᵢ − bᵢ|.</summary>
    private static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double max = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            Vector<double> vmax = Vector<double>.Zero;
            for (; i + Vector<double>.Count <= a.Length; i += Vector<double>.Count)
            {
                vmax = Vector.Max(vmax, Vector.Abs(new Vector<double>(a.Slice(i)) - new Vector<double>(b.Slice(i))));
            }

            for (int k = 0; k < Vector<double>.Count; k++)
            {
                max = Math.Max(max, vmax[k]);
            }
        }

        for (; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    /// <summary>φ'(t) = g(x + t·d)ᵀd, the slope along the step d = (_rhs, db) at the trial point, from its pass's gradient.</summary>
    private double TrialSlope(double db, double derivativeSum, double weightSum, double lambda, bool intercept)
    {
        double slope = intercept ? derivativeSum / weightSum * db : 0;
        for (int j = 0; j < _p; j++)
        {
            slope += ((_trialGradient[j] / weightSum) + (2 * lambda * _trial[j])) * _rhs[j];
        }

        return slope;
    }

    /// <summary>The outcome of <see cref="Run"/>, with the objective at the current point summed if no step needed it.</summary>
    private Outcome Finish(in LevelData d, int iterations, IterativeStopReason reason, double objective, double lambda)
        => new(iterations, reason, double.IsNaN(objective) ? Objective(d, _margins, _theta, lambda) : objective);

    /// <summary>B from the last factor's statistics: the full Hessian over (θ, b) whose Schur complement on θ is the
    /// factored matrix, [[Cxx/W + 2λI + (V/W)·x̄x̄ᵀ, (V/W)·x̄], [(V/W)·x̄ᵀ, V/W]] (the θ block alone without an
    /// intercept, where x̄ = 0); false if it does not factor.</summary>
    private bool BuildQuasi(double lambda, bool intercept)
    {
        int p = _p, m = _m;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                _quasi[(i * m) + j] = _cxx[(i * p) + j] + (_vbar * _xbar[i] * _xbar[j]) + (i == j ? 2 * lambda : 0);
            }
        }

        if (intercept)
        {
            for (int i = 0; i < p; i++)
            {
                _quasi[(i * m) + p] = _vbar * _xbar[i];
                _quasi[(p * m) + i] = _vbar * _xbar[i];
            }

            _quasi[(p * m) + p] = _vbar;
        }

        return _quasiFactor.TryFactor(new MatrixView<double>(_quasi, m, m));
    }

    /// <summary>The BFGS update of B after an accepted step s = t·d (d = (_rhs, db)), with y the change of the
    /// gradient from (θ, b) to the trial point (θ and the gradient still hold the old values):
    /// B ← B + yyᵀ/(yᵀs) − (Bs)(Bs)ᵀ/(sᵀBs). It keeps B positive definite when yᵀs &gt; 0, which strict convexity
    /// guarantees; a step whose curvature is lost in rounding (yᵀs not clearly positive) leaves B as it is. False if
    /// the updated B does not factor: the fit goes on with the data factor alone.</summary>
    private bool UpdateQuasi(double t, double db, double derivativeChange, double weightSum, double lambda, bool intercept)
    {
        int p = _p, m = _m;
        for (int j = 0; j < p; j++)
        {
            _step[j] = t * _rhs[j];
            _change[j] = ((_trialGradient[j] - _gradient[j]) / weightSum) + (2 * lambda * (_trial[j] - _theta[j]));
        }

        if (intercept)
        {
            _step[p] = t * db;
            _change[p] = derivativeChange / weightSum;
        }

        double ys = VectorPrimitives.Dot(_change, _step);
        double ss = VectorPrimitives.Dot(_step, _step), yy = VectorPrimitives.Dot(_change, _change);
        if (!(ys > 1e-8 * Math.Sqrt(ss * yy)))
        {
            return true;
        }

        // _direction = B·s (the solve's output is no longer needed).
        for (int i = 0; i < m; i++)
        {
            _direction[i] = VectorPrimitives.Dot(_quasi.AsSpan(i * m, m), _step);
        }

        double sBs = VectorPrimitives.Dot(_step, _direction);
        if (!(sBs > 0))
        {
            return true;
        }

        QuasiUpdates++;
        for (int i = 0; i < m; i++)
        {
            double yi = _change[i] / ys, bi = _direction[i] / sBs;
            for (int j = 0; j < m; j++)
            {
                _quasi[(i * m) + j] += (yi * _change[j]) - (bi * _direction[j]);
            }
        }

        return _quasiFactor.TryFactor(new MatrixView<double>(_quasi, m, m));
    }

    /// <summary>The largest absolute component of the objective's gradient at (θ, b), from the pass's sums.</summary>
    private static double GradientMax(ReadOnlySpan<double> gradient, ReadOnlySpan<double> theta, double derivativeSum, double weightSum, double lambda, bool intercept)
    {
        double gmax = intercept ? Math.Abs(derivativeSum / weightSum) : 0;
        for (int j = 0; j < gradient.Length; j++)
        {
            gmax = Math.Max(gmax, Math.Abs((gradient[j] / weightSum) + (2 * lambda * theta[j])));
        }

        return gmax;
    }

    /// <summary>Builds and factors Cxx(v)/W + 2λI at the current point (whose margins are in <c>_margins</c>; the
    /// weights v go to <c>_scratch</c>); false when
    /// the matrix is not positive definite on a subsample (the caller abandons the level). On all rows a singular
    /// matrix throws, as plain Newton always has.</summary>
    private bool Factor(in LevelData d, double weightSum, double lambda, bool intercept)
    {
        if (_zeros.Length < d.BlockRows)
        {
            _zeros = new double[d.BlockRows]; // the Gram's (unused) target column, as long as the largest block factored
        }

        _gram.Reset();
        int n = d.X.Rows;
        foreach ((int first, int count) in d.Blocks)
        {
            // While a block's last slab is multiplied, the next block's rows are requested (each Add sees only its own).
            int next = first + d.Spacing;
            MatrixView<double> upcoming = next < n && !d.IsFull ? d.X.SliceRows(next, Math.Min(d.BlockRows, n - next)) : default;
            IrlsWeights(_margins.AsSpan(first, count), d.W.IsEmpty ? default : d.W.Slice(first, count), _scratch.AsSpan(first, count));
            _gram.AddAhead(d.X.SliceRows(first, count), new MatrixView<double>(_zeros.AsSpan(0, count), count, 1), _scratch.AsSpan(first, count), upcoming);
        }

        _gram.CopyCxx(_cxx);
        double inverse = 1 / weightSum;
        for (int k = 0; k < _cxx.Length; k++)
        {
            _cxx[k] *= inverse;
        }

        _hessians++;
        _vbar = _gram.WeightSum * inverse;
        if (intercept)
        {
            _gram.MeanX.CopyTo(_xbar);
        }
        else
        {
            Array.Clear(_xbar);
        }

        var matrix = new MatrixView<double>(_cxx, _p, _p);
        if (d.IsFull)
        {
            _factor.Factor(matrix, 2 * lambda);
            return true;
        }

        return _factor.TryFactor(matrix, 2 * lambda);
    }

    /// <summary>The IRLS weights vᵢ = wᵢ·σ(mᵢ)σ(−mᵢ) = wᵢ·e/(1 + e)² with e = exp(−|mᵢ|), so they never round to 0
    /// early; whole vectors where the tier has them.</summary>
    internal static void IrlsWeights(ReadOnlySpan<double> margins, ReadOnlySpan<double> w, Span<double> v)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<double>.Count <= margins.Length; i += Vector<double>.Count)
            {
                Vector<double> e = Vector.Exp(-Vector.Abs(new Vector<double>(margins.Slice(i)))), u = Vector<double>.One + e;
                Vector<double> s = e / (u * u);
                (w.IsEmpty ? s : s * new Vector<double>(w.Slice(i))).CopyTo(v.Slice(i));
            }
        }

        for (; i < margins.Length; i++)
        {
            double e = Math.Exp(-Math.Abs(margins[i]));
            v[i] = (w.IsEmpty ? 1 : w[i]) * (e / ((1 + e) * (1 + e)));
        }
    }

    private readonly record struct Outcome(int Iterations, IterativeStopReason Reason, double Objective);

    /// <summary>The rows one stage works on: all of X (one block of n rows), or the blocks of a subsample level
    /// (<see cref="LevelLayout"/>): BlockRows consecutive rows every Spacing rows. X, the labels and the weights are
    /// always the full ones; a level's rows keep their indices.</summary>
    private readonly ref struct LevelData
    {
        public readonly MatrixView<double> X;
        public readonly ReadOnlySpan<double> Y;
        public readonly ReadOnlySpan<double> W;
        public readonly double WeightSum;
        public readonly int BlockRows;
        public readonly int Spacing;
        public readonly bool IsFull;

        /// <summary>All rows.</summary>
        public LevelData(MatrixView<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, double weightSum)
            : this(x, y, w, weightSum, Math.Max(1, x.Rows), Math.Max(1, x.Rows), isFull: true)
        {
        }

        public LevelData(MatrixView<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, double weightSum, int blockRows, int spacing, bool isFull)
        {
            X = x;
            Y = y;
            W = w;
            WeightSum = weightSum;
            BlockRows = blockRows;
            Spacing = spacing;
            IsFull = isFull;
        }

        /// <summary>The level's blocks of rows, in order.</summary>
        public LevelBlockList Blocks => new(X.Rows, BlockRows, Spacing);
    }

    /// <summary>The blocks of a level as (first row, row count): <c>blockRows</c> rows (fewer in a block cut off by
    /// the end of X) starting every <c>spacing</c> rows from row 0. All rows are one block.</summary>
    private readonly struct LevelBlockList(int rows, int blockRows, int spacing)
    {
        public Enumerator GetEnumerator() => new(rows, blockRows, spacing);

        public struct Enumerator(int rows, int blockRows, int spacing)
        {
            private int _next;

            public (int First, int Count) Current { get; private set; }

            public bool MoveNext()
            {
                if (_next >= rows)
                {
                    return false;
                }

                Current = (_next, Math.Min(blockRows, rows - _next));
                _next += spacing;
                return true;
            }
        }
    }
}

/// <summary>What a logistic fit returns besides θ: the intercept, the iteration counts, the final objective and why it
/// stopped, Σw and λ.</summary>
internal readonly record struct LogisticFitSummary(
    double Intercept, int Iterations, int SubsampleIterations, int HessianUpdates, double Objective, IterativeStopReason StopReason, double WeightSum, double Lambda);
