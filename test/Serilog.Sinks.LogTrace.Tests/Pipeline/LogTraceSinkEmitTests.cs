using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// What the sink does on the application's thread: filter, capture the request, admit, queue.
public class LogTraceSinkEmitTests
{
    [Fact]
    public async Task LogEventsWithoutAMarkerNeverReachTheQueue()
    {
        await using var harness = new SinkHarness();

        harness.Sink.Emit(LogEvent("Plain line"));
        harness.Sink.Emit(LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, "") }));
        Assert.Equal(0, harness.Counters.Queued);
        harness.Sink.Emit(Event("user.login"));
        await harness.SettledAsync(1);

        Assert.Equal("user.login", Assert.Single(harness.Api.Bodies).GetProperty("name").GetString());
        Assert.Equal(0, harness.Counters.Lost);
    }

    [Fact]
    public async Task FilteringOutALogEventAllocatesNothing()
    {
        await using var harness = new SinkHarness();
        var plain = LogEvent("Plain line {A} {B}", properties: new[] { Prop("A", 1), Prop("B", "two") });
        harness.Sink.Emit(plain); // warm up: JIT and first-call costs are not the steady state

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            harness.Sink.Emit(plain);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, harness.Counters.Queued);
    }

    [Fact]
    public async Task ARecordOverTheQueueLimitIsCountedAndReachesTheFailureListenerAsLogged()
    {
        // Nothing leaves the queue: the only request waits until the sink cancels it.
        var api = CollectingLogTraceApi.Stalled();
        await using var harness = new SinkHarness(api, o =>
        {
            o.QueueLimit = 2;
            o.MaxConcurrentRequests = 1;
        });
        var third = Event("c");

        harness.Sink.Emit(Event("a"));
        harness.Sink.Emit(Event("b"));
        harness.Sink.Emit(third);

        Assert.Equal(2, harness.Counters.Queued);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.QueueFull));
        Assert.Same(third, Assert.Single(Assert.Single(harness.Failures.Failures).Events));
    }

    [Fact]
    public async Task ARecordLoggedAfterDisposeIsCountedAsLostAtShutdown()
    {
        var harness = new SinkHarness();
        await harness.DisposeAsync();

        harness.Sink.Emit(Event("late"));

        Assert.Equal(1, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Empty(harness.Api.Bodies);
    }

    sealed class RequestContextStub : LogTraceRequestContext
    {
        public RequestContextStub() : base(TimeSpan.FromSeconds(5)) { }
        public override Task Completed => Task.CompletedTask;
        public override int? StatusCode => 201;
        public override TimeSpan? Duration => TimeSpan.FromMilliseconds(3);
        public override bool AddProperties(LogEvent logEvent)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty(LogTraceProperties.ClientIp, new ScalarValue("203.0.113.9")));
            return true;
        }
    }

    [Fact]
    public async Task InsideARequestTheRecordCarriesTheRequestsValuesAndTheLoggedEventIsLeftAlone()
    {
        // The service refuses the record: the failure listener receives the event as logged, not the sink's copy.
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(400, "bad")));
        await using var harness = new SinkHarness(api);
        var traced = new LogEvent(Timestamp, LogEventLevel.Information, null, new Serilog.Parsing.MessageTemplateParser().Parse("Signed in"),
            new[] { new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("user.login")) },
            System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom());

        await Task.Run(() =>
        {
            LogTraceRequestContext.Current = new RequestContextStub();
            harness.Sink.Emit(traced);
        });
        await harness.SettledAsync(1);

        var details = Assert.Single(api.Bodies).GetProperty("request_details");
        Assert.Equal("203.0.113.9", details.GetProperty("ip_address").GetString());
        Assert.Equal(201, details.GetProperty("http_status_code").GetInt32());
        Assert.False(traced.Properties.ContainsKey(LogTraceProperties.ClientIp));
        Assert.Same(traced, Assert.Single(Assert.Single(harness.Failures.Failures).Events));
        // No property of the sink's own rides in the record's metadata.
        Assert.Equal(new[] { "_event_id" }, api.Bodies.Single().GetProperty("metadata").EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("_")));
    }
}

// Emit never throws, whatever the logged event carries.
public class HostileEventTests
{
    sealed class UnprintableException : Exception
    {
        public override string Message => throw new InvalidOperationException("no message");
    }

    [Fact]
    public async Task AnEventWhoseExceptionHasNoReadableMessageIsAdmittedAndCounted()
    {
        await using var harness = new SinkHarness();
        var logEvent = new LogEvent(Timestamp, LogEventLevel.Error, new UnprintableException(), new Serilog.Parsing.MessageTemplateParser().Parse("Failed"),
            new[] { new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("payment.failed")) });

        harness.Sink.Emit(logEvent);
        await harness.SettledAndGivenBackAsync(1);

        Assert.Equal(1, harness.Counters.Sent + harness.Counters.Lost);
        Assert.Equal(0, harness.Counters.Queued);
    }
}
