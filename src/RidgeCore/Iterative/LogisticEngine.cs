using System;
using RidgeCore.Kernels.Iterative;

namespace RidgeCore.Iterative;

/// <summary>
/// Newton's method for L2 logistic regression in its IRLS form. Each iteration is one weighted Gram
/// (<see cref="GramAccumulator"/> with weights vᵢ = wᵢ·pᵢ(1 − pᵢ), centered about the v-weighted means so the
/// unpenalized intercept drops out exactly as in ridge), one Cholesky factorization with diagonal load 2·Σw·λ and a
/// backtracking (Armijo) line search whose trial evaluation — one fused pass of the batch kernel over all rows —
/// also yields the next gradient.
/// </summary>
/// <remarks>
/// <para><b>The Newton system.</b> With g the gradient of F(b, θ) = (1/W)Σ wᵢℓᵢ + λ‖θ‖² (W = Σw) and H its Hessian,
/// eliminating the intercept's row of H·d = −g leaves (Cxx(v) + 2Wλ·I)·dθ = −(Σ wᵢ(pᵢ − yᵢ)(xᵢ − x̄) + 2Wλθ) and
/// db = −Σ wᵢ(pᵢ − yᵢ)/V − x̄·dθ, where x̄ and Cxx(v) are the v-weighted mean and co-moment and V = Σv. The load is
/// 2Wλ rather than ridge's Wλ because the log-loss has no factor 2 in its gradient while λ‖θ‖² does.</para>
/// <para>The right-hand side is formed from the gradient directly rather than from IRLS's working response
/// zᵢ = mᵢ + (yᵢ − pᵢ)/(pᵢ(1 − pᵢ)), which overflows where a point is confidently misclassified.</para>
/// </remarks>
internal sealed class LogisticEngine : IDisposable
{
    private readonly int _p;
    private readonly GramAccumulator _gram;
    private readonly CholeskyFactor _factor;
    private readonly double[] _cxx;
    private readonly double[] _rhs;
    private readonly double[] _theta;
    private readonly double[] _trial;
    private readonly double[] _gradient;
    private readonly double[] _trialGradient;
    private double[] _v = [];
    private double[] _zeros = [];

    public LogisticEngine(int features, bool intercept)
    {
        _p = features;
        _gram = new GramAccumulator(features, 1, intercept ? GramMode.Centered : GramMode.Uncentered);
        _factor = new CholeskyFactor(features);
        _cxx = new double[features * features];
        _rhs = new double[features];
        _theta = new double[features];
        _trial = new double[features];
        _gradient = new double[features];
        _trialGradient = new double[features];
    }

    public LogisticModel Fit(MatrixView<double> x, ReadOnlySpan<double> y, LogisticOptions options, ReadOnlySpan<double> w)
    {
        int n = x.Rows, p = _p;
        IterativeInput.CheckShape(x, y.Length, "labels", w);
        IterativeInput.CheckFinite(x, nameof(x));
        IterativeInput.CheckBinary(y, "labels");
        double weightSum = IterativeInput.CheckWeights(w, n);
        if (_v.Length < n)
        {
            _v = new double[n];
            _zeros = new double[n];
        }

        bool intercept = options.FitIntercept;
        double lambda = options.Lambda, load = 2 * weightSum * lambda;
        double positive = 0;
        for (int i = 0; i < n; i++)
        {
            positive += (w.IsEmpty ? 1 : w[i]) * y[i];
        }

        double mean = Math.Clamp(positive / weightSum, 1e-12, 1 - 1e-12);
        double b = intercept ? Math.Log(mean / (1 - mean)) : 0;
        Array.Clear(_theta);
        ref double x0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x.Data);
        var loss = default(LogisticLoss<double>);
        BatchSums<double> sums = BatchGradientKernel.Run(loss, ref x0, x.RowStride, p, default, 0, n, y, w, _theta, 1.0, b, _gradient, computeLoss: true);
        double objective = sums.LossSum / weightSum;
        double derivativeSum = sums.DerivativeSum;
        int iteration = 0;
        IterativeStopReason reason;
        while (true)
        {
            double gmax = intercept ? Math.Abs(derivativeSum / weightSum) : 0;
            for (int j = 0; j < p; j++)
            {
                gmax = Math.Max(gmax, Math.Abs((_gradient[j] / weightSum) + (2 * lambda * _theta[j])));
            }

            if (gmax <= options.Tolerance)
            {
                reason = IterativeStopReason.Tolerance;
                break;
            }

            if (iteration == options.MaxIterations)
            {
                reason = IterativeStopReason.MaxIterations;
                break;
            }

            iteration++;

            // IRLS weights at the current point: vᵢ = wᵢ·σ(m)σ(−m), with e = exp(−|m|) so it never rounds to 0 early.
            for (int i = 0; i < n; i++)
            {
                double m = VectorPrimitives.Dot(x.Row(i), _theta) + b;
                double e = Math.Exp(-Math.Abs(m));
                double s = e / ((1 + e) * (1 + e));
                _v[i] = (w.IsEmpty ? 1 : w[i]) * s;
            }

            _gram.Reset();
            _gram.Add(x, new MatrixView<double>(_zeros.AsSpan(0, n), n, 1), _v.AsSpan(0, n));
            _gram.CopyCxx(_cxx);
            ReadOnlySpan<double> xbar = _gram.MeanX;
            double vsum = _gram.WeightSum;
            for (int j = 0; j < p; j++)
            {
                _rhs[j] = -(_gradient[j] + (load * _theta[j]) - (intercept ? derivativeSum * xbar[j] : 0));
            }

            _factor.Factor(new MatrixView<double>(_cxx, p, p), load);
            _factor.Solve(_rhs);
            double db = 0;
            if (intercept)
            {
                db = -(derivativeSum / vsum) - VectorPrimitives.Dot(xbar, _rhs);
            }

            // Directional derivative gᵀd (negative: H is positive definite).
            double slope = intercept ? derivativeSum / weightSum * db : 0;
            for (int j = 0; j < p; j++)
            {
                slope += ((_gradient[j] / weightSum) + (2 * lambda * _theta[j])) * _rhs[j];
            }

            if (!(slope < 0))
            {
                reason = IterativeStopReason.Stalled;
                break;
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
                BatchSums<double> trial = BatchGradientKernel.Run(loss, ref x0, x.RowStride, p, default, 0, n, y, w, _trial, 1.0, bt, _trialGradient, computeLoss: true);
                double ft = (trial.LossSum / weightSum) + (lambda * VectorPrimitives.SumOfSquares(_trial));

                // Armijo, or a full step whose change is at rounding level (near the optimum the predicted decrease
                // −gᵀd/2 falls below what F can resolve, and a strict test would reject the exact Newton step).
                if (ft <= objective + (1e-4 * t * slope) || (t == 1 && ft - objective <= 1e-15 * Math.Abs(objective)))
                {
                    accepted = true;
                    _trial.CopyTo(_theta, 0);
                    _trialGradient.CopyTo(_gradient, 0);
                    b = bt;
                    objective = ft;
                    derivativeSum = trial.DerivativeSum;
                }
            }

            if (!accepted)
            {
                reason = IterativeStopReason.Stalled;
                break;
            }
        }

        var coefficients = (double[])_theta.Clone();
        var result = new IterativeFitResult(coefficients, b, iteration, objective, reason, lambda);
        return new LogisticModel(coefficients, b, weightSum, result);
    }

    public void Dispose()
    {
        _gram.Dispose();
        _factor.Dispose();
    }
}
