using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RidgeCore.Internal;

/// <summary>
/// Multiply-add for every width and element type, fused wherever the hardware fuses. RyuJIT does not contract
/// <c>a * b + c</c> into an FMA (dotnet/runtime#30634), so every kernel calls these explicitly. The <c>typeof(T)</c>
/// tests are JIT-time constants: each instantiation compiles to a single instruction.
/// </summary>
internal static class SimdOps
{
    /// <summary>a·b + c in scalar code: fused where the CPU has an FMA unit, so a short span (or a single element)
    /// rounds exactly like a lane of the vector kernels of the same tier. Without hardware FMA
    /// (<c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableHWIntrinsic=0</c>) it is an ordinary multiply and add:
    /// <c>Math.FusedMultiplyAdd</c> there is a slow software routine.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MulAdd<T>(T a, T b, T c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => Fma.IsSupported || AdvSimd.IsSupported ? T.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MulAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        where T : unmanaged
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(double))
            {
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }

            if (typeof(T) == typeof(float))
            {
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            if (typeof(T) == typeof(double))
            {
                return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
            }

            if (typeof(T) == typeof(float))
            {
                return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MulAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : unmanaged
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(double))
            {
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }

            if (typeof(T) == typeof(float))
            {
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MulAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(double))
            {
                return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }

            if (typeof(T) == typeof(float))
            {
                return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }
        }

        return (a * b) + c;
    }

    /// <summary>A mask whose first <paramref name="skip"/> lanes are zero and the rest all-ones: it drops the lanes of an
    /// overlapping last vector that the main loop has already counted (a scalar tail loop would cost more and change
    /// the summation order with the length modulo the unroll).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> TailMask128<T>(int skip)
        where T : unmanaged
        => Unsafe.SizeOf<T>() == 8
            ? Vector128.GreaterThanOrEqual(Vector128<long>.Indices, Vector128.Create((long)skip)).As<long, T>()
            : Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(skip)).As<int, T>();

    /// <inheritdoc cref="TailMask128{T}(int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> TailMask256<T>(int skip)
        where T : unmanaged
        => Unsafe.SizeOf<T>() == 8
            ? Vector256.GreaterThanOrEqual(Vector256<long>.Indices, Vector256.Create((long)skip)).As<long, T>()
            : Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(skip)).As<int, T>();

    /// <inheritdoc cref="TailMask128{T}(int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> TailMask512<T>(int skip)
        where T : unmanaged
        => Unsafe.SizeOf<T>() == 8
            ? Vector512.GreaterThanOrEqual(Vector512<long>.Indices, Vector512.Create((long)skip)).As<long, T>()
            : Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(skip)).As<int, T>();
}
