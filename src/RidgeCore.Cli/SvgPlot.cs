using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;

namespace RidgeCore.Cli;

/// <summary>
/// A self-contained SVG (no scripts, no external fonts or styles): the ridge trace (standardized coefficients against λ
/// on a log axis, the chosen λ marked) and, when λ was searched, the cross-validation curve with a ±1 standard error
/// band and λ_min / λ_1se marked.
/// </summary>
internal static class SvgPlot
{
    private const double Width = 960;
    private const double Left = 90;
    private const double Right = 210;   // room for the legend
    private const double PanelHeight = 400;
    private const double CurveHeight = 300;
    private const double Top = 56;
    private const double Gap = 80;

    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    private static readonly string[] Dashes = ["", "6 3", "2 3", "8 3 2 3"];

    public static byte[] Render(RidgeTracePoints trace, SearchRecord? search, string title)
    {
        bool curve = search is not null && search.Lambdas.Count(l => l > 0) >= 2;
        double height = Top + PanelHeight + (curve ? Gap + CurveHeight : 0) + 64;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"13\">\n"));
        svg.Append("<title>").Append(Escape(title)).Append(" — ridge trace</title>\n");
        svg.Append(Invariant($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">{Escape(title)}</text>\n"));

        double[] all = [.. trace.Lambdas, .. search?.Lambdas.Where(l => l > 0) ?? []];
        double xMin = Math.Log10(all.Min()), xMax = Math.Log10(all.Max());
        if (xMax - xMin < 1e-9)
        {
            xMin -= 0.5;
            xMax += 0.5;
        }

        TracePanel(svg, trace, search, xMin, xMax, Top);
        if (curve)
        {
            CurvePanel(svg, search!, xMin, xMax, Top + PanelHeight + Gap);
        }

        svg.Append("</svg>\n");
        return Encoding.UTF8.GetBytes(svg.ToString());
    }

    private static void TracePanel(StringBuilder svg, RidgeTracePoints trace, SearchRecord? search, double xMin, double xMax, double top)
    {
        double[] finite = [.. trace.Values.SelectMany(v => v).Where(double.IsFinite)];
        double yMin = finite.Length == 0 ? -1 : Math.Min(0, finite.Min());
        double yMax = finite.Length == 0 ? 1 : Math.Max(0, finite.Max());
        var frame = new Frame(Left, top, Width - Left - Right, PanelHeight, xMin, xMax, yMin, yMax);
        frame.Axes(svg, $"Ridge trace of '{trace.Target}'", trace.Standardized ? "standardized coefficient θⱼ·sd(xⱼ)" : "coefficient");
        frame.HorizontalLine(svg, 0, "#999999", "");

        for (int j = 0; j < trace.Features.Length; j++)
        {
            string color = Palette[j % Palette.Length];
            string dash = Dashes[(j / Palette.Length) % Dashes.Length];
            frame.Series(svg, trace.Lambdas, trace.Values[j], color, dash, 2);
        }

        if (trace.Chosen > 0 && double.IsFinite(trace.Chosen))
        {
            frame.VerticalMarker(svg, trace.Chosen, "#000000", "5 4", Invariant($"chosen λ = {trace.Chosen:G4}"), 0);
        }

        if (search is not null && search.Lambda1se[0] != trace.Chosen)
        {
            frame.VerticalMarker(svg, search.Lambda1se[0], "#2ca02c", "2 3", Invariant($"λ_1se = {search.Lambda1se[0]:G4}"), 16);
        }

        Legend(svg, trace.Features, top);
    }

    private static void CurvePanel(StringBuilder svg, SearchRecord search, double xMin, double xMax, double top)
    {
        int[] order = [.. Enumerable.Range(0, search.Lambdas.Length).Where(i => search.Lambdas[i] > 0).OrderBy(i => search.Lambdas[i])];
        double[] lambdas = [.. order.Select(i => search.Lambdas[i])];
        double[] mean = [.. order.Select(i => search.Scores[0][i])];
        double[] se = [.. order.Select(i => double.IsFinite(search.StdErrors[0][i]) ? search.StdErrors[0][i] : 0)];
        double[] low = [.. mean.Zip(se, (m, s) => m - s)];
        double[] high = [.. mean.Zip(se, (m, s) => m + s)];
        double[] finite = [.. low.Concat(high).Where(double.IsFinite)];
        double yMin = finite.Length == 0 ? 0 : finite.Min(), yMax = finite.Length == 0 ? 1 : finite.Max();
        var frame = new Frame(Left, top, Width - Left - Right, CurveHeight, xMin, xMax, yMin, yMax);
        frame.Axes(svg, $"{FitCommand.MethodName(search.Method)} ({search.Score}, ± 1 standard error)", search.Score);
        frame.Band(svg, lambdas, low, high, "#1f77b4", 0.18);
        frame.Series(svg, lambdas, mean, "#1f77b4", "", 2);
        frame.Dots(svg, lambdas, mean, "#1f77b4");
        frame.VerticalMarker(svg, search.BestLambda[0], "#d62728", "5 4", Invariant($"λ_min = {search.BestLambda[0]:G4}"), 0);
        if (search.Lambda1se[0] != search.BestLambda[0])
        {
            frame.VerticalMarker(svg, search.Lambda1se[0], "#2ca02c", "2 3", Invariant($"λ_1se = {search.Lambda1se[0]:G4}"), 16);
        }
    }

    private static void Legend(StringBuilder svg, string[] names, double top)
    {
        double x = Width - Right + 22, y = top + 8;
        int shown = Math.Min(names.Length, 22);
        for (int j = 0; j < shown; j++)
        {
            string color = Palette[j % Palette.Length];
            string dash = Dashes[(j / Palette.Length) % Dashes.Length];
            double yy = y + (j * 17);
            svg.Append(Invariant($"<line x1=\"{x}\" y1=\"{yy}\" x2=\"{x + 22}\" y2=\"{yy}\" stroke=\"{color}\" stroke-width=\"3\"{DashAttribute(dash)}/>"));
            string name = names[j].Length > 22 ? names[j][..21] + "…" : names[j];
            svg.Append(Invariant($"<text x=\"{x + 28}\" y=\"{yy + 4}\">{Escape(name)}</text>\n"));
        }

        if (names.Length > shown)
        {
            svg.Append(Invariant($"<text x=\"{x}\" y=\"{y + (shown * 17) + 4}\" fill=\"#555555\">… and {names.Length - shown} more</text>\n"));
        }
    }

    private static string DashAttribute(string dash) => dash.Length == 0 ? "" : $" stroke-dasharray=\"{dash}\"";

    public static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One plot area: data coordinates (log₁₀ λ, value) to pixels, axes, ticks, grid lines.</summary>
    private sealed class Frame
    {
        private readonly double _x0, _y0, _w, _h, _xMin, _xMax, _yMin, _yMax;

        public Frame(double x0, double y0, double w, double h, double xMin, double xMax, double yMin, double yMax)
        {
            if (!(yMax > yMin))
            {
                double pad = Math.Max(Math.Abs(yMin) * 0.1, 1e-12);
                yMin -= pad;
                yMax += pad;
            }

            double margin = (yMax - yMin) * 0.05;
            (_x0, _y0, _w, _h, _xMin, _xMax, _yMin, _yMax) = (x0, y0, w, h, xMin, xMax, yMin - margin, yMax + margin);
        }

        private double Px(double log10Lambda) => _x0 + ((log10Lambda - _xMin) / (_xMax - _xMin) * _w);

        private double Py(double value) => _y0 + _h - ((value - _yMin) / (_yMax - _yMin) * _h);

        public void Axes(StringBuilder svg, string title, string yLabel)
        {
            svg.Append(Invariant($"<g class=\"panel\">\n<text x=\"{_x0}\" y=\"{_y0 - 10}\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n"));
            svg.Append(Invariant($"<rect x=\"{_x0}\" y=\"{_y0}\" width=\"{_w}\" height=\"{_h}\" fill=\"#fcfcfc\" stroke=\"#333333\"/>\n"));

            // x: decades (and 2, 5 between them when the range is short), labelled 10^k.
            bool fine = _xMax - _xMin < 2.5;
            for (int k = (int)Math.Floor(_xMin); k <= (int)Math.Ceiling(_xMax); k++)
            {
                foreach (double m in fine ? new[] { 1.0, 2.0, 5.0 } : [1.0])
                {
                    double v = k + Math.Log10(m);
                    if (v < _xMin - 1e-9 || v > _xMax + 1e-9)
                    {
                        continue;
                    }

                    double px = Px(v);
                    svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{_y0}\" x2=\"{px:F1}\" y2=\"{_y0 + _h}\" stroke=\"#e4e4e4\"/>"));
                    svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{_y0 + _h}\" x2=\"{px:F1}\" y2=\"{_y0 + _h + 6}\" stroke=\"#333333\"/>"));
                    string label = m == 1 ? Invariant($"10<tspan dy=\"-7\" font-size=\"10\">{k}</tspan>") : Invariant($"{m}·10<tspan dy=\"-7\" font-size=\"10\">{k}</tspan>");
                    svg.Append(Invariant($"<text x=\"{px:F1}\" y=\"{_y0 + _h + 22}\" text-anchor=\"middle\">{label}</text>\n"));
                }
            }

            foreach (double v in NiceTicks(_yMin, _yMax, 6))
            {
                double py = Py(v);
                svg.Append(Invariant($"<line x1=\"{_x0}\" y1=\"{py:F1}\" x2=\"{_x0 + _w}\" y2=\"{py:F1}\" stroke=\"#e4e4e4\"/>"));
                svg.Append(Invariant($"<line x1=\"{_x0 - 6}\" y1=\"{py:F1}\" x2=\"{_x0}\" y2=\"{py:F1}\" stroke=\"#333333\"/>"));
                svg.Append(Invariant($"<text x=\"{_x0 - 9}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{v:G4}</text>\n"));
            }

            svg.Append(Invariant($"<text x=\"{_x0 + (_w / 2)}\" y=\"{_y0 + _h + 44}\" text-anchor=\"middle\">λ (log scale)</text>\n"));
            svg.Append(Invariant($"<text transform=\"translate({_x0 - 62},{_y0 + (_h / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n</g>\n"));
        }

        public void HorizontalLine(StringBuilder svg, double value, string color, string dash)
        {
            if (value >= _yMin && value <= _yMax)
            {
                svg.Append(Invariant($"<line x1=\"{_x0}\" y1=\"{Py(value):F1}\" x2=\"{_x0 + _w}\" y2=\"{Py(value):F1}\" stroke=\"{color}\"{DashAttribute(dash)}/>\n"));
            }
        }

        public void Series(StringBuilder svg, double[] lambdas, double[] values, string color, string dash, double width)
        {
            var d = new StringBuilder();
            bool pen = false;
            for (int i = 0; i < lambdas.Length; i++)
            {
                if (!double.IsFinite(values[i]) || !(lambdas[i] > 0))
                {
                    pen = false;
                    continue;
                }

                d.Append(Invariant($"{(pen ? "L" : "M")}{Px(Math.Log10(lambdas[i])):F1},{Py(values[i]):F1} "));
                pen = true;
            }

            if (d.Length > 0)
            {
                svg.Append(Invariant($"<path d=\"{d.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"{DashAttribute(dash)} stroke-linejoin=\"round\"/>\n"));
            }
        }

        public void Dots(StringBuilder svg, double[] lambdas, double[] values, string color)
        {
            for (int i = 0; i < lambdas.Length; i++)
            {
                if (double.IsFinite(values[i]))
                {
                    svg.Append(Invariant($"<circle cx=\"{Px(Math.Log10(lambdas[i])):F1}\" cy=\"{Py(values[i]):F1}\" r=\"2.5\" fill=\"{color}\"/>"));
                }
            }

            svg.Append('\n');
        }

        public void Band(StringBuilder svg, double[] lambdas, double[] low, double[] high, string color, double opacity)
        {
            var points = new List<string>();
            for (int i = 0; i < lambdas.Length; i++)
            {
                if (double.IsFinite(high[i]))
                {
                    points.Add(Invariant($"{Px(Math.Log10(lambdas[i])):F1},{Py(high[i]):F1}"));
                }
            }

            for (int i = lambdas.Length - 1; i >= 0; i--)
            {
                if (double.IsFinite(low[i]))
                {
                    points.Add(Invariant($"{Px(Math.Log10(lambdas[i])):F1},{Py(low[i]):F1}"));
                }
            }

            if (points.Count >= 3)
            {
                svg.Append(Invariant($"<polygon points=\"{string.Join(' ', points)}\" fill=\"{color}\" fill-opacity=\"{opacity}\" stroke=\"none\"/>\n"));
            }
        }

        public void VerticalMarker(StringBuilder svg, double lambda, string color, string dash, string label, double labelOffset)
        {
            if (!(lambda > 0))
            {
                return;
            }

            double v = Math.Log10(lambda);
            if (v < _xMin - 1e-9 || v > _xMax + 1e-9)
            {
                return;
            }

            double px = Px(v);
            svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{_y0}\" x2=\"{px:F1}\" y2=\"{_y0 + _h}\" stroke=\"{color}\" stroke-width=\"1.5\"{DashAttribute(dash)}/>"));
            bool leftSide = px > _x0 + (_w * 0.7);
            svg.Append(Invariant($"<text x=\"{(leftSide ? px - 5 : px + 5):F1}\" y=\"{_y0 + 16 + labelOffset:F1}\" text-anchor=\"{(leftSide ? "end" : "start")}\" fill=\"{color}\" font-weight=\"bold\">{Escape(label)}</text>\n"));
        }

        /// <summary>About <paramref name="count"/> round tick values (1, 2 or 5 times a power of ten apart) in [min, max].</summary>
        private static IEnumerable<double> NiceTicks(double min, double max, int count)
        {
            double raw = (max - min) / count;
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double step = (raw / magnitude) switch { < 1.5 => 1, < 3 => 2, < 7 => 5, _ => 10 } * magnitude;
            for (double v = Math.Ceiling(min / step) * step; v <= max + (step * 1e-9); v += step)
            {
                yield return Math.Abs(v) < step * 1e-9 ? 0 : v;
            }
        }
    }
}
