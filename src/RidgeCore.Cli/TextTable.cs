using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RidgeCore.Cli;

/// <summary>A plain-text table: a header row, then rows; the first column left-aligned, the others right-aligned.</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter output, string indent = "  ")
    {
        var all = new List<string[]> { header };
        all.AddRange(_rows);
        int columns = all.Max(r => r.Length);
        var width = new int[columns];
        foreach (string[] row in all)
        {
            for (int c = 0; c < row.Length; c++)
            {
                width[c] = Math.Max(width[c], row[c].Length);
            }
        }

        foreach (string[] row in all)
        {
            output.Write(indent);
            for (int c = 0; c < row.Length; c++)
            {
                output.Write(c == 0 ? row[c].PadRight(width[c]) : "  " + row[c].PadLeft(width[c]));
            }

            output.WriteLine();
        }
    }

    /// <summary>A number for a table: 10 significant digits, invariant culture.</summary>
    public static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>A λ or a score: 4 significant digits.</summary>
    public static string Short(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
