using System;

namespace RidgeCore;

/// <summary>
/// An iterative fit blew up: a gradient, margin or coefficient became infinite or NaN, or a decay factor 1 − 2ηλ fell to
/// zero or below. The coefficients are left as they were before the call. The usual cure is a smaller learning rate.
/// </summary>
public sealed class DivergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public DivergenceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DivergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DivergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the step and the learning rate at which the blow-up was detected.</summary>
    /// <param name="message">The message.</param>
    /// <param name="step">The mini-batch step (t, counted over the model's life).</param>
    /// <param name="learningRate">The learning rate of that step.</param>
    public DivergenceException(string message, long step, double learningRate)
        : base(message)
    {
        Step = step;
        LearningRate = learningRate;
    }

    /// <summary>The mini-batch step at which the blow-up was detected.</summary>
    public long Step { get; }

    /// <summary>The learning rate of that step.</summary>
    public double LearningRate { get; }
}
