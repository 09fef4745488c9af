using System;

namespace RidgeCore.Cli;

/// <summary>The process exit codes of <c>ridge</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A bad <c>RIDGECORE_KERNEL</c> value or an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong (unknown option, conflicting options, a missing argument).</summary>
    public const int Usage = 2;

    /// <summary>The data is wrong: the message names the file, line and column.</summary>
    public const int BadData = 3;

    /// <summary>The problem cannot be solved accurately (singular or too ill-conditioned even for QR).</summary>
    public const int Numerical = 4;
}

/// <summary>A command-line mistake: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
}

/// <summary>Bad input data: exit code 3. The message starts with <c>file:line:column:</c> (line and column are
/// 1-based; the header is line 1; 0 means "the whole file" or "the whole line").</summary>
internal sealed class DataException : Exception
{
    public DataException(string file, long line, int column, string message)
        : base(Format(file, line, column, message))
    {
        File = file;
        Line = line;
        Column = column;
    }

    public string File { get; }

    public long Line { get; }

    public int Column { get; }

    private static string Format(string file, long line, int column, string message)
    {
        string where = line <= 0 ? file : column <= 0 ? FormattableString.Invariant($"{file}:{line}") : FormattableString.Invariant($"{file}:{line}:{column}");
        return $"{where}: {message}";
    }
}

/// <summary>A numerical failure the library reported (singular or ill-conditioned): exit code 4.</summary>
internal sealed class NumericalException(string message, Exception inner) : Exception(message, inner)
{
}
