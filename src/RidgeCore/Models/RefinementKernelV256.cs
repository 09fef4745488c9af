using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RidgeCore.Internal;
using Vec = System.Runtime.Intrinsics.Vector256<double>;
using VecOps = System.Runtime.Intrinsics.Vector256;

namespace RidgeCore.Models;

/// <summary>
/// The 256-bit family of <see cref="IRefinementKernel"/>: the scalar kernel's error-free transformations lane by lane,
/// with TwoProduct as one FMA. Must not be chosen without hardware FMA (<see cref="Compensated.HasFusedMultiplyAdd"/>):
/// an unfused multiply-add would make the "error" term wrong.
/// </summary>
internal readonly struct RefinementKernelV256 : IRefinementKernel
{
    public static void Center(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> high, Span<double> low)
    {
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double c = ref MemoryMarshal.GetReference(shift);
        ref double h = ref MemoryMarshal.GetReference(high);
        ref double l = ref MemoryMarshal.GetReference(low);
        for (nuint j = 0; j < (nuint)high.Length; j += (nuint)Vec.Count)
        {
            Vec a = VecOps.LoadUnsafe(ref r, j), b = -VecOps.LoadUnsafe(ref c, j);
            Vec s = a + b, bv = s - a;
            s.StoreUnsafe(ref h, j);
            ((a - (s - bv)) + (b - bv)).StoreUnsafe(ref l, j);
        }
    }

    public static double Residual(
        double start, double startLow, ReadOnlySpan<double> xHigh, ReadOnlySpan<double> xLow, ReadOnlySpan<double> theta, ReadOnlySpan<double> thetaLow)
    {
        ref double xh = ref MemoryMarshal.GetReference(xHigh);
        ref double xl = ref MemoryMarshal.GetReference(xLow);
        ref double th = ref MemoryMarshal.GetReference(theta);
        ref double tl = ref MemoryMarshal.GetReference(thetaLow);
        nuint n = (nuint)theta.Length, c = (nuint)Vec.Count, j = 0;

        // Two chains of lane-wise (sum, error) pairs: the TwoSum chain's add latency, not throughput, bounds one chain.
        // Written out rather than through a helper taking the accumulators by reference, which would keep them in
        // memory (address-exposed locals) and put a store-to-load round trip on the chain.
        Vec s0 = Vec.Zero, s1 = Vec.Zero, e0 = Vec.Zero, e1 = Vec.Zero;
        for (; j + (2 * c) <= n; j += 2 * c)
        {
            Vec h0 = VecOps.LoadUnsafe(ref xh, j), t0 = VecOps.LoadUnsafe(ref th, j);
            Vec h1 = VecOps.LoadUnsafe(ref xh, j + c), t1 = VecOps.LoadUnsafe(ref th, j + c);
            Vec q0 = h0 * t0, q1 = h1 * t1;
            Vec n0 = s0 - q0, n1 = s1 - q1;
            Vec b0 = n0 - s0, b1 = n1 - s1;
            Vec f0 = SimdOps.MulAdd(VecOps.LoadUnsafe(ref xl, j), t0, SimdOps.MulAdd(h0, VecOps.LoadUnsafe(ref tl, j), SimdOps.MulAdd(h0, t0, -q0)));
            Vec f1 = SimdOps.MulAdd(VecOps.LoadUnsafe(ref xl, j + c), t1, SimdOps.MulAdd(h1, VecOps.LoadUnsafe(ref tl, j + c), SimdOps.MulAdd(h1, t1, -q1)));
            e0 += ((s0 - (n0 - b0)) + (-q0 - b0)) - f0;
            e1 += ((s1 - (n1 - b1)) + (-q1 - b1)) - f1;
            s0 = n0;
            s1 = n1;
        }

        if (j < n)
        {
            Vec h0 = VecOps.LoadUnsafe(ref xh, j), t0 = VecOps.LoadUnsafe(ref th, j);
            Vec q0 = h0 * t0;
            Vec n0 = s0 - q0, b0 = n0 - s0;
            Vec f0 = SimdOps.MulAdd(VecOps.LoadUnsafe(ref xl, j), t0, SimdOps.MulAdd(h0, VecOps.LoadUnsafe(ref tl, j), SimdOps.MulAdd(h0, t0, -q0)));
            e0 += ((s0 - (n0 - b0)) + (-q0 - b0)) - f0;
            s0 = n0;
        }

        // Fold the lanes into (start, startLow) exactly, in a fixed order.
        Vec s = s0 + s1, bv = s - s0;
        Vec e = e0 + e1 + ((s0 - (s - bv)) + (s1 - bv));
        double total = start, low = startLow + VecOps.Sum(e);
        for (int lane = 0; lane < Vec.Count; lane++)
        {
            total = Compensated.TwoSum(total, s.GetElement(lane), out double le);
            low += le;
        }

        return total + low;
    }

    public static void AddProduct(
        ReadOnlySpan<double> xHigh, ReadOnlySpan<double> xLow, double vHigh, double vLow, Span<double> sumHigh, Span<double> sumLow)
    {
        ref double xh = ref MemoryMarshal.GetReference(xHigh);
        ref double xl = ref MemoryMarshal.GetReference(xLow);
        ref double gh = ref MemoryMarshal.GetReference(sumHigh);
        ref double gl = ref MemoryMarshal.GetReference(sumLow);
        Vec vh = VecOps.Create(vHigh), vl = VecOps.Create(vLow);
        for (nuint j = 0; j < (nuint)xHigh.Length; j += (nuint)Vec.Count)
        {
            Vec x = VecOps.LoadUnsafe(ref xh, j);
            Vec q = x * vh, qe = SimdOps.MulAdd(x, vh, -q);
            Vec g = VecOps.LoadUnsafe(ref gh, j);
            Vec s = g + q, bv = s - g;
            s.StoreUnsafe(ref gh, j);
            Vec tail = (g - (s - bv)) + (q - bv) + qe + SimdOps.MulAdd(x, vl, VecOps.LoadUnsafe(ref xl, j) * vh);
            (VecOps.LoadUnsafe(ref gl, j) + tail).StoreUnsafe(ref gl, j);
        }
    }

    public static void AddWeightedSquares(
        ReadOnlySpan<double> xHigh,
        ReadOnlySpan<double> xLow,
        double w,
        Span<double> sumHigh,
        Span<double> sumLow,
        Span<double> squaresHigh,
        Span<double> squaresLow)
    {
        ref double xh = ref MemoryMarshal.GetReference(xHigh);
        ref double xl = ref MemoryMarshal.GetReference(xLow);
        ref double sh = ref MemoryMarshal.GetReference(sumHigh);
        ref double sl = ref MemoryMarshal.GetReference(sumLow);
        ref double qh = ref MemoryMarshal.GetReference(squaresHigh);
        ref double ql = ref MemoryMarshal.GetReference(squaresLow);
        Vec wv = VecOps.Create(w), two = VecOps.Create(2.0);
        for (nuint j = 0; j < (nuint)xHigh.Length; j += (nuint)Vec.Count)
        {
            Vec h = VecOps.LoadUnsafe(ref xh, j), l = VecOps.LoadUnsafe(ref xl, j);
            Vec v = wv * h, ve = SimdOps.MulAdd(wv, h, -v);
            Vec a = VecOps.LoadUnsafe(ref sh, j);
            Vec s = a + v, bv = s - a;
            s.StoreUnsafe(ref sh, j);
            (VecOps.LoadUnsafe(ref sl, j) + ((a - (s - bv)) + (v - bv) + ve + (wv * l))).StoreUnsafe(ref sl, j);

            Vec q = v * h, qe = SimdOps.MulAdd(v, h, -q);
            Vec b = VecOps.LoadUnsafe(ref qh, j);
            Vec t = b + q, tv = t - b;
            t.StoreUnsafe(ref qh, j);
            (VecOps.LoadUnsafe(ref ql, j) + ((b - (t - tv)) + (q - tv) + qe + SimdOps.MulAdd(ve, h, two * v * l))).StoreUnsafe(ref ql, j);
        }
    }
}
