using System;
using System.Threading;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Sending;

// The shutdown timeout. It begins when the logger is disposed, before the sink's queue is completed: Stopping is
// cancelled at once (held events are released, to be sent while there is time), Deadline when the timeout has passed
// (every wait and every request in flight is cancelled, and what is left is counted lost).
sealed class ShutdownDeadline : IDisposable
{
    readonly TimeProvider _time;
    readonly CancellationTokenSource _stopping = new();
    readonly CancellationTokenSource _deadline = new();
    readonly object _lock = new();
    ITimer? _timer;
    bool _begun;

    public ShutdownDeadline(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public bool HasBegun => Volatile.Read(ref _begun);

    public CancellationToken Stopping => _stopping.Token;

    public CancellationToken Deadline => _deadline.Token;

    public void Begin()
    {
        lock (_lock)
        {
            if (_begun)
                return;
            Volatile.Write(ref _begun, true);
            _timer = _time.CreateTimer(static state => CancelQuietly((CancellationTokenSource)state!), _deadline, Timeout,
                System.Threading.Timeout.InfiniteTimeSpan);
        }
        // Outside the lock: released events continue synchronously into the hand-off to the senders.
        _stopping.Cancel();
    }

    // The timer may fire while the sink is being disposed: that must not throw on a thread-pool thread.
    static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // Only the timer is released. The token sources are not disposed: a sender abandoned past the deadline (a handler
    // that ignores cancellation) may still read them, and a disposed source would throw at it. They hold nothing else.
    public void Dispose()
    {
        lock (_lock)
            _timer?.Dispose();
    }
}
