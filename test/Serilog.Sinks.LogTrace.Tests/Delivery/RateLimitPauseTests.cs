using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// How long an answer pauses every sender, read from the pacer itself (RateLimitPacerTests see a pause end through a
// waiter, whose wake-up runs asynchronously and so cannot show that it came too early).
public class RateLimitPauseTests
{
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    // A turn given at once: no limit is known yet, so it completes synchronously.
    static RateLimitPacer.Turn Now(RateLimitPacer pacer)
    {
        var turn = pacer.WaitForTurnAsync(CancellationToken.None);
        Assert.True(turn.IsCompletedSuccessfully);
        return turn.GetAwaiter().GetResult();
    }

    TimeSpan PauseAfter(LogTraceResponse answer)
    {
        var pacer = new RateLimitPacer(_time);
        pacer.Complete(Now(pacer), answer);
        return pacer.PauseRemaining;
    }

    [Fact]
    public void A429WithNeitherRetryAfterNorRateLimitHeadersPausesSixtySeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(60), PauseAfter(new LogTraceResponse(429, "Too Many Requests")));

    [Fact]
    public void A429WithARateLimitResetPausesUntilASecondAfterIt() =>
        Assert.Equal(TimeSpan.FromSeconds(11),
            PauseAfter(new LogTraceResponse(429, null, new RateLimitHeaders(100, 0, _time.GetUtcNow().AddSeconds(10)))));

    [Fact]
    public void A429WithRetryAfterPausesForItAlone() =>
        Assert.Equal(TimeSpan.FromSeconds(5), PauseAfter(new LogTraceResponse(429, null, default, RetryAfter.After(TimeSpan.FromSeconds(5)))));

    [Fact]
    public void ARetryAfterOfADayPausesForAnHourAtMost() =>
        Assert.Equal(RateLimitPacer.MaxPause, PauseAfter(new LogTraceResponse(503, null, default, RetryAfter.After(TimeSpan.FromDays(1)))));

    [Fact]
    public void AnAcceptedAnswerPausesNothing() =>
        Assert.True(PauseAfter(new LogTraceResponse(202, null)) <= TimeSpan.Zero);

    [Fact]
    public void AShorterPauseDoesNotCutALongerOneShort()
    {
        var pacer = new RateLimitPacer(_time);
        var first = Now(pacer);
        var second = Now(pacer);
        pacer.Complete(first, new LogTraceResponse(503, null, default, RetryAfter.After(TimeSpan.FromSeconds(30))));
        pacer.Complete(second, new LogTraceResponse(503, null, default, RetryAfter.After(TimeSpan.FromSeconds(5))));

        Assert.Equal(TimeSpan.FromSeconds(30), pacer.PauseRemaining);
    }
}
