using System;

namespace RidgeCore.Iterative;

/// <summary>The cost model behind <see cref="IterativeRidge.ChoosePathSolver"/>.</summary>
internal static class RidgePathChoice
{
    /// <summary>
    /// R in "one Cholesky (factor + solve) costs p/R products with H": a product streams the 4p² bytes of the Gram's
    /// lower triangle at memory speed while the factorization runs p³/3 flops near the FMA peak. Measured with
    /// ConjugateGradientBenchmarks at p = 2048. On the reference machine (AMD EPYC Milan, Zen 3, AVX2;
    /// bench/results/2026-11-27-session15-zen3.md): CG iteration 2.21 ms (962.8 ms / 436 iterations), Cholesky 86.8 ms
    /// (1 736.7 ms / 20), so one Cholesky ≈ 39 iterations and R = 2048/39 = 52 (session 14's run: 2.34 ms and 77.9 ms,
    /// R = 61). With R = 64 the path's last seven λ (34 iterations each against a budget of 32) went to Cholesky and
    /// `Auto` took 1 154 ms where CG alone took 963. On the Zen 5 VM of the earlier sessions (AVX-512,
    /// bench/results/ConjugateGradientBenchmarks.md): 1.27 ms and 40 ms, R = 64 (66-108 under heavier load).
    /// </summary>
    internal const double CholeskyProductRatio = 52.0;

    public static PathSolver Choose(GramQuadratic q, ReadOnlySpan<double> lambdas, double tolerance)
    {
        int p = q.Features;
        if (lambdas.IsEmpty)
        {
            return PathSolver.Cholesky;
        }

        // κ(H) ≤ (1.1·λ̂_max(C) + Σwλ)/(Σwλ), with λ̂_max(C) from 8 power steps (an underestimate, hence the 1.1). This
        // ignores what the Jacobi preconditioner gains, so it errs towards Cholesky.
        double largest = 1.1 * GramLargestEigenvalue(q);
        double choleskyCost = lambdas.Length * (p / CholeskyProductRatio);
        double cgCost = 8;
        double logFactor = Math.Log(2 / tolerance);
        foreach (double lambda in lambdas)
        {
            double load = q.WeightSum * lambda;
            if (!(load > 0))
            {
                return PathSolver.Cholesky;
            }

            double kappa = (largest + load) / load;
            cgCost += Math.Min(0.5 * Math.Sqrt(kappa) * logFactor, p);
            if (cgCost >= choleskyCost)
            {
                return PathSolver.Cholesky;
            }
        }

        return PathSolver.ConjugateGradient;
    }

    /// <summary>8 power steps on C (λ = 0) from the all-ones vector.</summary>
    private static double GramLargestEigenvalue(GramQuadratic q)
    {
        int p = q.Features;
        double saved = q.Lambda;
        q.Lambda = 0;
        var v = new double[p];
        var hv = new double[p];
        Array.Fill(v, 1 / Math.Sqrt(p));
        double estimate = 0;
        for (int k = 0; k < 8; k++)
        {
            q.Apply(v, hv);
            estimate = VectorPrimitives.Dot(v, hv);
            double norm = Math.Sqrt(VectorPrimitives.SumOfSquares(hv));
            if (!(norm > 0))
            {
                break;
            }

            for (int j = 0; j < p; j++)
            {
                v[j] = hv[j] / norm;
            }
        }

        q.Lambda = saved;
        return estimate;
    }
}
