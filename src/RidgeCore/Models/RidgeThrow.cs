using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RidgeCore.Models;

/// <summary>Throw sites of the ridge estimator, with messages that say what went wrong and what to do about it.</summary>
internal static class RidgeThrow
{
    [DoesNotReturn]
    public static void BadOptionValue(string paramName, string property, int index, double value, string rule)
        => throw new InvalidValueException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName}.{property}[{index}] is {value:G17}; {rule}"),
            paramName,
            index,
            -1);

    [DoesNotReturn]
    public static void BadOptionLength(string paramName, string property, int length, int expected, string what)
        => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName}.{property} has {length} values; it must be empty or have one per {what} ({expected})."),
            paramName);

    [DoesNotReturn]
    public static void Shape(string paramName, string message)
        => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void NoWeight(string paramName)
        => throw new ArgumentException(
            "The data have no row with positive weight (Σw = 0), so there is nothing to fit.", paramName);

    [DoesNotReturn]
    public static void ConstantColumn(int feature, int target, double lambda, bool intercept)
        => throw new SingularMatrixException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Feature {feature} is {(intercept ? "constant" : "all zero")} and unpenalized (λ = {lambda:G17} for target {target}, penalty factor × λ = 0), so its coefficient is not identified: the normal matrix is singular. Use λ > 0 (with a positive penalty factor), set Standardize (constant columns then get coefficient 0), or drop the column."),
            feature,
            double.PositiveInfinity,
            null)
        { Target = target };

    [DoesNotReturn]
    public static void TooFewRows(int unpenalized, long rows, int target, double lambda, bool intercept)
        => throw new SingularMatrixException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{unpenalized} unpenalized coefficients cannot be determined from {rows} rows with positive weight{(intercept ? " and an intercept (centering uses up one row)" : string.Empty)} (λ = {lambda:G17} for target {target}): the normal matrix is singular. Use λ > 0 (or positive penalty factors), or more rows."),
            -1,
            double.PositiveInfinity,
            null)
        { Target = target };

    [DoesNotReturn]
    public static void FactorizationFailed(NotPositiveDefiniteException cause, int target, double lambda, double limit, bool canFallBack)
        => throw new SingularMatrixException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"The penalized normal matrix for target {target} (λ = {lambda:G17}) is singular to working precision (condition estimate: infinite, limit {limit:E3}): its Cholesky factorization broke down at feature {cause.Pivot}, so that column is (numerically) a combination of the columns before it{(canFallBack ? ", and the QR fallback confirmed it" : string.Empty)}. Use λ > 0, which bounds the condition number, or drop the redundant column."),
            cause.Pivot,
            double.PositiveInfinity,
            limit,
            cause)
        { Target = target };

    [DoesNotReturn]
    public static void IllConditioned(double condition, double limit, int target, double lambda, bool statisticsOnly, bool fallBackDisabled = false)
    {
        string why = fallBackDisabled
            ? "The QR fallback is turned off (RidgeOptions.Factorization is Cholesky)"
            : statisticsOnly
            ? "A fit from statistics alone cannot fall back to QR on the data (fit in memory instead to get the QR fallback)"
            : "Even the QR fallback on the centered, scaled data is this ill-conditioned";
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"The ridge problem for target {target} (λ = {lambda:G17}) is too ill-conditioned to solve in double precision: the condition estimate {condition:E3} exceeds the limit {limit:E3}, so the solution would keep only about {Math.Max(0, 15.65 - Math.Log10(condition)):F0} correct digits. {why}. Use λ > 0, which bounds the condition number, or remove nearly collinear columns.");
        if (condition * 2.220446049250313e-16 >= 1 || double.IsInfinity(condition))
        {
            throw new SingularMatrixException(message, -1, condition, limit, null) { Target = target };
        }

        throw new IllConditionedException(message, condition, limit) { Target = target };
    }

    [DoesNotReturn]
    public static void QRNeedsData(string paramName)
        => throw new ArgumentException(
            "RidgeOptions.Factorization is QR, which factors the data itself, but this fit has only statistics: fit from the data in memory, or use Auto or Cholesky.",
            paramName);

    [DoesNotReturn]
    public static void NoFit()
        => throw new InvalidOperationException("The solver holds no fit yet: call Fit first.");
}
