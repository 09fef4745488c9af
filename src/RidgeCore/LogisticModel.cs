using System;
using RidgeCore.Kernels.Iterative;

namespace RidgeCore;

/// <summary>
/// A fitted L2-penalized logistic regression: P(y = 1 | x) = σ(b + x·θ). Immutable and safe to share between threads;
/// the prediction methods allocate nothing.
/// </summary>
public sealed class LogisticModel
{
    private readonly double[] _coefficients;

    internal LogisticModel(double[] coefficients, double intercept, double weightSum, IterativeFitResult fitResult)
    {
        _coefficients = coefficients;
        Intercept = intercept;
        WeightSum = weightSum;
        FitResult = fitResult;
    }

    /// <summary>θ, one coefficient per feature.</summary>
    public ReadOnlySpan<double> Coefficients => _coefficients;

    /// <summary>The intercept b (0 without one).</summary>
    public double Intercept { get; }

    /// <summary>The number of features p.</summary>
    public int Features => _coefficients.Length;

    /// <summary>λ, the penalty the model was fitted with.</summary>
    public double Lambda => FitResult.Lambda;

    /// <summary>Σw of the training data.</summary>
    public double WeightSum { get; }

    /// <summary>How the Newton iteration went: iterations, final objective, convergence and its reason.</summary>
    public IterativeFitResult FitResult { get; }

    /// <summary>The probability P(y = 1) for one row.</summary>
    /// <param name="row">p features.</param>
    /// <returns>σ(b + x·θ), in [0, 1].</returns>
    /// <exception cref="ArgumentException">The row does not have p values.</exception>
    public double PredictProbability(ReadOnlySpan<double> row) => Probability(_coefficients, Intercept, row);

    /// <summary>The probability P(y = 1) for every row of <paramref name="x"/>.</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="destination">n probabilities; written only after the shapes are checked.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void PredictProbability(MatrixView<double> x, Span<double> destination) => Probabilities(_coefficients, Intercept, x, destination);

    /// <summary>σ(b + x·θ) for one row (shared with <see cref="LogisticSolver"/>).</summary>
    internal static double Probability(ReadOnlySpan<double> coefficients, double intercept, ReadOnlySpan<double> row)
    {
        if (row.Length != coefficients.Length)
        {
            throw new ArgumentException($"row has {row.Length} values but the model has {coefficients.Length} features.", nameof(row));
        }

        return LogisticLoss<double>.Sigmoid(VectorPrimitives.Dot(row, coefficients) + intercept);
    }

    /// <summary>σ(b + xᵢ·θ) for every row (shared with <see cref="LogisticSolver"/>).</summary>
    internal static void Probabilities(ReadOnlySpan<double> coefficients, double intercept, MatrixView<double> x, Span<double> destination)
    {
        CheckPredict(coefficients.Length, x, destination.Length);
        for (int i = 0; i < x.Rows; i++)
        {
            destination[i] = LogisticLoss<double>.Sigmoid(VectorPrimitives.Dot(x.Row(i), coefficients) + intercept);
        }
    }

    /// <summary>The weighted mean log-loss (1/Σw)·Σ wᵢ·[−yᵢ log pᵢ − (1 − yᵢ) log(1 − pᵢ)] of the model on data,
    /// evaluated from the margins without overflow (the data term of the training objective).</summary>
    /// <param name="x">n × p features.</param>
    /// <param name="labels">n labels in {0, 1}.</param>
    /// <param name="weights">n non-negative weights, or empty for all ones.</param>
    /// <returns>The log-loss.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="InvalidValueException">A label is not 0 or 1, or a weight is negative or not finite.</exception>
    public double LogLoss(MatrixView<double> x, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        CheckPredict(_coefficients.Length, x, x.Rows);
        Iterative.IterativeInput.CheckShape(x, labels.Length, nameof(labels), weights);
        Iterative.IterativeInput.CheckBinary(labels, nameof(labels));
        double weightSum = Iterative.IterativeInput.CheckWeights(weights, x.Rows);
        var loss = default(LogisticLoss<double>);
        double sum = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            sum += w * loss.Value(VectorPrimitives.Dot(x.Row(i), _coefficients) + Intercept, labels[i]);
        }

        return sum / weightSum;
    }

    private static void CheckPredict(int features, MatrixView<double> x, int destination)
    {
        if (x.Columns != features)
        {
            throw new ArgumentException($"x has {x.Columns} columns but the model has {features} features.", nameof(x));
        }

        if (destination < x.Rows)
        {
            throw new ArgumentException($"destination has {destination} values but x has {x.Rows} rows.", nameof(destination));
        }
    }
}
