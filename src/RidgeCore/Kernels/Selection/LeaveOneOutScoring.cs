using System.Runtime.CompilerServices;
using RidgeCore.Kernels.Lanes;

namespace RidgeCore.Kernels.Selection;

/// <summary>
/// The per-row scoring of the leave-one-out pass, vectorized across the λ grid: for one row with weight w, leverage
/// terms Hλ and predictions Pλ (contiguous over λ, padded to a whole number of registers),
/// inverse = 1/(1 − w·(Hλ + 1/Σw)), r = (ỹ − Pλ)·inverse, and the running sums Σw·r² and Σw·r⁴ per λ.
/// </summary>
internal static unsafe class LeaveOneOutScoring
{
    /// <summary>inverse[l] = 1/(baseline − w·h[l]) for l &lt; count (count a multiple of the register width).</summary>
    public static void Inverses(double* h, double weight, double baseline, double* inverse, int count)
    {
        if (Tier.UseV512)
        {
            LeaveOneOutScoring<V512Lanes>.Inverses(h, weight, baseline, inverse, count);
        }
        else if (Tier.UseV256)
        {
            LeaveOneOutScoring<V256Lanes>.Inverses(h, weight, baseline, inverse, count);
        }
        else if (Tier.UseV128)
        {
            LeaveOneOutScoring<V128Lanes>.Inverses(h, weight, baseline, inverse, count);
        }
        else
        {
            LeaveOneOutScoring<ScalarLanes>.Inverses(h, weight, baseline, inverse, count);
        }
    }

    /// <summary>r = (y − prediction[l])·inverse[l]; sums[l] += w·r², squares[l] += w·r⁴.</summary>
    public static void Accumulate(double* prediction, double y, double* inverse, double weight, double* sums, double* squares, int count)
    {
        if (Tier.UseV512)
        {
            LeaveOneOutScoring<V512Lanes>.Accumulate(prediction, y, inverse, weight, sums, squares, count);
        }
        else if (Tier.UseV256)
        {
            LeaveOneOutScoring<V256Lanes>.Accumulate(prediction, y, inverse, weight, sums, squares, count);
        }
        else if (Tier.UseV128)
        {
            LeaveOneOutScoring<V128Lanes>.Accumulate(prediction, y, inverse, weight, sums, squares, count);
        }
        else
        {
            LeaveOneOutScoring<ScalarLanes>.Accumulate(prediction, y, inverse, weight, sums, squares, count);
        }
    }
}

/// <summary>The bodies of <see cref="LeaveOneOutScoring"/> for one width; count must be a multiple of it.</summary>
/// <typeparam name="TLanes">The width.</typeparam>
internal static unsafe class LeaveOneOutScoring<TLanes>
    where TLanes : struct, IDoubleLanes<TLanes>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Inverses(double* h, double weight, double baseline, double* inverse, int count)
    {
        TLanes one = TLanes.Broadcast(1.0), w = TLanes.Broadcast(weight), b = TLanes.Broadcast(baseline);
        for (int l = 0; l < count; l += TLanes.Count)
        {
            TLanes.Store(inverse + l, TLanes.Divide(one, TLanes.NegMulAdd(w, TLanes.Load(h + l), b)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(double* prediction, double y, double* inverse, double weight, double* sums, double* squares, int count)
    {
        TLanes yv = TLanes.Broadcast(y), w = TLanes.Broadcast(weight);
        for (int l = 0; l < count; l += TLanes.Count)
        {
            TLanes r = TLanes.Multiply(TLanes.Subtract(yv, TLanes.Load(prediction + l)), TLanes.Load(inverse + l));
            TLanes loss = TLanes.Multiply(r, r);
            TLanes weighted = TLanes.Multiply(w, loss);
            TLanes.Store(sums + l, TLanes.Add(TLanes.Load(sums + l), weighted));
            TLanes.Store(squares + l, TLanes.MulAdd(weighted, loss, TLanes.Load(squares + l)));
        }
    }
}
