using System;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Sending;

// After a configuration error (a 401-class answer, or a redirect) every event fails without a request for
// RecheckInterval, then one request checks again. The answer will not change until someone fixes the key, the
// endpoint or the account; asking again for every event would spin against the service and hold up shutdown.
// The interval runs on the monotonic clock: a wall clock stepped back (NTP) does not keep the gate closed longer.
sealed class ConfigurationGate
{
    internal static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(1);

    readonly TimeProvider _time;
    readonly object _lock = new();
    // A monotonic timestamp; now at the start (open).
    long _closedUntil;
    string? _reason;

    public ConfigurationGate(TimeProvider time)
    {
        _time = time;
        _closedUntil = time.GetTimestamp();
    }

    // True when the gate was open until now (the first refusal after a recheck or since the start).
    public bool Close(string reason)
    {
        lock (_lock)
        {
            var wasOpen = !IsClosed();
            _closedUntil = Clock.TimestampAfter(_time, RecheckInterval);
            _reason = reason;
            return wasOpen;
        }
    }

    // How long until the next recheck; zero when the gate is open.
    public TimeSpan Remaining()
    {
        lock (_lock)
        {
            var remaining = Clock.Until(_time, _closedUntil);
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    // The reason events are refused now, or null when a request may go.
    public string? Refusal()
    {
        lock (_lock)
            return IsClosed() ? _reason : null;
    }

    bool IsClosed() => _time.GetTimestamp() < _closedUntil;
}
