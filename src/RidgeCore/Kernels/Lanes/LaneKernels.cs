using System.Runtime.CompilerServices;
using RidgeCore.Internal;

namespace RidgeCore.Kernels.Lanes;

/// <summary>
/// The level-1 and fused level-2 row operations of the symmetric eigensolver (and the centering of the λ-selection pass), dispatched once per call to the active
/// family (<see cref="Tier"/>). Every operation works on contiguous doubles; tails shorter than a register run in
/// scalar code. Each body lives once in <see cref="LaneKernels{TLanes}"/>.
/// </summary>
internal static unsafe class LaneKernels
{
    /// <summary>Σ a[i]·b[i].</summary>
    public static double Dot(double* a, double* b, nint n)
        => Tier.UseV512 ? LaneKernels<V512Lanes>.Dot(a, b, n)
         : Tier.UseV256 ? LaneKernels<V256Lanes>.Dot(a, b, n)
         : Tier.UseV128 ? LaneKernels<V128Lanes>.Dot(a, b, n)
         : LaneKernels<ScalarLanes>.Dot(a, b, n);

    /// <summary>y[i] += α·x[i].</summary>
    public static void Axpy(double alpha, double* x, double* y, nint n)
    {
        if (Tier.UseV512)
        {
            LaneKernels<V512Lanes>.Axpy(alpha, x, y, n);
        }
        else if (Tier.UseV256)
        {
            LaneKernels<V256Lanes>.Axpy(alpha, x, y, n);
        }
        else if (Tier.UseV128)
        {
            LaneKernels<V128Lanes>.Axpy(alpha, x, y, n);
        }
        else
        {
            LaneKernels<ScalarLanes>.Axpy(alpha, x, y, n);
        }
    }

    /// <summary>row[i] −= vi·w[i] + wi·v[i] (one row of the symmetric rank-2 update A −= v·wᵀ + w·vᵀ); when
    /// <paramref name="u"/> is not null, also returns Σ row'[i]·u[i] of the updated row (the next step's
    /// matrix-vector product, fused so that the row is read and written once per step).</summary>
    public static double Rank2Update(double* row, double* v, double* w, double vi, double wi, double* u, nint n)
        => Tier.UseV512 ? LaneKernels<V512Lanes>.Rank2Update(row, v, w, vi, wi, u, n)
         : Tier.UseV256 ? LaneKernels<V256Lanes>.Rank2Update(row, v, w, vi, wi, u, n)
         : Tier.UseV128 ? LaneKernels<V128Lanes>.Rank2Update(row, v, w, vi, wi, u, n)
         : LaneKernels<ScalarLanes>.Rank2Update(row, v, w, vi, wi, u, n);

    /// <summary>
    /// One QL sweep's plane rotations applied to the columns of a column-major n×n matrix z (column j at z + j·n):
    /// for i = high − 1 down to low, columns (i, i + 1) ← (c[i]·zᵢ − s[i]·zᵢ₊₁, s[i]·zᵢ + c[i]·zᵢ₊₁), one whole
    /// column pair at a time. Two blocked variants were measured slower at p = 1024 on AMD Zen 5 (AVX-512): carrying
    /// the handed-down column in registers over 32-row chunks (the stride-p walk across all columns defeats the
    /// prefetchers: 2.7× slower), and in an L1 buffer over 256-row chunks (about 1.3× slower); whole columns stream
    /// contiguously and the column handed down is still in L1 for the next rotation.
    /// </summary>
    public static void RotateSweep(double* z, nint n, double* c, double* s, int high, int low)
    {
        for (int i = high - 1; i >= low; i--)
        {
            Rotate(z + ((nint)i * n), z + ((nint)(i + 1) * n), c[i], s[i], n);
        }
    }

    /// <summary>d[i] = a[i] − b[i].</summary>
    public static void Subtract(double* a, double* b, double* d, nint n)
    {
        if (Tier.UseV512)
        {
            LaneKernels<V512Lanes>.Subtract(a, b, d, n);
        }
        else if (Tier.UseV256)
        {
            LaneKernels<V256Lanes>.Subtract(a, b, d, n);
        }
        else if (Tier.UseV128)
        {
            LaneKernels<V128Lanes>.Subtract(a, b, d, n);
        }
        else
        {
            LaneKernels<ScalarLanes>.Subtract(a, b, d, n);
        }
    }

    /// <summary>The plane rotation (x, y) ← (c·x − s·y, s·x + c·y), element-wise.</summary>
    public static void Rotate(double* x, double* y, double c, double s, nint n)
    {
        if (Tier.UseV512)
        {
            LaneKernels<V512Lanes>.Rotate(x, y, c, s, n);
        }
        else if (Tier.UseV256)
        {
            LaneKernels<V256Lanes>.Rotate(x, y, c, s, n);
        }
        else if (Tier.UseV128)
        {
            LaneKernels<V128Lanes>.Rotate(x, y, c, s, n);
        }
        else
        {
            LaneKernels<ScalarLanes>.Rotate(x, y, c, s, n);
        }
    }
}

/// <summary>The bodies of <see cref="LaneKernels"/> for one register width.</summary>
/// <typeparam name="TLanes">The width.</typeparam>
internal static unsafe class LaneKernels<TLanes>
    where TLanes : struct, IDoubleLanes<TLanes>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(double* a, double* b, nint n)
    {
        nint w = TLanes.Count, i = 0;
        TLanes s0 = TLanes.Zero, s1 = TLanes.Zero, s2 = TLanes.Zero, s3 = TLanes.Zero;
        for (; i <= n - (4 * w); i += 4 * w)
        {
            s0 = TLanes.MulAdd(TLanes.Load(a + i), TLanes.Load(b + i), s0);
            s1 = TLanes.MulAdd(TLanes.Load(a + i + w), TLanes.Load(b + i + w), s1);
            s2 = TLanes.MulAdd(TLanes.Load(a + i + (2 * w)), TLanes.Load(b + i + (2 * w)), s2);
            s3 = TLanes.MulAdd(TLanes.Load(a + i + (3 * w)), TLanes.Load(b + i + (3 * w)), s3);
        }

        for (; i <= n - w; i += w)
        {
            s0 = TLanes.MulAdd(TLanes.Load(a + i), TLanes.Load(b + i), s0);
        }

        double sum = TLanes.Sum(TLanes.Add(TLanes.Add(s0, s1), TLanes.Add(s2, s3)));
        for (; i < n; i++)
        {
            sum = SimdOps.MulAdd(a[i], b[i], sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(double alpha, double* x, double* y, nint n)
    {
        nint w = TLanes.Count, i = 0;
        TLanes a = TLanes.Broadcast(alpha);
        for (; i <= n - (2 * w); i += 2 * w)
        {
            TLanes.Store(y + i, TLanes.MulAdd(a, TLanes.Load(x + i), TLanes.Load(y + i)));
            TLanes.Store(y + i + w, TLanes.MulAdd(a, TLanes.Load(x + i + w), TLanes.Load(y + i + w)));
        }

        for (; i < n; i++)
        {
            y[i] = SimdOps.MulAdd(alpha, x[i], y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Rank2Update(double* row, double* v, double* w, double vi, double wi, double* u, nint n)
    {
        nint c = TLanes.Count, i = 0;
        TLanes a = TLanes.Broadcast(vi), b = TLanes.Broadcast(wi);
        if (u == null)
        {
            for (; i <= n - (2 * c); i += 2 * c)
            {
                TLanes r0 = TLanes.NegMulAdd(b, TLanes.Load(v + i), TLanes.NegMulAdd(a, TLanes.Load(w + i), TLanes.Load(row + i)));
                TLanes r1 = TLanes.NegMulAdd(b, TLanes.Load(v + i + c), TLanes.NegMulAdd(a, TLanes.Load(w + i + c), TLanes.Load(row + i + c)));
                TLanes.Store(row + i, r0);
                TLanes.Store(row + i + c, r1);
            }

            for (; i < n; i++)
            {
                row[i] = SimdOps.MulAdd(-wi, v[i], SimdOps.MulAdd(-vi, w[i], row[i]));
            }

            return 0;
        }

        TLanes s0 = TLanes.Zero, s1 = TLanes.Zero;
        for (; i <= n - (2 * c); i += 2 * c)
        {
            TLanes r0 = TLanes.NegMulAdd(b, TLanes.Load(v + i), TLanes.NegMulAdd(a, TLanes.Load(w + i), TLanes.Load(row + i)));
            TLanes r1 = TLanes.NegMulAdd(b, TLanes.Load(v + i + c), TLanes.NegMulAdd(a, TLanes.Load(w + i + c), TLanes.Load(row + i + c)));
            TLanes.Store(row + i, r0);
            TLanes.Store(row + i + c, r1);
            s0 = TLanes.MulAdd(r0, TLanes.Load(u + i), s0);
            s1 = TLanes.MulAdd(r1, TLanes.Load(u + i + c), s1);
        }

        double sum = TLanes.Sum(TLanes.Add(s0, s1));
        for (; i < n; i++)
        {
            double r = SimdOps.MulAdd(-wi, v[i], SimdOps.MulAdd(-vi, w[i], row[i]));
            row[i] = r;
            sum = SimdOps.MulAdd(r, u[i], sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract(double* a, double* b, double* d, nint n)
    {
        nint w = TLanes.Count, i = 0;
        for (; i <= n - w; i += w)
        {
            TLanes.Store(d + i, TLanes.Subtract(TLanes.Load(a + i), TLanes.Load(b + i)));
        }

        for (; i < n; i++)
        {
            d[i] = a[i] - b[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rotate(double* x, double* y, double c, double s, nint n)
    {
        nint w = TLanes.Count, i = 0;
        TLanes vc = TLanes.Broadcast(c), vs = TLanes.Broadcast(s);
        for (; i <= n - (2 * w); i += 2 * w)
        {
            TLanes x0 = TLanes.Load(x + i), y0 = TLanes.Load(y + i);
            TLanes x1 = TLanes.Load(x + i + w), y1 = TLanes.Load(y + i + w);
            TLanes.Store(x + i, TLanes.NegMulAdd(vs, y0, TLanes.Multiply(vc, x0)));
            TLanes.Store(y + i, TLanes.MulAdd(vs, x0, TLanes.Multiply(vc, y0)));
            TLanes.Store(x + i + w, TLanes.NegMulAdd(vs, y1, TLanes.Multiply(vc, x1)));
            TLanes.Store(y + i + w, TLanes.MulAdd(vs, x1, TLanes.Multiply(vc, y1)));
        }

        for (; i < n; i++)
        {
            double xi = x[i], yi = y[i];
            x[i] = SimdOps.MulAdd(-s, yi, c * xi);
            y[i] = SimdOps.MulAdd(s, xi, c * yi);
        }
    }
}
