using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// Pacing, the refusal gate and the retry time limit run on the monotonic clock, and the service's reset is read
// against its own Date header: a client clock that is slow, or one that NTP steps back, changes no wait.
public class WallClockTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    static readonly DateTimeOffset ServiceNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static LogTraceResponse Exhausted(DateTimeOffset reset, DateTimeOffset? date) =>
        new(202, null, new RateLimitHeaders(100, 0, reset), date: date);

    [Fact]
    public async Task AResetIsMeasuredFromTheServicesDateNotFromASlowLocalClock()
    {
        var clock = new SkewedClock(ServiceNow) { Skew = TimeSpan.FromSeconds(-120) };
        var pacer = new RateLimitPacer(clock);

        pacer.Complete(await pacer.WaitForTurnAsync(CancellationToken.None), Exhausted(ServiceNow.AddSeconds(10), ServiceNow));
        var next = pacer.WaitForTurnAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        // Measured against the local clock, the wait would have been 131 s.
        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    [Fact]
    public async Task AResetWithoutADateIsTrustedForAMinuteAtMost()
    {
        var clock = new SkewedClock(ServiceNow) { Skew = TimeSpan.FromSeconds(-120) };
        var pacer = new RateLimitPacer(clock);

        // The local clock is 2 minutes slow: the reset looks 130 s away.
        pacer.Complete(await pacer.WaitForTurnAsync(CancellationToken.None), Exhausted(ServiceNow.AddSeconds(10), date: null));
        var next = pacer.WaitForTurnAsync(CancellationToken.None);
        clock.Advance(LogTraceResponse.ResetLimit);
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await next.WaitAsync(Deadline)).Probe);
    }

    [Fact]
    public async Task ARetryAfterDateIsMeasuredFromTheServicesDate()
    {
        var clock = new SkewedClock(ServiceNow) { Skew = TimeSpan.FromSeconds(300) };
        var pacer = new RateLimitPacer(clock);

        // A fast local clock would think the date long past and not wait at all.
        pacer.Complete(await pacer.WaitForTurnAsync(CancellationToken.None),
            new LogTraceResponse(503, "busy", retryAfter: RetryAfter.At(ServiceNow.AddSeconds(30)), date: ServiceNow));
        var next = pacer.WaitForTurnAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await next.WaitAsync(Deadline);
    }

    [Fact]
    public void AWallClockSteppedBackDoesNotKeepTheGateClosed()
    {
        var clock = new SkewedClock(ServiceNow);
        var gate = new ConfigurationGate(clock);

        Assert.True(gate.Close("refused"));
        clock.Skew = TimeSpan.FromSeconds(-600);
        clock.Advance(ConfigurationGate.RecheckInterval - TimeSpan.FromSeconds(1));
        Assert.Equal("refused", gate.Refusal());
        Assert.Equal(TimeSpan.FromSeconds(1), gate.Remaining());
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(gate.Refusal());
        Assert.Equal(TimeSpan.Zero, gate.Remaining());
        // Open again: the next refusal is a new closing.
        Assert.True(gate.Close("refused again"));
    }

    [Fact]
    public void AWallClockSteppedForwardDoesNotOpenTheGateEarly()
    {
        var clock = new SkewedClock(ServiceNow);
        var gate = new ConfigurationGate(clock);

        gate.Close("refused");
        clock.Skew = TimeSpan.FromHours(1);

        Assert.Equal("refused", gate.Refusal());
        Assert.False(gate.Close("refused again"));
    }

    [Fact]
    public async Task AWallClockSteppedBackLetsAFailingRecordGoAtItsRetryTimeLimit()
    {
        var clock = new SkewedClock(Some.Timestamp);
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        var harness = new SinkHarness(api, o =>
        {
            o.TimeProvider = clock;
            o.RetryTimeLimit = TimeSpan.FromMinutes(2);
        });

        await harness.EmitAsync(Some.Event("a"));
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "the first attempt is made");
        clock.Skew = TimeSpan.FromHours(-1);
        await clock.Fake.AdvanceUntilAsync(() => harness.Counters.Lost == 1, "the record is given up", TimeSpan.FromSeconds(10));

        Assert.Equal(1, harness.Counters.LostFor(LossReason.RetryLimit));
        // Given up at its limit (and the backoff that would pass it), not an hour later.
        Assert.InRange(clock.Fake.GetUtcNow() - Some.Timestamp, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3));
        harness.Sink.BeginShutdown();
        clock.Advance(TimeSpan.FromHours(1));
        await harness.Sink.DisposeSinkAsync().WaitAsync(Deadline);
    }
}
