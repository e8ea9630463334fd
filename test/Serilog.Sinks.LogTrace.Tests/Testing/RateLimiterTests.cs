using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// The service's limiter: a sliding log of request times per client IP.
public class RateLimiterTests
{
    static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-26T10:00:00Z");

    [Fact]
    public void EachAllowedRequestTakesOneFromTheRemainingAndTheResetIsTheOldestPlusTheWindow()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new SlidingWindowRateLimiter(new LogTraceTestServerOptions { RateLimit = 2, RateLimitWindow = TimeSpan.FromSeconds(10), TimeProvider = time });

        var first = limiter.Check("203.0.113.1");
        time.Advance(TimeSpan.FromSeconds(3));
        var second = limiter.Check("203.0.113.1");
        var third = limiter.Check("203.0.113.1");

        Assert.Equal(new SlidingWindowRateLimiter.Decision(true, 2, 1, Start.AddSeconds(10)), first);
        Assert.Equal(new SlidingWindowRateLimiter.Decision(true, 2, 0, Start.AddSeconds(10)), second);
        Assert.Equal(new SlidingWindowRateLimiter.Decision(false, 2, 0, Start.AddSeconds(10)), third);
    }

    [Fact]
    public void ARequestLeavesTheWindowExactlyOneWindowLater()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new SlidingWindowRateLimiter(new LogTraceTestServerOptions { RateLimit = 1, RateLimitWindow = TimeSpan.FromSeconds(10), TimeProvider = time });
        Assert.True(limiter.Check("203.0.113.1").Allowed);

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(limiter.Check("203.0.113.1").Allowed);

        time.Advance(TimeSpan.FromTicks(1));
        var decision = limiter.Check("203.0.113.1");
        Assert.True(decision.Allowed);
        Assert.Equal(Start.AddSeconds(20), decision.Reset);
    }

    [Fact]
    public void EachClientAddressHasItsOwnWindow()
    {
        var limiter = new SlidingWindowRateLimiter(new LogTraceTestServerOptions { RateLimit = 1, TimeProvider = new FakeTimeProvider(Start) });

        Assert.True(limiter.Check("203.0.113.1").Allowed);
        Assert.True(limiter.Check("203.0.113.2").Allowed);
        Assert.False(limiter.Check("203.0.113.1").Allowed);
    }

    // A client that gives every request another X-Forwarded-For address must not grow the server for its life.
    [Fact]
    public void WindowsOfClientsThatWentQuietAreDropped_ThoseStillInTheirWindowAreKept()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new SlidingWindowRateLimiter(new LogTraceTestServerOptions { RateLimit = 1, RateLimitWindow = TimeSpan.FromSeconds(10), TimeProvider = time });
        for (var n = 0; n < SlidingWindowRateLimiter.SweepFloor; n++)
            limiter.Check("198.51.100." + n);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(limiter.Check("203.0.113.1").Allowed);
        Assert.Equal(SlidingWindowRateLimiter.SweepFloor + 1, limiter.Clients);

        // The first 1,024 leave their window; a new client's window finds the table full and sweeps it.
        time.Advance(TimeSpan.FromSeconds(5));
        for (var n = 0; n < SlidingWindowRateLimiter.SweepFloor - 1; n++)
            limiter.Check("192.0.2." + n);
        Assert.True(limiter.Check("192.0.2.x").Allowed);

        Assert.Equal(SlidingWindowRateLimiter.SweepFloor + 1, limiter.Clients);
        // The client still in its window was kept, and is still limited.
        Assert.False(limiter.Check("203.0.113.1").Allowed);
        // A client that was swept starts afresh.
        Assert.True(limiter.Check("198.51.100.0").Allowed);
    }
}
