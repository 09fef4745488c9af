using System;

namespace RidgeCore.Iterative;

/// <summary>
/// Gradient descent and preconditioned conjugate gradient on a <see cref="IRidgeQuadratic"/>, written once for both
/// sources (statistics or X). Vectors are double and of length p; nothing of size n is touched here.
/// </summary>
internal static class RidgeIterations
{
    /// <summary>
    /// Gradient descent θ ← θ − (1/L)(Hθ − c) with L the largest eigenvalue of H from <see cref="LargestEigenvalue"/>
    /// (times 1.02: power iteration approaches λ_max from below, and any step below 2/λ_max converges). The error
    /// contracts by 1 − λ_min/λ_max per iteration.
    /// </summary>
    public static IterativeFitResult GradientDescent<TQ>(ref TQ q, IterativeRidgeOptions options)
        where TQ : IRidgeQuadratic, allows ref struct
    {
        int p = q.Features;
        q.Lambda = options.Lambda;
        double[] theta = Start(p, options);
        var g = new double[p];
        var scratch = new double[p];
        double step = 1 / (1.02 * LargestEigenvalue(ref q, scratch, g));
        double target = options.Tolerance * Norm(q.RightHandSide);
        q.Gradient(theta, g);
        int iteration = 0;
        IterativeStopReason reason = IterativeStopReason.MaxIterations;
        while (true)
        {
            if (Norm(g) <= target)
            {
                reason = IterativeStopReason.Tolerance;
                break;
            }

            if (iteration == options.MaxIterations)
            {
                break;
            }

            iteration++;
            VectorPrimitives.Axpy(-step, g, theta);
            q.Gradient(theta, g);
        }

        return Finish(ref q, theta, g, iteration, reason);
    }

    /// <summary>
    /// Conjugate gradient on Hθ = c, with the Jacobi preconditioner M = diag(H) when asked. When the recurrence's
    /// residual meets the tolerance, the true residual c − Hθ is recomputed and must meet it too (the recurrence drifts
    /// from the truth by rounding); if it does not, the iteration restarts from the true residual.
    /// </summary>
    public static IterativeFitResult ConjugateGradient<TQ>(ref TQ q, IterativeRidgeOptions options, double[]? warmStart = null)
        where TQ : IRidgeQuadratic, allows ref struct
    {
        int p = q.Features;
        q.Lambda = options.Lambda;
        double[] theta = warmStart ?? Start(p, options);
        var r = new double[p];
        var z = new double[p];
        var d = new double[p];
        var hd = new double[p];
        var inverseDiagonal = new double[p];
        q.GramDiagonal(inverseDiagonal);
        double load = q.WeightSum * q.Lambda;
        for (int j = 0; j < p; j++)
        {
            double diag = inverseDiagonal[j] + load;
            inverseDiagonal[j] = options.Preconditioned && diag > 0 ? 1 / diag : 1;
        }

        double target = options.Tolerance * Norm(q.RightHandSide);
        int iteration = 0;
        IterativeStopReason reason = IterativeStopReason.MaxIterations;
        TrueResidual(ref q, theta, r);
        double rz = Precondition(r, inverseDiagonal, z);
        z.CopyTo(d, 0);
        while (true)
        {
            if (Norm(r) <= target)
            {
                TrueResidual(ref q, theta, r);
                if (Norm(r) <= target)
                {
                    reason = IterativeStopReason.Tolerance;
                    break;
                }

                rz = Precondition(r, inverseDiagonal, z);
                z.CopyTo(d, 0);
            }

            if (iteration == options.MaxIterations)
            {
                break;
            }

            iteration++;
            q.Apply(d, hd);
            double curvature = VectorPrimitives.Dot(d, hd);
            if (!(curvature > 0))
            {
                // H is positive definite unless λ = 0 and the Gram is singular: no progress is possible along d.
                reason = IterativeStopReason.Stalled;
                break;
            }

            double alpha = rz / curvature;
            VectorPrimitives.Axpy(alpha, d, theta);
            VectorPrimitives.Axpy(-alpha, hd, r);
            double next = Precondition(r, inverseDiagonal, z);
            double beta = next / rz;
            rz = next;
            VectorPrimitives.ScaleAdd(beta, d, 1.0, z);
        }

        // Finish wants the gradient Hθ − c = −r.
        for (int j = 0; j < p; j++)
        {
            r[j] = -r[j];
        }

        return Finish(ref q, theta, r, iteration, reason);
    }

    /// <summary>λ_max(H) by power iteration from a fixed start (all ones, then alternating signs if that is in the null
    /// space), at most 100 steps, stopping when the Rayleigh quotient moves by less than 10⁻⁴ relative.</summary>
    public static double LargestEigenvalue<TQ>(ref TQ q, double[] v, double[] hv)
        where TQ : IRidgeQuadratic, allows ref struct
    {
        int p = q.Features;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            for (int j = 0; j < p; j++)
            {
                v[j] = attempt == 0 ? 1 : ((j & 1) == 0 ? 1 : -0.5);
            }

            double previous = 0, estimate = 0;
            for (int k = 0; k < 100; k++)
            {
                double norm = Norm(v);
                if (!(norm > 0))
                {
                    break;
                }

                for (int j = 0; j < p; j++)
                {
                    v[j] /= norm;
                }

                q.Apply(v, hv);
                estimate = VectorPrimitives.Dot(v, hv);
                hv.CopyTo(v, 0);
                if (k > 2 && Math.Abs(estimate - previous) <= 1e-4 * estimate)
                {
                    break;
                }

                previous = estimate;
            }

            if (estimate > 0)
            {
                return estimate;
            }
        }

        return 1; // H = 0 (no data spread, λ = 0): every step size is as good as any other.
    }

    private static double[] Start(int p, IterativeRidgeOptions options)
    {
        var theta = new double[p];
        ReadOnlySpan<double> init = options.InitialCoefficients.Span;
        if (!init.IsEmpty)
        {
            if (init.Length != p)
            {
                throw new ArgumentException($"options.InitialCoefficients has {init.Length} values; it must be empty or have one per feature ({p}).", nameof(options));
            }

            IterativeInput.CheckFinite(init, "options.InitialCoefficients");
            init.CopyTo(theta);
        }

        return theta;
    }

    private static void TrueResidual<TQ>(ref TQ q, double[] theta, double[] r)
        where TQ : IRidgeQuadratic, allows ref struct
    {
        q.Gradient(theta, r);
        for (int j = 0; j < r.Length; j++)
        {
            r[j] = -r[j];
        }
    }

    private static double Precondition(double[] r, double[] inverseDiagonal, double[] z)
    {
        for (int j = 0; j < r.Length; j++)
        {
            z[j] = inverseDiagonal[j] * r[j];
        }

        return VectorPrimitives.Dot(r, z);
    }

    /// <summary>Intercept b = ȳ − x̄ᵀθ and the objective (1/Σw)(θᵀ(g − c) + Cyy) with g = Hθ − c, which expands to
    /// (1/Σw)(θᵀCθ − 2cᵀθ + Cyy) + λ‖θ‖².</summary>
    internal static IterativeFitResult Finish<TQ>(ref TQ q, double[] theta, double[] g, int iterations, IterativeStopReason reason)
        where TQ : IRidgeQuadratic, allows ref struct
    {
        double b = q.MeanY - VectorPrimitives.Dot(q.MeanX, theta);
        double quadratic = VectorPrimitives.Dot(theta, g) - VectorPrimitives.Dot(theta, q.RightHandSide);
        double objective = (quadratic + q.TargetSumOfSquares) / q.WeightSum;
        return new IterativeFitResult(theta, b, iterations, objective, reason, q.Lambda);
    }

    private static double Norm(ReadOnlySpan<double> v) => Math.Sqrt(VectorPrimitives.SumOfSquares(v));
}
