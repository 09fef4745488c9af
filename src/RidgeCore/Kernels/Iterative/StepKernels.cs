using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;
using RidgeCore.Kernels.Primitives;

namespace RidgeCore.Kernels.Iterative;

/// <summary>θ ← decay·θ + step·g, one fused multiply-add per element after the product step·g: the single form behind
/// both the coupled L2 step and decoupled weight decay (<see cref="StepKernels"/>). <c>dest</c> is θ, <c>other</c> is g.</summary>
internal readonly struct DecayedStepOperator<T>(T decay, T step) : IUpdateOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _decay = decay;
    private readonly T _step = step;

    public T Invoke(T other, T dest) => SimdOps.MulAdd(_decay, dest, _step * other);

    public Vector128<T> Invoke(Vector128<T> other, Vector128<T> dest)
        => SimdOps.MulAdd(Vector128.Create(_decay), dest, Vector128.Create(_step) * other);

    public Vector256<T> Invoke(Vector256<T> other, Vector256<T> dest)
        => SimdOps.MulAdd(Vector256.Create(_decay), dest, Vector256.Create(_step) * other);

    public Vector512<T> Invoke(Vector512<T> other, Vector512<T> dest)
        => SimdOps.MulAdd(Vector512.Create(_decay), dest, Vector512.Create(_step) * other);
}

/// <summary>
/// The vectorized parameter updates of the iterative solvers, each one pass of <see cref="UpdateDriver"/> (every tier,
/// overlapping-vector tails, no allocation).
/// </summary>
/// <remarks>
/// <para><b>Coupled L2 versus decoupled weight decay (§11).</b> With the penalty λ‖θ‖² inside the objective, a plain
/// gradient step is θ ← θ − η(∇L + 2λθ) = (1 − 2ηλ)θ − η∇L: the coupled step. Decoupled weight decay (AdamW's form)
/// shrinks θ by its own rate instead: θ ← (1 − ηλ_wd)θ − η∇L. For plain SGD the two are the same update when
/// λ_wd = 2λ; they part ways only where the gradient is transformed before the step (momentum, Adam, clipping), or
/// where a schedule reads λ. Both kernels compute the decay factor as 1 − η·(2λ) and 1 − η·λ_wd, so with λ_wd = 2λ
/// (exact in binary) they give bit-identical steps.</para>
/// </remarks>
internal static class StepKernels
{
    /// <summary>The fused coupled L2 step θ ← (1 − 2ηλ)θ − η·g.</summary>
    public static void L2Step<T>(Span<T> theta, ReadOnlySpan<T> gradient, T eta, T lambda)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UpdateDriver.Update(new DecayedStepOperator<T>(T.One - (eta * (lambda + lambda)), -eta), gradient, theta);

    /// <summary>Decoupled weight decay θ ← (1 − η·λ_wd)θ − η·g.</summary>
    public static void WeightDecayStep<T>(Span<T> theta, ReadOnlySpan<T> gradient, T eta, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UpdateDriver.Update(new DecayedStepOperator<T>(T.One - (eta * weightDecay), -eta), gradient, theta);

    /// <summary>θ ← decay·θ + step·g with both factors given (a step on an unnormalized gradient passes −η/Σw).</summary>
    public static void DecayedStep<T>(Span<T> theta, ReadOnlySpan<T> gradient, T decay, T step)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UpdateDriver.Update(new DecayedStepOperator<T>(decay, step), gradient, theta);

    /// <summary>y ← y + a·x.</summary>
    public static void Axpy<T>(T a, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UpdateDriver.Update(new AxpyOperator<T>(a), x, y);

    /// <summary>x ← a·x + b·y.</summary>
    public static void ScaleAdd<T>(T a, Span<T> x, T b, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => UpdateDriver.Update(new ScaleAddOperator<T>(a, b), y, x);
}
