using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// What an adversarial review found a peer or an integration could do to the sink: absurd pacing headers, exceptions
// that quote the key, request contexts that throw, handlers that ignore cancellation.
public class HostilePeerTests
{
    static Task<LogTraceResponse> Answer(int status, RetryAfter retryAfter = default, RateLimitHeaders rateLimit = default) =>
        Task.FromResult(new LogTraceResponse(status, null, rateLimit, retryAfter));

    [Fact]
    public async Task ARetryAfterOfMonthsPausesTheSinkAnHourAtMost()
    {
        var calls = 0;
        var api = new CollectingLogTraceApi(_ => Interlocked.Increment(ref calls) == 1
            ? Answer(503, RetryAfter.After(TimeSpan.FromSeconds(5_000_000)))
            : Answer(202));
        await using var harness = new SinkHarness(api);

        await harness.EmitAsync(Event("first"));
        await Eventually.TrueAsync(() => harness.Finished == 1, "the first event is given up");
        await harness.EmitAsync(Event("second"));
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 1, "the second event is sent", TimeSpan.FromMinutes(1));

        Assert.Equal(1, harness.Counters.LostFor(LossReason.RetryLimit));
        Assert.Equal(0, harness.Counters.LostFor(LossReason.Invalid));
        Assert.InRange(harness.Time.GetUtcNow() - Timestamp, RateLimitPacer.MaxPause, RateLimitPacer.MaxPause + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task ARateLimitResetInTheYear9999DelaysTheNextRequestAnHourAtMost()
    {
        var api = new CollectingLogTraceApi(_ => Answer(202, rateLimit: new RateLimitHeaders(100, 0, DateTimeOffset.FromUnixTimeSeconds(253402300799))));
        await using var harness = new SinkHarness(api);

        await harness.EmitAsync(Event("first"), Event("second"));
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 2, "both events are sent", TimeSpan.FromMinutes(1));

        Assert.Equal(0, harness.Counters.Lost);
        // The fake clock runs on in 1-minute steps while the sender catches up: a few steps past the cap, never years.
        Assert.True(harness.Time.GetUtcNow() - Timestamp <= RateLimitPacer.MaxPause + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task AnExceptionQuotingTheKeyReachesTheFailureListenerRedacted()
    {
        var api = new CollectingLogTraceApi(_ => throw new HttpRequestException("proxy refused the request with header X-API-Key: " + ApiKey));
        await using var harness = new SinkHarness(api, o => o.RetryTimeLimit = TimeSpan.Zero);

        await harness.EmitAsync(Event("a"));
        await Eventually.TrueAsync(() => harness.Failures.Failures.Count == 1, "the listener hears of the loss");

        var failure = Assert.Single(harness.Failures.Failures);
        Assert.NotNull(failure.Exception);
        Assert.DoesNotContain(ApiKey, failure.Exception!.ToString());
        Assert.Contains("X-API-Key: " + LogTraceRedaction.Marker, failure.Exception.Message);
        Assert.DoesNotContain(ApiKey, failure.Message);
    }

    sealed class ThrowingContext : LogTraceRequestContext
    {
        public ThrowingContext() : base(TimeSpan.FromSeconds(5)) { }
        public override Task Completed => Task.CompletedTask;
        public override int? StatusCode => throw new InvalidOperationException("disposed");
        public override TimeSpan? Duration => throw new InvalidOperationException("disposed");
        public override bool AddProperties(LogEvent logEvent) => true;
    }

    sealed class ContextWithBrokenCompletion : LogTraceRequestContext
    {
        public ContextWithBrokenCompletion() : base(TimeSpan.FromSeconds(5)) { }
        public override Task Completed => throw new InvalidOperationException("broken");
        public override int? StatusCode => null;
        public override TimeSpan? Duration => null;
        public override bool AddProperties(LogEvent logEvent) => true;
    }

    [Fact]
    public async Task ARequestContextThatThrowsCostsTheEventItsStatusNotTheEvent()
    {
        await using var harness = new SinkHarness();

        await harness.EmitAsync(TestCompletion.EventIn("status.throws", new ThrowingContext()),
            TestCompletion.EventIn("completed.throws", new ContextWithBrokenCompletion()), Event("plain"));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 3, "all three events are sent");

        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(0, harness.Counters.Queued);
    }
}

// Reads SelfLog, which is process-wide.
[Collection(SelfLogCollection.Name)]
public class HostilePeerShutdownTests
{
    [Fact]
    public async Task ShutdownGivesUpOnARequestThatIgnoresCancellation()
    {
        // Never finishes, and ignores the token: a caller's handler that does not honour cancellation.
        var api = new CollectingLogTraceApi((_, _) => new TaskCompletionSource<LogTraceResponse>().Task);
        var harness = new SinkHarness(api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        using var selfLog = new SelfLogCollector();
        await harness.EmitAsync(Event("stuck"));
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "the request is in flight");

        var disposed = harness.Sink.DisposeSinkAsync();
        await harness.AdvanceUntilAsync(() => disposed.IsCompleted, "disposal gives up", TimeSpan.FromMilliseconds(500));

        Assert.InRange(harness.Time.GetUtcNow() - Timestamp, TimeSpan.FromSeconds(2) + LogTraceSink.AbandonAfter, TimeSpan.FromSeconds(12));
        Assert.Contains(selfLog.Lines, l => l.Contains("1 record still in flight") && l.Contains("does not honour cancellation"));
    }

    // A before-send hook that never returns holds the formatting loop past the deadline: the shutdown gives up on it,
    // and the records it holds (the one in the hook, those queued behind it) are counted lost, not left neither sent
    // nor lost. When the hook returns after all, nothing is counted twice.
    [Fact]
    public async Task ShutdownCountsTheRecordsABlockedHookHoldsAsLost()
    {
        var hook = new BlockingHook();
        var harness = hook.Harness();
        using var selfLog = new SelfLogCollector();
        try
        {
            await harness.EmitAsync(Event("held.by.hook"), Event("behind.one"), Event("behind.two"));
            await Eventually.TrueAsync(() => hook.Entered == 1, "the hook holds the first record");

            await BlockingHook.GiveUpAsync(harness);

            Assert.Equal(3, harness.Counters.LostFor(Serilog.Sinks.LogTrace.Accounting.LossReason.Shutdown));
            Assert.Equal(3, harness.Counters.Lost);
            Assert.Equal(0, harness.Counters.Sent);
            Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: 3 records still in flight or being formatted 00:00:05 after the shutdown timeout of 00:00:02") &&
                l.Contains("a before-send hook that does not return") && l.EndsWith("they are counted as lost (shutdown)"));
        }
        finally
        {
            hook.Release();
        }
        await Eventually.TrueAsync(() => harness.Counters.Queued == 0, "the held records are finished after the hook returns");
        Assert.Equal(3, harness.Counters.Lost);
        Assert.Equal(0, harness.Counters.Sent);
    }
}
