using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The service's limiter: a sliding log of request times per client IP, checked before authentication.
internal sealed class SlidingWindowRateLimiter
{
    readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new();
    readonly LogTraceTestServerOptions _options;
    // Windows are dropped once empty, in a sweep when this many are held: a client that sends each request from
    // another X-Forwarded-For address would otherwise grow the table for the server's life. The next sweep waits for
    // twice what is left, so a sweep costs O(1) per request however many clients are live.
    int _sweepAt = SweepFloor;

    internal const int SweepFloor = 1024;

    public SlidingWindowRateLimiter(LogTraceTestServerOptions options) => _options = options;

    public readonly record struct Decision(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset);

    public Decision Check(string clientIp)
    {
        var now = _options.TimeProvider.GetUtcNow();
        lock (_windows)
        {
            if (!_windows.TryGetValue(clientIp, out var window))
            {
                if (_windows.Count >= _sweepAt)
                    Sweep(now);
                _windows[clientIp] = window = new Queue<DateTimeOffset>();
            }

            while (window.Count > 0 && window.Peek() <= now - _options.RateLimitWindow)
                window.Dequeue();

            if (window.Count >= _options.RateLimit)
                return new Decision(false, _options.RateLimit, 0, window.Peek() + _options.RateLimitWindow);

            window.Enqueue(now);
            return new Decision(true, _options.RateLimit, _options.RateLimit - window.Count, window.Peek() + _options.RateLimitWindow);
        }
    }

    // How many clients have a window (tests).
    internal int Clients
    {
        get
        {
            lock (_windows)
                return _windows.Count;
        }
    }

    void Sweep(DateTimeOffset now)
    {
        var expired = new List<string>();
        foreach (var pair in _windows)
        {
            while (pair.Value.Count > 0 && pair.Value.Peek() <= now - _options.RateLimitWindow)
                pair.Value.Dequeue();
            if (pair.Value.Count == 0)
                expired.Add(pair.Key);
        }
        foreach (var key in expired)
            _windows.Remove(key);
        _sweepAt = Math.Max(SweepFloor, 2 * _windows.Count);
    }
}
