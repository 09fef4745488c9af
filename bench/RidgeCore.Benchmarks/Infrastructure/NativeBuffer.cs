using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// A 64-byte-aligned block of native memory (one cache line, one AVX-512 vector): every contender sees the same
/// alignment, and the GC never moves it or counts it as an allocation of the benchmark.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed unsafe class NativeBuffer<T> : IDisposable
    where T : unmanaged, INumberBase<T>
{
    /// <summary>The alignment in bytes.</summary>
    public const int Alignment = 64;

    /// <summary>Allocates <paramref name="length"/> zeroed elements.</summary>
    /// <param name="length">The number of elements.</param>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        Data = (T*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(Data, bytes);
    }

    /// <summary>The first element.</summary>
    public T* Data { get; private set; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements as a span.</summary>
    public Span<T> Span => new(Data, Length);

    /// <summary>Fills the buffer with reproducible uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    public void FillUniform(int seed, double low = -1, double high = 1)
    {
#pragma warning disable CA5394 // Benchmark data, not security: a seeded generator keeps it reproducible.
        var random = new Random(seed);
        Span<T> span = Span;
        for (int i = 0; i < span.Length; i++)
        {
            double v = low + ((high - low) * random.NextDouble());
            span[i] = T.CreateTruncating(v);
        }
#pragma warning restore CA5394
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Data != null)
        {
            NativeMemory.AlignedFree(Data);
            Data = null;
        }
    }
}
