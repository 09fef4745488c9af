using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using csFastFloat;

namespace RidgeCore.Cli;

/// <summary>
/// A forward-only reader of comma-separated numeric files: one header line of column names, then one row of numbers
/// per line. It reads the file through one reusable buffer (memory does not grow with the file) and hands out lines as
/// spans; <see cref="RowParser"/> turns a line into numbers.
/// </summary>
/// <remarks>
/// Lines end with LF or CRLF; blank lines are skipped; a UTF-8 byte-order mark is ignored. Header names may be quoted
/// ("a, b" is one name). Numbers are parsed with csFastFloat (correctly rounded, several times faster than
/// <see cref="double.Parse(string)"/>); a field it does not accept outright (spaces around it, quotes) goes through a slower
/// path that trims and unquotes before deciding it is not a number.
/// </remarks>
internal sealed class CsvReader : IDisposable
{
    private const int InitialBuffer = 1 << 20;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private bool _eof;

    private CsvReader(string path, Stream stream)
    {
        Path = path;
        _stream = stream;
        Length = stream.CanSeek ? stream.Length : -1;
        if (!TryReadLine(out ReadOnlySpan<byte> header))
        {
            throw new DataException(path, 1, 0, "the file is empty: it needs a header line of column names and at least one data row.");
        }

        if (header.StartsWith("\uFEFF"u8))
        {
            header = header[3..];
        }

        Header = SplitHeader(header, path);
    }

    /// <summary>The file name used in messages.</summary>
    public string Path { get; }

    /// <summary>The column names of the header line.</summary>
    public string[] Header { get; }

    /// <summary>The 1-based number of the line last returned by <see cref="TryReadLine"/> (the header is line 1).</summary>
    public long Line { get; private set; }

    /// <summary>The file's length in bytes, or −1 when unknown.</summary>
    public long Length { get; }

    /// <summary>How many bytes have been consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="DataException">The file is missing, unreadable or empty, or its header repeats a name.</exception>
    public static CsvReader Open(string path)
    {
        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DataException(path, 0, 0, $"cannot read the file: {e.Message}");
        }

        try
        {
            return new CsvReader(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads from <paramref name="stream"/> (an embedded data set, say), named <paramref name="name"/> in messages.</summary>
    public static CsvReader FromStream(string name, Stream stream) => new(name, stream);

    /// <summary>Returns the next non-blank line without its line ending, or false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                Fill();
                continue;
            }

            if (newline < 0 && _start == _end)
            {
                line = default;
                return false;
            }

            int length = newline < 0 ? _end - _start : newline;
            int consumed = newline < 0 ? length : length + 1;
            ReadOnlySpan<byte> text = _buffer.AsSpan(_start, length);
            _start += consumed;
            Position += consumed;
            Line++;
            if (!text.IsEmpty && text[^1] == (byte)'\r')
            {
                text = text[..^1];
            }

            if (text.IsEmpty)
            {
                continue;
            }

            line = text;
            return true;
        }
    }

    public void Dispose() => _stream.Dispose();

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);   // a line longer than the buffer
        }

        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (IOException e)
        {
            throw new DataException(Path, Line + 1, 0, $"cannot read the file: {e.Message}");
        }

        _end += read;
        _eof = read == 0;
    }

    private static string[] SplitHeader(ReadOnlySpan<byte> header, string path)
    {
        var names = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int i = 0;
        while (true)
        {
            var name = new StringBuilder();
            while (i < header.Length && header[i] == (byte)' ')
            {
                i++;
            }

            if (i < header.Length && header[i] == (byte)'"')
            {
                int close = i + 1;
                var raw = new List<byte>();
                while (true)
                {
                    if (close >= header.Length)
                    {
                        throw new DataException(path, 1, names.Count + 1, "unterminated quoted column name in the header.");
                    }

                    if (header[close] == (byte)'"')
                    {
                        if (close + 1 < header.Length && header[close + 1] == (byte)'"')
                        {
                            raw.Add((byte)'"');
                            close += 2;
                            continue;
                        }

                        break;
                    }

                    raw.Add(header[close++]);
                }

                name.Append(Encoding.UTF8.GetString(raw.ToArray()));
                i = close + 1;
                while (i < header.Length && header[i] == (byte)' ')
                {
                    i++;
                }
            }
            else
            {
                int comma = header[i..].IndexOf((byte)',');
                int stop = comma < 0 ? header.Length : i + comma;
                name.Append(Encoding.UTF8.GetString(header[i..stop]).Trim());
                i = stop;
            }

            string text = name.ToString();
            int column = names.Count + 1;
            if (text.Length == 0)
            {
                throw new DataException(path, 1, column, "empty column name in the header.");
            }

            if (seen.TryGetValue(text, out int first))
            {
                throw new DataException(path, 1, column, $"duplicate column '{text}' (also column {first}).");
            }

            seen.Add(text, column);
            names.Add(text);
            if (i >= header.Length)
            {
                return [.. names];
            }

            if (header[i] != (byte)',')
            {
                throw new DataException(path, 1, column, $"unexpected text after column name '{text}'.");
            }

            i++;
        }
    }
}

/// <summary>What a CSV column becomes.</summary>
internal enum ColumnRole : byte
{
    /// <summary>Not used (still counted, so that ragged rows are caught).</summary>
    Skip,

    /// <summary>A feature: x[row, Index].</summary>
    Feature,

    /// <summary>A target: y[row, Index].</summary>
    Target,

    /// <summary>The observation weight (non-negative).</summary>
    Weight,
}

/// <summary>Parses data lines into rows of features, targets and a weight, checking every value.</summary>
internal sealed class RowParser
{
    private readonly ColumnRole[] _roles;
    private readonly int[] _index;
    private readonly string[] _names;
    private readonly string _path;
    private readonly int _lastUsed;

    /// <param name="path">The file name for messages.</param>
    /// <param name="header">The column names.</param>
    /// <param name="roles">One role per column.</param>
    /// <param name="index">The feature or target index of each column (ignored for others).</param>
    /// <param name="binaryTargets">Whether targets must be 0 or 1 (logistic loss).</param>
    public RowParser(string path, string[] header, ColumnRole[] roles, int[] index, bool binaryTargets)
    {
        _path = path;
        _names = header;
        _roles = roles;
        _index = index;
        BinaryTargets = binaryTargets;
        _lastUsed = Array.FindLastIndex(roles, r => r != ColumnRole.Skip);
    }

    public bool BinaryTargets { get; }

    /// <summary>Parses one line into x (p values), y (t values) and the weight (1 when there is no weight column).</summary>
    /// <exception cref="DataException">An unparsable or non-finite number, a ragged row, a negative weight, or a
    /// label outside {0, 1}.</exception>
    public void Parse(ReadOnlySpan<byte> line, long lineNumber, Span<double> x, Span<double> y, out double weight)
    {
        weight = 1.0;
        ColumnRole[] roles = _roles;
        int columns = roles.Length;
        int pos = 0;
        for (int c = 0; c < columns; c++)
        {
            if (c > 0)
            {
                if (pos >= line.Length)
                {
                    throw Ragged(line, lineNumber, c + 1);
                }

                pos++;   // the comma
            }

            ColumnRole role = roles[c];
            if (role == ColumnRole.Skip || c > _lastUsed)
            {
                int comma = line[pos..].IndexOf((byte)',');
                pos = comma < 0 ? line.Length : pos + comma;
                continue;
            }

            ReadOnlySpan<byte> rest = line[pos..];
            if (!FastDoubleParser.TryParseDouble(rest, out int used, out double value) || used == 0
                || (used < rest.Length && rest[used] != (byte)','))
            {
                int comma = rest.IndexOf((byte)',');
                used = comma < 0 ? rest.Length : comma;
                value = ParseSlow(rest[..used], lineNumber, c);
            }

            pos += used;
            if (!double.IsFinite(value))
            {
                throw new DataException(_path, lineNumber, c + 1, $"{Describe(c)} is {Encoding.UTF8.GetString(Field(rest))}: NaN and infinities are not data.");
            }

            switch (role)
            {
                case ColumnRole.Feature:
                    x[_index[c]] = value;
                    break;
                case ColumnRole.Target:
                    if (BinaryTargets && value != 0 && value != 1)
                    {
                        throw new DataException(_path, lineNumber, c + 1, $"{Describe(c)} is {value.ToString("R", CultureInfo.InvariantCulture)}, but logistic labels must be 0 or 1.");
                    }

                    y[_index[c]] = value;
                    break;
                default:
                    if (value < 0)
                    {
                        throw new DataException(_path, lineNumber, c + 1, $"{Describe(c)} is {value.ToString("R", CultureInfo.InvariantCulture)}: weights must be non-negative.");
                    }

                    weight = value;
                    break;
            }
        }

        if (pos != line.Length)
        {
            throw Ragged(line, lineNumber, columns + 1);
        }
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> rest)
    {
        int comma = rest.IndexOf((byte)',');
        return comma < 0 ? rest : rest[..comma];
    }

    private string Describe(int c) => FormattableString.Invariant($"the value of column '{_names[c]}'");

    private double ParseSlow(ReadOnlySpan<byte> field, long lineNumber, int c)
    {
        ReadOnlySpan<byte> text = field.Trim((byte)' ').Trim((byte)'\t');
        if (text.Length >= 2 && text[0] == (byte)'"' && text[^1] == (byte)'"')
        {
            text = text[1..^1].Trim((byte)' ');
        }

        if (!text.IsEmpty && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }

        // Spellings of NaN and infinity that other tools write (numpy: nan, inf; R: NaN, Inf): recognized so that the
        // message says what is wrong with them rather than "cannot parse".
        string word = Encoding.UTF8.GetString(text).TrimStart('+', '-').ToLowerInvariant();
        if (word is "nan" or "inf" or "infinity")
        {
            return word == "nan" ? double.NaN : double.PositiveInfinity;
        }

        string shown = Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);
        throw new DataException(
            _path, lineNumber, c + 1, text.IsEmpty ? $"empty field in column '{_names[c]}' (missing values are not supported)." : $"cannot parse '{shown}' in column '{_names[c]}' as a number.");
    }

    private DataException Ragged(ReadOnlySpan<byte> line, long lineNumber, int column)
    {
        int fields = line.Count((byte)',') + 1;
        return new DataException(
            _path, lineNumber, column, FormattableString.Invariant($"ragged row: {fields} fields, but the header has {_roles.Length} columns."));
    }
}
