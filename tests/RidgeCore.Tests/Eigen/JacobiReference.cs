using System;

namespace RidgeCore.Tests.Eigen;

/// <summary>
/// The obviously-correct reference: cyclic Jacobi, rotating away every off-diagonal entry in turn until the
/// off-diagonal mass is below 10⁻³⁰⁰ or stops shrinking. Slow (O(p³) per sweep) and accurate (Demmel–Veselić: relative
/// accuracy for graded positive definite matrices). Returns the eigenvalues sorted ascending.
/// </summary>
public static class JacobiReference
{
    public static double[] Eigenvalues(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++)
                    off += a[(i * n) + j] * a[(i * n) + j];
            if (off < 1e-300)
                break;

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[(p * n) + q];
                    if (apq == 0)
                        continue;
                    double app = a[(p * n) + p], aqq = a[(q * n) + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                        t = 1;
                    double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[(k * n) + p], akq = a[(k * n) + q];
                        a[(k * n) + p] = (c * akp) - (s * akq);
                        a[(k * n) + q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[(p * n) + k], aqk = a[(q * n) + k];
                        a[(p * n) + k] = (c * apk) - (s * aqk);
                        a[(q * n) + k] = (s * apk) + (c * aqk);
                    }
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
            values[i] = a[(i * n) + i];
        Array.Sort(values);
        return values;
    }
}
