using System;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// What one core of this machine can do at best, measured in about a second: the fused multiply-add peak (the ceiling
/// of every compute-bound kernel) and the streaming read bandwidth from main memory (the ceiling of every
/// bandwidth-bound one). Benchmarks quote their results as a fraction of these.
/// </summary>
/// <param name="DoubleFmaGflops">Double-precision FMA peak at <paramref name="VectorBits"/>, in GFLOP/s (10⁹ flop/s, an FMA counting 2 per lane).</param>
/// <param name="SingleFmaGflops">Single-precision FMA peak at <paramref name="VectorBits"/>, in GFLOP/s.</param>
/// <param name="VectorBits">The widest vector width the runtime accelerates in this process (512, 256, 128, or 64 for scalar code), at which the peaks were measured.</param>
/// <param name="HardwareFma">Whether that width has a fused multiply-add instruction; without one the peak is that of a multiply and an add.</param>
/// <param name="DoubleFmaGflops256">The double-precision FMA peak with 256-bit vectors, when <paramref name="VectorBits"/> is 512 (AVX2 kernels such as OpenBLAS's Haswell set run at this ceiling); otherwise <see langword="null"/>.</param>
/// <param name="ReadBandwidthGBps">Single-core streaming read bandwidth in GB/s (10⁹ bytes/s): a vectorized sum over a buffer far larger than the last-level cache, each 8 MiB chunk timed at its best of several passes.</param>
/// <param name="BandwidthBufferMiB">The size of that buffer in MiB.</param>
/// <param name="ProbeTime">How long the whole probe took.</param>
public sealed record MachineLimits(
    double DoubleFmaGflops,
    double SingleFmaGflops,
    int VectorBits,
    bool HardwareFma,
    double? DoubleFmaGflops256,
    double ReadBandwidthGBps,
    int BandwidthBufferMiB,
    TimeSpan ProbeTime)
{
    /// <summary>The buffer swept by the bandwidth probe: 512 MiB, 16 times a 32 MiB L3 slice, so no cache holds it.</summary>
    public const int DefaultBandwidthBufferMiB = 512;

    private const nuint HugePageBytes = 2 << 20;

    // Twelve independent chains: the FMA units need latency × pipes chains in flight (4 cycles × 2 pipes = 8 on Zen 3-5
    // and Skylake), and twelve accumulators plus the two operands still fit the 16 registers of AVX2 without spilling.
    private const int Chains = 12;
    private const int Repetitions = 30;
    private const int BandwidthPasses = 16;
    private const int BandwidthChunkBytes = 8 << 20;
    private static readonly TimeSpan s_repetitionTime = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan s_bandwidthBudget = TimeSpan.FromSeconds(0.5);
    private static readonly Lazy<MachineLimits> s_current = new(() => Measure());

    /// <summary>The limits of this machine, measured on first use and then remembered for the life of the process.</summary>
    public static MachineLimits Current => s_current.Value;

    /// <summary>Measures the limits now (about one second; allocates and frees <paramref name="bandwidthBufferMiB"/> MiB).</summary>
    /// <param name="bandwidthBufferMiB">The size of the buffer swept by the bandwidth probe.</param>
    /// <returns>The measured limits.</returns>
    public static MachineLimits Measure(int bandwidthBufferMiB = DefaultBandwidthBufferMiB)
    {
        var total = Stopwatch.StartNew();
        int bits = Vector512.IsHardwareAccelerated ? 512
            : Vector256.IsHardwareAccelerated ? 256
            : Vector128.IsHardwareAccelerated ? 128
            : 64;
        bool fma = bits switch
        {
            512 => Avx512F.IsSupported,
            256 => Fma.IsSupported,
            128 => Fma.IsSupported || AdvSimd.Arm64.IsSupported,
            _ => false,
        };
        double dp = FmaPeak<double>(bits);
        double sp = FmaPeak<float>(bits);
        double? dp256 = bits == 512 ? FmaPeak<double>(256) : null;
        double bandwidth = ReadBandwidth(bandwidthBufferMiB, bits);
        return new MachineLimits(dp, sp, bits, fma, dp256, bandwidth, bandwidthBufferMiB, total.Elapsed);
    }

    /// <summary>A few lines for benchmark headers and result files.</summary>
    /// <returns>The report text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        string width = VectorBits == 64 ? "scalar code" : $"Vector{VectorBits}";
        string op = HardwareFma ? "FMA" : "multiply + add (no hardware FMA at this width)";
        sb.Append(CultureInfo.InvariantCulture, $"Machine limits (one core; peaks: best of {Repetitions} x 2 ms; bandwidth: best of 3-{BandwidthPasses} passes per 8 MiB chunk; probe took {ProbeTime.TotalSeconds:F1} s):\n");
        sb.Append(CultureInfo.InvariantCulture, $"  peak, double: {DoubleFmaGflops,7:F1} GFLOP/s ({width}, {op}, {Chains} independent chains)\n");
        if (DoubleFmaGflops256 is double v256)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  peak, double: {v256,7:F1} GFLOP/s (Vector256, the ceiling of AVX2 kernels)\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"  peak, float:  {SingleFmaGflops,7:F1} GFLOP/s ({width})\n");
        sb.Append(CultureInfo.InvariantCulture, $"  read bandwidth: {ReadBandwidthGBps,5:F1} GB/s (vectorized 4-stream sum over {BandwidthBufferMiB} MiB; GB = 10^9 bytes)");
        return sb.ToString();
    }

    private static double FmaPeak<T>(int bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = bits == 64 ? 1 : bits / 8 / Unsafe.SizeOf<T>();
        double flopsPerIteration = Chains * lanes * 2.0;
        Func<long, T> loop = bits switch
        {
            512 => FmaChains512<T>,
            256 => FmaChains256<T>,
            128 => FmaChains128<T>,
            _ => FmaChainsScalar<T>,
        };

        // The first call compiles the loop; keep that out of the calibration.
        Time(loop, 1);

        // Many short repetitions rather than a few long ones: on a shared machine a 2 ms repetition often runs between
        // two of the other processes' time slices, a 50 ms one almost never does, and the best repetition is the
        // estimate of the limit (interference only ever slows a repetition down).
        long iterations = 1 << 12;
        double seconds = Time(loop, iterations);
        while (seconds < s_repetitionTime.TotalSeconds / 8)
        {
            iterations *= 4;
            seconds = Time(loop, iterations);
        }

        iterations = Math.Max(iterations, (long)(iterations * s_repetitionTime.TotalSeconds / seconds));
        double best = double.MaxValue;
        for (int r = 0; r < Repetitions; r++)
        {
            best = Math.Min(best, Time(loop, iterations));
        }

        return iterations * flopsPerIteration / best / 1e9;
    }

    private static double Time<T>(Func<long, T> loop, long iterations)
    {
        long start = Stopwatch.GetTimestamp();
        T sink = loop(iterations);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        GC.KeepAlive(sink);
        return seconds;
    }

    // The chains run c ← c·m + a with m just below 1, so every accumulator converges to a/(1 − m) = 0.1 and never
    // overflows or turns subnormal (subnormals would trap to microcode on some CPUs).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T FmaChains512<T>(long iterations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> m = Vector512.Create(T.CreateChecked(0.999999)), a = Vector512.Create(T.CreateChecked(1e-7));
        Vector512<T> c0 = Vector512<T>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = MulAdd(c0, m, a); c1 = MulAdd(c1, m, a); c2 = MulAdd(c2, m, a); c3 = MulAdd(c3, m, a);
            c4 = MulAdd(c4, m, a); c5 = MulAdd(c5, m, a); c6 = MulAdd(c6, m, a); c7 = MulAdd(c7, m, a);
            c8 = MulAdd(c8, m, a); c9 = MulAdd(c9, m, a); c10 = MulAdd(c10, m, a); c11 = MulAdd(c11, m, a);
        }

        return Vector512.Sum((c0 + c1) + (c2 + c3) + (c4 + c5) + (c6 + c7) + (c8 + c9) + (c10 + c11));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T FmaChains256<T>(long iterations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> m = Vector256.Create(T.CreateChecked(0.999999)), a = Vector256.Create(T.CreateChecked(1e-7));
        Vector256<T> c0 = Vector256<T>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = MulAdd(c0, m, a); c1 = MulAdd(c1, m, a); c2 = MulAdd(c2, m, a); c3 = MulAdd(c3, m, a);
            c4 = MulAdd(c4, m, a); c5 = MulAdd(c5, m, a); c6 = MulAdd(c6, m, a); c7 = MulAdd(c7, m, a);
            c8 = MulAdd(c8, m, a); c9 = MulAdd(c9, m, a); c10 = MulAdd(c10, m, a); c11 = MulAdd(c11, m, a);
        }

        return Vector256.Sum((c0 + c1) + (c2 + c3) + (c4 + c5) + (c6 + c7) + (c8 + c9) + (c10 + c11));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T FmaChains128<T>(long iterations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> m = Vector128.Create(T.CreateChecked(0.999999)), a = Vector128.Create(T.CreateChecked(1e-7));
        Vector128<T> c0 = Vector128<T>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = MulAdd(c0, m, a); c1 = MulAdd(c1, m, a); c2 = MulAdd(c2, m, a); c3 = MulAdd(c3, m, a);
            c4 = MulAdd(c4, m, a); c5 = MulAdd(c5, m, a); c6 = MulAdd(c6, m, a); c7 = MulAdd(c7, m, a);
            c8 = MulAdd(c8, m, a); c9 = MulAdd(c9, m, a); c10 = MulAdd(c10, m, a); c11 = MulAdd(c11, m, a);
        }

        return Vector128.Sum((c0 + c1) + (c2 + c3) + (c4 + c5) + (c6 + c7) + (c8 + c9) + (c10 + c11));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T FmaChainsScalar<T>(long iterations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Scalar code multiplies and adds separately: with DOTNET_EnableHWIntrinsic=0 Math.FusedMultiplyAdd is a
        // software routine, and the scalar tier of RidgeCore does not use it either.
        T m = T.CreateChecked(0.999999), a = T.CreateChecked(1e-7);
        T c0 = T.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = (c0 * m) + a; c1 = (c1 * m) + a; c2 = (c2 * m) + a; c3 = (c3 * m) + a;
            c4 = (c4 * m) + a; c5 = (c5 * m) + a; c6 = (c6 * m) + a; c7 = (c7 * m) + a;
            c8 = (c8 * m) + a; c9 = (c9 * m) + a; c10 = (c10 * m) + a; c11 = (c11 * m) + a;
        }

        return (c0 + c1) + (c2 + c3) + (c4 + c5) + (c6 + c7) + (c8 + c9) + (c10 + c11);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MulAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MulAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : unmanaged
    {
        if (Fma.IsSupported && typeof(T) == typeof(double))
        {
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        if (Fma.IsSupported && typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> MulAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        where T : unmanaged
    {
        if (Fma.IsSupported && typeof(T) == typeof(double))
        {
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        if (Fma.IsSupported && typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (AdvSimd.Arm64.IsSupported && typeof(T) == typeof(double))
        {
            return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
        }

        if (AdvSimd.IsSupported && typeof(T) == typeof(float))
        {
            return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
        }

        return (a * b) + c;
    }

    private static unsafe double ReadBandwidth(int bufferMiB, int bits)
    {
        nuint bytes = (nuint)bufferMiB << 20;
        nuint count = bytes / sizeof(double);
        double* p = (double*)NativeMemory.AlignedAlloc(bytes, HugePageBytes);
        try
        {
            // Touch every page first, so the timed passes read memory rather than take page faults. Transparent huge
            // pages (when the kernel offers them on request) cut the first touch from seconds to a fraction of one on
            // a virtual machine, where each 4 KiB fault is slow.
            AdviseHugePages(p, bytes);
            new Span<double>(p, checked((int)count)).Fill(1.0);
            Func<nuint, nuint, double> sum = bits switch
            {
                512 => (a, n) => Sum512((double*)a, n),
                256 => (a, n) => Sum256((double*)a, n),
                128 => (a, n) => Sum128((double*)a, n),
                _ => (a, n) => SumScalar((double*)a, n),
            };

            // Each pass streams the whole buffer in 8 MiB chunks (each read as four 2 MiB streams), timing each chunk.
            // A chunk was last read 512 MiB earlier, so it always comes from memory; the estimate keeps, for every
            // chunk, its fastest pass. Another process that interrupts the probe slows a few chunks of one pass, not
            // the same chunks in every pass, so this is robust on a shared machine where even a 15 ms pass is often
            // interrupted.
            nuint chunk = BandwidthChunkBytes / sizeof(double);
            int chunks = (int)(count / chunk);
            var bestChunk = new double[chunks];
            Array.Fill(bestChunk, double.MaxValue);
            var budget = Stopwatch.StartNew();
            for (int pass = 0; pass < BandwidthPasses && (pass < 3 || budget.Elapsed < s_bandwidthBudget); pass++)
            {
                for (int c = 0; c < chunks; c++)
                {
                    double* start = p + ((nuint)c * chunk);
                    long t0 = Stopwatch.GetTimestamp();
                    double s = sum((nuint)start, chunk);
                    double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    if (s != chunk)
                    {
                        throw new InvalidOperationException($"Bandwidth probe summed {s} instead of {chunk}.");
                    }

                    bestChunk[c] = Math.Min(bestChunk[c], seconds);
                }
            }

            double total = 0;
            foreach (double t in bestChunk)
            {
                total += t;
            }

            return (double)chunks * BandwidthChunkBytes / total / 1e9;
        }
        finally
        {
            NativeMemory.AlignedFree(p);
        }
    }

    private static unsafe void AdviseHugePages(void* p, nuint bytes)
    {
        if (OperatingSystem.IsLinux())
        {
            // MADV_HUGEPAGE; a refusal (no THP in this kernel) only costs time.
            _ = LinuxMemory.Madvise(p, bytes, 14);
        }
    }

    // Four streams, two accumulators each. A single core's read bandwidth is bounded by how many cache-line misses it
    // keeps in flight, and the hardware prefetchers track each stream separately: measured on this machine, one stream
    // gave 32-36 GB/s, two 40-41, four 41-42. Kernels such as dot (x and y) and axpy read two or more streams, so a
    // one-stream probe would understate their ceiling (dot then showed 107 % of it). Eight accumulators in all hide
    // the add latency, so the loop waits on memory, not on arithmetic.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe double Sum512(double* p, nuint n)
    {
        nuint c = (nuint)Vector512<double>.Count, len = n / 4;
        double* q = p + len, r = q + len, s = r + len;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (nuint i = 0; i + (2 * c) <= len; i += 2 * c)
        {
            a0 += Vector512.Load(p + i); a1 += Vector512.Load(q + i); a2 += Vector512.Load(r + i); a3 += Vector512.Load(s + i);
            a4 += Vector512.Load(p + i + c); a5 += Vector512.Load(q + i + c); a6 += Vector512.Load(r + i + c); a7 += Vector512.Load(s + i + c);
        }

        return Vector512.Sum((a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe double Sum256(double* p, nuint n)
    {
        nuint c = (nuint)Vector256<double>.Count, len = n / 4;
        double* q = p + len, r = q + len, s = r + len;
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (nuint i = 0; i + (2 * c) <= len; i += 2 * c)
        {
            a0 += Vector256.Load(p + i); a1 += Vector256.Load(q + i); a2 += Vector256.Load(r + i); a3 += Vector256.Load(s + i);
            a4 += Vector256.Load(p + i + c); a5 += Vector256.Load(q + i + c); a6 += Vector256.Load(r + i + c); a7 += Vector256.Load(s + i + c);
        }

        return Vector256.Sum((a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe double Sum128(double* p, nuint n)
    {
        nuint c = (nuint)Vector128<double>.Count, len = n / 4;
        double* q = p + len, r = q + len, s = r + len;
        Vector128<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (nuint i = 0; i + (2 * c) <= len; i += 2 * c)
        {
            a0 += Vector128.Load(p + i); a1 += Vector128.Load(q + i); a2 += Vector128.Load(r + i); a3 += Vector128.Load(s + i);
            a4 += Vector128.Load(p + i + c); a5 += Vector128.Load(q + i + c); a6 += Vector128.Load(r + i + c); a7 += Vector128.Load(s + i + c);
        }

        return Vector128.Sum((a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe double SumScalar(double* p, nuint n)
    {
        nuint len = n / 4;
        double* q = p + len, r = q + len, s = r + len;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (nuint i = 0; i + 2 <= len; i += 2)
        {
            a0 += p[i]; a1 += q[i]; a2 += r[i]; a3 += s[i];
            a4 += p[i + 1]; a5 += q[i + 1]; a6 += r[i + 1]; a7 += s[i + 1];
        }

        return (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7);
    }
}

internal static unsafe partial class LinuxMemory
{
    [LibraryImport("libc", EntryPoint = "madvise")]
    internal static partial int Madvise(void* address, nuint length, int advice);
}
