using System.Runtime.CompilerServices;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// What waits in memory while the service is slow or down: formatted bodies, not log events (docs/architecture.md).
public class MemoryOutboxTests
{
    [Fact]
    public async Task WithoutAFailureListenerARecordWaitingToBeSentKeepsNoLogEventAlive()
    {
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1, listen: false);
        var outbox = (MemoryOutbox)harness.Sink.Outbox;
        harness.Sink.Emit(Event("first")); // holds the only sender
        var waiting = EmitAndForget(harness.Sink, "second");
        harness.Sink.Emit(Event("third"));

        await Eventually.TrueAsync(() => outbox.WaitingToBeSent == 2, "the second and third records are formatted");
        await Eventually.TrueAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return !waiting.IsAlive;
        }, "the second record's log event is collected");

        Assert.Equal(3, harness.Counters.Queued);
    }

    [Fact]
    public async Task WithAFailureListenerARecordLostAfterFormattingReachesItAsLogged()
    {
        var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1);
        var outbox = (MemoryOutbox)harness.Sink.Outbox;
        var first = Event("first");
        var second = Event("second");
        harness.Sink.Emit(first);
        harness.Sink.Emit(second);
        await Eventually.TrueAsync(() => outbox.WaitingToBeSent == 1 && harness.Api.InFlight == 1, "the second record is formatted and waits");

        await harness.DisposeAsync();

        Assert.Equal(2, harness.Counters.LostFor(LossReason.Shutdown));
        var lost = harness.Failures.Failures.SelectMany(f => f.Events).ToArray();
        Assert.Contains(lost, e => ReferenceEquals(e, second));
        Assert.Contains(lost, e => ReferenceEquals(e, first));
    }

    [Fact]
    public async Task ARecordFormattedBeforeTheDeadlineButNotSentIsCountedOnceAndItsBytesGivenBack()
    {
        var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1, listen: false);
        var outbox = (MemoryOutbox)harness.Sink.Outbox;
        for (var i = 0; i < 5; i++)
            harness.Sink.Emit(Event("e" + i));
        await Eventually.TrueAsync(() => outbox.WaitingToBeSent == 4, "four records are formatted and wait");

        await harness.DisposeAsync();

        Assert.Equal(5, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(5, harness.Counters.Lost);
        Assert.Equal(0, harness.Counters.Queued);
        Assert.Equal(0, harness.Counters.QueuedBytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference EmitAndForget(LogTraceSink sink, string name)
    {
        var logEvent = Event(name);
        sink.Emit(logEvent);
        return new WeakReference(logEvent);
    }
}
