using System;

namespace RidgeCore.Factorizations;

/// <summary>An operator the 1-norm estimator can apply: B and Bᵀ to a vector in place. For a condition estimate B is
/// the inverse of the factored matrix, applied with the factor's triangular solves.</summary>
internal unsafe interface IInPlaceOperator
{
    /// <summary>x ← B·x.</summary>
    void Apply(double* x);

    /// <summary>x ← Bᵀ·x.</summary>
    void ApplyTransposed(double* x);
}

/// <summary>
/// Hager's 1-norm estimator with Higham's refinements, the algorithm of LAPACK <c>dlacn2</c> (used by <c>dpocon</c>
/// and <c>dtrcon</c>): a few products with B and Bᵀ give a lower bound on ‖B‖₁ that is almost always within a factor
/// of 3 of it. The steps follow <c>dlacn2</c> one for one (including its cap of five iterations and the final
/// alternating-sign test vector), written as straight-line code instead of a reverse-communication state machine.
/// </summary>
internal static unsafe class NormOneEstimator
{
    private const int MaxIterations = 5;

    /// <summary>Estimates ‖B‖₁ for an n × n operator.</summary>
    /// <param name="op">The operator.</param>
    /// <param name="n">The order.</param>
    /// <param name="x">Scratch, n values.</param>
    /// <param name="v">Scratch, n values.</param>
    /// <param name="sign">Scratch, n values (the sign vector dlacn2 keeps as integers).</param>
    /// <returns>The estimate (a lower bound of the true norm, up to rounding).</returns>
    public static double Estimate<TOp>(ref TOp op, int n, double* x, double* v, double* sign)
        where TOp : struct, IInPlaceOperator
    {
        // x = (1/n, …, 1/n); x ← B·x.
        for (int i = 0; i < n; i++)
        {
            x[i] = 1.0 / n;
        }

        op.Apply(x);
        if (n == 1)
        {
            return Math.Abs(x[0]);
        }

        double est = SumAbs(x, n);
        for (int i = 0; i < n; i++)
        {
            sign[i] = x[i] >= 0 ? 1.0 : -1.0;
            x[i] = sign[i];
        }

        op.ApplyTransposed(x);
        int j = IndexOfMaxAbs(x, n);
        int iteration = 2;
        while (true)
        {
            // x = e_j; x ← B·x.
            new Span<double>(x, n).Clear();
            x[j] = 1.0;
            op.Apply(x);
            new Span<double>(x, n).CopyTo(new Span<double>(v, n));
            double previous = est;
            est = SumAbs(v, n);
            bool signsRepeat = true;
            for (int i = 0; i < n; i++)
            {
                if ((x[i] >= 0 ? 1.0 : -1.0) != sign[i])
                {
                    signsRepeat = false;
                    break;
                }
            }

            // Repeated signs, or no growth: the estimate has converged.
            if (signsRepeat || est <= previous)
            {
                break;
            }

            for (int i = 0; i < n; i++)
            {
                sign[i] = x[i] >= 0 ? 1.0 : -1.0;
                x[i] = sign[i];
            }

            op.ApplyTransposed(x);
            int last = j;
            j = IndexOfMaxAbs(x, n);
            if (x[last] == Math.Abs(x[j]) || iteration >= MaxIterations)
            {
                break;
            }

            iteration++;
        }

        // Higham's safeguard: x_i = (−1)^i (1 + i/(n−1)); take 2‖B·x‖₁/(3n) when it is larger.
        double alternating = 1.0;
        for (int i = 0; i < n; i++)
        {
            x[i] = alternating * (1.0 + ((double)i / (n - 1)));
            alternating = -alternating;
        }

        op.Apply(x);
        double temp = 2.0 * (SumAbs(x, n) / (3.0 * n));
        return Math.Max(est, temp);
    }

    private static double SumAbs(double* x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += Math.Abs(x[i]);
        }

        return s;
    }

    // dlacn2 uses idamax: the first index of the largest magnitude.
    private static int IndexOfMaxAbs(double* x, int n)
    {
        int best = 0;
        double max = Math.Abs(x[0]);
        for (int i = 1; i < n; i++)
        {
            double a = Math.Abs(x[i]);
            if (a > max)
            {
                max = a;
                best = i;
            }
        }

        return best;
    }
}
