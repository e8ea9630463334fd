using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Pipeline;

// Records logged during an HTTP request wait here until the request ends, so they carry its final status code and
// duration: at most the request's MaxWait after the event's timestamp, and never past the start of the shutdown.
// They wait off the queue's line: a streaming request or a slow handler must not hold up the records of requests that
// have ended, or that belong to no request. A released record goes back to the queue through `release`.
sealed class EventHold
{
    internal static readonly TimeSpan MaxHold = TimeSpan.FromHours(1);

    readonly TimeProvider _time;
    readonly Action<PendingRecord> _release;
    readonly Action _allReleased;
    readonly object _lock = new();
    int _holding;
    bool _closed;

    public EventHold(TimeProvider time, Action<PendingRecord> release, Action allReleased)
    {
        _time = time;
        _release = release;
        _allReleased = allReleased;
    }

    // True when the record waits for its request; it is released later. False when it can go now, as every record does
    // once the shutdown has begun. Never throws: a request context that misbehaves (a getter that throws) only costs
    // the record its wait.
    public bool TryHold(in PendingRecord record, CancellationToken stopping)
    {
        Task completed;
        TimeSpan remaining;
        try
        {
            if (record.Request is not { } completion || completion.Completed.IsCompleted)
                return false;

            // An integration may ask for any wait; no status code is worth holding an event longer than MaxHold.
            var maxWait = completion.MaxWait < MaxHold ? completion.MaxWait : MaxHold;
            remaining = maxWait - (_time.GetUtcNow() - record.Event.Timestamp);
            // An event timestamped ahead of the clock waits maxWait at most, not until its timestamp has come.
            if (remaining > maxWait)
                remaining = maxWait;
            completed = completion.Completed;
        }
        catch (Exception)
        {
            return false;
        }
        if (remaining <= TimeSpan.Zero || stopping.IsCancellationRequested)
            return false;

        lock (_lock)
        {
            if (_closed)
                return false;
            _holding++;
        }
        _ = ReleaseWhenDoneAsync(record, completed, remaining, stopping);
        return true;
    }

    async Task ReleaseWhenDoneAsync(PendingRecord record, Task completed, TimeSpan remaining, CancellationToken stopping)
    {
        try
        {
            try
            {
                await Clock.WhenAnyOrDelayAsync(_time, completed, remaining, stopping).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Whatever went wrong with the wait, the event goes on without it.
            }
            _release(record);
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

    // No record will be held from now on: allReleased runs once the last held event has been released.
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
