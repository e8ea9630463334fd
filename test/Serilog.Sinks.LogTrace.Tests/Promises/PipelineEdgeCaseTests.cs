using Serilog.Events;
using Serilog.Parsing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Promises;

// The pipeline's promises at its edges: a held record goes within its wait, no answer makes a loop of requests, a
// clock gone wrong stops nothing for long, and an exception that cannot be described costs no record. Each test
// failed on the first version of the one-sink pipeline; the comments say how.
public class PipelineEdgeCaseTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    // EventHold.TryHold: remaining = maxWait - (now - Timestamp). With a timestamp ahead of the sink's clock (an event
    // built with its own time, or a clock stepped back between logging and taking) the wait grows past MaxWait and
    // past MaxHold, up to Clock.MaxDelay (a day): the record and its queue slot are kept far longer than promised.
    [Fact]
    public async Task AHeldRecordWithATimestampAheadOfTheClockStillGoesWithinMaxHold()
    {
        await using var harness = new SinkHarness();
        var request = new TestCompletion(TimeSpan.FromSeconds(5));
        var ahead = new LogEvent(harness.Time.GetUtcNow().AddHours(2), LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("Streaming"), new[]
            {
                new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("stream.chunk")),
                new LogEventProperty(LogTraceProperties.UserName, new ScalarValue("jane_doe")),
            });

        await harness.EmitAsync(TestCompletion.In(ahead, request));
        Assert.Equal(1, harness.Counters.Queued);

        // Well past MaxWait (5 s) and past MaxHold (1 h) on the sink's clock.
        for (var i = 0; i < 70 && harness.Counters.Sent == 0; i++)
        {
            harness.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5);
        }
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1,
            "the held record is released by MaxHold (it is still held " + (harness.Time.GetUtcNow() - Timestamp) + " after it was logged)",
            TimeSpan.FromSeconds(3));
    }

    // EventDelivery.OnAnswerAsync: a retryable answer with Retry-After present gets no backoff of its own (wait 0),
    // and a Retry-After of 0 s, or a date not after the answer's Date (a peer whose Date header is far in the
    // future), gives no pause either: the record is sent again at once, in a loop, as fast as the peer answers.
    public static IEnumerable<object[]> ZeroPauses() => new[]
    {
        new object[] { "Retry-After: 0" },
        new object[] { "Retry-After date, Date header 10 years ahead" },
        new object[] { "Retry-After date in the past" },
    };

    static LogTraceResponse Busy(string variant) => variant switch
    {
        "Retry-After: 0" => new LogTraceResponse(503, "busy", retryAfter: RetryAfter.After(TimeSpan.Zero)),
        "Retry-After date, Date header 10 years ahead" =>
            new LogTraceResponse(503, "busy", retryAfter: RetryAfter.At(Timestamp.AddSeconds(30)), date: Timestamp.AddYears(10)),
        _ => new LogTraceResponse(503, "busy", retryAfter: RetryAfter.At(Timestamp.AddDays(-1))),
    };

    [Theory]
    [MemberData(nameof(ZeroPauses))]
    public async Task ARetryableAnswerWithAZeroRetryAfterDoesNotMakeATightRetryLoop(string variant)
    {
        const int Burst = 50;
        var burst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var api = new CollectingLogTraceApi(_ =>
        {
            if (Interlocked.Increment(ref calls) == Burst)
                burst.TrySetResult();
            return Task.FromResult(Busy(variant));
        });
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(Event("a"));

        // The fake clock never moves: a sink that waits at all between attempts makes one request, or a few.
        var first = await Task.WhenAny(burst.Task, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.True(first != burst.Task, string.Format("{0}: {1} requests for one record without the clock moving at all", variant, Volatile.Read(ref calls)));
    }

    // A transport failure from a caller's HttpMessageHandler whose Message (and ToString) throws: a hostile value.
    sealed class UnprintableException : HttpRequestException
    {
        public override string Message => throw new InvalidOperationException("no message");
        public override string ToString() => throw new InvalidOperationException("no text");
    }

    static CollectingLogTraceApi FailsOnceUnprintably()
    {
        var calls = 0;
        return new CollectingLogTraceApi(_ => Interlocked.Increment(ref calls) == 1
            ? throw new UnprintableException()
            : Task.FromResult(new LogTraceResponse(202, null)));
    }

    // EventDelivery.AttemptAsync's catch calls Describe(ex), which reads ex.Message outside any guard: the exception
    // escapes SendAsync. In memory the sender's last line of defence (MemoryOutbox.SendLoopAsync) counts the record
    // lost as "invalid": a transient failure, which the next attempt would have delivered, loses the record for good.
    [Fact]
    public async Task ATransientFailureWithAnUnprintableExceptionIsRetriedNotLost()
    {
        await using var harness = new SinkHarness(FailsOnceUnprintably());

        await harness.EmitAsync(Event("a"));
        await harness.SettledAsync(1);

        Assert.Equal(0, harness.Counters.LostFor(LossReason.Invalid));
        Assert.Equal(1, harness.Counters.Sent);
    }

    // The same with the durable buffer: DurableOutbox.SendLoopAsync only writes SelfLog, so the record's ticket is never
    // told. It stays reserved in InFlightRecords for the life of the process: never sent again until a restart.
    [Fact]
    public async Task ADurableRecordWhoseFailureCannotBeDescribedIsSentAgainInThisProcess()
    {
        using var folder = new TempFolder();
        await using var harness = new BufferHarness(folder.Path, FailsOnceUnprintably());

        harness.Log(0, 1);
        await Eventually.TrueAsync(() => harness.Api.Bodies.Count >= 1, "the first attempt is made");
        // Past the backoff, the retry time limit (1 min with the buffer) and the pass for records put back (1 min).
        for (var i = 0; i < 30 && harness.Counters.Sent == 0; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(10);
        }
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1,
            "the record is sent again (" + harness.Api.Bodies.Count + " requests, " + harness.Sink.Store.Count + " in the store)", TimeSpan.FromSeconds(3));
    }

    // LogTraceResponse.ResetIn: an answer without a Date is trusted for a minute at most (the service's window is one
    // minute), but one with a Date is trusted for whatever Reset - Date says, up to RateLimitPacer.MaxPause (1 h). A
    // Date header far in the past (a proxy's cached answer, a peer with a stale clock) then stops the sink for an hour.
    [Fact]
    public async Task AResetFarFromTheAnswersDateIsNotTrustedForAnHour()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Timestamp);
        var pacer = new RateLimitPacer(time);

        var stale = new LogTraceResponse(202, null, new RateLimitHeaders(100, 0, Timestamp.AddSeconds(10)), date: Timestamp.AddDays(-1));
        pacer.Complete(await pacer.WaitForTurnAsync(CancellationToken.None), stale);
        var next = pacer.WaitForTurnAsync(CancellationToken.None);
        for (var i = 0; i < 4 && !next.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(5);
        }

        // As without a Date: at most the one-minute window (and the one-second margin) before the probe.
        var probed = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(3))) == next;
        Assert.True(probed, "the probe waits for an hour after 2 minutes, for a reset 10 s away that the answer's stale Date put a day away");
    }
}

// LossReporter.WouldWrite and WriteThrottled throttle SelfLog on the wall clock (GetUtcNow): after an NTP step back,
// no loss is written to SelfLog until the wall clock is back past the last line plus the interval. Everything else the
// commits moved to the monotonic clock (pacing, the gate, the retry limit, the rescan).
[Collection(SelfLogCollection.Name)]
public class LossLineThrottleTests
{
    [Fact]
    public async Task LossLinesResumeAfterTheIntervalEvenWhenTheWallClockWasSteppedBack()
    {
        using var selfLog = new SelfLogCollector();
        var clock = new SkewedClock(Timestamp);
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(400, "bad request")));
        var harness = new SinkHarness(api, o => o.TimeProvider = clock);
        static int Lines(SelfLogCollector log) => log.Lines.Count(l => l.Contains("rejected by the LogTrace service", StringComparison.Ordinal));

        await harness.EmitAsync(Event("a"));
        await Eventually.TrueAsync(() => Lines(selfLog) == 1, "the first loss is written");

        clock.Skew = TimeSpan.FromHours(-1);            // NTP steps the wall clock back an hour
        clock.Advance(LossReporter.Interval + TimeSpan.FromMinutes(1));
        await harness.EmitAsync(Event("b"));
        await Eventually.TrueAsync(() => harness.Counters.Lost == 2, "the second record is lost");

        try
        {
            await Eventually.TrueAsync(() => Lines(selfLog) == 2,
                "the second loss is written: two minutes passed since the first line (" + harness.Counters.Lost + " lost)", TimeSpan.FromSeconds(3));
        }
        finally
        {
            harness.Sink.BeginShutdown();
            clock.Advance(TimeSpan.FromHours(1));
            await harness.Sink.DisposeSinkAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
