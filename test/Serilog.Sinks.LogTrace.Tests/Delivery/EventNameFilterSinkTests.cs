using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Delivery;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

public class EventNameFilterSinkTests
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
    public void EventsWithoutEventNameNeverReachTheQueue()
    {
        var queue = new CollectingSink();
        var filter = new EventNameFilterSink(queue, new CollectingSink());
        var loginEvent = Event("user.login");

        filter.Emit(LogEvent("Plain line"));
        filter.Emit(LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, "") }));
        filter.Emit(loginEvent);

        Assert.Same(loginEvent, Assert.Single(queue.Events));
    }

    [Fact]
    public void FilteringOutALogEventAllocatesNothing()
    {
        var queue = new CollectingSink();
        var filter = new EventNameFilterSink(queue, new CollectingSink());
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
    public void DisposeAndFailureListenerReachTheWrappedSinks()
    {
        var queue = new CollectingSink();
        var target = new CollectingSink();
        var filter = new EventNameFilterSink(queue, target);
        var listener = new CollectingFailureListener();

        filter.SetFailureListener(listener);
        filter.Dispose();

        Assert.True(queue.Disposed);
        Assert.Same(listener, queue.Listener);
        Assert.Same(listener, target.Listener);
    }
}
