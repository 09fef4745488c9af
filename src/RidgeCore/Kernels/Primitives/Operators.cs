using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Primitives;

/// <summary>One term of a one-input reduction: <c>acc ← acc ⊕ f(x)</c>, at every width.</summary>
internal interface IUnaryAccumulator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Accumulate(T acc, T x);

    static abstract Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x);

    static abstract Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x);

    static abstract Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x);
}

/// <summary>One term of a two-input reduction: <c>acc ← acc ⊕ f(x, y)</c>, at every width.</summary>
internal interface IBinaryAccumulator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Accumulate(T acc, T x, T y);

    static abstract Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x, Vector128<T> y);

    static abstract Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x, Vector256<T> y);

    static abstract Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x, Vector512<T> y);
}

/// <summary>An element-wise update <c>dest[i] ← f(other[i], dest[i])</c> whose scalars (a, b) live in the struct.</summary>
internal interface IUpdateOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    T Invoke(T other, T dest);

    Vector128<T> Invoke(Vector128<T> other, Vector128<T> dest);

    Vector256<T> Invoke(Vector256<T> other, Vector256<T> dest);

    Vector512<T> Invoke(Vector512<T> other, Vector512<T> dest);
}

/// <summary>Σ x.</summary>
internal readonly struct SumAccumulator<T> : IUnaryAccumulator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Accumulate(T acc, T x) => acc + x;

    public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x) => acc + x;

    public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x) => acc + x;

    public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x) => acc + x;
}

/// <summary>Σ x².</summary>
internal readonly struct SumOfSquaresAccumulator<T> : IUnaryAccumulator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Accumulate(T acc, T x) => SimdOps.MulAdd(x, x, acc);

    public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x) => SimdOps.MulAdd(x, x, acc);

    public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x) => SimdOps.MulAdd(x, x, acc);

    public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x) => SimdOps.MulAdd(x, x, acc);
}

/// <summary>Σ x·y.</summary>
internal readonly struct DotAccumulator<T> : IBinaryAccumulator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Accumulate(T acc, T x, T y) => SimdOps.MulAdd(x, y, acc);

    public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x, Vector128<T> y) => SimdOps.MulAdd(x, y, acc);

    public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x, Vector256<T> y) => SimdOps.MulAdd(x, y, acc);

    public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x, Vector512<T> y) => SimdOps.MulAdd(x, y, acc);
}

/// <summary>y ← a·x + y (BLAS axpy): <c>other</c> is x, <c>dest</c> is y.</summary>
internal readonly struct AxpyOperator<T>(T a) : IUpdateOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _a = a;

    public T Invoke(T other, T dest) => SimdOps.MulAdd(_a, other, dest);

    public Vector128<T> Invoke(Vector128<T> other, Vector128<T> dest) => SimdOps.MulAdd(Vector128.Create(_a), other, dest);

    public Vector256<T> Invoke(Vector256<T> other, Vector256<T> dest) => SimdOps.MulAdd(Vector256.Create(_a), other, dest);

    public Vector512<T> Invoke(Vector512<T> other, Vector512<T> dest) => SimdOps.MulAdd(Vector512.Create(_a), other, dest);
}

/// <summary>x ← a·x + b·y, the weight-decay update: <c>dest</c> is x, <c>other</c> is y. Computed as
/// a·x + (b·y) with one rounding for the product b·y and one fused multiply-add.</summary>
internal readonly struct ScaleAddOperator<T>(T a, T b) : IUpdateOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _a = a;
    private readonly T _b = b;

    public T Invoke(T other, T dest) => SimdOps.MulAdd(_a, dest, _b * other);

    public Vector128<T> Invoke(Vector128<T> other, Vector128<T> dest)
        => SimdOps.MulAdd(Vector128.Create(_a), dest, Vector128.Create(_b) * other);

    public Vector256<T> Invoke(Vector256<T> other, Vector256<T> dest)
        => SimdOps.MulAdd(Vector256.Create(_a), dest, Vector256.Create(_b) * other);

    public Vector512<T> Invoke(Vector512<T> other, Vector512<T> dest)
        => SimdOps.MulAdd(Vector512.Create(_a), dest, Vector512.Create(_b) * other);
}
