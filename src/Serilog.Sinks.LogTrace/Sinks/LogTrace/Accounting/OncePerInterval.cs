using System;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Accounting;

// Lets a report through at most once per LossReporter.Interval, so that a failure repeated for every event cannot
// flood SelfLog.
sealed class OncePerInterval
{
    readonly TimeProvider _time;
    readonly object _lock = new();
    DateTimeOffset? _last;

    public OncePerInterval(TimeProvider time) => _time = time;

    public bool Allow()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_last.HasValue && now - _last.Value < LossReporter.Interval)
                return false;
            _last = now;
            return true;
        }
    }
}
