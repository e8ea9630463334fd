using System;
using System.Threading;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// The one throttle of the sink's reports: lets a report through at most once per LossReporter.Interval (on the
// monotonic clock), so that a failure repeated for every record cannot flood SelfLog. LossReporter keeps one per
// reason; the durable buffer one per kind of storage failure.
//
// IsOpenAt is on the path of every record dropped during an outage, so it takes the caller's clock reading (a clock
// read costs 100 ns or more on a virtual machine) and no lock; the timestamp is written and read with Volatile (whole
// on 32-bit .NET too). A reading that were stale or torn could only let Allow, which holds the lock, decide, or hold
// back one report, which is then counted and summed up with the next.
sealed class OncePerInterval
{
    const long Never = long.MinValue;
    readonly TimeProvider _time;
    readonly object _lock = new();
    // The timestamp from which a report goes through again; Never before the first.
    long _next = Never;

    public OncePerInterval(TimeProvider time) => _time = time;

    // True when a report at `now` (a reading of the same TimeProvider's timestamp) would go through; nothing is used up.
    public bool IsOpenAt(long now) => Reached(Volatile.Read(ref _next), now);

    // True when a report goes through now; the next one then waits the interval.
    public bool Allow()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (!Reached(_next, now))
                return false;
            Volatile.Write(ref _next, now + Clock.TimestampTicks(_time, LossReporter.Interval));
            return true;
        }
    }

    static bool Reached(long next, long now) => next == Never || now >= next;
}
