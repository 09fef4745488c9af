using System;
using BenchmarkDotNet.Attributes;
using RidgeCore.Benchmarks.Infrastructure;

namespace RidgeCore.Benchmarks.Selection;

/// <summary>
/// The symmetric eigendecomposition with eigenvectors of a P × P Gram matrix, single thread: LAPACK <c>dsyevd</c>
/// (divide and conquer, OpenBLAS's LAPACK; the baseline) against <see cref="SymmetricEigenSolver"/> (Householder
/// tridiagonalization + implicit QL). The target: RidgeCore within 3× of dsyevd at P = 256 and 1024.
/// </summary>
/// <remarks>
/// Both start from the same matrix G = XᵀX/n of a 2P × P uniform X (well spread, full-rank spectrum) and both copy it
/// first: dsyevd overwrites its input, so the baseline copies it into its work matrix each call (P² doubles, well
/// under 1 % of the run), and RidgeCore reads it into its own workspace. dsyevd's workspace is queried and allocated
/// once in the setup, so neither allocates in the timed call.
/// </remarks>
public unsafe class EigenBenchmarks
{
    private NativeBuffer<double> _gram = null!;
    private NativeBuffer<double> _work = null!;
    private NativeBuffer<double> _values = null!;
    private NativeBuffer<double> _lapackWork = null!;
    private int[] _lapackIwork = [];
    private SymmetricEigenSolver _solver = null!;

    /// <summary>The order of the matrix.</summary>
    [Params(256, 1024)]
    public int P { get; set; }

    /// <summary>Builds G and both workspaces.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TierGuard.Check();
        if (Baselines.OpenBlas.IsAvailable)
        {
            Baselines.OpenBlas.SetNumThreads(1);
        }

        int p = P, rows = 2 * p;
        using var x = new NativeBuffer<double>(rows * p);
        x.FillUniform(seed: 5);
        _gram = new NativeBuffer<double>(p * p);
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int r = 0; r < rows; r++)
                {
                    s += x.Data[((long)r * p) + i] * x.Data[((long)r * p) + j];
                }

                _gram.Data[((long)i * p) + j] = s / rows;
                _gram.Data[((long)j * p) + i] = s / rows;
            }
        }

        _work = new NativeBuffer<double>(p * p);
        _values = new NativeBuffer<double>(p);
        _solver = new SymmetricEigenSolver(p);
        if (Baselines.OpenBlas.IsAvailable && Baselines.OpenBlas.HasLapack)
        {
            double workSize = 0;
            int iworkSize = 0;
            Baselines.OpenBlas.Dsyevd('V', 'L', p, _work.Data, p, _values.Data, &workSize, -1, &iworkSize, -1);
            _lapackWork = new NativeBuffer<double>((int)workSize);
            _lapackIwork = new int[iworkSize];
        }
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _gram.Dispose();
        _work.Dispose();
        _values.Dispose();
        _lapackWork?.Dispose();
        _solver.Dispose();
    }

    /// <summary>LAPACK dsyevd('V', 'L') on a copy of G.</summary>
    /// <returns>The largest eigenvalue.</returns>
    [Benchmark(Baseline = true)]
    [RequiresOpenBlas]
    public double OpenBlas()
    {
        int p = P;
        Buffer.MemoryCopy(_gram.Data, _work.Data, 8L * p * p, 8L * p * p);
        fixed (int* iwork = _lapackIwork)
        {
            int info = Baselines.OpenBlas.Dsyevd('V', 'L', p, _work.Data, p, _values.Data, _lapackWork.Data, _lapackWork.Length, iwork, _lapackIwork.Length);
            if (info != 0)
            {
                throw new InvalidOperationException($"dsyevd failed: info = {info}");
            }
        }

        return _values.Data[p - 1];
    }

    /// <summary>RidgeCore's <see cref="SymmetricEigenSolver"/> with eigenvectors.</summary>
    /// <returns>The largest eigenvalue.</returns>
    [Benchmark]
    public double RidgeCore()
    {
        _solver.Decompose(new MatrixView<double>(new ReadOnlySpan<double>(_gram.Data, P * P), P, P));
        return _solver.Values[P - 1];
    }
}
