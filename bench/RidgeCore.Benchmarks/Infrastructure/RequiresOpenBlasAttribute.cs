using System;

namespace RidgeCore.Benchmarks.Infrastructure;

/// <summary>
/// Marks a benchmark method (or a whole class) that calls OpenBLAS. When the library is missing, <see cref="BenchmarkConfig"/>
/// filters these out and <c>Program</c> says so, instead of letting them crash in the child process.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresOpenBlasAttribute : Attribute;
