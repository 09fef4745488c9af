using System.IO;

namespace RidgeCore.Cli;

/// <summary><c>ridge bench</c>.</summary>
internal static class Bench
{
    public static int Run(bool json, double seconds, TextWriter stdout, TextWriter stderr)
    {
        stdout.WriteLine("bench: todo");
        return 0;
    }
}
