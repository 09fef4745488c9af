using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;

namespace RidgeCore.Benchmarks.Baselines;

/// <summary>CBLAS storage order (<c>enum CBLAS_ORDER</c>).</summary>
public enum CblasOrder
{
    /// <summary>Row-major storage.</summary>
    RowMajor = 101,

    /// <summary>Column-major (Fortran) storage.</summary>
    ColMajor = 102,
}

/// <summary>CBLAS transpose flag (<c>enum CBLAS_TRANSPOSE</c>).</summary>
public enum CblasTranspose
{
    /// <summary>Use the matrix as stored.</summary>
    NoTrans = 111,

    /// <summary>Use the transpose.</summary>
    Trans = 112,
}

/// <summary>CBLAS triangle selector (<c>enum CBLAS_UPLO</c>).</summary>
public enum CblasUplo
{
    /// <summary>The upper triangle.</summary>
    Upper = 121,

    /// <summary>The lower triangle.</summary>
    Lower = 122,
}

/// <summary>
/// The OpenBLAS baseline: the handful of BLAS and LAPACK routines RidgeCore's benchmarks compare against, loaded at run
/// time so the benchmarks still build and run (without the baseline) on a machine that lacks the library.
/// </summary>
/// <remarks>
/// <para>The library is looked up once per process. <c>RIDGECORE_OPENBLAS_PATH</c>, when set, is the only path tried (set
/// it to a file that does not exist to rehearse a machine without OpenBLAS); otherwise the usual sonames are tried in
/// order. Install it on Debian/Ubuntu with <c>apt-get install libopenblas0-pthread</c>.</para>
/// <para>Every entry point is called through an unmanaged function pointer, the cheapest call .NET has. The level-1
/// routines (<see cref="Ddot(int, double*, int, double*, int)"/>, <see cref="Daxpy(int, double, double*, int, double*, int)"/>)
/// also suppress the GC transition, so a comparison at n = 1 000 measures OpenBLAS's kernel rather than the
/// P/Invoke frame (a few nanoseconds). The transition is not safe to suppress for long-running calls that may block,
/// so the level-2/3 and LAPACK routines keep it.</para>
/// <para>Integers are 32-bit (<c>blasint</c> of the standard, non-<c>INTERFACE64</c> build that Debian ships); the
/// Fortran LAPACK entry points get their hidden character-length arguments, which OpenBLAS's own C implementations
/// ignore.</para>
/// </remarks>
public static unsafe class OpenBlas
{
    /// <summary>The environment variable that, when set, names the only library path tried.</summary>
    public const string PathVariable = "RIDGECORE_OPENBLAS_PATH";

    private static readonly string[] s_candidates =
    [
        "libopenblas.so.0",
        "libopenblas.so",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "libopenblas.dylib",
        "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        "libopenblas.dll",
        "openblas",
    ];

    private static readonly delegate* unmanaged[SuppressGCTransition]<int, double*, int, double*, int, double> s_ddot;
    private static readonly delegate* unmanaged[SuppressGCTransition]<int, double, double*, int, double*, int, void> s_daxpy;
    private static readonly delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void> s_dsyrk;
    private static readonly delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void> s_ssyrk;
    private static readonly delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void> s_dgemv;
    private static readonly delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void> s_dpotrf;
    private static readonly delegate* unmanaged<byte*, int*, int*, double*, int*, double*, int*, int*, nuint, void> s_dpotrs;
    private static readonly delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void> s_dsyevd;
    private static readonly delegate* unmanaged<int, void> s_setNumThreads;
    private static readonly delegate* unmanaged<int> s_getNumThreads;
    private static readonly delegate* unmanaged<byte*> s_getConfig;
    private static readonly delegate* unmanaged<byte*> s_getCorename;

#pragma warning disable CA1810 // One loader fills every pointer; field initializers cannot share its state.
    static OpenBlas()
#pragma warning restore CA1810
    {
        string? forced = Environment.GetEnvironmentVariable(PathVariable);
        IReadOnlyList<string> candidates = string.IsNullOrWhiteSpace(forced) ? s_candidates : [forced];
        var tried = new List<string>();
        foreach (string candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out nint handle))
            {
                tried.Add(candidate);
                continue;
            }

            nint Export(string name) => NativeLibrary.TryGetExport(handle, name, out nint address) ? address : 0;

            s_ddot = (delegate* unmanaged[SuppressGCTransition]<int, double*, int, double*, int, double>)Export("cblas_ddot");
            s_daxpy = (delegate* unmanaged[SuppressGCTransition]<int, double, double*, int, double*, int, void>)Export("cblas_daxpy");
            s_dsyrk = (delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)Export("cblas_dsyrk");
            s_ssyrk = (delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void>)Export("cblas_ssyrk");
            s_dgemv = (delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Export("cblas_dgemv");
            s_dpotrf = (delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void>)Export("dpotrf_");
            s_dpotrs = (delegate* unmanaged<byte*, int*, int*, double*, int*, double*, int*, int*, nuint, void>)Export("dpotrs_");
            s_dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void>)Export("dsyevd_");
            s_setNumThreads = (delegate* unmanaged<int, void>)Export("openblas_set_num_threads");
            s_getNumThreads = (delegate* unmanaged<int>)Export("openblas_get_num_threads");
            s_getConfig = (delegate* unmanaged<byte*>)Export("openblas_get_config");
            s_getCorename = (delegate* unmanaged<byte*>)Export("openblas_get_corename");

            var missing = new List<string>();
            void Require(bool present, string name)
            {
                if (!present)
                {
                    missing.Add(name);
                }
            }

            Require(s_ddot != null, "cblas_ddot");
            Require(s_daxpy != null, "cblas_daxpy");
            Require(s_dsyrk != null, "cblas_dsyrk");
            Require(s_ssyrk != null, "cblas_ssyrk");
            Require(s_dgemv != null, "cblas_dgemv");
            Require(s_setNumThreads != null, "openblas_set_num_threads");
            if (missing.Count > 0)
            {
                // A reference BLAS or another vendor's library under an OpenBLAS name is not the baseline we promise.
                tried.Add($"{candidate} (loaded, but lacks {string.Join(", ", missing)})");
                NativeLibrary.Free(handle);
                s_ddot = null;
                s_daxpy = null;
                s_dsyrk = null;
                s_ssyrk = null;
                s_dgemv = null;
                s_dpotrf = null;
                s_dpotrs = null;
                s_dsyevd = null;
                s_setNumThreads = null;
                s_getNumThreads = null;
                s_getConfig = null;
                s_getCorename = null;
                continue;
            }

            IsAvailable = true;
            HasLapack = s_dpotrf != null && s_dpotrs != null && s_dsyevd != null;
            LibraryPath = candidate;
            UnavailableReason = null;
            return;
        }

        UnavailableReason = string.IsNullOrWhiteSpace(forced)
            ? $"OpenBLAS was not found (tried {string.Join(", ", tried)}). Install it with 'apt-get install libopenblas0-pthread' or set {PathVariable}."
            : $"OpenBLAS could not be loaded from {PathVariable}={forced} ({string.Join(", ", tried)}).";
    }

    /// <summary>Whether OpenBLAS was found and exports every BLAS routine this class wraps.</summary>
    public static bool IsAvailable { get; }

    /// <summary>Whether the LAPACK routines (dpotrf, dpotrs, dsyevd) are present too (OpenBLAS bundles them unless built with NO_LAPACK).</summary>
    public static bool HasLapack { get; }

    /// <summary>The name or path the library was loaded from, or <see langword="null"/>.</summary>
    public static string? LibraryPath { get; }

    /// <summary>Why <see cref="IsAvailable"/> is false, in one sentence; <see langword="null"/> when it is true.</summary>
    public static string? UnavailableReason { get; }

    /// <summary>The build configuration string (<c>openblas_get_config</c>), for example
    /// <c>OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64</c>.</summary>
    public static string Config => IsAvailable && s_getConfig != null ? Marshal.PtrToStringUTF8((nint)s_getConfig()) ?? "?" : "(unavailable)";

    /// <summary>The kernel set chosen at run time for this CPU (<c>openblas_get_corename</c>), for example <c>Haswell</c>.</summary>
    public static string CoreName => IsAvailable && s_getCorename != null ? Marshal.PtrToStringUTF8((nint)s_getCorename()) ?? "?" : "(unavailable)";

    /// <summary>The number of threads OpenBLAS will use (<c>openblas_get_num_threads</c>), or 0 when unknown.</summary>
    public static int NumThreads => IsAvailable && s_getNumThreads != null ? s_getNumThreads() : 0;

    /// <summary>One line for benchmark headers: what was loaded from where, or why nothing was.</summary>
    /// <returns>The description.</returns>
    public static string Describe() => IsAvailable
        ? string.Create(CultureInfo.InvariantCulture, $"OpenBLAS: {Config}; core {CoreName}; {NumThreads} thread(s); LAPACK {(HasLapack ? "yes" : "no")}; loaded from {LibraryPath}")
        : $"OpenBLAS: unavailable. {UnavailableReason}";

    /// <summary>Sets the number of OpenBLAS threads (<c>openblas_set_num_threads</c>). The environment variable
    /// <c>OPENBLAS_NUM_THREADS</c> is read only when the library loads, so benchmarks call this as well.</summary>
    /// <param name="threads">The thread count; 1 for single-core comparisons.</param>
    public static void SetNumThreads(int threads)
    {
        EnsureAvailable();
        s_setNumThreads(threads);
    }

    /// <summary>Throws when OpenBLAS is unavailable, with the reason.</summary>
    /// <exception cref="InvalidOperationException">OpenBLAS is not available.</exception>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            ThrowUnavailable();
        }
    }

    /// <summary><c>cblas_ddot</c>: Σ xᵢ·yᵢ.</summary>
    /// <param name="n">The number of elements.</param>
    /// <param name="x">The first vector.</param>
    /// <param name="incx">The stride of <paramref name="x"/>.</param>
    /// <param name="y">The second vector.</param>
    /// <param name="incy">The stride of <paramref name="y"/>.</param>
    /// <returns>The dot product.</returns>
    public static double Ddot(int n, double* x, int incx, double* y, int incy)
    {
        // s_ddot is static readonly, so tier-1 code folds this check away.
        if (s_ddot == null)
        {
            ThrowUnavailable();
        }

        return s_ddot(n, x, incx, y, incy);
    }

    /// <summary><c>cblas_daxpy</c>: y ← αx + y.</summary>
    /// <param name="n">The number of elements.</param>
    /// <param name="alpha">The scale α.</param>
    /// <param name="x">The vector added.</param>
    /// <param name="incx">The stride of <paramref name="x"/>.</param>
    /// <param name="y">The vector updated in place.</param>
    /// <param name="incy">The stride of <paramref name="y"/>.</param>
    public static void Daxpy(int n, double alpha, double* x, int incx, double* y, int incy)
    {
        if (s_daxpy == null)
        {
            ThrowUnavailable();
        }

        s_daxpy(n, alpha, x, incx, y, incy);
    }

    /// <summary><c>cblas_dsyrk</c>: C ← α·A·Aᵀ + β·C (or α·Aᵀ·A + β·C), one triangle of the n×n matrix C.</summary>
    /// <param name="order">The storage order.</param>
    /// <param name="uplo">Which triangle of C is referenced and updated.</param>
    /// <param name="trans"><see cref="CblasTranspose.NoTrans"/>: A is n×k; <see cref="CblasTranspose.Trans"/>: A is k×n.</param>
    /// <param name="n">The order of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">The matrix A.</param>
    /// <param name="lda">The leading dimension of A.</param>
    /// <param name="beta">The scale of the old C.</param>
    /// <param name="c">The matrix C.</param>
    /// <param name="ldc">The leading dimension of C.</param>
    public static void Dsyrk(CblasOrder order, CblasUplo uplo, CblasTranspose trans, int n, int k, double alpha, double* a, int lda, double beta, double* c, int ldc)
    {
        EnsureAvailable();
        s_dsyrk((int)order, (int)uplo, (int)trans, n, k, alpha, a, lda, beta, c, ldc);
    }

    /// <summary><c>cblas_ssyrk</c>: the single-precision <see cref="Dsyrk"/>.</summary>
    /// <param name="order">The storage order.</param>
    /// <param name="uplo">Which triangle of C is referenced and updated.</param>
    /// <param name="trans"><see cref="CblasTranspose.NoTrans"/>: A is n×k; <see cref="CblasTranspose.Trans"/>: A is k×n.</param>
    /// <param name="n">The order of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">The matrix A.</param>
    /// <param name="lda">The leading dimension of A.</param>
    /// <param name="beta">The scale of the old C.</param>
    /// <param name="c">The matrix C.</param>
    /// <param name="ldc">The leading dimension of C.</param>
    public static void Ssyrk(CblasOrder order, CblasUplo uplo, CblasTranspose trans, int n, int k, float alpha, float* a, int lda, float beta, float* c, int ldc)
    {
        EnsureAvailable();
        s_ssyrk((int)order, (int)uplo, (int)trans, n, k, alpha, a, lda, beta, c, ldc);
    }

    /// <summary><c>cblas_dgemv</c>: y ← α·op(A)·x + β·y with A m×n.</summary>
    /// <param name="order">The storage order.</param>
    /// <param name="trans">op(A) = A or Aᵀ.</param>
    /// <param name="m">The rows of A.</param>
    /// <param name="n">The columns of A.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="a">The matrix A.</param>
    /// <param name="lda">The leading dimension of A.</param>
    /// <param name="x">The input vector.</param>
    /// <param name="incx">The stride of <paramref name="x"/>.</param>
    /// <param name="beta">The scale of the old y.</param>
    /// <param name="y">The output vector.</param>
    /// <param name="incy">The stride of <paramref name="y"/>.</param>
    public static void Dgemv(CblasOrder order, CblasTranspose trans, int m, int n, double alpha, double* a, int lda, double* x, int incx, double beta, double* y, int incy)
    {
        EnsureAvailable();
        s_dgemv((int)order, (int)trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
    }

    /// <summary>LAPACK <c>dpotrf</c>: the Cholesky factorization of a column-major symmetric positive definite matrix, in place.</summary>
    /// <param name="uplo"><c>'L'</c> or <c>'U'</c>: which triangle holds the input and receives the factor.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="a">The matrix A, column-major.</param>
    /// <param name="lda">The leading dimension of A.</param>
    /// <returns>LAPACK's <c>info</c>: 0 on success, k &gt; 0 when the leading minor of order k is not positive definite.</returns>
    public static int Dpotrf(char uplo, int n, double* a, int lda)
    {
        EnsureLapack(s_dpotrf != null, "dpotrf_");
        byte u = checked((byte)uplo);
        int info = 0;
        s_dpotrf(&u, &n, a, &lda, &info, 1);
        return info;
    }

    /// <summary>LAPACK <c>dpotrs</c>: solves A·X = B with the factor from <see cref="Dpotrf"/>, overwriting B.</summary>
    /// <param name="uplo">The triangle given to <see cref="Dpotrf"/>.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="nrhs">The number of right-hand sides.</param>
    /// <param name="a">The factor, column-major.</param>
    /// <param name="lda">The leading dimension of the factor.</param>
    /// <param name="b">The right-hand sides (n×nrhs, column-major), replaced by the solution.</param>
    /// <param name="ldb">The leading dimension of B.</param>
    /// <returns>LAPACK's <c>info</c>: 0 on success, negative for an illegal argument.</returns>
    public static int Dpotrs(char uplo, int n, int nrhs, double* a, int lda, double* b, int ldb)
    {
        EnsureLapack(s_dpotrs != null, "dpotrs_");
        byte u = checked((byte)uplo);
        int info = 0;
        s_dpotrs(&u, &n, &nrhs, a, &lda, b, &ldb, &info, 1);
        return info;
    }

    /// <summary>LAPACK <c>dsyevd</c>: eigenvalues (and optionally eigenvectors) of a symmetric matrix by divide and
    /// conquer. Call once with <paramref name="lwork"/> = <paramref name="liwork"/> = -1 to query the workspace sizes
    /// (returned in <c>work[0]</c> and <c>iwork[0]</c>), or use <see cref="Dsyevd(char, char, int, double*, int, double*)"/>.</summary>
    /// <param name="jobz"><c>'N'</c>: eigenvalues only; <c>'V'</c>: eigenvectors too (they overwrite A).</param>
    /// <param name="uplo">Which triangle of A holds the input.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="a">The matrix A, column-major.</param>
    /// <param name="lda">The leading dimension of A.</param>
    /// <param name="w">The eigenvalues in ascending order (length n).</param>
    /// <param name="work">Workspace.</param>
    /// <param name="lwork">The length of <paramref name="work"/>, or -1 for a query.</param>
    /// <param name="iwork">Integer workspace.</param>
    /// <param name="liwork">The length of <paramref name="iwork"/>, or -1 for a query.</param>
    /// <returns>LAPACK's <c>info</c>: 0 on success.</returns>
    public static int Dsyevd(char jobz, char uplo, int n, double* a, int lda, double* w, double* work, int lwork, int* iwork, int liwork)
    {
        EnsureLapack(s_dsyevd != null, "dsyevd_");
        byte j = checked((byte)jobz);
        byte u = checked((byte)uplo);
        int info = 0;
        s_dsyevd(&j, &u, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
        return info;
    }

    /// <summary>LAPACK <c>dsyevd</c> with the workspace queried and allocated here (this allocates; keep it out of timed loops).</summary>
    /// <param name="jobz"><c>'N'</c>: eigenvalues only; <c>'V'</c>: eigenvectors too (they overwrite A).</param>
    /// <param name="uplo">Which triangle of A holds the input.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="a">The matrix A, column-major.</param>
    /// <param name="lda">The leading dimension of A.</param>
    /// <param name="w">The eigenvalues in ascending order (length n).</param>
    /// <returns>LAPACK's <c>info</c>: 0 on success.</returns>
    public static int Dsyevd(char jobz, char uplo, int n, double* a, int lda, double* w)
    {
        double workSize = 0;
        int iworkSize = 0;
        int info = Dsyevd(jobz, uplo, n, a, lda, w, &workSize, -1, &iworkSize, -1);
        if (info != 0)
        {
            return info;
        }

        double[] work = new double[Math.Max(1, (int)workSize)];
        int[] iwork = new int[Math.Max(1, iworkSize)];
        fixed (double* pw = work)
        fixed (int* pi = iwork)
        {
            return Dsyevd(jobz, uplo, n, a, lda, w, pw, work.Length, pi, iwork.Length);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowUnavailable() => throw new InvalidOperationException(UnavailableReason);

    private static void EnsureLapack(bool present, string name)
    {
        EnsureAvailable();
        if (!present)
        {
            throw new InvalidOperationException($"The OpenBLAS at {LibraryPath} was built without LAPACK: {name} is missing.");
        }
    }
}
