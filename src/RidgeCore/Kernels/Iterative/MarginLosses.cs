using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RidgeCore.Kernels.Iterative;

/// <summary>
/// A loss of the margin m = xᵢ·θ + b against a label y, as the fused batch kernel needs it: the value ℓ(m, y) and the
/// derivative ∂ℓ/∂m. Implementations are small structs so the kernel specializes on them (no calls per row).
/// </summary>
internal interface IMarginLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the loss reads the label (the kernel skips the label load when it does not).</summary>
    static abstract bool UsesLabel { get; }

    T Value(T margin, T label);

    T Derivative(T margin, T label);

    /// <summary>ℓ' and ℓ together, for losses where they share work (the logistic loss's exponential).</summary>
    T Derivative(T margin, T label, out T value);

    /// <summary>ℓ' for four double-precision margins at once (the batch kernel's vectorized term, used where
    /// Vector256 is accelerated).</summary>
    Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label);

    /// <summary>ℓ' and ℓ for four double-precision margins at once.</summary>
    Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label, out Vector256<double> value);
}

/// <summary>The project's squared loss ℓ = (m − y)², ℓ' = 2(m − y) (no ½: the objective is the weighted mean of
/// squared residuals, as in <see cref="RidgeOptions"/>).</summary>
internal readonly struct SquaredLoss<T> : IMarginLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool UsesLabel => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Value(T margin, T label)
    {
        T r = margin - label;
        return r * r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label)
    {
        T r = margin - label;
        return r + r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label, out T value)
    {
        value = Value(margin, label);
        return Derivative(margin, label);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label)
    {
        Vector256<double> r = margin - label;
        return r + r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label, out Vector256<double> value)
    {
        Vector256<double> r = margin - label;
        value = r * r;
        return r + r;
    }
}

/// <summary>The plain residual: ℓ = ½(m − y)², ℓ' = r = m − y. The form g = X_Bᵀ(w ⊙ r)/Σw_B that gradient descent
/// and the right-hand sides of conjugate gradient use.</summary>
internal readonly struct ResidualLoss<T> : IMarginLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool UsesLabel => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Value(T margin, T label)
    {
        T r = margin - label;
        return T.CreateTruncating(0.5) * r * r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label) => margin - label;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label, out T value)
    {
        value = Value(margin, label);
        return Derivative(margin, label);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label) => margin - label;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label, out Vector256<double> value)
    {
        Vector256<double> r = margin - label;
        value = Vector256.Create(0.5) * r * r;
        return r;
    }
}

/// <summary>The margin itself: ℓ' = m, no label. With intercept −x̄·v it turns the kernel into the centered
/// matrix-vector product Xcᵀ W Xc v that conjugate gradient needs.</summary>
internal readonly struct MarginIdentity<T> : IMarginLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool UsesLabel => false;

    public T Value(T margin, T label) => T.CreateTruncating(0.5) * margin * margin;

    public T Derivative(T margin, T label) => margin;

    public T Derivative(T margin, T label, out T value)
    {
        value = Value(margin, label);
        return margin;
    }

    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label) => margin;

    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label, out Vector256<double> value)
    {
        value = Vector256.Create(0.5) * margin * margin;
        return margin;
    }
}

/// <summary>The logistic loss for y ∈ {0, 1}: ℓ = log(1 + eᵐ) − y·m, ℓ' = σ(m) − y, both evaluated without
/// overflow for any finite m.</summary>
internal readonly struct LogisticLoss<T> : IMarginLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool UsesLabel => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Value(T margin, T label)
        => Log1P(T.Exp(-T.Abs(margin))) + T.Max(margin, T.Zero) - (label * margin);

    /// <summary>log(1 + e) for 0 ≤ e ≤ 1 to a few ulps: log(u)·e/(u − 1) with u = 1 + e (the rounding of u cancels
    /// out), and e where u rounds to 1. The runtime's LogP1 is log(1 + e) as written, which loses the digits of a small
    /// e to the rounding of 1 + e (a relative error near 10⁻¹³ at e = 3·10⁻⁴, found by the loss-sum property).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Log1P(T e)
    {
        T u = T.One + e;
        return u == T.One ? e : T.Log(u) * e / (u - T.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label) => Sigmoid(margin) - label;

    /// <summary>One exp(−|m|) for both: ℓ = log1p(e) + max(m, 0) − y·m and σ(m) from e.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label, out T value)
    {
        T e = T.Exp(-T.Abs(margin));
        value = Log1P(e) + T.Max(margin, T.Zero) - (label * margin);
        T inv = T.One / (T.One + e);
        return (margin >= T.Zero ? inv : e * inv) - label;
    }

    /// <remarks>Vector256.Exp and Vector256.Log are the runtime's vectorized elementary functions (within a few
    /// units in the last place of Math.Exp and Math.Log). log(1 + e) is evaluated as log(u)·e/(u − 1) with u = 1 + e
    /// (and as e where u rounds to 1), which keeps full relative accuracy for small e without a vector log1p.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label)
    {
        Vector256<double> e = Vector256.Exp(-Vector256.Abs(margin));
        Vector256<double> inv = Vector256<double>.One / (Vector256<double>.One + e);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(margin, Vector256<double>.Zero), inv, e * inv) - label;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label, out Vector256<double> value)
    {
        Vector256<double> e = Vector256.Exp(-Vector256.Abs(margin));
        Vector256<double> u = Vector256<double>.One + e;
        Vector256<double> log1p = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), e, Vector256.Log(u) * e / (u - Vector256<double>.One));
        value = log1p + Vector256.Max(margin, Vector256<double>.Zero) - (label * margin);
        Vector256<double> inv = Vector256<double>.One / u;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(margin, Vector256<double>.Zero), inv, e * inv) - label;
    }

    /// <summary>Σ wᵢ·ℓ(mᵢ, yᵢ) over stored margins (w = 1 when <paramref name="weights"/> is empty): the loss of a pass
    /// that kept its margins, summed afterwards where it costs less. Inside the pass, the logarithm sat between the
    /// dot products and the gradient update of each group of rows and slowed a p = 64 pass by a third (1.36 → 1.8 ms
    /// on Zen 5); here the lanes are independent and the vector units run at full width (a Vector512 sum over 10⁵
    /// margins, exponential included, took 0.2 ms). Same formula as the pass's: log1p(e) = log(u)·e/(u − 1) with
    /// e = exp(−|m|), u = 1 + e, and e itself where u rounds to 1.</summary>
    internal static double Sum(ReadOnlySpan<double> margins, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights)
    {
        int n = margins.Length, i = 0;
        bool weighted = !weights.IsEmpty;
        ref double m0 = ref MemoryMarshal.GetReference(margins);
        ref double y0 = ref MemoryMarshal.GetReference(labels);
        ref double w0 = ref MemoryMarshal.GetReference(weights);
        double sum = 0;
        if (Tier.UseV512 && n >= Vector512<double>.Count)
        {
            Vector512<double> acc = Vector512<double>.Zero, one = Vector512<double>.One;
            for (; i + Vector512<double>.Count <= n; i += Vector512<double>.Count)
            {
                Vector512<double> m = Vector512.LoadUnsafe(ref m0, (nuint)i);
                Vector512<double> e = Vector512.Exp(-Vector512.Abs(m)), u = one + e;
                Vector512<double> log1p = Vector512.ConditionalSelect(Vector512.Equals(u, one), e, Vector512.Log(u) * e / (u - one));
                Vector512<double> value = log1p + Vector512.Max(m, Vector512<double>.Zero) - (Vector512.LoadUnsafe(ref y0, (nuint)i) * m);
                acc += weighted ? Vector512.LoadUnsafe(ref w0, (nuint)i) * value : value;
            }

            sum = Vector512.Sum(acc);
        }
        else if ((Tier.UseV512 || Tier.UseV256) && n >= Vector256<double>.Count)
        {
            Vector256<double> acc = Vector256<double>.Zero, one = Vector256<double>.One;
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                Vector256<double> m = Vector256.LoadUnsafe(ref m0, (nuint)i);
                Vector256<double> e = Vector256.Exp(-Vector256.Abs(m)), u = one + e;
                Vector256<double> log1p = Vector256.ConditionalSelect(Vector256.Equals(u, one), e, Vector256.Log(u) * e / (u - one));
                Vector256<double> value = log1p + Vector256.Max(m, Vector256<double>.Zero) - (Vector256.LoadUnsafe(ref y0, (nuint)i) * m);
                acc += weighted ? Vector256.LoadUnsafe(ref w0, (nuint)i) * value : value;
            }

            sum = Vector256.Sum(acc);
        }

        var loss = default(LogisticLoss<double>);
        for (; i < n; i++)
        {
            double value = loss.Value(Unsafe.Add(ref m0, i), Unsafe.Add(ref y0, i));
            sum += weighted ? Unsafe.Add(ref w0, i) * value : value;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid(T margin)
    {
        // e = exp(−|m|) ≤ 1 never overflows; σ(m) = 1/(1+e) for m ≥ 0 and e/(1+e) otherwise.
        T e = T.Exp(-T.Abs(margin));
        T inv = T.One / (T.One + e);
        return margin >= T.Zero ? inv : e * inv;
    }
}

/// <summary>The Huber loss in the project's scaling: ℓ = r² for |r| ≤ δ and 2δ|r| − δ² beyond (the squared loss
/// continued linearly, so it equals <see cref="SquaredLoss{T}"/> as δ → ∞; scikit-learn's <c>huber</c> is half of
/// this with epsilon = δ). ℓ' = 2·clamp(r, −δ, δ).</summary>
internal readonly struct HuberLoss<T>(T delta) : IMarginLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _delta = delta;

    public static bool UsesLabel => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Value(T margin, T label)
    {
        T r = T.Abs(margin - label);
        return r <= _delta ? r * r : (T.CreateTruncating(2) * _delta * r) - (_delta * _delta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label)
    {
        T r = T.Clamp(margin - label, -_delta, _delta);
        return r + r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Derivative(T margin, T label, out T value)
    {
        value = Value(margin, label);
        return Derivative(margin, label);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label)
    {
        Vector256<double> delta = Vector256.Create(double.CreateTruncating(_delta));
        Vector256<double> r = Vector256.Min(Vector256.Max(margin - label, -delta), delta);
        return r + r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Derivative4(Vector256<double> margin, Vector256<double> label, out Vector256<double> value)
    {
        Vector256<double> delta = Vector256.Create(double.CreateTruncating(_delta));
        Vector256<double> diff = margin - label;
        Vector256<double> r = Vector256.Abs(diff);
        value = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(r, delta), r * r, (Vector256.Create(2.0) * delta * r) - (delta * delta));
        Vector256<double> c = Vector256.Min(Vector256.Max(diff, -delta), delta);
        return c + c;
    }
}
