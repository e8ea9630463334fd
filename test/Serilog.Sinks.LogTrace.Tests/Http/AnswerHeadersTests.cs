using System.Net;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Tests.Http;

// What the real client reads from an answer's headers for pacing: the rate limit, Retry-After, and the service's own
// clock (Date) where something is measured against it.
public class AnswerHeadersTests
{
    static readonly DateTimeOffset ServiceNow = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    static async Task<LogTraceResponse> AnswerWith(HttpStatusCode status, Action<HttpResponseMessage> headers) =>
        (await HttpExchangeTests.Exchange(status, headers: headers)).Response;

    static void RateLimit(HttpResponseMessage response, string limit, string remaining, string reset)
    {
        response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", limit);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", remaining);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", reset);
    }

    [Fact]
    public async Task TheRateLimitIsReadAndItsResetMeasuredAgainstTheServicesClock()
    {
        var reset = ServiceNow.AddSeconds(40).ToUnixTimeSeconds().ToString();
        var response = await AnswerWith(HttpStatusCode.Accepted, r =>
        {
            RateLimit(r, "100", " 7 ", reset);
            r.Headers.Date = ServiceNow;
        });

        Assert.True(response.RateLimit.IsPresent);
        Assert.Equal(100, response.RateLimit.Limit);
        Assert.Equal(7, response.RateLimit.Remaining);
        Assert.Equal(ServiceNow.AddSeconds(40), response.RateLimit.Reset);
        Assert.Equal(ServiceNow, response.Date);
        // A local clock an hour behind changes nothing: the reset is 40 s after the service's Date.
        Assert.Equal(TimeSpan.FromSeconds(40), response.ResetIn(ServiceNow.AddHours(-1)));
    }

    [Theory]
    [InlineData("0", "5", "1800000000")]      // no limit
    [InlineData("100", "-1", "1800000000")]   // a negative remainder
    [InlineData("100", "5", "0")]             // a reset at the epoch
    [InlineData("100", "5", "253402300800")]  // after the year 9999
    [InlineData("100", "many", "1800000000")] // not a number
    public async Task ARateLimitThatMakesNoSenseIsIgnoredWhole(string limit, string remaining, string reset)
    {
        var response = await AnswerWith(HttpStatusCode.Accepted, r => RateLimit(r, limit, remaining, reset));

        Assert.False(response.RateLimit.IsPresent);
    }

    [Fact]
    public async Task ARetryAfterDateIsMeasuredAgainstTheServicesClock()
    {
        var response = await AnswerWith(HttpStatusCode.ServiceUnavailable, r =>
        {
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(ServiceNow.AddSeconds(30));
            r.Headers.Date = ServiceNow;
        });

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(ServiceNow, response.Date);
        Assert.Equal(TimeSpan.FromSeconds(30), response.RetryAfterDelay(ServiceNow.AddMinutes(10)));
    }

    [Fact]
    public async Task ARetryAfterInSecondsNeedsNoClock()
    {
        var response = await AnswerWith(HttpStatusCode.TooManyRequests, r =>
        {
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(12));
            r.Headers.Date = ServiceNow;
        });

        Assert.Equal(TimeSpan.FromSeconds(12), response.RetryAfterDelay(ServiceNow.AddDays(3)));
        // Nothing is measured against the service's clock, so it is not read (each read is a header parse).
        Assert.Null(response.Date);
    }

    [Fact]
    public async Task AnAcceptedAnswerWithoutPacingHeadersLeavesTheServicesClockUnread()
    {
        var response = await AnswerWith(HttpStatusCode.Accepted, r => r.Headers.Date = ServiceNow);

        Assert.Equal(202, response.StatusCode);
        Assert.False(response.RateLimit.IsPresent);
        Assert.False(response.RetryAfter.IsPresent);
        Assert.Null(response.Date);
    }

    [Fact]
    public async Task AnUnreadableDateIsNoDate()
    {
        var response = await AnswerWith(HttpStatusCode.Accepted, r =>
        {
            RateLimit(r, "100", "5", ServiceNow.AddSeconds(30).ToUnixTimeSeconds().ToString());
            r.Headers.TryAddWithoutValidation("Date", "not a date");
        });

        Assert.True(response.RateLimit.IsPresent);
        Assert.Null(response.Date);
    }
}
