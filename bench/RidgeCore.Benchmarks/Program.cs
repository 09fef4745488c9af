using BenchmarkDotNet.Running;

namespace RidgeCore.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        System.Console.WriteLine(KernelSelection.Report);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
