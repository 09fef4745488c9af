using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RidgeCore.Kernels.Iterative;

/// <summary>What one fused batch pass returns besides the gradient.</summary>
/// <param name="WeightSum">Σ wᵢ over the batch (the count when unweighted).</param>
/// <param name="DerivativeSum">Σ wᵢ·ℓ'(mᵢ, yᵢ): the intercept's gradient before the division by Σw.</param>
/// <param name="LossSum">Σ wᵢ·ℓ(mᵢ, yᵢ) when asked for, otherwise 0.</param>
internal readonly record struct BatchSums<T>(T WeightSum, T DerivativeSum, T LossSum);

/// <summary>
/// The fused mini-batch pass: for the rows of a batch B, margins mᵢ = s·(xᵢ·v) + b, loss derivatives dᵢ = wᵢ·ℓ'(mᵢ, yᵢ)
/// and the unnormalized gradient g = Σᵢ dᵢ·xᵢ (so g/Σw_B = X_Bᵀ(w ⊙ ℓ')/Σw_B; for the residual loss ℓ' = r = m − y this
/// is the r = X_Bθ + b − y_B, g = X_Bᵀ(w ⊙ r)/Σw_B of the iterative solvers). Nothing of size n is written: the pass
/// reads each row once from memory and uses it twice while it sits in L1.
/// </summary>
/// <remarks>
/// <para>Rows go through in groups of four: four dot products share each load of v (two accumulators per row hide the
/// FMA latency), then g ← g + d₀x₀ + d₁x₁ + d₂x₂ + d₃x₃ loads and stores each vector of g once per four rows. Leftover
/// rows go one at a time. The order of every addition depends only on the batch's size, p and the tier, never on
/// where the buffers live.</para>
/// <para>Tails: the dot products count the overlapping last vector with its already-seen lanes masked off; the update
/// computes the overlapping last vector of g from the values before the pass over the group and stores it last (the
/// <see cref="Primitives.UpdateDriver"/> technique), so there is no scalar tail loop.</para>
/// </remarks>
internal static class BatchGradientKernel
{
    /// <summary>How far ahead of the rows being computed a contiguous pass requests rows (rounded up to whole rows,
    /// at least four). Measured on Zen 5 (p = 64, 10⁵ rows, aligned): one full pass took 3.1 ms with the hardware
    /// prefetcher alone, 1.9 ms at 1 KiB ahead, 1.7 at 4 KiB, 1.55 at 8 KiB and 1.7 at 16 KiB.</summary>
    internal const int AheadBytes = 8192;

    private static int AheadRows(int rowBytes) => Math.Max(4, (AheadBytes + rowBytes - 1) / rowBytes);

    /// <summary>How many sequential streams a contiguous pass reads with <c>streams</c> set: the rows cut into this many
    /// equal runs, each group of four rows taking one row of each run in turn, and the count mod 4 rows past the last
    /// run at the end, in storage order. Measured on Zen 3 (AMD EPYC Milan, 10⁵ × 64, one process, medians of 21
    /// alternating passes of the fused logistic pass): 5.70 ms in storage order with rows requested
    /// <see cref="AheadBytes"/> ahead, 6.88 ms in storage order without, 3.98 ms as 2 streams, 2.83 ms as 4 and 3.64 ms
    /// as 8 (no software prefetch): one stream consumed at the kernel's pace leaves most of the memory system idle,
    /// four keep it busy. A bare sum of X reads 20 GB/s as one stream and 28.5 as four on the same machine. The order
    /// depends only on the count, so results stay deterministic.</summary>
    internal const int Streams = 4;

    /// <summary>Runs the pass over the rows named by <paramref name="rows"/> (indices into X, y and w), or, when it is
    /// empty, over the <paramref name="count"/> contiguous rows from <paramref name="firstRow"/>.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="x">Row 0 of X.</param>
    /// <param name="stride">The row stride of X in elements.</param>
    /// <param name="p">The number of columns (≥ 1).</param>
    /// <param name="rows">Row indices, or empty for a contiguous range.</param>
    /// <param name="firstRow">The first row of a contiguous range.</param>
    /// <param name="count">The number of rows.</param>
    /// <param name="y">Labels indexed like the rows of X (unused when the loss reads none).</param>
    /// <param name="w">Weights indexed like the rows of X, or empty for unit weights.</param>
    /// <param name="v">The coefficient vector (length p); θ = s·v.</param>
    /// <param name="scale">s.</param>
    /// <param name="intercept">b.</param>
    /// <param name="gradient">Overwritten with Σ dᵢ·xᵢ (length p).</param>
    /// <param name="computeLoss">Whether to sum the loss values too.</param>
    /// <param name="prefetchRows">Rows (of X) to fetch into cache while this batch computes, typically the next batch of
    /// a shuffled epoch; their lines are requested a group of rows at a time, interleaved with the work, because
    /// shuffled rows defeat the hardware prefetcher and a burst of hundreds of prefetches would stall on the miss
    /// buffers.</param>
    /// <param name="margins">Optional: receives each row's margin mᵢ at index i (indexed like y), for callers that need
    /// them afterwards (IRLS weights) without another pass over X.</param>
    /// <param name="nextFirst">With <paramref name="nextCount"/> and no <paramref name="prefetchRows"/>: the prefetch
    /// rows are the contiguous rows nextFirst .. nextFirst + nextCount (the next batch of an epoch in shuffled batch
    /// order), requested like a prefetch list.</param>
    /// <param name="nextCount">The number of those rows (0: none).</param>
    /// <param name="availableRows">For a contiguous range: how many rows of X, counted from
    /// <paramref name="firstRow"/>, exist (at least <paramref name="count"/>), so that rows <see cref="AheadBytes"/>
    /// ahead of the work are requested early, past the end of this range too (the next batch of an epoch). 0: none.
    /// </param>
    /// <param name="streams">For a contiguous range: read it as <see cref="Streams"/> interleaved runs (a pass over all of
    /// a large X) instead of in storage order; no rows are prefetched then, and the prefetch arguments are ignored.</param>
    /// <returns>Σw, Σ w·ℓ' and (when asked) Σ w·ℓ over the batch.</returns>
    public static BatchSums<T> Run<T, TLoss>(
        TLoss loss, ref T x, nint stride, int p, ReadOnlySpan<int> rows, int firstRow, int count,
        ReadOnlySpan<T> y, ReadOnlySpan<T> w, ReadOnlySpan<T> v, T scale, T intercept, Span<T> gradient, bool computeLoss,
        ReadOnlySpan<int> prefetchRows = default, Span<T> margins = default, int availableRows = 0, int nextFirst = -1, int nextCount = 0,
        bool streams = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, IMarginLoss<T>
    {
        bool interleaved = streams && rows.IsEmpty;
        if (interleaved)
        {
            prefetchRows = default;
            availableRows = 0;
            nextCount = 0;
        }

        var a = new Arguments<T>(
            ref x, stride, (nuint)p, ref MemoryMarshal.GetReference(rows), !rows.IsEmpty, firstRow, count,
            ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(w), !w.IsEmpty,
            ref MemoryMarshal.GetReference(v), scale, intercept, ref MemoryMarshal.GetReference(gradient), computeLoss,
            ref MemoryMarshal.GetReference(prefetchRows), prefetchRows.IsEmpty ? nextCount : prefetchRows.Length, ref MemoryMarshal.GetReference(margins), !margins.IsEmpty,
            rows.IsEmpty ? availableRows : 0, AheadRows(p * Unsafe.SizeOf<T>()), prefetchRows.IsEmpty && nextCount > 0 ? nextFirst : -1,
            interleaved ? count / Streams : 0);
        nuint n = (nuint)p;
        if (Tier.UseV512 && n >= (nuint)Vector512<T>.Count)
        {
            return Body<T, TLoss, Width512<T>, Vector512<T>>(loss, ref a);
        }

        if ((Tier.UseV512 || Tier.UseV256) && n >= (nuint)Vector256<T>.Count)
        {
            return Body<T, TLoss, Width256<T>, Vector256<T>>(loss, ref a);
        }

        if (Tier.UseV128 && n >= (nuint)Vector128<T>.Count)
        {
            return Body<T, TLoss, Width128<T>, Vector128<T>>(loss, ref a);
        }

        return Body<T, TLoss, Width1<T>, T>(loss, ref a);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BatchSums<T> Body<T, TLoss, TW, TVec>(TLoss loss, ref Arguments<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, IMarginLoss<T>
        where TW : struct, ISimdWidth<T, TVec>
        where TVec : unmanaged
    {
        nuint p = a.P;
        nuint c = TW.Count;
        ref T g = ref a.Gradient;
        ref T v = ref a.V;
        for (nuint j = 0; j + c <= p; j += c)
        {
            TW.Store(TW.Zero, ref g, j);
        }

        if (p % c != 0)
        {
            TW.Store(TW.Zero, ref g, p - c);
        }

        T weightSum = T.Zero, derivativeSum = T.Zero, lossSum = T.Zero;
        Vector256<double> weightSum4 = Vector256<double>.Zero, derivativeSum4 = weightSum4, lossSum4 = weightSum4;
        int k = 0;
        for (; k + 4 <= a.Count; k += 4)
        {
            int i0 = a.RowIndex(k), i1 = a.RowIndex(k + 1), i2 = a.RowIndex(k + 2), i3 = a.RowIndex(k + 3);
            ref T r0 = ref a.Row(i0);
            ref T r1 = ref a.Row(i1);
            ref T r2 = ref a.Row(i2);
            ref T r3 = ref a.Row(i3);
            bool spread = a.NextGroup(k, out int n0, out int n1, out int n2, out int n3);
            if (!spread)
            {
                a.PrefetchGroup(k, a.Count);
            }

            Dot4<T, TW, TVec>(ref r0, ref r1, ref r2, ref r3, ref v, p, out TVec s0, out TVec s1, out TVec s2, out TVec s3);
            T d0, d1, d2, d3;
            if (VectorTerms<T, TVec>())
            {
                // Double on a 256/512-bit tier: the four dot products reduced together (a transposing reduction,
                // 13 instructions instead of 4 horizontal sums of 18), and the four terms computed as one vector.
                Vector256<double> d = a.Terms4(loss, i0, i1, i2, i3, Reduce4(s0, s1, s2, s3), ref weightSum4, ref derivativeSum4, ref lossSum4);
                d0 = T.CreateTruncating(d.GetElement(0));
                d1 = T.CreateTruncating(d.GetElement(1));
                d2 = T.CreateTruncating(d.GetElement(2));
                d3 = T.CreateTruncating(d.GetElement(3));
            }
            else
            {
                d0 = a.Term(loss, i0, TW.Sum(s0), ref weightSum, ref derivativeSum, ref lossSum);
                d1 = a.Term(loss, i1, TW.Sum(s1), ref weightSum, ref derivativeSum, ref lossSum);
                d2 = a.Term(loss, i2, TW.Sum(s2), ref weightSum, ref derivativeSum, ref lossSum);
                d3 = a.Term(loss, i3, TW.Sum(s3), ref weightSum, ref derivativeSum, ref lossSum);
            }

            if (spread)
            {
                Update4<T, TW, TVec>(ref g, ref r0, ref r1, ref r2, ref r3, d0, d1, d2, d3, p, prefetching: true, ref a.Row(n0), ref a.Row(n1), ref a.Row(n2), ref a.Row(n3));
            }
            else
            {
                Update4<T, TW, TVec>(ref g, ref r0, ref r1, ref r2, ref r3, d0, d1, d2, d3, p, prefetching: false, ref r0, ref r1, ref r2, ref r3);
            }
        }

        if (VectorTerms<T, TVec>())
        {
            weightSum = T.CreateTruncating(Vector256.Sum(weightSum4));
            derivativeSum = T.CreateTruncating(Vector256.Sum(derivativeSum4));
            lossSum = T.CreateTruncating(Vector256.Sum(lossSum4));
        }

        for (; k < a.Count; k++)
        {
            int i0 = a.RowIndex(k);
            ref T r0 = ref a.Row(i0);
            T s0 = Dot1<T, TW, TVec>(ref r0, ref v, p);
            T d0 = a.Term(loss, i0, s0, ref weightSum, ref derivativeSum, ref lossSum);
            Update1<T, TW, TVec>(ref g, ref r0, d0, p);
        }

        return new BatchSums<T>(weightSum, derivativeSum, lossSum);
    }

    /// <summary>Whether a group's terms are computed as one Vector256 of doubles: double data on a tier whose
    /// vectors are 256 or 512 bits wide (a JIT-time constant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool VectorTerms<T, TVec>()
        => typeof(T) == typeof(double) && Avx.IsSupported && Vector256.IsHardwareAccelerated
            && (typeof(TVec) == typeof(Vector256<double>) || typeof(TVec) == typeof(Vector512<double>));

    /// <summary>(Σ s₀, Σ s₁, Σ s₂, Σ s₃) as one vector: 512-bit halves added, then two horizontal adds and a swap of
    /// 128-bit halves finish all four sums at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Reduce4<TVec>(TVec s0, TVec s1, TVec s2, TVec s3)
        where TVec : unmanaged
    {
        Vector256<double> q0, q1, q2, q3;
        if (typeof(TVec) == typeof(Vector512<double>))
        {
            Vector512<double> w0 = Unsafe.As<TVec, Vector512<double>>(ref s0), w1 = Unsafe.As<TVec, Vector512<double>>(ref s1);
            Vector512<double> w2 = Unsafe.As<TVec, Vector512<double>>(ref s2), w3 = Unsafe.As<TVec, Vector512<double>>(ref s3);
            q0 = w0.GetLower() + w0.GetUpper();
            q1 = w1.GetLower() + w1.GetUpper();
            q2 = w2.GetLower() + w2.GetUpper();
            q3 = w3.GetLower() + w3.GetUpper();
        }
        else
        {
            q0 = Unsafe.As<TVec, Vector256<double>>(ref s0);
            q1 = Unsafe.As<TVec, Vector256<double>>(ref s1);
            q2 = Unsafe.As<TVec, Vector256<double>>(ref s2);
            q3 = Unsafe.As<TVec, Vector256<double>>(ref s3);
        }

        Vector256<double> h01 = Avx.HorizontalAdd(q0, q1); // (q0₀+q0₁, q1₀+q1₁, q0₂+q0₃, q1₂+q1₃)
        Vector256<double> h23 = Avx.HorizontalAdd(q2, q3);
        return Avx.Permute2x128(h01, h23, 0x20) + Avx.Permute2x128(h01, h23, 0x31);
    }

    /// <summary>Four dot products sharing each load of v; each result is a vector whose lanes sum to the product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4<T, TW, TVec>(
        ref T r0, ref T r1, ref T r2, ref T r3, ref T v, nuint p, out TVec s0, out TVec s1, out TVec s2, out TVec s3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, ISimdWidth<T, TVec>
        where TVec : unmanaged
    {
        nuint c = TW.Count;
        TVec a0 = TW.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        nuint j = 0;
        for (; j + (2 * c) <= p; j += 2 * c)
        {
            TVec va = TW.Load(ref v, j);
            TVec vb = TW.Load(ref v, j + c);
            a0 = TW.MulAdd(TW.Load(ref r0, j), va, a0);
            a1 = TW.MulAdd(TW.Load(ref r1, j), va, a1);
            a2 = TW.MulAdd(TW.Load(ref r2, j), va, a2);
            a3 = TW.MulAdd(TW.Load(ref r3, j), va, a3);
            b0 = TW.MulAdd(TW.Load(ref r0, j + c), vb, b0);
            b1 = TW.MulAdd(TW.Load(ref r1, j + c), vb, b1);
            b2 = TW.MulAdd(TW.Load(ref r2, j + c), vb, b2);
            b3 = TW.MulAdd(TW.Load(ref r3, j + c), vb, b3);
        }

        if (j + c <= p)
        {
            TVec va = TW.Load(ref v, j);
            a0 = TW.MulAdd(TW.Load(ref r0, j), va, a0);
            a1 = TW.MulAdd(TW.Load(ref r1, j), va, a1);
            a2 = TW.MulAdd(TW.Load(ref r2, j), va, a2);
            a3 = TW.MulAdd(TW.Load(ref r3, j), va, a3);
            j += c;
        }

        if (j < p)
        {
            // Overlapping last vector; the lanes already counted are dropped from the row operand.
            int skip = (int)(c - (p - j));
            nuint last = p - c;
            TVec vl = TW.Load(ref v, last);
            b0 = TW.MulAdd(TW.DropLeading(TW.Load(ref r0, last), skip), vl, b0);
            b1 = TW.MulAdd(TW.DropLeading(TW.Load(ref r1, last), skip), vl, b1);
            b2 = TW.MulAdd(TW.DropLeading(TW.Load(ref r2, last), skip), vl, b2);
            b3 = TW.MulAdd(TW.DropLeading(TW.Load(ref r3, last), skip), vl, b3);
        }

        s0 = TW.Add(a0, b0);
        s1 = TW.Add(a1, b1);
        s2 = TW.Add(a2, b2);
        s3 = TW.Add(a3, b3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot1<T, TW, TVec>(ref T r0, ref T v, nuint p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, ISimdWidth<T, TVec>
        where TVec : unmanaged
    {
        nuint c = TW.Count;
        TVec a0 = TW.Zero, b0 = a0;
        nuint j = 0;
        for (; j + (2 * c) <= p; j += 2 * c)
        {
            a0 = TW.MulAdd(TW.Load(ref r0, j), TW.Load(ref v, j), a0);
            b0 = TW.MulAdd(TW.Load(ref r0, j + c), TW.Load(ref v, j + c), b0);
        }

        if (j + c <= p)
        {
            a0 = TW.MulAdd(TW.Load(ref r0, j), TW.Load(ref v, j), a0);
            j += c;
        }

        if (j < p)
        {
            int skip = (int)(c - (p - j));
            nuint last = p - c;
            b0 = TW.MulAdd(TW.DropLeading(TW.Load(ref r0, last), skip), TW.Load(ref v, last), b0);
        }

        return TW.Sum(TW.Add(a0, b0));
    }

    /// <summary>g ← g + d₀r₀ + d₁r₁ + d₂r₂ + d₃r₃. With <paramref name="prefetching"/> (a constant at every call
    /// site) it also requests the cache lines of four later rows n₀..n₃ into L1, one line per row as each line's worth
    /// of g is updated, so the requests leave at the pace of the work. Made in a burst at the start of the group
    /// instead (32 requests at p = 64), they filled the L1 miss buffers and held the group up until memory answered:
    /// measured on Zen 5 in one process against the burst, a shuffled SGD epoch ran 1.2–1.36× faster (p = 64 and 256)
    /// and a contiguous logistic pass 1.05× (the logistic engine's passes over all rows have since become four
    /// interleaved streams with no software prefetch, faster on Zen 3: see <see cref="Streams"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Update4<T, TW, TVec>(
        ref T g, ref T r0, ref T r1, ref T r2, ref T r3, T d0, T d1, T d2, T d3, nuint p, bool prefetching, ref T n0, ref T n1, ref T n2, ref T n3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, ISimdWidth<T, TVec>
        where TVec : unmanaged
    {
        nuint c = TW.Count;
        TVec e0 = TW.Broadcast(d0), e1 = TW.Broadcast(d1), e2 = TW.Broadcast(d2), e3 = TW.Broadcast(d3);
        nuint last = p - c;
        TVec tail = Combine4<T, TW, TVec>(ref g, ref r0, ref r1, ref r2, ref r3, e0, e1, e2, e3, last);
        for (nuint j = 0; j + c <= p; j += c)
        {
            // One request per line: every vector on a 512-bit tier (a JIT-time constant), every 64 bytes otherwise.
            if (prefetching && ((nuint)sizeof(TVec) >= 64 || ((j * (nuint)sizeof(T)) & 63) == 0))
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n0, j)));
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n1, j)));
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n2, j)));
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n3, j)));
            }

            TW.Store(Combine4<T, TW, TVec>(ref g, ref r0, ref r1, ref r2, ref r3, e0, e1, e2, e3, j), ref g, j);
        }

        if (prefetching)
        {
            // The line that holds each row's last value (the loop stops short of it when p is not a multiple of c).
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n0, p - 1)));
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n1, p - 1)));
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n2, p - 1)));
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref n3, p - 1)));
        }

        TW.Store(tail, ref g, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Combine4<T, TW, TVec>(ref T g, ref T r0, ref T r1, ref T r2, ref T r3, TVec e0, TVec e1, TVec e2, TVec e3, nuint j)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, ISimdWidth<T, TVec>
        where TVec : unmanaged
    {
        TVec acc = TW.MulAdd(e0, TW.Load(ref r0, j), TW.Load(ref g, j));
        acc = TW.MulAdd(e1, TW.Load(ref r1, j), acc);
        acc = TW.MulAdd(e2, TW.Load(ref r2, j), acc);
        return TW.MulAdd(e3, TW.Load(ref r3, j), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update1<T, TW, TVec>(ref T g, ref T r0, T d0, nuint p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, ISimdWidth<T, TVec>
        where TVec : unmanaged
    {
        nuint c = TW.Count;
        TVec e0 = TW.Broadcast(d0);
        nuint last = p - c;
        TVec tail = TW.MulAdd(e0, TW.Load(ref r0, last), TW.Load(ref g, last));
        for (nuint j = 0; j + c <= p; j += c)
        {
            TW.Store(TW.MulAdd(e0, TW.Load(ref r0, j), TW.Load(ref g, j)), ref g, j);
        }

        TW.Store(tail, ref g, last);
    }

    /// <summary>The pass's inputs as refs, so the bodies take one argument and index without bounds checks.</summary>
    private ref struct Arguments<T>(
        ref T x, nint stride, nuint p, ref int rows, bool indexed, int firstRow, int count,
        ref T y, ref T w, bool weighted, ref T v, T scale, T intercept, ref T gradient, bool computeLoss, ref int prefetch, int prefetchCount, ref T margins, bool keepMargins, int availableRows, int ahead, int prefetchFirst, int perStream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Rows per stream of an interleaved contiguous pass (0: storage order).</summary>
        public int PerStream = perStream;

        /// <summary>The positions read interleaved: <see cref="Streams"/> · <see cref="PerStream"/>.</summary>
        public int Interleaved = Streams * perStream;

        public int PrefetchFirst = prefetchFirst;

        public int AvailableRows = availableRows;
        public int Ahead = ahead;

        public ref T X = ref x;
        public nint Stride = stride;
        public nuint P = p;
        public ref int Rows = ref rows;
        public bool Indexed = indexed;
        public int FirstRow = firstRow;
        public int Count = count;
        public ref T Y = ref y;
        public ref T W = ref w;
        public bool Weighted = weighted;
        public ref T V = ref v;
        public T Scale = scale;
        public T Intercept = intercept;
        public ref T Gradient = ref gradient;
        public bool ComputeLoss = computeLoss;
        public ref int Prefetch = ref prefetch;
        public int PrefetchCount = prefetchCount;
        public ref T Margins = ref margins;
        public bool KeepMargins = keepMargins;

        /// <summary>The four rows whose lines the group starting at row k requests while it updates the gradient
        /// (<see cref="Update4"/>): the same four positions of the next batch when it is as long as this
        /// one (listed, or a contiguous range), or, for a contiguous range, the four rows <see cref="Ahead"/> rows on
        /// while they exist. False (and the burst of <see cref="PrefetchGroup"/> instead) otherwise.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool NextGroup(int k, out int n0, out int n1, out int n2, out int n3)
        {
            int first;
            if (!Sse.IsSupported)
            {
                first = -1;
            }
            else if (AvailableRows > 0)
            {
                first = k + Ahead + 4 <= AvailableRows ? FirstRow + k + Ahead : -1;
            }
            else if (PrefetchCount == Count && PrefetchCount > 0)
            {
                if (PrefetchFirst < 0)
                {
                    n0 = Unsafe.Add(ref Prefetch, k);
                    n1 = Unsafe.Add(ref Prefetch, k + 1);
                    n2 = Unsafe.Add(ref Prefetch, k + 2);
                    n3 = Unsafe.Add(ref Prefetch, k + 3);
                    return true;
                }

                first = PrefetchFirst + k;
            }
            else
            {
                first = -1;
            }

            n0 = first;
            n1 = first + 1;
            n2 = first + 2;
            n3 = first + 3;
            return first >= 0;
        }

        /// <summary>Requests the share of the prefetch rows that belongs to the group starting at row k of count, or,
        /// for a contiguous range with <see cref="AvailableRows"/> set, the four rows <see cref="Ahead"/> rows on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly unsafe void PrefetchGroup(int k, int count)
        {
            if (!Sse.IsSupported)
            {
                return;
            }

            if (AvailableRows > 0)
            {
                int end = Math.Min(k + Ahead + 4, AvailableRows);
                for (int r = k + Ahead; r < end; r++)
                {
                    PrefetchRow(FirstRow + r);
                }

                return;
            }

            if (PrefetchCount == 0)
            {
                return;
            }

            // Spread the prefetch rows evenly over the groups of this batch. A next batch as long as this one never gets
            // here (NextGroup hands its rows to the update loop), so the burst runs only in the batch just before an
            // epoch's short batch (when the batch size does not divide the rows).
            int from = (int)((long)k * PrefetchCount / count);
            int to = (int)((long)(k + 4) * PrefetchCount / count);

            for (int r = from; r < to && r < PrefetchCount; r++)
            {
                PrefetchRow(PrefetchFirst >= 0 ? PrefetchFirst + r : Unsafe.Add(ref Prefetch, r));
            }
        }

        /// <summary>Requests every cache line of row i into L1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly unsafe void PrefetchRow(int i)
        {
            byte* row = (byte*)Unsafe.AsPointer(ref Row(i));
            nint bytes = (nint)(P * (nuint)sizeof(T));
            for (nint o = 0; o < bytes; o += 64)
            {
                Sse.Prefetch0(row + o);
            }
        }

        /// <summary>The four terms of a group as one vector (T is double): margins, loss derivatives times the
        /// weights, and the running sums, lane by lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<double> Terms4<TLoss>(
            TLoss loss, int i0, int i1, int i2, int i3, Vector256<double> dots, ref Vector256<double> weightSum, ref Vector256<double> derivativeSum, ref Vector256<double> lossSum)
            where TLoss : struct, IMarginLoss<T>
        {
            Vector256<double> m = Internal.SimdOps.MulAdd(Vector256.Create(double.CreateTruncating(Scale)), dots, Vector256.Create(double.CreateTruncating(Intercept)));
            if (KeepMargins)
            {
                ref double margins = ref Unsafe.As<T, double>(ref Margins);
                Unsafe.Add(ref margins, i0) = m.GetElement(0);
                Unsafe.Add(ref margins, i1) = m.GetElement(1);
                Unsafe.Add(ref margins, i2) = m.GetElement(2);
                Unsafe.Add(ref margins, i3) = m.GetElement(3);
            }

            Vector256<double> label = Vector256<double>.Zero;
            if (TLoss.UsesLabel)
            {
                ref double yd = ref Unsafe.As<T, double>(ref Y);
                label = Vector256.Create(Unsafe.Add(ref yd, i0), Unsafe.Add(ref yd, i1), Unsafe.Add(ref yd, i2), Unsafe.Add(ref yd, i3));
            }

            Vector256<double> d;
            if (Weighted)
            {
                ref double wd = ref Unsafe.As<T, double>(ref W);
                Vector256<double> weight = Vector256.Create(Unsafe.Add(ref wd, i0), Unsafe.Add(ref wd, i1), Unsafe.Add(ref wd, i2), Unsafe.Add(ref wd, i3));
                if (ComputeLoss)
                {
                    d = weight * loss.Derivative4(m, label, out Vector256<double> value);
                    lossSum += weight * value;
                }
                else
                {
                    d = weight * loss.Derivative4(m, label);
                }

                weightSum += weight;
            }
            else
            {
                if (ComputeLoss)
                {
                    d = loss.Derivative4(m, label, out Vector256<double> value);
                    lossSum += value;
                }
                else
                {
                    d = loss.Derivative4(m, label);
                }

                weightSum += Vector256<double>.One;
            }

            derivativeSum += d;
            return d;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly int RowIndex(int k)
            => Indexed ? Unsafe.Add(ref Rows, k)
            : k < Interleaved ? FirstRow + ((k & (Streams - 1)) * PerStream) + (int)((uint)k / Streams)
            : FirstRow + k;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly ref T Row(int i) => ref Unsafe.Add(ref X, Stride * i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly T Term<TLoss>(TLoss loss, int i, T dot, ref T weightSum, ref T derivativeSum, ref T lossSum)
            where TLoss : struct, IMarginLoss<T>
        {
            T m = Internal.SimdOps.MulAdd(Scale, dot, Intercept);
            if (KeepMargins)
            {
                Unsafe.Add(ref Margins, i) = m;
            }

            T label = TLoss.UsesLabel ? Unsafe.Add(ref Y, i) : T.Zero;
            T weight = Weighted ? Unsafe.Add(ref W, i) : T.One;
            T d;
            if (ComputeLoss)
            {
                d = weight * loss.Derivative(m, label, out T value);
                lossSum += weight * value;
            }
            else
            {
                d = weight * loss.Derivative(m, label);
            }

            weightSum += weight;
            derivativeSum += d;

            return d;
        }
    }
}
