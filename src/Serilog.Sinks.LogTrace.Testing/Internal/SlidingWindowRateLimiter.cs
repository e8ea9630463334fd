using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The service's limiter: a sliding log of request times per client IP, checked before authentication.
internal sealed class SlidingWindowRateLimiter
{
    readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new();
    readonly LogTraceTestServerOptions _options;

    public SlidingWindowRateLimiter(LogTraceTestServerOptions options) => _options = options;

    public readonly record struct Decision(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset);

    public Decision Check(string clientIp)
    {
        var now = _options.TimeProvider.GetUtcNow();
        lock (_windows)
        {
            if (!_windows.TryGetValue(clientIp, out var window))
                _windows[clientIp] = window = new Queue<DateTimeOffset>();

            while (window.Count > 0 && window.Peek() <= now - _options.RateLimitWindow)
                window.Dequeue();

            if (window.Count >= _options.RateLimit)
                return new Decision(false, _options.RateLimit, 0, window.Peek() + _options.RateLimitWindow);

            window.Enqueue(now);
            return new Decision(true, _options.RateLimit, _options.RateLimit - window.Count, window.Peek() + _options.RateLimitWindow);
        }
    }
}
