using System;
using System.Runtime.InteropServices;
using RidgeCore.Kernels.Gram;
using RidgeCore.Selection;
using Xunit;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Prefetching is a hint to the memory system and must never change a bit: the tiles that take a turn of the
/// prefetches (<c>RunPrefetching</c>, and on AVX-512 the half and extra-row tiles' prefetching entry points) are
/// separate copies of the loops, so these tests compare a batch the engine prefetches with the same values laid out so
/// that it does not (rows a cache line or more apart), and the subsample-Hessian pattern (short blocks, each Add told
/// which rows come next) with the same Adds untold. Each case first checks that it reaches the path it is about.
/// </summary>
public class GramPrefetchTests
{
    /// <summary>A batch large enough to be prefetched, against the same values in rows a cache line apart (never
    /// prefetched): the same bytes. q = 65 runs the AVX-512 extra-row tile, p = 256 the half tiles on many panels.</summary>
    [Theory]
    [InlineData(false, 6000, 64, 1, false)]
    [InlineData(false, 6000, 64, 1, true)]
    [InlineData(false, 3000, 61, 3, true)]
    [InlineData(false, 1200, 256, 1, false)]
    [InlineData(true, 9000, 64, 1, true)]
    [InlineData(true, 2200, 253, 2, false)]
    public void A_prefetched_batch_gives_the_bytes_of_one_that_is_not(bool isFloat, int n, int p, int t, bool weighted)
    {
        int elementSize = isFloat ? sizeof(float) : sizeof(double);
        int gap = 64 / elementSize;
        var (paddedQ, kc) = Layout(p + t, isFloat);
        Assert.True(GramEngine.Prefetches(paddedQ, kc, n, p, p, elementSize, hinted: false), "the contiguous batch would not be prefetched");
        Assert.False(GramEngine.Prefetches(paddedQ, kc, n, p, p + gap, elementSize, hinted: false), "the spread-out batch would be prefetched");

        var rng = new Random((n * 7) + p);
        var x = new double[n * p];
        var y = new double[n * t];
        var w = new double[n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 50 + (rng.NextDouble() * 4) - 2;
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = rng.NextDouble();
        }

        for (int i = 0; i < n; i++)
        {
            w[i] = rng.Next(5) == 0 ? 0 : rng.NextDouble() * 2;
        }

        var spread = new double[n * (p + gap)];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, i * p, spread, i * (p + gap), p);
        }

        byte[] contiguous = isFloat ? AddFloat(x, p, p, y, t, weighted ? w : null) : AddDouble(x, p, p, y, t, weighted ? w : null);
        byte[] apart = isFloat ? AddFloat(spread, p, p + gap, y, t, weighted ? w : null) : AddDouble(spread, p, p + gap, y, t, weighted ? w : null);
        GramAssert.SameBytes(apart, contiguous, $"{(isFloat ? "float" : "double")} n = {n}, p = {p}, t = {t}: prefetched vs not");
    }

    /// <summary>The logistic Hessian's pattern (128-row blocks 512 rows apart, weighted) and k-fold cross-validation's
    /// (runs of rows, unweighted, in double or float; runs longer than a slab also prefetch their own later slabs when
    /// told), each Add told the rows that come next. Told or untold, the same bytes (the told Adds are too small to be
    /// prefetched otherwise).</summary>
    [Theory]
    [InlineData(false, 64, 1, true, 128, 512)]
    [InlineData(false, 37, 1, true, 128, 512)]
    [InlineData(false, 200, 2, true, 128, 512)]
    [InlineData(false, 64, 1, false, 600, 1000)]
    [InlineData(true, 64, 1, false, 128, 512)]
    [InlineData(true, 90, 3, true, 700, 1024)]
    public void Adds_told_the_next_rows_give_the_bytes_of_adds_that_are_not(bool isFloat, int p, int t, bool weighted, int block, int spacing)
    {
        const int n = 8192;
        int elementSize = isFloat ? sizeof(float) : sizeof(double);
        var (paddedQ, kc) = Layout(p + t, isFloat);
        Assert.False(GramEngine.Prefetches(paddedQ, kc, block, p, p, elementSize, hinted: false), "a block would be prefetched untold");
        Assert.True(GramEngine.Prefetches(paddedQ, kc, block, p, p, elementSize, hinted: true), "a told block would not be prefetched");

        var rng = new Random(p);
        var x = new double[n * p];
        var y = new double[n * t];
        var w = new double[n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble() - 0.3;
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = rng.NextDouble();
        }

        for (int i = 0; i < n; i++)
        {
            w[i] = 0.05 + (rng.NextDouble() * 0.2);
        }

        byte[] told = isFloat
            ? Blocks(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(y, v => (float)v), weighted ? Array.ConvertAll(w, v => (float)v) : null, p, t, block, spacing, tell: true)
            : Blocks(x, y, weighted ? w : null, p, t, block, spacing, tell: true);
        byte[] untold = isFloat
            ? Blocks(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(y, v => (float)v), weighted ? Array.ConvertAll(w, v => (float)v) : null, p, t, block, spacing, tell: false)
            : Blocks(x, y, weighted ? w : null, p, t, block, spacing, tell: false);
        GramAssert.SameBytes(untold, told, $"{(isFloat ? "float" : "double")} p = {p}, t = {t}: told vs untold");
    }

    private static byte[] Blocks<T>(T[] x, T[] y, T[]? w, int p, int t, int block, int spacing, bool tell)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int n = y.Length / t;
        var all = new MatrixView<T>(x, n, p);
        using var acc = new GramAccumulator(p, t);
        for (int first = 0; first + block <= n; first += spacing)
        {
            MatrixView<T> rows = all.SliceRows(first, block);
            var targets = new MatrixView<T>(y.AsSpan(first * t, block * t), block, t);
            ReadOnlySpan<T> weights = w is null ? default : w.AsSpan(first, block);
            if (tell)
            {
                acc.AddAhead(rows, targets, weights, first + spacing + block <= n ? all.SliceRows(first + spacing, block) : default);
            }
            else if (typeof(T) == typeof(double))
            {
                PublicAdd(acc, RidgeSelection.Reinterpret<T, double>(rows), RidgeSelection.Reinterpret<T, double>(targets), MemoryMarshal.Cast<T, double>(weights));
            }
            else
            {
                PublicAdd(acc, RidgeSelection.Reinterpret<T, float>(rows), RidgeSelection.Reinterpret<T, float>(targets), MemoryMarshal.Cast<T, float>(weights));
            }
        }

        return GramPropertyTests.Serialized(acc);
    }

    private static void PublicAdd(GramAccumulator acc, MatrixView<double> x, MatrixView<double> y, ReadOnlySpan<double> w)
    {
        if (w.IsEmpty)
        {
            acc.Add(x, y);
        }
        else
        {
            acc.Add(x, y, w);
        }
    }

    private static void PublicAdd(GramAccumulator acc, MatrixView<float> x, MatrixView<float> y, ReadOnlySpan<float> w)
    {
        if (w.IsEmpty)
        {
            acc.Add(x, y);
        }
        else
        {
            acc.Add(x, y, w);
        }
    }

    private static (int PaddedQ, int KC) Layout(int q, bool isFloat)
    {
        int nr = isFloat ? GramEngine.PanelWidth<float>() : GramEngine.PanelWidth<double>();
        GramBlocking blocking = GramBlocking.For(KernelSelection.Active);
        return ((q + nr - 1) / nr * nr, blocking.KC);
    }

    private static byte[] AddDouble(double[] x, int p, int stride, double[] y, int t, double[]? w)
    {
        int n = y.Length / t;
        using var acc = new GramAccumulator(p, t);
        var xv = new MatrixView<double>(x, n, p, stride);
        var yv = new MatrixView<double>(y, n, t);
        if (w is null)
        {
            acc.Add(xv, yv);
        }
        else
        {
            acc.Add(xv, yv, w);
        }

        return GramPropertyTests.Serialized(acc);
    }

    private static byte[] AddFloat(double[] x, int p, int stride, double[] y, int t, double[]? w)
    {
        int n = y.Length / t;
        float[] xf = Array.ConvertAll(x, v => (float)v), yf = Array.ConvertAll(y, v => (float)v);
        using var acc = new GramAccumulator(p, t);
        var xv = new MatrixView<float>(xf, n, p, stride);
        var yv = new MatrixView<float>(yf, n, t);
        if (w is null)
        {
            acc.Add(xv, yv);
        }
        else
        {
            acc.Add(xv, yv, Array.ConvertAll(w, v => (float)v));
        }

        return GramPropertyTests.Serialized(acc);
    }
}
