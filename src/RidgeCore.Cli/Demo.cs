using System.IO;

namespace RidgeCore.Cli;

/// <summary><c>ridge demo</c>.</summary>
internal static class Demo
{
    public static int Run(string plotPath, TextWriter stdout)
    {
        return 0;
    }
}
