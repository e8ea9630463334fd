using System.Diagnostics.Metrics;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

public class LogTraceSinkTests
{
    static Task<LogTraceResponse> Answer(int status, string? message = null, RetryAfter retryAfter = default) =>
        Task.FromResult(new LogTraceResponse(status, message, default, retryAfter));

    static string? NameOf(System.Text.Json.JsonElement body) => body.GetProperty("name").GetString();

    [Fact]
    public async Task EachEventOfABatchIsSentAsItsOwnRequest()
    {
        await using var harness = new SinkHarness();

        await harness.EmitAsync(Event("a"), Event("b"), Event("c"));
        await harness.SettledAsync(3);

        Assert.Equal(new[] { "a", "b", "c" }, harness.Api.Bodies.Select(NameOf).OrderBy(n => n));
        Assert.Equal(3, harness.Counters.Sent);
        Assert.Equal(0, harness.Counters.Queued);
    }

    [Theory]
    [InlineData(400, "failed to validate payload")]
    [InlineData(413, "payload too large")]
    [InlineData(415, null)]
    [InlineData(422, "unprocessable")]
    public async Task ARejectedEventIsNeverRetriedAndDoesNotStopTheOthers(int status, string? message)
    {
        var api = new CollectingLogTraceApi(body => NameOf(body) == "bad" ? Answer(status, message) : Answer(202));
        await using var harness = new SinkHarness(api);
        var bad = Event("bad");

        await harness.EmitAsync(Event("a"), bad, Event("b"));
        await harness.SettledAsync(3);

        Assert.Equal(3, api.Bodies.Count);
        Assert.Equal(2, harness.Counters.Sent);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Rejected));
        Assert.Equal(0, harness.Counters.Retries);
        var failure = Assert.Single(harness.Failures.Failures);
        Assert.Equal(LoggingFailureKind.Permanent, failure.Kind);
        Assert.Same(bad, Assert.Single(failure.Events));
        Assert.Contains("status " + status, failure.Message);
        Assert.Contains(message ?? "(no message)", failure.Message);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task ATransientAnswerIsRetriedWithTheSameBodyUntilItIsDelivered(int status)
    {
        var calls = 0;
        var api = new CollectingLogTraceApi(_ => Interlocked.Increment(ref calls) <= 2 ? Answer(status, "failed to enqueue event") : Answer(202));
        await using var harness = new SinkHarness(api);

        await harness.EmitAsync(Event("a"));
        await harness.SettledAsync(1);

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(2, harness.Counters.Retries);
        Assert.Empty(harness.Failures.Failures);
        // Three attempts of one event: the same _event_id each time, so a duplicate can be recognised.
        Assert.Equal(new[] { "event-1", "event-1", "event-1" }, api.EventIds);
    }

    [Fact]
    public async Task ConnectionFailuresAndTimeoutsAreRetriedWithGrowingBackoff()
    {
        var times = new List<DateTimeOffset>();
        SinkHarness? harness = null;
        var api = new CollectingLogTraceApi(_ =>
        {
            lock (times)
            {
                times.Add(harness!.Time.GetUtcNow());
                return times.Count switch
                {
                    1 => throw new HttpRequestException("Connection refused"),
                    2 => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"),
                    3 => throw new HttpRequestException("Connection reset"),
                    _ => Answer(202),
                };
            }
        });
        await using (harness = new SinkHarness(api))
        {
            await harness.EmitAsync(Event("a"));
            await harness.SettledAsync(1);

            Assert.Equal(1, harness.Counters.Sent);
            Assert.Equal(3, harness.Counters.Retries);
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
            // Equal jitter: attempt n waits between half and all of 1 s * 2^n (DeliveryPolicyTests pins the formula).
            // The upper bounds allow the fake clock to run a few 500 ms steps past a wait on a loaded machine.
            Assert.InRange(gaps[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1 + 2));
            Assert.InRange(gaps[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2 + 2));
            Assert.InRange(gaps[2], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4 + 2));
            Assert.True(gaps[2] > gaps[0], "the backoff grows");
        }
    }

    [Fact]
    public async Task RetryAfterInSecondsIsHonoured()
    {
        var times = new List<DateTimeOffset>();
        SinkHarness? harness = null;
        var api = new CollectingLogTraceApi(_ =>
        {
            lock (times)
            {
                times.Add(harness!.Time.GetUtcNow());
                return times.Count == 1 ? Answer(503, "service unavailable", RetryAfter.After(TimeSpan.FromSeconds(30))) : Answer(202);
            }
        });
        await using (harness = new SinkHarness(api))
        {
            await harness.EmitAsync(Event("a"));
            await harness.SettledAsync(1);

            Assert.Equal(2, times.Count);
            Assert.InRange(times[1] - times[0], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31));
        }
    }

    [Fact]
    public async Task RetryAfterAsAnHttpDateIsHonouredByEverySender()
    {
        var times = new List<(string?, DateTimeOffset)>();
        SinkHarness? harness = null;
        var first = true;
        var api = new CollectingLogTraceApi(body =>
        {
            lock (times)
            {
                var now = harness!.Time.GetUtcNow();
                times.Add((NameOf(body), now));
                if (!first)
                    return Answer(202);
                first = false;
                return Answer(429, "Too Many Requests", RetryAfter.At(now.AddSeconds(45)));
            }
        });
        await using (harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1))
        {
            await harness.EmitAsync(Event("a"), Event("b"));
            await harness.SettledAsync(2);

            Assert.Equal(1, harness.Counters.RateLimited);
            Assert.Equal(2, harness.Counters.Sent);
            // After the 429 nothing is sent before the date: neither the retry of a nor b.
            var start = times[0].Item2;
            Assert.All(times.Skip(1), t => Assert.True(t.Item2 - start >= TimeSpan.FromSeconds(45), t.Item1 + " was sent too early"));
        }
    }

    [Fact]
    public async Task AnEventThatKeepsFailingIsGivenUpAtTheRetryTimeLimit()
    {
        var api = new CollectingLogTraceApi(body => NameOf(body) == "doomed" ? Answer(500, "failed to enqueue event") : Answer(202));
        await using var harness = new SinkHarness(api, o => o.RetryTimeLimit = TimeSpan.FromMinutes(2));
        var doomed = Event("doomed");

        await harness.EmitAsync(doomed, Event("fine"));
        await harness.SettledAsync(2);

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.RetryLimit));
        var failure = Assert.Single(harness.Failures.Failures);
        Assert.Equal(LoggingFailureKind.Permanent, failure.Kind);
        Assert.Same(doomed, Assert.Single(failure.Events));
        Assert.Contains("retry time limit", failure.Message);
        Assert.Contains("status 500: failed to enqueue event", failure.Message);
        Assert.InRange(api.Bodies.Count(b => NameOf(b) == "doomed"), 3, 20);
    }

    [Theory]
    [InlineData(401, "API key not found")]
    [InlineData(402, "payment required")]
    [InlineData(403, "forbidden")]
    [InlineData(428, "Organization is required")]
    public async Task AConfigurationErrorFailsTheFollowingEventsWithoutRequestsUntilTheRecheck(int status, string message)
    {
        var api = new CollectingLogTraceApi(_ => Answer(status, message));
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);
        var events = Enumerable.Range(0, 20).Select(i => Event("e" + i)).ToArray();

        await harness.EmitAsync(events);
        await Eventually.TrueAsync(() => harness.Finished == 20, "all 20 events are lost");

        // One request found the problem; the sink did not spin on the other 19.
        Assert.Single(api.Bodies);
        Assert.Equal(20, harness.Counters.LostFor(LossReason.Unauthorized));
        Assert.Equal(20, harness.Failures.Failures.Count);
        Assert.All(harness.Failures.Failures, f => Assert.Contains(message, f.Message));

        harness.Time.Advance(ConfigurationGate.RecheckInterval);
        await harness.EmitAsync(Event("later"));
        await Eventually.TrueAsync(() => harness.Finished == 21, "the later event is lost");
        Assert.Equal(2, api.Bodies.Count);
    }

    [Fact]
    public async Task AnEventWithoutUserIsDroppedCountedAndReportedWhenNoFallbackIsConfigured()
    {
        await using var harness = new SinkHarness(configure: o => o.FallbackUserName = null);

        await harness.EmitAsync(Event("no.user", userName: null), Event("with.user"));
        await harness.SettledAsync(2);

        Assert.Equal("with.user", NameOf(Assert.Single(harness.Api.Bodies)));
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
        Assert.Contains("neither UserId nor UserName", Assert.Single(harness.Failures.Failures).Message);
    }

    [Fact]
    public async Task AnEventWithAnInvalidNameIsDroppedCountedAndReported()
    {
        await using var harness = new SinkHarness();
        var invalid = LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, new StructureValue(Array.Empty<LogEventProperty>())) });

        await harness.EmitAsync(invalid);
        await harness.SettledAsync(1);

        Assert.Empty(harness.Api.Bodies);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
        Assert.Single(harness.Failures.Failures);
    }

    [Fact]
    public async Task TheApiKeyNeverAppearsInAReport()
    {
        var api = new CollectingLogTraceApi(_ => Answer(400, "API key " + ApiKey + " is odd {0}"));
        await using var harness = new SinkHarness(api);

        await harness.EmitAsync(Event("a"));
        await harness.SettledAsync(1);

        var message = Assert.Single(harness.Failures.Failures).Message;
        Assert.DoesNotContain(ApiKey, message);
        Assert.Contains("[REDACTED]", message);
        // Braces would break SelfLog's default listener, which formats the message.
        Assert.DoesNotContain("{", message);
    }

    [Fact]
    public async Task NoMoreThanTheConfiguredNumberOfRequestsAreInFlight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var api = new CollectingLogTraceApi(async _ =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
            return new LogTraceResponse(202, null);
        });
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 3);

        var emit = harness.EmitAsync(Enumerable.Range(0, 10).Select(i => Event("e" + i)).ToArray());
        await Eventually.TrueAsync(() => Volatile.Read(ref started) == 3, "three requests are in flight");
        Assert.Equal(10, harness.Counters.Queued);
        release.SetResult();
        await emit;
        await harness.SettledAsync(10);

        Assert.Equal(3, api.MaxInFlight);
        Assert.Equal(10, harness.Counters.Sent);
    }

    [Fact]
    public async Task TheQueueLimitTurnsAwayAndCountsTheEventsOverIt()
    {
        await using var harness = new SinkHarness(configure: o => o.QueueLimit = 2);
        var third = Event("c");

        Assert.True(harness.Admit(Event("a")));
        Assert.True(harness.Admit(Event("b")));
        Assert.False(harness.Admit(third));

        Assert.Equal(1, harness.Counters.LostFor(LossReason.QueueFull));
        Assert.Equal(2, harness.Counters.Queued);
        var failure = Assert.Single(harness.Failures.Failures);
        Assert.Same(third, Assert.Single(failure.Events));
        Assert.Contains("queueLimit", failure.Message);
    }

    [Fact]
    public async Task ShutdownStopsAtItsDeadlineAndAccountsForEveryEventNotDelivered()
    {
        // The service never answers: every request waits until the sink cancels it.
        var api = new CollectingLogTraceApi(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new LogTraceResponse(202, null);
        });
        var harness = new SinkHarness(api, o =>
        {
            o.MaxConcurrentRequests = 2;
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
        });
        var events = Enumerable.Range(0, 6).Select(i => Event("e" + i)).ToArray();
        var emit = harness.EmitAsync(events);
        await Eventually.TrueAsync(() => api.Bodies.Count == 2, "two requests are in flight");

        harness.Sink.BeginShutdown();
        var dispose = Task.Run(async () =>
        {
            await emit;
            await harness.Sink.DisposeSinkAsync();
        });
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(dispose.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await dispose.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, harness.Counters.Sent);
        Assert.Equal(6, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(events.OrderBy(e => e.Properties["EventName"].ToString()),
            harness.Failures.Failures.SelectMany(f => f.Events).OrderBy(e => e.Properties["EventName"].ToString()));
        Assert.True(api.Disposed);
    }

    [Fact]
    public async Task MetricsReportSentFailedRetriesRateLimitsDepthAndLatency()
    {
        var calls = 0;
        var api = new CollectingLogTraceApi(body => NameOf(body) switch
        {
            "bad" => Answer(400, "failed to validate payload"),
            _ when Interlocked.Increment(ref calls) == 1 => Answer(429, "Too Many Requests", RetryAfter.After(TimeSpan.FromSeconds(1))),
            _ => Answer(202),
        });
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);
        var measurements = new List<(string Instrument, double Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == harness.Counters.Meter)
                l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                    reason = (string?)tag.Value;
            }
            lock (measurements)
                measurements.Add((instrument.Name, value, reason));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        harness.Admit(Event("x")); // admitted, never handed over: still queued
        listener.RecordObservableInstruments();
        await harness.EmitAsync(Event("ok"), Event("bad"));
        await harness.SettledAsync(2);
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            Assert.Equal(1, measurements.Where(m => m.Instrument == "logtrace.events.sent").Sum(m => m.Value));
            Assert.Equal(("logtrace.events.failed", 1.0, "rejected"), Assert.Single(measurements, m => m.Instrument == "logtrace.events.failed"));
            Assert.Equal(1, measurements.Where(m => m.Instrument == "logtrace.retries").Sum(m => m.Value));
            Assert.Equal(1, measurements.Where(m => m.Instrument == "logtrace.rate_limited").Sum(m => m.Value));
            // One event admitted and not handed over, before and after the other two were finished.
            Assert.Equal(new[] { 1.0, 1.0 }, measurements.Where(m => m.Instrument == "logtrace.queue.depth").Select(m => m.Value));
            // From the event's timestamp (the fake clock's start) to acceptance, which came after the 1 s Retry-After.
            var latency = Assert.Single(measurements, m => m.Instrument == "logtrace.delivery.latency");
            Assert.InRange(latency.Value, 1.0, (harness.Time.GetUtcNow() - Timestamp).TotalSeconds);
        }
    }

    [Fact]
    public async Task AnEventLoggedDuringARequestIsSentWithTheStatusCodeTheRequestEndedWith()
    {
        await using var harness = new SinkHarness();
        var completion = new TestCompletion(TimeSpan.FromSeconds(5));

        await harness.EmitAsync(TestCompletion.EventIn("invoice.created", completion));
        // Had the sink not waited, the body would have been formatted without a status code.
        completion.Complete(201, TimeSpan.FromMilliseconds(42.5));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the event is sent");

        var details = Assert.Single(harness.Api.Bodies).GetProperty("request_details");
        Assert.Equal(201, details.GetProperty("http_status_code").GetInt32());
        Assert.Equal("42.5ms", details.GetProperty("request_duration").GetString());
        Assert.False(Assert.Single(harness.Api.Bodies).GetProperty("metadata").TryGetProperty("LogTraceRequestContext", out _));
    }

    [Fact]
    public async Task AnEventIsHeldNoLongerThanMaxWaitAfterItsTimestamp()
    {
        await using var harness = new SinkHarness();
        var completion = new TestCompletion(TimeSpan.FromSeconds(5));

        await harness.EmitAsync(TestCompletion.EventIn("report.viewed", completion));
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 1, "the event is sent while its request still runs", TimeSpan.FromSeconds(1));

        // Sent once MaxWait had passed since the event's timestamp (the fake clock started there).
        Assert.InRange(harness.Time.GetUtcNow() - Timestamp, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
        var details = Assert.Single(harness.Api.Bodies).GetProperty("request_details");
        Assert.False(details.TryGetProperty("http_status_code", out _));
        Assert.False(details.TryGetProperty("request_duration", out _));
    }

    [Fact]
    public async Task AnExplicitStatusCodeOnTheEventWinsOverTheRequests()
    {
        await using var harness = new SinkHarness();
        var completion = new TestCompletion(TimeSpan.FromSeconds(5));
        completion.Complete(500, TimeSpan.FromSeconds(1));

        await harness.EmitAsync(TestCompletion.In(Event("payment.failed", properties: new[] { Prop(LogTraceProperties.StatusCode, 402) }), completion));
        await harness.SettledAsync(1);

        var details = Assert.Single(harness.Api.Bodies).GetProperty("request_details");
        Assert.Equal(402, details.GetProperty("http_status_code").GetInt32());
        Assert.Equal("1000ms", details.GetProperty("request_duration").GetString());
    }

    [Fact]
    public async Task DisposingTheSinkDisposesTheApi()
    {
        var harness = new SinkHarness();
        await harness.DisposeAsync();
        Assert.True(harness.Api.Disposed);
    }
}
