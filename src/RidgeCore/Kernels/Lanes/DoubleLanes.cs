using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Lanes;

/// <summary>
/// One SIMD register of doubles at a fixed width, as a static-abstract contract: the eigensolver and λ-selection
/// kernels are written once against it and instantiated per family (<see cref="ScalarLanes"/>, <see cref="V128Lanes"/>,
/// <see cref="V256Lanes"/>, <see cref="V512Lanes"/>). Each instantiation is a distinct struct, so the JIT compiles one
/// specialized body per width, with the wrapper promoted to a register (no memory traffic for the struct itself).
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal unsafe interface IDoubleLanes<TSelf>
    where TSelf : struct, IDoubleLanes<TSelf>
{
    /// <summary>Doubles per register.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf Load(double* source);

    static abstract void Store(double* destination, TSelf value);

    static abstract TSelf Broadcast(double value);

    /// <summary>a·b + c, fused where the tier fuses (<see cref="SimdOps"/>).</summary>
    static abstract TSelf MulAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>c − a·b, fused where the tier fuses.</summary>
    static abstract TSelf NegMulAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Multiply(TSelf a, TSelf b);

    static abstract TSelf Add(TSelf a, TSelf b);

    static abstract TSelf Subtract(TSelf a, TSelf b);

    static abstract TSelf Divide(TSelf a, TSelf b);

    /// <summary>The sum of the lanes, in a fixed order.</summary>
    static abstract double Sum(TSelf value);
}

/// <summary>The scalar family: one double per "register".</summary>
internal readonly unsafe struct ScalarLanes : IDoubleLanes<ScalarLanes>
{
    private readonly double _v;

    private ScalarLanes(double v) => _v = v;

    public static int Count => 1;

    public static ScalarLanes Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Load(double* source) => new(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* destination, ScalarLanes value) => *destination = value._v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Broadcast(double value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes MulAdd(ScalarLanes a, ScalarLanes b, ScalarLanes c) => new(SimdOps.MulAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes NegMulAdd(ScalarLanes a, ScalarLanes b, ScalarLanes c) => new(SimdOps.MulAdd(-a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Multiply(ScalarLanes a, ScalarLanes b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Add(ScalarLanes a, ScalarLanes b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Subtract(ScalarLanes a, ScalarLanes b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Divide(ScalarLanes a, ScalarLanes b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(ScalarLanes value) => value._v;
}

/// <summary>The 128-bit family (SSE2/AVX or AdvSimd; fused only where FMA exists).</summary>
internal readonly unsafe struct V128Lanes : IDoubleLanes<V128Lanes>
{
    private readonly Vector128<double> _v;

    private V128Lanes(Vector128<double> v) => _v = v;

    public static int Count => Vector128<double>.Count;

    public static V128Lanes Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes Load(double* source) => new(Vector128.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* destination, V128Lanes value) => value._v.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes Broadcast(double value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes MulAdd(V128Lanes a, V128Lanes b, V128Lanes c) => new(SimdOps.MulAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes NegMulAdd(V128Lanes a, V128Lanes b, V128Lanes c) => new(SimdOps.MulAdd(-a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes Multiply(V128Lanes a, V128Lanes b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes Add(V128Lanes a, V128Lanes b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes Subtract(V128Lanes a, V128Lanes b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128Lanes Divide(V128Lanes a, V128Lanes b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(V128Lanes value) => value._v.GetElement(0) + value._v.GetElement(1);
}

/// <summary>The 256-bit family (AVX2 + FMA).</summary>
internal readonly unsafe struct V256Lanes : IDoubleLanes<V256Lanes>
{
    private readonly Vector256<double> _v;

    private V256Lanes(Vector256<double> v) => _v = v;

    public static int Count => Vector256<double>.Count;

    public static V256Lanes Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes Load(double* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* destination, V256Lanes value) => value._v.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes MulAdd(V256Lanes a, V256Lanes b, V256Lanes c) => new(SimdOps.MulAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes NegMulAdd(V256Lanes a, V256Lanes b, V256Lanes c) => new(SimdOps.MulAdd(-a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes Multiply(V256Lanes a, V256Lanes b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes Add(V256Lanes a, V256Lanes b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes Subtract(V256Lanes a, V256Lanes b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256Lanes Divide(V256Lanes a, V256Lanes b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(V256Lanes value)
    {
        Vector128<double> half = value._v.GetLower() + value._v.GetUpper();
        return half.GetElement(0) + half.GetElement(1);
    }
}

/// <summary>The 512-bit family (AVX-512 F).</summary>
internal readonly unsafe struct V512Lanes : IDoubleLanes<V512Lanes>
{
    private readonly Vector512<double> _v;

    private V512Lanes(Vector512<double> v) => _v = v;

    public static int Count => Vector512<double>.Count;

    public static V512Lanes Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes Load(double* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double* destination, V512Lanes value) => value._v.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes MulAdd(V512Lanes a, V512Lanes b, V512Lanes c) => new(SimdOps.MulAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes NegMulAdd(V512Lanes a, V512Lanes b, V512Lanes c) => new(SimdOps.MulAdd(-a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes Multiply(V512Lanes a, V512Lanes b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes Add(V512Lanes a, V512Lanes b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes Subtract(V512Lanes a, V512Lanes b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512Lanes Divide(V512Lanes a, V512Lanes b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(V512Lanes value)
    {
        Vector256<double> q = value._v.GetLower() + value._v.GetUpper();
        Vector128<double> half = q.GetLower() + q.GetUpper();
        return half.GetElement(0) + half.GetElement(1);
    }
}
