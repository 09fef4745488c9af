using System;
using System.Numerics;
using System.Runtime.ExceptionServices;
using System.Threading;
using RidgeCore.Kernels.Gram;

namespace RidgeCore;

public sealed partial class GramAccumulator
{
    /// <summary>
    /// One striped Add, reusable: the calling thread and up to <c>workers − 1</c> thread-pool helpers claim stripes in
    /// turn, and the fixed merge tree runs as the stripes finish, each merge on whichever thread completes the second
    /// of its two halves. Nothing is allocated per Add (the helpers are work items made once and queued again).
    /// </summary>
    /// <remarks>
    /// <para>The tree is the one in the class remarks: at step 1, 2, 4, … the partial at i + step joins the one at i
    /// (i a multiple of 2·step); a node whose right half does not exist passes its left half up. Each merge reads two
    /// complete partials and writes one, so its result does not depend on when or where it runs: results stay
    /// bitwise identical for any number of threads. Merging as the stripes finish takes the merges off the end of a
    /// parallel Add, where they ran on one thread while the others waited.</para>
    /// <para>A helper that the thread pool starts late (after every stripe was claimed) finds nothing to do; one that
    /// is still queued when the next Add begins is not queued again (its workspace stays its own), and if it starts
    /// during that Add it works on that Add's stripes like any other helper. The claim counter is parked far past
    /// any stripe count between Adds, so a late helper can never claim a stripe of an Add whose fields are still
    /// being set.</para>
    /// </remarks>
    private sealed unsafe class StripeRun<T> : IDisposable
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int Parked = int.MaxValue / 2;

        private readonly Helper[] _helpers = new Helper[MaxStripes];
        private readonly int[] _arrivals = new int[MaxStripes * MergeLevels];
        private readonly ManualResetEventSlim _finished = new(false);

        private GramAccumulator? _owner;
        private GramWorkspace<T>[] _workspaces = [];
        private T* _x;
        private T* _y;
        private T* _w;
        private int _xLength;
        private int _yLength;
        private int _n;
        private int _p;
        private int _t;
        private int _xStride;
        private int _yStride;
        private int _stripes;
        private int _alignment;
        private bool _centered;
        private int _next = Parked;
        private int _completed;
        private Exception? _error;

        public StripeRun()
        {
            for (int h = 1; h < _helpers.Length; h++)
            {
                _helpers[h] = new Helper(this, h);
            }
        }

        /// <summary>Levels of the merge tree over at most <see cref="MaxStripes"/> stripes.</summary>
        private static int MergeLevels => BitOperations.Log2((uint)MaxStripes - 1) + 1;

        /// <summary>What each stripe found (indexed by stripe; valid for the stripes of the last run).</summary>
        public GramFailure[] Failures { get; } = new GramFailure[MaxStripes];

        /// <summary>Summarizes the stripes of [X | Y] (weights <paramref name="w"/>, or null) into the owner's stripe
        /// partials and merges them into stripe 0. X, Y and w must stay pinned until it returns.</summary>
        public void Run(GramAccumulator owner, MatrixView<T> x, T* px, MatrixView<T> y, T* py, T* w, int stripes, int alignment, bool centered, GramWorkspace<T>[] workspaces, int workers)
        {
            _owner = owner;
            _workspaces = workspaces;
            _x = px;
            _y = py;
            _w = w;
            (_xLength, _n, _p, _xStride) = (x.Data.Length, x.Rows, x.Columns, x.RowStride);
            (_yLength, _t, _yStride) = (y.Data.Length, y.Columns, y.RowStride);
            _stripes = stripes;
            _alignment = alignment;
            _centered = centered;
            Array.Clear(_arrivals);
            _completed = 0;
            _error = null;
            _finished.Reset();
            Volatile.Write(ref _next, -1); // opens the stripes, after every field above
            try
            {
                for (int h = 1; h < workers; h++)
                {
                    Helper helper = _helpers[h];
                    if (Interlocked.CompareExchange(ref helper.State, Helper.Queued, Helper.Idle) == Helper.Idle)
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(helper, preferLocal: false);
                    }
                }

                Work(0);
                if (Volatile.Read(ref _completed) < stripes)
                {
                    _finished.Wait();
                }
            }
            finally
            {
                // No stripe can be claimed from here on. A helper still running has finished its last stripe (or, if
                // something above threw, finishes the one it holds): wait for it, so that nothing reads X after this
                // returns and the next Add finds it idle and queues it again. One the pool has not started stays
                // queued and will find nothing to claim.
                Volatile.Write(ref _next, Parked);
                for (int h = 1; h < _helpers.Length; h++)
                {
                    SpinWait spin = default;
                    while (Volatile.Read(ref _helpers[h].State) == Helper.Running)
                    {
                        spin.SpinOnce();
                    }
                }

                _owner = null;
            }

            if (_error is not null)
            {
                ExceptionDispatchInfo.Throw(_error);
            }
        }

        /// <summary>Retires every helper, waiting only for one that is running (its workspace is about to be freed). A
        /// helper still queued is retired where it stands: when the pool starts it, it returns at once without
        /// touching anything but its own state, so a starved thread pool cannot hold up the accumulator's Dispose.
        /// </summary>
        public void Dispose()
        {
            for (int h = 1; h < _helpers.Length; h++)
            {
                Helper helper = _helpers[h];
                SpinWait spin = default;
                while (true)
                {
                    int state = Volatile.Read(ref helper.State);
                    if (state != Helper.Running && Interlocked.CompareExchange(ref helper.State, Helper.Retired, state) == state)
                    {
                        break;
                    }

                    spin.SpinOnce();
                }
            }

            _finished.Dispose();
        }

        /// <summary>Claims and summarizes stripes until none is left, with workspace <paramref name="worker"/>.</summary>
        private void Work(int worker)
        {
            for (int s = Interlocked.Increment(ref _next); s < _stripes; s = Interlocked.Increment(ref _next))
            {
                try
                {
                    Summarize(s, _workspaces[worker]);
                    MergeUp(s);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }

                if (Interlocked.Increment(ref _completed) == _stripes)
                {
                    _finished.Set();
                }
            }
        }

        private void Summarize(int s, GramWorkspace<T> ws)
        {
            int start = StripeStart(s, _stripes, _n, _alignment), count = StripeStart(s + 1, _stripes, _n, _alignment) - start;
            GramState st = _owner!._stripes[s];
            st.Clear();
            var xv = new MatrixView<T>(new ReadOnlySpan<T>(_x, _xLength), _n, _p, _xStride).SliceRows(start, count);
            var yv = new MatrixView<T>(new ReadOnlySpan<T>(_y, _yLength), _n, _t, _yStride).SliceRows(start, count);
            ReadOnlySpan<T> wv = _w is null ? default : new ReadOnlySpan<T>(_w, _n).Slice(start, count);
            Failures[s] = GramEngine.Accumulate(st, xv, yv, wv, _centered, ws);
        }

        /// <summary>Stripe <paramref name="s"/> is complete: walks up the tree, merging where the other half is
        /// already complete and stopping where it is not (its thread merges when it gets there).</summary>
        private void MergeUp(int s)
        {
            GramState[] partials = _owner!._stripes;
            for (int step = 1, level = 0; step < _stripes; step *= 2, level++)
            {
                int left = s & ~((2 * step) - 1), right = left + step;
                if (right < _stripes)
                {
                    if (Interlocked.Increment(ref _arrivals[(level * MaxStripes) + left]) == 1)
                    {
                        return;
                    }

                    partials[left].MergeFrom(partials[right], _centered);
                }

                s = left;
            }
        }

        /// <summary>A thread-pool work item that runs <see cref="Work"/> with its own workspace.</summary>
        private sealed class Helper(StripeRun<T> run, int index) : IThreadPoolWorkItem
        {
            public const int Idle = 0;
            public const int Queued = 1;
            public const int Running = 2;
            public const int Retired = 3;

            /// <summary><see cref="Idle"/>, <see cref="Queued"/> (given to the pool, not started),
            /// <see cref="Running"/> or <see cref="Retired"/> (the run was disposed: never queued or run again).
            /// </summary>
            public int State;

            public void Execute()
            {
                // Only a queued helper starts; one retired while it waited in the pool's queue leaves at once.
                if (Interlocked.CompareExchange(ref State, Running, Queued) != Queued)
                {
                    return;
                }

                run.Work(index);
                Volatile.Write(ref State, Idle);
            }
        }
    }
}
