using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Iterative;

/// <summary>
/// One vector width as a type: the iterative kernels are written once against this interface and instantiated per
/// width (<see cref="Width1{T}"/>, <see cref="Width128{T}"/>, <see cref="Width256{T}"/>, <see cref="Width512{T}"/>).
/// Every member is a static abstract on a struct, so each instantiation compiles to straight vector code with no calls
/// (the TensorPrimitives operator pattern, applied to the vector type instead of the operation).
/// </summary>
internal interface ISimdWidth<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : unmanaged
{
    static abstract nuint Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(ref T source, nuint index);

    static abstract void Store(TVec value, ref T destination, nuint index);

    static abstract TVec Broadcast(T value);

    static abstract TVec MulAdd(TVec a, TVec b, TVec c);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary>Zeroes the first <paramref name="skip"/> lanes (lanes an overlapping last vector has already seen).</summary>
    static abstract TVec DropLeading(TVec value, int skip);

    static abstract T Sum(TVec value);
}

/// <summary>The scalar "width": one element, used by the scalar tier and for lengths below one 128-bit vector.</summary>
internal readonly struct Width1<T> : ISimdWidth<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static nuint Count => 1;

    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MulAdd(T a, T b, T c) => SimdOps.MulAdd(a, b, c);

    public static T Multiply(T a, T b) => a * b;

    public static T Add(T a, T b) => a + b;

    public static T Subtract(T a, T b) => a - b;

    public static T DropLeading(T value, int skip) => skip == 0 ? value : T.Zero;

    public static T Sum(T value) => value;
}

/// <summary>128-bit vectors.</summary>
internal readonly struct Width128<T> : ISimdWidth<T, Vector128<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static nuint Count => (nuint)Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MulAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => SimdOps.MulAdd(a, b, c);

    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> DropLeading(Vector128<T> value, int skip) => value & SimdOps.TailMask128<T>(skip);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);
}

/// <summary>256-bit vectors.</summary>
internal readonly struct Width256<T> : ISimdWidth<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static nuint Count => (nuint)Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => SimdOps.MulAdd(a, b, c);

    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> DropLeading(Vector256<T> value, int skip) => value & SimdOps.TailMask256<T>(skip);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);
}

/// <summary>512-bit vectors.</summary>
internal readonly struct Width512<T> : ISimdWidth<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static nuint Count => (nuint)Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MulAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => SimdOps.MulAdd(a, b, c);

    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> DropLeading(Vector512<T> value, int skip) => value & SimdOps.TailMask512<T>(skip);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);
}
