using System;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// Declares how much memory traffic and arithmetic one call of a benchmark does per element, so the throughput
/// columns (<see cref="ThroughputColumn"/>) can turn its median time into GB/s, GFLOP/s and a fraction of the
/// <see cref="MachineLimits"/>. The element count is the value of the benchmark parameter named
/// <see cref="SizeParameter"/>. Put it on a method, or on a class to cover every method that has none of its own.
/// </summary>
/// <param name="sizeParameter">The name of the <c>[Params]</c> property that holds the element count, usually <c>N</c>;
/// or the name of a public static method of the benchmark class returning the count as a double from [Params] values
/// passed by parameter name (for kernels whose work is not linear in one parameter, such as the Gram's n·p·(p+1)).</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class WorkPerElementAttribute(string sizeParameter) : Attribute
{
    /// <summary>The name of the parameter that holds the element count.</summary>
    public string SizeParameter { get; } = sizeParameter;

    /// <summary>Bytes read per element (a double dot product reads 16: one element of each input).</summary>
    public double BytesRead { get; set; }

    /// <summary>Bytes written per element (axpy writes 8: the updated element of y).</summary>
    public double BytesWritten { get; set; }

    /// <summary>Floating-point operations per element, an FMA counting 2; 0 when the kernel is bandwidth-bound and
    /// flop rates would only distract.</summary>
    public double Flops { get; set; }

    /// <summary>Whether the flops are single precision (compared with the float peak rather than the double one).</summary>
    public bool SinglePrecision { get; set; }
}
