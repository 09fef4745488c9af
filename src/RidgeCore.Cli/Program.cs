using System;
using System.Globalization;
using System.IO;
using System.Reflection;

namespace RidgeCore.Cli;

/// <summary>
/// <c>ridge</c>, the command-line front end of RidgeCore.
/// </summary>
/// <remarks>
/// This is the first, deliberately small version: it reports which SIMD kernel family the library runs on this
/// machine and exercises the vector primitives on generated data. Fitting ridge models from CSV files, λ selection and
/// the rest of the CLI arrive with a later issue, together with a proper command-line parser; two verbs do not need one.
/// </remarks>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            string command = args.Length == 0 ? "demo" : args[0];
            Action<TextWriter>? action = command switch
            {
                "demo" => Demo.Run,
                "--version" or "version" => PrintVersion,
                "--help" or "-h" or "help" => PrintUsage,
                _ => null,
            };

            if (action is null)
            {
                return Fail($"unknown command '{command}'.");
            }

            if (args.Length > 1)
            {
                return Fail($"'{command}' takes no arguments, got '{string.Join(' ', args[1..])}'.");
            }

            action(Console.Out);
            return 0;
        }
        catch (InvalidOperationException e) when (e.Message.Contains(KernelSelection.OverrideVariable, StringComparison.Ordinal))
        {
            // A bad RIDGECORE_KERNEL value: the library refuses to guess, so say why and stop.
            Console.Error.WriteLine($"ridge: {e.Message}");
            return 1;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"ridge: {message}");
        PrintUsage(Console.Error);
        return 2;
    }

    private static void PrintUsage(TextWriter output)
    {
        output.WriteLine("usage: ridge [demo | --version | --help]");
        output.WriteLine();
        output.WriteLine("  demo        (default) print the kernel report, then means, spreads and correlations of a small");
        output.WriteLine("              synthetic design, computed with RidgeCore's vector primitives");
        output.WriteLine("  --version   print the version and the kernel report");
        output.WriteLine("  --help      print this text");
        output.WriteLine();
        output.WriteLine($"Set {KernelSelection.OverrideVariable}=scalar|v128|v256|v512 to force a narrower kernel family.");
    }

    private static void PrintVersion(TextWriter output)
    {
        // Read the report first: a bad RIDGECORE_KERNEL then fails before anything is printed.
        KernelSelectionReport report = KernelSelection.Report;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ridge {VersionOf(typeof(Program).Assembly)} (RidgeCore {VersionOf(typeof(VectorPrimitives).Assembly)}, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})"));
        output.WriteLine(report);
    }

    private static string VersionOf(Assembly assembly)
        => assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
           ?? assembly.GetName().Version?.ToString()
           ?? "unknown";
}
