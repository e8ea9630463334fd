using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Pipeline;

// Records out of their line's order, by the UTC ticks they were logged at: a record held for its HTTP request
// (EventHold) goes back at the end of the queue, and then of the memory outbox's line, behind records logged after
// it, so a line's head is not its oldest record. The status's OldestUndeliveredAge reads the earliest here as well as
// each line's head (SinkStatus). A record is counted from its hold until it leaves the queue (RecordQueue), and again
// from the outbox's line until a sender takes it (MemoryOutbox): every way out of either passes one of those points.
// Off the application's thread; a lock, as few records are held at once (each for its request, five seconds by
// default).
sealed class LateRecords
{
    readonly SortedDictionary<long, int> _ticks = new();

    public void Add(DateTimeOffset loggedAt)
    {
        lock (_ticks)
        {
            _ticks.TryGetValue(loggedAt.UtcTicks, out var count);
            _ticks[loggedAt.UtcTicks] = count + 1;
        }
    }

    public void Remove(DateTimeOffset loggedAt)
    {
        lock (_ticks)
        {
            if (!_ticks.TryGetValue(loggedAt.UtcTicks, out var count))
                return;
            if (count > 1)
                _ticks[loggedAt.UtcTicks] = count - 1;
            else
                _ticks.Remove(loggedAt.UtcTicks);
        }
    }

    // The earliest, null when there is none.
    public DateTimeOffset? Oldest
    {
        get
        {
            lock (_ticks)
            {
                foreach (var ticks in _ticks.Keys)
                    return new DateTimeOffset(ticks, TimeSpan.Zero);
                return null;
            }
        }
    }
}
