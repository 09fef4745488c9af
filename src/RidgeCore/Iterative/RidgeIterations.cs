using System;

namespace RidgeCore.Iterative;

/// <summary>
/// Gradient descent and preconditioned conjugate gradient on a <see cref="IRidgeQuadratic"/>, written once for both
/// sources (statistics or X). Vectors are double and of length p; nothing of size n is touched here.
/// </summary>
internal static class RidgeIterations
{
    /// <summary>
    /// Gradient descent θ ← θ − (1/L)(Hθ − c) with L the largest eigenvalue of H (the Lipschitz constant of the
    /// gradient) from <see cref="LargestEigenvalue"/>, times 1.02 (the estimate may fall short of λ_max by its
    /// tolerance, and any step below 2/λ_max converges). The error contracts by 1 − λ_min/λ_max per iteration.
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

    /// <summary>The most Lanczos steps <see cref="LargestEigenvalue"/> takes (each is one product with H).</summary>
    internal const int LanczosStepLimit = 64;

    /// <summary>
    /// λ_max(H), an estimate from above within about 0.1 %, by the Lanczos process: the Krylov space of the power
    /// iteration (the same products H·v from the same fixed start, all ones) with every vector kept and
    /// reorthogonalized, so the estimate is the largest eigenvalue θ of the small tridiagonal T = QᵀHQ, the best one
    /// that space holds, instead of the last Rayleigh quotient. It stops when θ's residual bound r = β·|sₘ| (an
    /// eigenvalue of H lies within r of θ) is at most 10⁻³·θ, returning θ + r, or when θ has stopped moving (10⁻⁶
    /// relative over a step, from the fourth step of a block on: Ritz values approach λ_max from below and converge much faster
    /// than their vectors when the top eigenvalues cluster), returning θ. Power iteration needed its full 100 passes over
    /// X on such a spectrum (uniform data, κ ≈ 1.1: every eigenvalue within 10 % of λ_max, so the Rayleigh quotient
    /// creeps); Lanczos needs a handful. When the space closes early (β = 0: an invariant subspace, e.g. the start in
    /// H's null space), it continues from a new start orthogonal to it, so a deficient start cannot hide λ_max.
    /// </summary>
    /// <param name="q">The quadratic (H = C + Σw·λ·I).</param>
    /// <param name="v">Scratch of length p.</param>
    /// <param name="hv">Scratch of length p.</param>
    /// <returns>The estimate, or 1 when H = 0.</returns>
    public static double LargestEigenvalue<TQ>(ref TQ q, double[] v, double[] hv)
        where TQ : IRidgeQuadratic, allows ref struct
    {
        int p = q.Features;
        int limit = Math.Min(p, LanczosStepLimit);
        var basis = new double[limit * p];
        var alpha = new double[limit];
        var beta = new double[limit];
        double theta = 0, previous = 0, bound = double.PositiveInfinity;
        int restart = 0, blockStart = 0;
        if (!NextStart(basis, 0, p, ref restart))
        {
            return 1;
        }

        for (int m = 0; m < limit; m++)
        {
            Span<double> qm = basis.AsSpan(m * p, p);
            qm.CopyTo(v);
            q.Apply(v, hv);
            alpha[m] = VectorPrimitives.Dot(qm, hv);

            // w = H·qₘ − αₘqₘ − βₘ₋₁qₘ₋₁, then orthogonalized against the whole basis.
            VectorPrimitives.Axpy(-alpha[m], qm, hv);
            if (m > 0)
            {
                VectorPrimitives.Axpy(-beta[m - 1], basis.AsSpan((m - 1) * p, p), hv);
            }

            Orthogonalize(basis, m + 1, p, hv);

            double norm = Math.Sqrt(VectorPrimitives.SumOfSquares(hv));
            (theta, double last) = TopRitz(alpha, beta, m + 1);
            double scale = Math.Max(Math.Abs(theta), Math.Abs(alpha[m]));
            bool closed = !(norm > 1e-12 * scale);
            beta[m] = closed ? 0 : norm;
            bound = beta[m] * Math.Abs(last);

            // A closed space proves nothing about the rest of H: its Ritz pairs are exact, λ_max may lie elsewhere.
            if (!closed && theta > 0 && bound <= 1e-3 * theta)
            {
                return theta + bound;
            }

            if (!closed && m - blockStart >= 3 && theta > 0 && theta - previous <= 1e-6 * theta)
            {
                return theta;
            }

            previous = theta;
            if (m + 1 == limit)
            {
                break;
            }

            if (closed)
            {
                // An invariant subspace: go on from a fresh start orthogonal to it (T stays block diagonal, β = 0).
                if (!NextStart(basis, m + 1, p, ref restart))
                {
                    return theta > 0 ? theta : 1; // the basis spans all of H's range
                }

                blockStart = m + 1;
            }
            else
            {
                for (int j = 0; j < p; j++)
                {
                    basis[((m + 1) * p) + j] = hv[j] / norm;
                }
            }
        }

        return theta > 0 ? theta + Math.Min(bound, theta) : 1;
    }

    /// <summary>Writes a unit start vector orthogonal to basis rows 0 .. m − 1 into row m: all ones, then alternating
    /// signs, then unit vectors e₀, e₁, …; false when none is left (the basis spans the space).</summary>
    private static bool NextStart(double[] basis, int m, int p, ref int restart)
    {
        Span<double> qm = basis.AsSpan(m * p, p);
        for (; restart < p + 2; restart++)
        {
            for (int j = 0; j < p; j++)
            {
                qm[j] = restart == 0 ? 1 : restart == 1 ? ((j & 1) == 0 ? 1 : -0.5) : (j == restart - 2 ? 1 : 0);
            }

            Orthogonalize(basis, m, p, qm);

            double norm = Math.Sqrt(VectorPrimitives.SumOfSquares(qm));
            if (norm > 1e-8)
            {
                for (int j = 0; j < p; j++)
                {
                    qm[j] /= norm;
                }

                restart++;
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes from <paramref name="v"/> its components along basis rows 0 .. count − 1, twice (classical
    /// Gram–Schmidt repeated: orthogonal to working precision).</summary>
    private static void Orthogonalize(double[] basis, int count, int p, Span<double> v)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<double> qi = basis.AsSpan(i * p, p);
                VectorPrimitives.Axpy(-VectorPrimitives.Dot(qi, v), qi, v);
            }
        }
    }

    /// <summary>The largest eigenvalue of the m × m symmetric tridiagonal T (diagonal α, off-diagonal β) and the last
    /// component of its unit eigenvector.</summary>
    private static (double Value, double Last) TopRitz(double[] alpha, double[] beta, int m)
    {
        if (m == 1)
        {
            return (alpha[0], 1);
        }

        var t = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            t[(i * m) + i] = alpha[i];
            if (i > 0)
            {
                t[(i * m) + i - 1] = beta[i - 1];
            }
        }

        using var eigen = new SymmetricEigenSolver(m);
        eigen.Decompose(new MatrixView<double>(t, m, m));
        return (eigen.Values[m - 1], eigen.Vectors[((m - 1) * m) + (m - 1)]);
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
