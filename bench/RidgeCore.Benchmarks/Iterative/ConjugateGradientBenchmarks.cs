using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Iterative;

/// <summary>
/// A 20-λ ridge path from sufficient statistics at P = 2048 (a <see cref="GramAccumulator"/> of n = 4 096 rows, filled
/// once in the setup), single thread, double: warm-started, Jacobi-preconditioned conjugate gradient to a relative
/// residual of 10⁻⁸ (<c>CgPath</c>) beside one Cholesky factorization and solve per λ (<c>CholeskyPath</c>, the
/// baseline), and the automatic choice (<c>AutoPath</c>), which must pick the faster of the two.
/// </summary>
/// <remarks>
/// <para>The λ grid is 20 values spaced logarithmically from 10 down to 10⁻³ (the path order warm starts like). With
/// n/P = 2 the Gram's spectrum spans about [0.09, 2.9]·n, so κ(Cxx + nλI) runs from ≈ 1 at λ = 10 to ≈ 30 at 10⁻³.</para>
/// <para>Cost model: a CG iteration streams the P × P Gram once (32 MiB at P = 2048: memory-bound), a Cholesky runs
/// P³/3 flops near the FMA peak. The ratio measured here sets <c>RidgePathChoice.CholeskyProductRatio</c>, the constant
/// behind <see cref="IterativeRidge.ChoosePathSolver"/>. Both paths include the same copy of Cxx out of the
/// accumulator.</para>
/// </remarks>
public class ConjugateGradientBenchmarks
{
    private const int Rows = 4096;
    private const int Features = 2048;

    private GramAccumulator _statistics = null!;
    private double[] _lambdas = null!;
    private IterativeRidgeOptions _options = null!;

    /// <summary>Builds the statistics from uniform X and a linear y with noise.</summary>
    [GlobalSetup]
    public unsafe void Setup()
    {
        TierGuard.Check();
        using var x = new NativeBuffer<double>(Rows * Features);
        using var y = new NativeBuffer<double>(Rows);
        using var beta = new NativeBuffer<double>(Features);
        x.FillUniform(seed: 51);
        beta.FillUniform(seed: 52);
        y.FillUniform(seed: 53, low: -0.1, high: 0.1);
        for (int i = 0; i < Rows; i++)
        {
            y.Data[i] += VectorPrimitives.Dot(new ReadOnlySpan<double>(x.Data + ((long)i * Features), Features), beta.Span);
        }

        _statistics = new GramAccumulator(Features) { DegreeOfParallelism = Environment.ProcessorCount };
        _statistics.Add(
            new MatrixView<double>(new ReadOnlySpan<double>(x.Data, Rows * Features), Rows, Features),
            new MatrixView<double>(new ReadOnlySpan<double>(y.Data, Rows), Rows, 1));
        _lambdas = new double[20];
        for (int k = 0; k < _lambdas.Length; k++)
        {
            _lambdas[k] = 10 * Math.Pow(1e-4, k / 19.0);
        }

        _options = new IterativeRidgeOptions { Tolerance = 1e-8 };
        IterativeFitResult[] cg = CgPath();
        int iterations = 0;
        foreach (IterativeFitResult r in cg)
        {
            iterations += r.Iterations;
        }

        IterativeFitResult[] auto = AutoPath();
        int viaCg = 0;
        foreach (IterativeFitResult r in auto)
        {
            viaCg += r.Iterations > 0 ? 1 : 0;
        }

        Console.WriteLine($"// ConjugateGradientBenchmarks: CG path {iterations} iterations in all ({cg[0].Iterations} at λ = {_lambdas[0]}, {cg[^1].Iterations} at λ = {_lambdas[^1]}); Auto solved {viaCg} λ by CG and {auto.Length - viaCg} by Cholesky; the a-priori estimate (ChoosePathSolver) says {IterativeRidge.ChoosePathSolver(_statistics, _lambdas, _options.Tolerance)}");
    }

    /// <summary>Frees the statistics.</summary>
    [GlobalCleanup]
    public void Cleanup() => _statistics.Dispose();

    /// <summary>Warm-started CG over the path.</summary>
    /// <returns>The fits.</returns>
    [Benchmark]
    public IterativeFitResult[] CgPath() => IterativeRidge.ConjugateGradientPath(_statistics, _lambdas, _options);

    /// <summary>One Cholesky per λ.</summary>
    /// <returns>The fits.</returns>
    [Benchmark(Baseline = true)]
    public IterativeFitResult[] CholeskyPath() => IterativeRidge.CholeskyPath(_statistics, _lambdas, _options);

    /// <summary>The automatic choice (including the cost of choosing).</summary>
    /// <returns>The fits.</returns>
    [Benchmark]
    public IterativeFitResult[] AutoPath() => IterativeRidge.SolvePath(_statistics, _lambdas, _options);
}
