using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// Disposal, the retry time limit's boundary, and the pacer's bookkeeping around failed requests.
public class LogTraceSinkLifecycleTests
{
    static Task<LogTraceResponse> Answer(int status, RetryAfter retryAfter = default, RateLimitHeaders rateLimit = default) =>
        Task.FromResult(new LogTraceResponse(status, null, rateLimit, retryAfter));

    // An API whose requests stay open until the test lets them answer, or the sink cancels them.
    static (CollectingLogTraceApi Api, TaskCompletionSource<LogTraceResponse> Answer) OpenRequest()
    {
        var answer = new TaskCompletionSource<LogTraceResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (new CollectingLogTraceApi((_, cancellationToken) => answer.Task.WaitAsync(cancellationToken)), answer);
    }

    [Fact]
    public async Task DisposeAsyncWaitsForTheRequestInFlight()
    {
        var (api, answer) = OpenRequest();
        var harness = new SinkHarness(api);
        await harness.EmitAsync(Event("a"));
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "the request is in flight");

        var disposed = harness.Sink.DisposeSinkAsync();
        await Task.Delay(50);
        Assert.False(disposed.IsCompleted, "DisposeAsync returned while a request was in flight");

        answer.SetResult(new LogTraceResponse(202, null));
        await disposed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, harness.Counters.Sent);
        Assert.True(api.Disposed);
    }

    [Fact]
    public async Task SynchronousDisposeWaitsForTheRequestInFlight()
    {
        var (api, answer) = OpenRequest();
        var harness = new SinkHarness(api);
        await harness.EmitAsync(Event("a"));
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "the request is in flight");

        var disposed = Task.Run(harness.Sink.Dispose);
        await Task.Delay(50);
        Assert.False(disposed.IsCompleted, "Dispose returned while a request was in flight");

        answer.SetResult(new LogTraceResponse(202, null));
        await disposed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, harness.Counters.Sent);
        Assert.True(api.Disposed);
    }

    [Fact]
    public async Task DisposingWithoutAnEarlierShutdownStillStopsAtTheShutdownTimeout()
    {
        // The service never answers; nothing but the sink's own Dispose starts the deadline here.
        var (api, _) = OpenRequest();
        var harness = new SinkHarness(api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        await harness.EmitAsync(Event("a"));
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "the request is in flight");

        var disposed = harness.Sink.DisposeSinkAsync();
        await harness.AdvanceUntilAsync(() => disposed.IsCompleted, "the sink is disposed", TimeSpan.FromMilliseconds(500));

        Assert.InRange(harness.Time.GetUtcNow() - Timestamp, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(0, harness.Counters.Queued);
    }

    [Fact]
    public async Task ARetryAfterPauseThatEndsExactlyAtTheRetryTimeLimitIsStillWaitedFor()
    {
        var calls = 0;
        var api = new CollectingLogTraceApi(_ => Interlocked.Increment(ref calls) == 1
            ? Answer(429, RetryAfter.After(TimeSpan.FromSeconds(10)))
            : Answer(202));
        await using var harness = new SinkHarness(api, o => o.RetryTimeLimit = TimeSpan.FromSeconds(10));

        await harness.EmitAsync(Event("a"));
        // The clock stands still until the decision is made: the pause ends exactly at the limit, not a tick after.
        await Eventually.TrueAsync(() => harness.Counters.Retries + harness.Counters.Lost == 1, "the first answer is acted on");
        Assert.Equal(1, harness.Counters.Retries);
        await harness.SettledAsync(1);

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(0, harness.Counters.LostFor(LossReason.RetryLimit));
    }

    [Fact]
    public async Task ARetryAfterPauseBeyondTheRetryTimeLimitGivesTheEventUpAtOnce()
    {
        var api = new CollectingLogTraceApi(_ => Answer(503, RetryAfter.After(TimeSpan.FromSeconds(11))));
        await using var harness = new SinkHarness(api, o => o.RetryTimeLimit = TimeSpan.FromSeconds(10));

        await harness.EmitAsync(Event("a"));
        // Without moving the clock: the pause alone already passes the limit, so there is no point waiting it out.
        await Eventually.TrueAsync(() => harness.Finished == 1, "the event is given up");

        Assert.Equal(1, harness.Counters.LostFor(LossReason.RetryLimit));
        Assert.Single(api.Bodies);
        Assert.Contains("retry time limit", Assert.Single(harness.Failures.Failures).Message);
    }

    [Fact]
    public async Task ARequestThatThrowsGivesItsPlaceInTheRateLimitBudgetBack()
    {
        // One failed request, then answers that leave room for exactly one more request until a reset far away.
        var calls = 0;
        var reset = Timestamp.AddHours(1);
        var api = new CollectingLogTraceApi(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException("connection refused")
            : Answer(202, rateLimit: new RateLimitHeaders(100, 1, reset)));
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(Event("a"));
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 1, "a is sent after one retry", TimeSpan.FromMilliseconds(250));

        // Remaining 1 with nothing else in flight: b may go now. Had the failed request kept its place, the budget
        // would be 0 and b would wait for the reset an hour away.
        await harness.EmitAsync(Event("b"));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 2, "b is sent without waiting for the reset");
        Assert.True(harness.Time.GetUtcNow() < reset);
    }
}
