using System;
using System.Globalization;

namespace RidgeCore;

/// <summary>The loss an <see cref="SgdRegressor"/> minimizes.</summary>
public enum SgdLoss
{
    /// <summary>(y − m)², the project's squared error (no ½): the ridge objective of <see cref="RidgeOptions"/>.</summary>
    Squared = 0,

    /// <summary>The log-loss log(1 + eᵐ) − y·m for labels y ∈ {0, 1}: L2 logistic regression.</summary>
    Logistic = 1,

    /// <summary>Huber: r² for |r| ≤ δ and 2δ|r| − δ² beyond (the squared error continued linearly; twice scikit-learn's
    /// <c>huber</c> with epsilon = δ).</summary>
    Huber = 2,
}

/// <summary>How the learning rate ηₜ of step t (t = 1, 2, … counting mini-batch steps over the model's life) is set.</summary>
public enum LearningRateSchedule
{
    /// <summary>ηₜ = η₀.</summary>
    Constant = 0,

    /// <summary>ηₜ = η₀ / t^power (<see cref="SgdOptions.PowerT"/>).</summary>
    InverseScaling = 1,

    /// <summary>Bottou's ηₜ = 1/(μ(t₀ + t)), μ = 2λ + λ_wd the strong convexity the penalty guarantees, t₀ = 1/(μη₀) so
    /// the first step is η₀. In scikit-learn's ½-scaled objective (where μ = α) this is its 1/(α(t₀ + t)).</summary>
    Optimal = 2,

    /// <summary>ηₜ = η₀ until the epoch loss (training or held-out) fails to improve by <see cref="SgdOptions.Tolerance"/>
    /// for <see cref="SgdOptions.NoImprovementEpochs"/> epochs in a row; then η is divided by 5, and the fit stops once
    /// η falls below 10⁻⁶·η₀ (scikit-learn's <c>adaptive</c>).</summary>
    Adaptive = 3,
}

/// <summary>How the rows of each epoch are ordered.</summary>
public enum SgdShuffle
{
    /// <summary>A new random permutation of the rows every epoch (seeded; the default, as in scikit-learn).</summary>
    Rows = 0,

    /// <summary>Contiguous mini-batches visited in a new random order every epoch: each batch is one block of memory
    /// (faster than scattered rows, though each jump to a new block costs: at n = 10⁵, p = 64, an epoch took 2.6 ms
    /// against 4.1 ms for <see cref="Rows"/> and 1.5 ms for the rows in storage order, on Zen 5), at the price of a
    /// correlation between the rows of a batch if the data are sorted.</summary>
    /// <remarks>With sample weights and the default <see cref="SgdWeightNormalization.BatchWeight"/>, each batch's
    /// gradient is divided by the batch's own Σw, so row i counts as wᵢ/Σw_B; when the batches are the same every epoch
    /// (this mode and <see cref="Once"/>) that does not average out and the fit settles near, not at, the weighted
    /// optimum (measured: 1.4·10⁻³ off on coefficients of order 1, where <see cref="Rows"/> comes within 2.5·10⁻⁴;
    /// unweighted, all modes converge alike). With weights, use
    /// <see cref="SgdWeightNormalization.MeanWeight"/>, with which every order converges to the weighted optimum.</remarks>
    Batches = 1,

    /// <summary>The rows in their order, every epoch.</summary>
    None = 2,

    /// <summary>One random permutation per fit ("shuffle once"): the training rows of X, y and the weights are copied in
    /// that order, and every epoch runs through the copy in that same order, reading it sequentially. Each mini-batch
    /// holds random rows, as with <see cref="Rows"/>, but the batches and their order are the same every epoch. The
    /// permutation is the one the first epoch of <see cref="Rows"/> draws, so the first epoch is identical to it.</summary>
    /// <remarks>For rows that do not fit in cache a reshuffled epoch waits on memory for rows in random order; this one
    /// streams them. Measured on Zen 5 (n = 10⁵, SgdBenchmarks): at p = 64 an epoch takes 1.5–1.7 ms, as fast as the
    /// rows in storage order, against 2.8–4.1 ms for <see cref="Rows"/>, and the first epoch, which also writes the
    /// copy, 7–8 ms, so the mode pays after three to five epochs; a whole ten-epoch fit took 25–27 against 29–32 ms at
    /// p = 64 and 100–102 against 155–164 ms at p = 256. The copy, as large as the training rows, is rented
    /// from <see cref="System.Buffers.ArrayPool{T}.Shared"/> for the fit and returned when it ends. Like every mode,
    /// <see cref="SgdRegressor.PartialFit(MatrixView{double}, ReadOnlySpan{double})"/> ignores it and visits the rows
    /// it is given in their order. With sample weights, see the caution under <see cref="Batches"/>: the batches are
    /// the same every epoch here too, so use <see cref="SgdWeightNormalization.MeanWeight"/>.</remarks>
    Once = 3,
}

/// <summary>What a mini-batch's weighted gradient sum Σ_B wᵢ·∇ℓᵢ is divided by before the step.</summary>
public enum SgdWeightNormalization
{
    /// <summary>The batch's own weight Σ_B wᵢ (the default): each step follows the weighted mean gradient of its batch.
    /// Self-normalized, so a row counts as wᵢ/Σw_B and the fit settles slightly off the weighted optimum, by little when
    /// the batches change every epoch (<see cref="SgdShuffle.Rows"/>) and by more when they do not (see
    /// <see cref="SgdShuffle.Batches"/>). Without weights both normalizations are the batch size and agree bit for
    /// bit.</summary>
    BatchWeight = 0,

    /// <summary>The batch size times the mean weight w̄ of the rows being fitted (the training rows of a
    /// <see cref="SgdRegressor.Fit(MatrixView{double}, ReadOnlySpan{double})"/>, the rows of one
    /// <see cref="SgdRegressor.PartialFit(MatrixView{double}, ReadOnlySpan{double})"/> call): over an epoch the steps add
    /// up to the weighted objective's own gradient, for every row order, so the fit converges to the weighted optimum;
    /// a batch of heavy rows takes a longer step.</summary>
    MeanWeight = 1,
}

/// <summary>
/// Options of <see cref="SgdRegressor"/>. The objective is the project's: (1/Σw)·Σᵢ wᵢ·ℓ(yᵢ, b + xᵢ·θ) + λ‖θ‖², with
/// the intercept unpenalized; decoupled weight decay λ_wd may replace or join the coupled penalty (see
/// <see cref="WeightDecay"/>).
/// </summary>
/// <remarks>
/// <para><b>scikit-learn.</b> <c>SGDRegressor(loss="squared_error", penalty="l2", alpha)</c> minimizes
/// (1/n)Σ ½(yᵢ − ŷᵢ)² + α·½‖θ‖², exactly half of this objective with λ = α (<see cref="RidgePenalty.ToScikitLearnSgdAlpha"/>).
/// Its step is θ ← (1 − η_sk·α)θ − η_sk·r·x; RidgeCore's is θ ← (1 − 2ηλ)θ − η·2r·x, so the two take the same steps when
/// η = η_sk/2.</para>
/// </remarks>
public sealed class SgdOptions
{
    private double _lambda = 1e-4;
    private double _weightDecay;
    private double _learningRate = 0.01;
    private double _powerT = 0.25;
    private double _huberDelta = 1.0;
    private int _batchSize = 32;
    private int _maxEpochs = 1000;
    private double? _tolerance = 1e-3;
    private int _noImprovementEpochs = 5;
    private double _validationFraction = 0.1;
    private SgdLoss _loss = SgdLoss.Squared;
    private SgdShuffle _shuffle = SgdShuffle.Rows;
    private LearningRateSchedule _schedule = LearningRateSchedule.InverseScaling;
    private SgdWeightNormalization _weightNormalization = SgdWeightNormalization.BatchWeight;

    /// <summary>The loss (default <see cref="SgdLoss.Squared"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="SgdLoss"/>'s.</exception>
    public SgdLoss Loss
    {
        get => _loss;
        set => _loss = Defined(value, nameof(Loss));
    }

    /// <summary>λ ≥ 0, the coupled L2 penalty λ‖θ‖² (default 10⁻⁴): each step is θ ← (1 − 2ηλ)θ − η∇L.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double Lambda
    {
        get => _lambda;
        set => _lambda = NonNegative(value, nameof(Lambda));
    }

    /// <summary>
    /// λ_wd ≥ 0, decoupled weight decay (default 0): each step also shrinks θ by (1 − η·λ_wd), outside the gradient.
    /// For plain SGD, coupled λ and decoupled λ_wd = 2λ take identical steps (θ − η(∇L + 2λθ) = (1 − 2ηλ)θ − η∇L,
    /// §11's identity); they differ where a method transforms the gradient before stepping (momentum, Adam: AdamW's
    /// point) and in the objective reported (coupled λ is part of the objective; λ_wd is reported as its equivalent
    /// λ = λ_wd/2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double WeightDecay
    {
        get => _weightDecay;
        set => _weightDecay = NonNegative(value, nameof(WeightDecay));
    }

    /// <summary>Whether to fit an unpenalized intercept (default true).</summary>
    public bool FitIntercept { get; set; } = true;

    /// <summary>Rows per mini-batch (default 32); at least 1 and at most the number of training rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int BatchSize
    {
        get => _batchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _batchSize = value;
        }
    }

    /// <summary>The seed of the shuffles (and of the held-out split). The same seed, data and options give bitwise the
    /// same coefficients.</summary>
    public int Seed { get; set; }

    /// <summary>How rows are ordered each epoch (default <see cref="SgdShuffle.Rows"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="SgdShuffle"/>'s.</exception>
    public SgdShuffle Shuffle
    {
        get => _shuffle;
        set => _shuffle = Defined(value, nameof(Shuffle));
    }

    /// <summary>The schedule (default <see cref="LearningRateSchedule.InverseScaling"/>, scikit-learn's default for
    /// regression).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="LearningRateSchedule"/>'s.</exception>
    public LearningRateSchedule Schedule
    {
        get => _schedule;
        set => _schedule = Defined(value, nameof(Schedule));
    }

    /// <summary>η₀ &gt; 0, the initial learning rate (default 0.01).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite (NaN included).</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"LearningRate must be finite and positive, but it is {value:G17}."));
            }

            _learningRate = value;
        }
    }

    /// <summary>The exponent of <see cref="LearningRateSchedule.InverseScaling"/> (default 0.25).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double PowerT
    {
        get => _powerT;
        set => _powerT = NonNegative(value, nameof(PowerT));
    }

    /// <summary>δ &gt; 0 of the Huber loss (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double HuberDelta
    {
        get => _huberDelta;
        set
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "HuberDelta must be finite and positive.");
            }

            _huberDelta = value;
        }
    }

    /// <summary>How a weighted batch's gradient is normalized (default <see cref="SgdWeightNormalization.BatchWeight"/>:
    /// g = X_Bᵀ(w ⊙ ℓ')/Σw_B, the weighted mean gradient of the batch); no effect without weights.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="SgdWeightNormalization"/>'s.</exception>
    public SgdWeightNormalization WeightNormalization
    {
        get => _weightNormalization;
        set => _weightNormalization = Defined(value, nameof(WeightNormalization));
    }

    /// <summary>Polyak–Ruppert averaging (default false): report the running mean of the iterates θ₁…θₜ (and of b)
    /// instead of the last one. With a decaying schedule this removes most of the last iterate's noise.</summary>
    public bool Average { get; set; }

    /// <summary>The most epochs a <see cref="SgdRegressor.Fit(MatrixView{double}, ReadOnlySpan{double})"/> runs (default 1000).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxEpochs
    {
        get => _maxEpochs;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxEpochs = value;
        }
    }

    /// <summary>The stopping tolerance (default 10⁻³, null to always run <see cref="MaxEpochs"/>): the fit stops when
    /// the epoch's loss (the mean training loss seen during the epoch, or the held-out loss with
    /// <see cref="EarlyStopping"/>) has not dropped below the best so far minus this for
    /// <see cref="NoImprovementEpochs"/> epochs in a row (scikit-learn's <c>tol</c> rule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double? Tolerance
    {
        get => _tolerance;
        set => _tolerance = value is { } v ? NonNegative(v, nameof(Tolerance)) : null;
    }

    /// <summary>Epochs without improvement before stopping (or, for <see cref="LearningRateSchedule.Adaptive"/>, before
    /// dividing η by 5); default 5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int NoImprovementEpochs
    {
        get => _noImprovementEpochs;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _noImprovementEpochs = value;
        }
    }

    /// <summary>Early stopping on held-out data (default false): a seeded random <see cref="ValidationFraction"/> of the
    /// rows is set aside and its loss decides when to stop.</summary>
    public bool EarlyStopping { get; set; }

    /// <summary>The held-out fraction for <see cref="EarlyStopping"/>, in (0, 1) (default 0.1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 1).</exception>
    public double ValidationFraction
    {
        get => _validationFraction;
        set
        {
            if (!(value > 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "ValidationFraction must be in (0, 1).");
            }

            _validationFraction = value;
        }
    }

    /// <summary>Keep θ as s·v so a decay step costs O(1) (multiply s) instead of O(p) (default true); v is rescaled
    /// (s folded back into it) whenever s falls below 10⁻⁹, long before it could underflow.</summary>
    public bool ScaleTrick { get; set; } = true;

    internal SgdOptions Clone() => (SgdOptions)MemberwiseClone();

    /// <summary>An enum option's value, checked: a cast integer that names no member would otherwise act as some
    /// default branch of the solver without a word.</summary>
    private static TEnum Defined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
        => Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, but it is {Convert.ToInt64(value, CultureInfo.InvariantCulture)}."));

    private static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"{name} must be finite and non-negative, but it is {value:G17}."));
        }

        return value;
    }
}
