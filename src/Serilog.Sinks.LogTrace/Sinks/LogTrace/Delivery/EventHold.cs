using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Delivery;

// Events logged during an HTTP request wait here until the request ends, so they carry its final status code and
// duration: at most the completion's MaxWait after the event's timestamp, and never past the shutdown deadline.
// They wait off the senders: a streaming request or a slow handler must not hold up the events of requests that have
// ended, or that belong to no request. A released event goes back to the senders through `release`.
sealed class EventHold
{
    internal static readonly TimeSpan MaxHold = TimeSpan.FromHours(1);

    readonly TimeProvider _time;
    readonly Func<LogEvent, Task> _release;
    readonly Action _allReleased;
    readonly object _lock = new();
    int _holding;
    bool _closed;

    public EventHold(TimeProvider time, Func<LogEvent, Task> release, Action allReleased)
    {
        _time = time;
        _release = release;
        _allReleased = allReleased;
    }

    // True when the event waits for its request; it is released later. False when it can be sent now. Never throws:
    // a request context that misbehaves (a getter that throws) only costs the event its wait.
    public bool TryHold(LogEvent logEvent, CancellationToken deadline)
    {
        Task completed;
        TimeSpan remaining;
        try
        {
            if (RequestBinding.Of(logEvent)?.Context is not { } completion || completion.Completed.IsCompleted)
                return false;

            // An integration may ask for any wait; no status code is worth holding an event longer than MaxHold.
            var maxWait = completion.MaxWait < MaxHold ? completion.MaxWait : MaxHold;
            remaining = maxWait - (_time.GetUtcNow() - logEvent.Timestamp);
            completed = completion.Completed;
        }
        catch (Exception)
        {
            return false;
        }
        if (remaining <= TimeSpan.Zero)
            return false;

        lock (_lock)
            _holding++;
        _ = ReleaseWhenDoneAsync(logEvent, completed, remaining, deadline);
        return true;
    }

    async Task ReleaseWhenDoneAsync(LogEvent logEvent, Task completed, TimeSpan remaining, CancellationToken deadline)
    {
        try
        {
            try
            {
                await Clock.WhenAnyOrDelayAsync(_time, completed, remaining, deadline).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Whatever went wrong with the wait, the event goes on without it.
            }
            await _release(logEvent).ConfigureAwait(false);
        }
        finally
        {
            bool last;
            lock (_lock)
                last = --_holding == 0 && _closed;
            if (last)
                _allReleased();
        }
    }

    // No event will be held from now on: allReleased runs once the last held event has been released.
    public void Close()
    {
        bool none;
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            none = _holding == 0;
        }
        if (none)
            _allReleased();
    }
}
