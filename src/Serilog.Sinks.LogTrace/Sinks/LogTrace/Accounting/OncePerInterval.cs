using System;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// The one throttle of the sink's reports: lets a report through at most once per LossReporter.Interval (on the
// monotonic clock), so that a failure repeated for every record cannot flood SelfLog. LossReporter keeps one per
// reason; the durable buffer one per kind of storage failure.
sealed class OncePerInterval
{
    readonly TimeProvider _time;
    readonly object _lock = new();
    long? _next;

    public OncePerInterval(TimeProvider time) => _time = time;

    // True when a report now would go through (nothing is used up).
    public bool IsOpen
    {
        get
        {
            lock (_lock)
                return _next is not { } next || Clock.Until(_time, next) <= TimeSpan.Zero;
        }
    }

    // True when a report goes through now; the next one then waits the interval.
    public bool Allow()
    {
        lock (_lock)
        {
            if (_next is { } next && Clock.Until(_time, next) > TimeSpan.Zero)
                return false;
            _next = Clock.TimestampAfter(_time, LossReporter.Interval);
            return true;
        }
    }
}
