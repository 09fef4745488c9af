using System;
using System.IO;

namespace RidgeCore.Cli;

/// <summary>
/// Output files that appear complete or not at all: the content goes to a temporary file beside the destination
/// (same directory, so the rename cannot cross file systems), which replaces the destination only by a rename once it
/// has been written and flushed to disk. On failure the temporary file is deleted and the destination is untouched.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _temporary;
    private bool _committed;

    private AtomicFile(string destination, string temporary, FileStream stream)
    {
        Destination = destination;
        _temporary = temporary;
        Stream = stream;
    }

    public string Destination { get; }

    /// <summary>Where to write the content.</summary>
    public FileStream Stream { get; }

    /// <summary>Creates the temporary file beside <paramref name="destination"/>.</summary>
    /// <exception cref="UsageException">The directory does not exist or cannot be written.</exception>
    public static AtomicFile Create(string destination)
    {
        string full = Path.GetFullPath(destination);
        if (Directory.Exists(full))
        {
            throw new UsageException($"'{destination}' is a directory, not a file name.");
        }

        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            return new AtomicFile(full, temporary, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{destination}': {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="destination"/> atomically.</summary>
    public static void WriteAll(string destination, ReadOnlySpan<byte> content)
    {
        using AtomicFile file = Create(destination);
        file.Stream.Write(content);
        file.Commit();
    }

    /// <summary>Flushes the content to disk and renames it over the destination.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(_temporary, Destination, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            Stream.Dispose();
            try
            {
                File.Delete(_temporary);
            }
            catch (IOException)
            {
                // Best effort: the destination itself was never touched.
            }
        }
    }
}
