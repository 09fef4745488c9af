using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Iterative;

/// <summary>
/// Ridge by conjugate gradient and by gradient descent straight from X (matrix-free: every product is one pass over the
/// rows), single thread, double, n = 100 000, beside the closed form from the same X (<c>Closed</c>: one Gram pass and a
/// Cholesky, the baseline). bench/sklearn/ridge_iterative.py times scikit-learn's <c>Ridge(solver="sparse_cg")</c>, the
/// same matrix-free CG with the same stopping rule (‖r‖ ≤ 10⁻⁸·‖b‖ on the centered normal equations), on data of the
/// same shape, for the ratio.
/// </summary>
/// <remarks>
/// λ = 10⁻³ (scikit-learn's alpha = λ·n = 100), uniform X in [−1, 1) and y = X·β + noise: κ(Cxx + nλI) ≈ 1.1, so CG
/// needs a handful of iterations and the time is the passes over X (51 MB at P = 64: out of cache). The reported
/// bytes are one pass over X; a fit makes several: the column-moments pass, the right-hand side and one per
/// iteration (two more for GD's power iteration per estimate).
/// </remarks>
[WorkPerElement(nameof(BytesOfX), BytesRead = 1)]
public class IterativeFromDataBenchmarks
{
    private const int Rows = 100_000;

    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;
    private IterativeRidgeOptions _options = null!;
    private RidgeSolver _solver = null!;
    private RidgeOptions _closed = null!;

    /// <summary>Columns of X.</summary>
    [Params(64)]
    public int P { get; set; }

    /// <summary>Bytes of X, one pass.</summary>
    /// <param name="p">Columns.</param>
    /// <returns>n·p·8.</returns>
    public static double BytesOfX(int p) => (double)Rows * p * sizeof(double);

    private MatrixView<double> X => new(_x.Span, Rows, P);

    /// <summary>Fills X and y and checks that both iterative fits reach the closed form.</summary>
    [GlobalSetup]
    public unsafe void Setup()
    {
        TierGuard.Check();
        _x = new NativeBuffer<double>(Rows * P);
        _y = new NativeBuffer<double>(Rows);
        using var beta = new NativeBuffer<double>(P);
        _x.FillUniform(seed: 61);
        beta.FillUniform(seed: 62);
        _y.FillUniform(seed: 63, low: -0.1, high: 0.1);
        for (int i = 0; i < Rows; i++)
        {
            _y.Data[i] += VectorPrimitives.Dot(new ReadOnlySpan<double>(_x.Data + ((long)i * P), P), beta.Span);
        }

        _options = new IterativeRidgeOptions { Lambda = 1e-3, Tolerance = 1e-8 };
        _solver = new RidgeSolver(P);
        _closed = new RidgeOptions { Lambda = 1e-3, Refine = false };
        Closed();
        double[] exact = _solver.Coefficients.ToArray();
        IterativeFitResult cg = ConjugateGradient();
        IterativeFitResult gd = GradientDescent();
        double cgError = 0, gdError = 0, scale = 0;
        for (int j = 0; j < P; j++)
        {
            cgError = Math.Max(cgError, Math.Abs(cg.Coefficients[j] - exact[j]));
            gdError = Math.Max(gdError, Math.Abs(gd.Coefficients[j] - exact[j]));
            scale = Math.Max(scale, Math.Abs(exact[j]));
        }

        if (cgError > 1e-6 * scale || gdError > 1e-6 * scale)
        {
            throw new InvalidOperationException($"Iterative fits off the closed form: CG {cgError:E2}, GD {gdError:E2} (scale {scale:E2}).");
        }

        Console.WriteLine($"// IterativeFromDataBenchmarks P={P}: CG {cg.Iterations} iterations ({cg.StopReason}), GD {gd.Iterations} iterations ({gd.StopReason}); largest coefficient difference from the closed form: CG {cgError / scale:E1}, GD {gdError / scale:E1} relative");
    }

    /// <summary>Frees the data.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _solver.Dispose();
    }

    /// <summary>The closed form from the same X: Gram pass, Cholesky, solve.</summary>
    /// <returns>The first coefficient.</returns>
    [Benchmark(Baseline = true)]
    public double Closed()
    {
        _solver.Fit(X, new MatrixView<double>(_y.Span, Rows, 1), _closed);
        return _solver.Coefficients[0];
    }

    /// <summary>Jacobi-preconditioned CG from X to a relative residual of 10⁻⁸.</summary>
    /// <returns>The fit.</returns>
    [Benchmark]
    public IterativeFitResult ConjugateGradient() => IterativeRidge.ConjugateGradient(X, _y.Span, _options);

    /// <summary>Gradient descent from X, step from the Lipschitz constant, to the same tolerance.</summary>
    /// <returns>The fit.</returns>
    [Benchmark]
    public IterativeFitResult GradientDescent() => IterativeRidge.GradientDescent(X, _y.Span, _options);
}
