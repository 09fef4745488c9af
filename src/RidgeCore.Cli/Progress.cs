using System;
using System.Diagnostics;
using System.IO;

namespace RidgeCore.Cli;

/// <summary>
/// A progress line on stderr for work that takes more than about a second: nothing for the first second, then a bar
/// redrawn at most every 100 ms. Silent when stderr is not a terminal (redirected to a file or a pipe) or TERM=dumb,
/// so logs and tests never see it.
/// </summary>
internal sealed class Progress : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _error;
    private readonly string _label;
    private readonly TimeSpan _delay;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastDraw;
    private bool _drawn;
    private bool _disposed;
    private System.Threading.Timer? _ticker;

    /// <summary>A progress line on <paramref name="error"/> that appears after <paramref name="delay"/> (tests use
    /// zero; <see cref="Start"/> uses one second).</summary>
    internal Progress(TextWriter error, string label, TimeSpan delay)
    {
        _error = error;
        _label = label;
        _delay = delay;
    }

    /// <summary>A progress line when stderr is an interactive terminal, else null.</summary>
    public static Progress? Start(string label)
    {
        bool terminal = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        return terminal ? new Progress(Console.Error, label, TimeSpan.FromSeconds(1)) : null;
    }

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/> (total ≤ 0: unknown).</summary>
    public void Report(long done, long total)
    {
        TimeSpan now = _clock.Elapsed;
        if (now < _delay || (_drawn && now - _lastDraw < Interval))
        {
            return;
        }

        _lastDraw = now;
        _drawn = true;
        if (total > 0)
        {
            double f = Math.Clamp((double)done / total, 0, 1);
            int k = (int)(f * 30);
            _error.Write(FormattableString.Invariant($"\r{_label} [{new string('#', k)}{new string('-', 30 - k)}] {f * 100,3:F0} % {now.TotalSeconds:F0} s "));
        }
        else
        {
            _error.Write(FormattableString.Invariant($"\r{_label} {done} {now.TotalSeconds:F0} s "));
        }
    }

    /// <summary>For work that reports nothing while it runs (one library call): a line with the elapsed seconds,
    /// redrawn by a timer until <see cref="Dispose"/>.</summary>
    public void Tick()
    {
        _ticker ??= new System.Threading.Timer(_ => Draw(), null, TimeSpan.Zero, Interval);
    }

    private void Draw()
    {
        lock (_error)
        {
            if (_disposed || _clock.Elapsed < _delay)
            {
                return;
            }

            _drawn = true;
            _error.Write(FormattableString.Invariant($"\r{_label} … {_clock.Elapsed.TotalSeconds:F0} s "));
        }
    }

    public void Dispose()
    {
        _ticker?.Dispose();
        lock (_error)
        {
            _disposed = true;
        }

        if (_drawn)
        {
            _error.Write("\r" + new string(' ', _label.Length + 50) + "\r");
        }
    }
}
