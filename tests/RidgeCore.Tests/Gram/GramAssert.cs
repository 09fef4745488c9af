using System;
using System.Globalization;
using Xunit;
using Xunit.Sdk;

namespace RidgeCore.Tests.Gram;

/// <summary>
/// Compares an accumulator's statistics with the reference under a tolerance derived from the engine's summation
/// structure, not tuned to pass.
/// </summary>
/// <remarks>
/// <para><b>Why this bound.</b> Let u be the unit roundoff of the kernel's element type (2⁻⁵³ double, 2⁻²⁴ float),
/// K the number of products one C entry sums in that type before it reaches double totals (double: KC = 256 rows plus
/// the Chan row; float: 256 rows in registers, then 2048/256 = 8 tile sums in the float product block, so 264), and B
/// the number of running-total updates (one per chunk of 256 double / 2048 float rows, plus stripe and caller merges).
/// Every product the engine forms is w·z_a·z_b with z centered on its chunk's mean; chunk co-moments plus Chan
/// corrections sum exactly to the total co-moment, so by Cauchy–Schwarz Σ|w z_a z_b| ≤ √(C_aa C_bb). A recursive sum
/// of m terms errs by at most m·u·Σ|terms|, so |ΔC_ab| ≤ (K + B)·u·√(C_aa C_bb) to first order; we allow 4× that
/// (the factor covers rounding of z itself, of √w·√w, and FMA versus separate multiply-add).</para>
/// <para>Centered mode adds one term: a chunk mean computed in double errs by about (chunk + B)·u_d·M_a (M_a = max|z_a|),
/// and a mean error ε enters the Chan corrections linearly, f·(δ_a ε_b + ε_a δ_b), with Σf ≤ W and |δ| ≤ 2A
/// (A_a = max|z_a − μ_a|). So we add 4·g_d·W·(A_a M_b + M_a A_b) + 4·g_d²·W·M_a M_b with g_d = (chunk + B)·4u_d; the
/// last term covers a constant column, whose centered values are rounding noise of size g_d·M.</para>
/// <para>For float input the reference is computed in double from the float-rounded values, so the comparison
/// measures the float kernel alone; g_t = 4·2⁻²⁴·(264 + B) ≈ 7·10⁻⁵ relative to √(C_aa C_bb): the "10⁻⁴ relative-ish"
/// budget. Means get g_d·M_a, Σw gets (n + B)·u_d·Σw, the row count must be exact, and uncentered means must be exactly
/// zero. A kernel that drops, duplicates or misplaces a single row or product is off by about 1/n relative, which these
/// bounds reject (see <c>Comparison_rejects_statistics_with_one_row_missing</c>).</para>
/// </remarks>
public static class GramAssert
{
    public const double UnitRoundoffDouble = 1.0 / (1L << 53);
    public const double UnitRoundoffFloat = 1.0 / (1 << 24);

    /// <summary>Throws with the first entry outside its bound.</summary>
    /// <param name="expected">The reference.</param>
    /// <param name="actual">What the accumulator reported.</param>
    /// <param name="isFloat">Whether the data went through the float kernel.</param>
    /// <param name="context">Printed with a failure (shape, seed, tier).</param>
    /// <param name="extraMerges">Merges beyond the accumulator's own chunking (batches, Merge calls).</param>
    public static void Close(GramExpected expected, GramStats actual, bool isFloat, string context, int extraMerges = 0)
    {
        string? failure = FirstViolation(expected, actual, isFloat, extraMerges);
        if (failure is not null)
        {
            throw new XunitException($"{context} [{KernelSelection.Active}]: {failure}");
        }
    }

    /// <summary>The first statistic outside its bound, described, or null when all are within.</summary>
    public static string? FirstViolation(GramExpected expected, GramStats actual, bool isFloat, int extraMerges = 0)
    {
        GramStats e = expected.Stats;
        int p = e.P, q = e.P + e.T;
        if (actual.P != p || actual.T != e.T)
        {
            return $"shape p={actual.P}, t={actual.T}; expected p={p}, t={e.T}";
        }

        if (actual.Rows != e.Rows)
        {
            return $"RowCount {actual.Rows}; expected {e.Rows}";
        }

        int chunk = isFloat ? 2048 : 256;
        double kTile = isFloat ? 256 + (2048 / 256) : 256 + 1;
        double merges = Math.Ceiling(expected.N / (double)chunk) + extraMerges + 16;
        double gt = 4 * (isFloat ? UnitRoundoffFloat : UnitRoundoffDouble) * (kTile + merges);
        double gd = 4 * UnitRoundoffDouble * (chunk + merges);
        double w = e.WeightSum;
        bool centered = expected.Mode == GramMode.Centered;

        double wTol = UnitRoundoffDouble * (expected.N + merges) * w;
        if (!(Math.Abs(actual.WeightSum - w) <= wTol))
        {
            return $"WeightSum {R(actual.WeightSum)}; expected {R(w)} ± {R(wTol)}";
        }

        for (int a = 0; a < q; a++)
        {
            double m = actual.Mean(a);
            double mTol = centered ? gd * expected.MaxAbs[a] : 0;
            if (!(Math.Abs(m - e.Mean(a)) <= mTol))
            {
                return $"{MeanName(a, p)} = {R(m)}; expected {R(e.Mean(a))} ± {R(mTol)}";
            }
        }

        for (int a = 0; a < q; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double tol = gt * Math.Sqrt(e.C(a, a) * e.C(b, b));
                if (centered)
                {
                    double ma = expected.MaxAbs[a], mb = expected.MaxAbs[b];
                    tol += 4 * gd * w * ((expected.MaxDev[a] * mb) + (ma * expected.MaxDev[b]));
                    tol += 4 * gd * gd * w * ma * mb;
                }

                double got = actual.C(a, b), want = e.C(a, b);
                if (!(Math.Abs(got - want) <= tol))
                {
                    return $"{EntryName(a, b, p)} = {R(got)}; expected {R(want)} ± {R(tol)} (error {R(Math.Abs(got - want))})";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Checks the copies are exactly symmetric: Cxx[i, j] and Cxx[j, i] (CopyCxx mirrors), Cyy[k, l] and Cyy[l, k].
    /// </summary>
    public static void Symmetric(GramStats s)
    {
        // Plain comparisons, formatting only on failure: this runs on every property case, up to 300² entries.
        for (int i = 0; i < s.P; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double lo = s.Cxx[(i * s.P) + j], up = s.Cxx[(j * s.P) + i];
                if (BitConverter.DoubleToInt64Bits(lo) != BitConverter.DoubleToInt64Bits(up))
                {
                    throw new XunitException($"Cxx[{i},{j}] = {R(lo)} but Cxx[{j},{i}] = {R(up)}");
                }
            }
        }

        for (int k = 0; k < s.T; k++)
        {
            for (int l = 0; l < k; l++)
            {
                double lo = s.Cyy[(k * s.T) + l], up = s.Cyy[(l * s.T) + k];
                if (BitConverter.DoubleToInt64Bits(lo) != BitConverter.DoubleToInt64Bits(up))
                {
                    throw new XunitException($"Cyy[{k},{l}] = {R(lo)} but Cyy[{l},{k}] = {R(up)}");
                }
            }
        }
    }

    /// <summary>Asserts two byte records are identical (a span comparison: xunit's collection Assert.Equal is slow on
    /// records of hundreds of kilobytes).</summary>
    public static void SameBytes(byte[] expected, byte[] actual, string context)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            int i = expected.AsSpan().CommonPrefixLength(actual);
            throw new XunitException($"{context}: records differ (lengths {expected.Length} and {actual.Length}, first difference at byte {i})");
        }
    }

    /// <summary>Asserts two statistics are identical bit for bit (counts, Σw, means, every co-moment).</summary>
    public static void BitwiseEqual(GramStats expected, GramStats actual, string context)
    {
        if (expected.Rows != actual.Rows)
        {
            throw new XunitException($"{context}: RowCount {actual.Rows} vs {expected.Rows}");
        }

        Bits(expected.WeightSum, actual.WeightSum, context + " WeightSum");
        Bits(expected.MeanX, actual.MeanX, context + " MeanX");
        Bits(expected.MeanY, actual.MeanY, context + " MeanY");
        Bits(expected.Cxx, actual.Cxx, context + " Cxx");
        Bits(expected.Cxy, actual.Cxy, context + " Cxy");
        Bits(expected.Cyy, actual.Cyy, context + " Cyy");
    }

    /// <summary>max over a ≥ b of |C_ab − exact_ab| / √(exact_aa·exact_bb): the error relative to the scale of the entry's
    /// row and column (a near-zero co-moment cannot carry a small error relative to itself).</summary>
    public static double MaxScaledError(GramStats exact, GramStats actual, out string where)
    {
        double worst = 0;
        where = "none";
        int q = exact.P + exact.T;
        for (int a = 0; a < q; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double err = Math.Abs(actual.C(a, b) - exact.C(a, b)) / Math.Sqrt(exact.C(a, a) * exact.C(b, b));
                if (!(err <= worst))
                {
                    worst = err;
                    where = EntryName(a, b, exact.P);
                }
            }
        }

        return worst;
    }

    public static string EntryName(int a, int b, int p) =>
        a < p ? $"Cxx[{a},{b}]" : b < p ? $"Cxy[{b},{a - p}]" : $"Cyy[{a - p},{b - p}]";

    private static string MeanName(int a, int p) => a < p ? $"MeanX[{a}]" : $"MeanY[{a - p}]";

    private static void Bits(double expected, double actual, string what)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
        {
            throw new XunitException($"{what}: {R(actual)} is not bitwise {R(expected)}");
        }
    }

    private static void Bits(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Bits(expected[i], actual[i], $"{what}[{i}]");
            }
        }
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
