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
}
