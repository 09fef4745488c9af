using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Baselines;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Fit;

/// <summary>
/// A whole ridge fit, single thread, double: P = 32 features with n = 1 000 rows, and P = 256 with n = 100 000, one
/// target, λ = 10⁻³ (in RidgeCore's convention; Σw·λ on the diagonal). The targets: at (1 000, 32) RidgeCore at
/// least 1.5× faster than the baseline with zero bytes allocated; at (100 000, 256) no slower than OpenBLAS dsyrk alone.
/// </summary>
/// <remarks>
/// <para><b>The baseline does less.</b> <c>OpenBlas</c> starts from data already centered (X̃ and ỹ, made in the
/// setup, as one row-major n × (P + 1) matrix [X̃ ỹ]) and runs only <c>dsyrk</c> (which also yields X̃ᵀỹ from the last
/// column), adds the load to the diagonal, <c>dpotrf</c> and <c>dpotrs</c>. RidgeCore starts from raw X and y and does
/// the whole fit through a reusable <see cref="RidgeSolver"/>: weighted means and centered Gram (one blocked pass),
/// equilibration, Cholesky, the condition estimate, the solve, the intercept, R² and the effective degrees of freedom.
/// <c>RidgeCore</c> runs without refinement (the timing rule); <c>RidgeCoreRefined</c> adds the default
/// refinement (here one compensated O(n·P) pass) to show what it costs.</para>
/// <para>Throughput columns credit n·P·(P + 1) + P³/3 flops to everyone (the Gram's lower triangle with y, and the
/// Cholesky), the same for both, although RidgeCore also centers.</para>
/// </remarks>
[WorkPerElement(nameof(FlopCount), Flops = 1)]
public unsafe class FitBenchmarks
{
    private const double Lambda = 1e-3;

    private NativeBuffer<double> _x = null!;
    private NativeBuffer<double> _y = null!;
    private NativeBuffer<double> _centered = null!;
    private NativeBuffer<double> _gram = null!;
    private NativeBuffer<double> _rhs = null!;
    private RidgeSolver _solver = null!;
    private RidgeOptions _plain = null!;
    private RidgeOptions _refined = null!;

    /// <summary>The number of features; the rows follow from it (<see cref="Rows"/>).</summary>
    [Params(32, 256)]
    public int P { get; set; }

    /// <summary>The number of rows for a given P: 1 000 for P = 32, 100 000 for P = 256.</summary>
    /// <param name="p">The number of features.</param>
    /// <returns>The number of rows.</returns>
    public static int Rows(int p) => p <= 32 ? 1_000 : 100_000;

    /// <summary>The flops credited to one fit: n·P·(P + 1) + P³/3.</summary>
    /// <param name="p">The number of features.</param>
    /// <returns>The flop count.</returns>
    public static double FlopCount(int p) => ((double)Rows(p) * p * (p + 1)) + ((double)p * p * p / 3);

    /// <summary>Makes X, y = X·β + noise, the centered copy for the baseline, and the solver.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TierGuard.Check();
        if (Baselines.OpenBlas.IsAvailable)
        {
            Baselines.OpenBlas.SetNumThreads(1);
        }

        int n = Rows(P), p = P, q = p + 1;
        _x = new NativeBuffer<double>(n * p);
        _y = new NativeBuffer<double>(n);
        _x.FillUniform(seed: 21);
        _y.FillUniform(seed: 22, low: -0.1, high: 0.1);
        for (int i = 0; i < n; i++)
        {
            double v = 0;
            for (int j = 0; j < p; j++)
            {
                v += _x.Data[((long)i * p) + j] * (1.0 + (j % 5));
            }

            _y.Data[i] += v;
        }

        // [X̃ ỹ], centered by the column means, for the baseline.
        _centered = new NativeBuffer<double>(n * q);
        var mean = new double[q];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                mean[j] += _x.Data[((long)i * p) + j] / n;
            }

            mean[p] += _y.Data[i] / n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                _centered.Data[((long)i * q) + j] = _x.Data[((long)i * p) + j] - mean[j];
            }

            _centered.Data[((long)i * q) + p] = _y.Data[i] - mean[p];
        }

        _gram = new NativeBuffer<double>(q * q);
        _rhs = new NativeBuffer<double>(p);
        _solver = new RidgeSolver(p);
        _plain = new RidgeOptions { Lambda = Lambda, Refine = false };
        _refined = new RidgeOptions { Lambda = Lambda };
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _y.Dispose();
        _centered.Dispose();
        _gram.Dispose();
        _rhs.Dispose();
        _solver.Dispose();
    }

    /// <summary>OpenBLAS on pre-centered data: <c>dsyrk</c> of [X̃ ỹ], the load, <c>dpotrf</c>, <c>dpotrs</c>.</summary>
    /// <returns>The first coefficient.</returns>
    [Benchmark(Baseline = true)]
    [RequiresOpenBlas]
    public double OpenBlas()
    {
        int n = Rows(P), p = P, q = p + 1;
        double* c = _gram.Data, b = _rhs.Data;

        // Row-major lower of [X̃ ỹ]ᵀ[X̃ ỹ]: rows 0..p−1 hold X̃ᵀX̃, row p holds X̃ᵀỹ. Row-major lower is column-major
        // upper, which is what dpotrf('U') reads with leading dimension q.
        Baselines.OpenBlas.Dsyrk(CblasOrder.RowMajor, CblasUplo.Lower, CblasTranspose.Trans, q, n, 1.0, _centered.Data, q, 0.0, c, q);
        for (int j = 0; j < p; j++)
        {
            c[((long)j * q) + j] += n * Lambda;
            b[j] = c[((long)p * q) + j];
        }

        Baselines.OpenBlas.Dpotrf('U', p, c, q);
        Baselines.OpenBlas.Dpotrs('U', p, 1, c, q, b, p);
        return b[0];
    }

    /// <summary>RidgeCore from raw X and y through the reusable solver, refinement off.</summary>
    /// <returns>The first coefficient.</returns>
    [Benchmark]
    public double RidgeCore() => Fit(_plain);

    /// <summary>RidgeCore with its default refinement (compensated residual pass over X).</summary>
    /// <returns>The first coefficient.</returns>
    [Benchmark]
    public double RidgeCoreRefined() => Fit(_refined);

    private double Fit(RidgeOptions options)
    {
        int n = Rows(P);
        _solver.Fit(
            new MatrixView<double>(new ReadOnlySpan<double>(_x.Data, n * P), n, P),
            new MatrixView<double>(new ReadOnlySpan<double>(_y.Data, n), n, 1),
            options);
        return _solver.Coefficients[0];
    }
}
