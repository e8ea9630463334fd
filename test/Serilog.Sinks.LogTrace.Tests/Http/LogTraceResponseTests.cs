using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Tests.Http;

// What delivery reads from an answer: success, the reset and Retry-After as waits, never negative.
public class LogTraceResponseTests
{
    static readonly DateTimeOffset ServiceNow = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(199, false)]
    [InlineData(200, true)]
    [InlineData(202, true)]
    [InlineData(299, true)]
    [InlineData(300, false)]
    public void OnlyA2xxIsASuccess(int status, bool success) => Assert.Equal(success, new LogTraceResponse(status, null).IsSuccess);

    [Fact]
    public void AResetBeforeTheServicesDateIsNoWait() =>
        Assert.Equal(TimeSpan.Zero,
            new LogTraceResponse(429, null, new RateLimitHeaders(100, 0, ServiceNow.AddSeconds(-5)), date: ServiceNow).ResetIn(ServiceNow.AddHours(-1)));

    [Fact]
    public void AResetIsMeasuredFromTheServicesDateAndBoundedToAMinute()
    {
        Assert.Equal(TimeSpan.FromSeconds(20),
            new LogTraceResponse(202, null, new RateLimitHeaders(100, 3, ServiceNow.AddSeconds(20)), date: ServiceNow).ResetIn(ServiceNow.AddDays(1)));
        Assert.Equal(LogTraceResponse.ResetLimit,
            new LogTraceResponse(202, null, new RateLimitHeaders(100, 3, ServiceNow.AddHours(2)), date: ServiceNow).ResetIn(ServiceNow));
    }

    [Fact]
    public void WithoutADateTheResetIsMeasuredFromTheLocalClock() =>
        Assert.Equal(TimeSpan.FromSeconds(15),
            new LogTraceResponse(202, null, new RateLimitHeaders(100, 3, ServiceNow.AddSeconds(15))).ResetIn(ServiceNow));

    [Fact]
    public void ANegativeRetryAfterIsNoWaitAndStillPresent()
    {
        var retryAfter = RetryAfter.After(TimeSpan.FromSeconds(-5));
        Assert.True(retryAfter.IsPresent);
        Assert.False(retryAfter.IsDate);
        Assert.Equal(TimeSpan.Zero, retryAfter.DelayFrom(ServiceNow));
    }

    [Fact]
    public void ARetryAfterInSecondsIsPresent()
    {
        var retryAfter = RetryAfter.After(TimeSpan.FromSeconds(7));
        Assert.True(retryAfter.IsPresent);
        Assert.Equal(TimeSpan.FromSeconds(7), retryAfter.DelayFrom(ServiceNow));
    }

    [Fact]
    public void ARetryAfterDateInThePastIsNoWait()
    {
        var retryAfter = RetryAfter.At(ServiceNow.AddSeconds(-30));
        Assert.True(retryAfter.IsPresent);
        Assert.True(retryAfter.IsDate);
        Assert.Equal(TimeSpan.Zero, retryAfter.DelayFrom(ServiceNow));
    }

    [Fact]
    public void NoRetryAfterIsNoWaitAtAll()
    {
        Assert.False(default(RetryAfter).IsPresent);
        Assert.Null(default(RetryAfter).DelayFrom(ServiceNow));
    }
}
