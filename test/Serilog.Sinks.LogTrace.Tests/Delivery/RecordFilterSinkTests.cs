using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Delivery;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

public class RecordFilterSinkTests
{
    sealed class CollectingSink : ILogEventSink, IDisposable, ISetLoggingFailureListener
    {
        public List<LogEvent> Events { get; } = new();
        public bool Disposed { get; private set; }
        public ILoggingFailureListener? Listener { get; private set; }
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
        public void Dispose() => Disposed = true;
        public void SetFailureListener(ILoggingFailureListener failureListener) => Listener = failureListener;
    }

    [Fact]
    public async Task EventsWithoutEventNameNeverReachTheQueue()
    {
        var queue = new CollectingSink();
        await using var harness = new SinkHarness();
        var filter = new RecordFilterSink(queue, harness.Sink);
        var loginEvent = Event("user.login");

        filter.Emit(LogEvent("Plain line"));
        filter.Emit(LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, "") }));
        filter.Emit(loginEvent);

        Assert.Same(loginEvent, Assert.Single(queue.Events));
    }

    [Fact]
    public async Task FilteringOutALogEventAllocatesNothing()
    {
        var queue = new CollectingSink();
        await using var harness = new SinkHarness();
        var filter = new RecordFilterSink(queue, harness.Sink);
        var plain = LogEvent("Plain line {A} {B}", properties: new[] { Prop("A", 1), Prop("B", "two") });
        filter.Emit(plain); // warm up: JIT and first-call costs are not the steady state

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            filter.Emit(plain);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Empty(queue.Events);
    }

    [Fact]
    public async Task EventsOverTheQueueLimitAreCountedAndReachTheFailureListenerSetOnTheFilter()
    {
        var queue = new CollectingSink();
        await using var harness = new SinkHarness(configure: o => o.QueueLimit = 1);
        var filter = new RecordFilterSink(queue, harness.Sink);
        var listener = new CollectingFailureListener();
        filter.SetFailureListener(listener);
        var second = Event("b");

        filter.Emit(Event("a"));
        filter.Emit(second);

        Assert.Single(queue.Events);
        Assert.Same(listener, queue.Listener);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.QueueFull));
        Assert.Same(second, Assert.Single(Assert.Single(listener.Failures).Events));
    }

    [Fact]
    public async Task DisposeStartsTheShutdownAndDisposesTheQueue()
    {
        var queue = new CollectingSink();
        await using var harness = new SinkHarness();
        var filter = new RecordFilterSink(queue, harness.Sink);

        filter.Dispose();
        filter.Emit(Event("late"));

        Assert.True(queue.Disposed);
        Assert.Empty(queue.Events);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Shutdown));
    }

    sealed class RequestContextStub : LogTraceRequestContext
    {
        public RequestContextStub() : base(TimeSpan.FromSeconds(5)) { }
        public override Task Completed => Task.CompletedTask;
        public override int? StatusCode => 200;
        public override TimeSpan? Duration => TimeSpan.Zero;
        public override bool AddProperties(LogEvent logEvent)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty(LogTraceProperties.ClientIp, new ScalarValue("203.0.113.9")));
            return true;
        }
    }

    [Fact]
    public async Task InsideARequestTheQueueGetsACopyWithTheRequestsValuesAndTheLoggedEventIsLeftAlone()
    {
        var queue = new CollectingSink();
        await using var harness = new SinkHarness();
        var filter = new RecordFilterSink(queue, harness.Sink);
        var traced = new LogEvent(Timestamp, LogEventLevel.Information, null, new Serilog.Parsing.MessageTemplateParser().Parse("Signed in"),
            new[] { new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("user.login")) },
            System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom());
        var untraced = Event("user.logout");

        await Task.Run(() =>
        {
            LogTraceRequestContext.Current = new RequestContextStub();
            filter.Emit(traced);
            filter.Emit(untraced);
        });

        Assert.Equal(2, queue.Events.Count);
        Assert.All(queue.Events, copy => Assert.True(copy.Properties.ContainsKey(LogTraceProperties.ClientIp)));
        Assert.False(traced.Properties.ContainsKey(LogTraceProperties.ClientIp));
        Assert.False(untraced.Properties.ContainsKey(LogTraceProperties.RequestContext));
        Assert.Equal(traced.TraceId, queue.Events[0].TraceId);
        Assert.Equal(traced.SpanId, queue.Events[0].SpanId);
        Assert.Null(queue.Events[1].TraceId);
        Assert.Same(untraced, RequestBinding.OriginalOf(queue.Events[1]));
    }
}
