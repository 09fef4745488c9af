using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace RidgeCore.Tests.Primitives;

/// <summary>The reductions under test, so one test body can cover all four.</summary>
public enum Reduction
{
    Dot,
    Sum,
    Mean,
    SumOfSquares,
}

/// <summary>The element-wise updates under test.</summary>
public enum Update
{
    Axpy,
    ScaleAdd,
}

/// <summary>
/// Generic front doors to the float and double overloads of <see cref="VectorPrimitives"/>, so each test is written
/// once for both precisions. The <c>typeof(T)</c> tests are JIT-time constants and the casts reinterpret spans in
/// place: the public overload runs on the caller's memory, exactly as a user would call it.
/// </summary>
internal static class Ops
{
    public static T Reduce<T>(Reduction op, ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> dx = MemoryMarshal.Cast<T, double>(x), dy = MemoryMarshal.Cast<T, double>(y);
            return T.CreateTruncating(op switch
            {
                Reduction.Dot => VectorPrimitives.Dot(dx, dy),
                Reduction.Sum => VectorPrimitives.Sum(dx),
                Reduction.Mean => VectorPrimitives.Mean(dx),
                _ => VectorPrimitives.SumOfSquares(dx),
            });
        }

        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> fx = MemoryMarshal.Cast<T, float>(x), fy = MemoryMarshal.Cast<T, float>(y);
            return T.CreateTruncating(op switch
            {
                Reduction.Dot => VectorPrimitives.Dot(fx, fy),
                Reduction.Sum => VectorPrimitives.Sum(fx),
                Reduction.Mean => VectorPrimitives.Mean(fx),
                _ => VectorPrimitives.SumOfSquares(fx),
            });
        }

        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Axpy: <paramref name="dest"/> ← a·<paramref name="source"/> + dest.
    /// ScaleAdd: <paramref name="dest"/> ← a·dest + b·<paramref name="source"/>.</summary>
    public static void Apply<T>(Update op, T a, T b, ReadOnlySpan<T> source, Span<T> dest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            ReadOnlySpan<double> s = MemoryMarshal.Cast<T, double>(source);
            Span<double> d = MemoryMarshal.Cast<T, double>(dest);
            double da = double.CreateTruncating(a), db = double.CreateTruncating(b);
            if (op == Update.Axpy)
            {
                VectorPrimitives.Axpy(da, s, d);
            }
            else
            {
                VectorPrimitives.ScaleAdd(da, d, db, s);
            }

            return;
        }

        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> s = MemoryMarshal.Cast<T, float>(source);
            Span<float> d = MemoryMarshal.Cast<T, float>(dest);
            float fa = float.CreateTruncating(a), fb = float.CreateTruncating(b);
            if (op == Update.Axpy)
            {
                VectorPrimitives.Axpy(fa, s, d);
            }
            else
            {
                VectorPrimitives.ScaleAdd(fa, d, fb, s);
            }

            return;
        }

        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>The parameter name each update uses for its read-only operand and for the one it writes.</summary>
    public static (string Source, string Dest) ParameterNames(Update op)
        => op == Update.Axpy ? ("x", "y") : ("y", "x");
}
