using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;

namespace RidgeCore.Cli;

/// <summary>
/// <c>ridge</c>, the command-line front end of RidgeCore: <c>fit</c>, <c>predict</c>, <c>demo</c>, <c>bench</c> and
/// <c>--version</c>. Exit codes: 0 success, 2 usage error, 3 bad data (file:line:column in the message), 4 numerical
/// failure, 1 anything else (such as a bad RIDGECORE_KERNEL).
/// </summary>
internal static class Program
{
    private static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one command line with the given output streams (the tests call this in-process).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            RootCommand root = CommandLine.Build(stdout, stderr);
            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
                {
                    stderr.WriteLine($"ridge: {error.Message}");
                }

                stderr.WriteLine("Try 'ridge --help' or 'ridge <command> --help'.");
                return ExitCodes.Usage;
            }

            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"ridge: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (DataException e)
        {
            stderr.WriteLine($"ridge: {e.Message}");
            return ExitCodes.BadData;
        }
        catch (NumericalException e)
        {
            stderr.WriteLine($"ridge: {e.Message}");
            return ExitCodes.Numerical;
        }
        catch (InvalidOperationException e) when (e.Message.Contains(KernelSelection.OverrideVariable, StringComparison.Ordinal))
        {
            // A bad RIDGECORE_KERNEL value: the library refuses to guess, so say why and stop.
            stderr.WriteLine($"ridge: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (TypeInitializationException e) when (e.InnerException is InvalidOperationException inner
                                                     && inner.Message.Contains(KernelSelection.OverrideVariable, StringComparison.Ordinal))
        {
            stderr.WriteLine($"ridge: {inner.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary><c>ridge --version</c>: the version line, then the kernel report.</summary>
    public static void PrintVersion(TextWriter output)
    {
        // Read the report first: a bad RIDGECORE_KERNEL then fails before anything is printed.
        KernelSelectionReport report = KernelSelection.Report;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ridge {VersionOf(typeof(Program).Assembly)} (RidgeCore {VersionOf(typeof(VectorPrimitives).Assembly)}, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})"));
        output.WriteLine(report);
    }

    public static string VersionOf(Assembly assembly)
    {
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                         ?? assembly.GetName().Version?.ToString()
                         ?? "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);   // drop the commit hash SourceLink appends
        return plus > 0 && version.Length - plus > 12 ? version[..(plus + 8)] : version;
    }

    /// <summary>Splits "a,b,c" (trimming spaces); an empty item is a usage error.</summary>
    public static string[] SplitList(string text, string option)
    {
        string[] items = [.. text.Split(',').Select(s => s.Trim())];
        if (items.Any(s => s.Length == 0))
        {
            throw new UsageException($"{option} '{text}' has an empty item.");
        }

        return items;
    }
}
