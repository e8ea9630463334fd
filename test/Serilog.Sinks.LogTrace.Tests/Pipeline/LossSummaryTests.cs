using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// Without a failure listener, a loss that no SelfLog line shows at once is counted without its message being made;
// the next line, or the summary at shutdown, still says how many and names the last. These read SelfLog: run alone.
[Collection(SelfLogCollection.Name)]
public class LossSummaryTests
{
    // A queue of one record that never leaves it, with SelfLog's own failure listener (none of the sink's).
    static SinkHarness QueueOfOne()
    {
        var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o =>
        {
            o.QueueLimit = 1;
            o.MaxConcurrentRequests = 1;
        });
        harness.Sink.SetFailureListener(Serilog.Debugging.SelfLog.FailureListener);
        return harness;
    }

    [Fact]
    public async Task TheShutdownSummaryCountsTheLossesHeldBackAndNamesTheLast()
    {
        using var selfLog = new SelfLogCollector();
        var harness = QueueOfOne();

        harness.Sink.Emit(Event("kept"));
        for (var i = 1; i <= 4; i++)
            harness.Sink.Emit(Event("dropped." + i));
        Assert.Equal(4, harness.Counters.LostFor(LossReason.QueueFull));
        var first = Assert.Single(selfLog.Lines);
        Assert.Contains("\"dropped.1\"", first);

        await harness.DisposeAsync();

        var summary = Assert.Single(selfLog.Lines, l => l.Contains("more events lost (queue_full)"));
        Assert.Contains("3 more events lost (queue_full) since the previous line", summary);
        Assert.Contains("the last: LogTrace event \"dropped.4\" was dropped because the queue already holds 1 record (queueLimit)", summary);
    }

    [Fact]
    public async Task TheNextLineAfterTheIntervalCountsTheLossesHeldBack()
    {
        using var selfLog = new SelfLogCollector();
        var harness = QueueOfOne();

        harness.Sink.Emit(Event("kept"));
        harness.Sink.Emit(Event("dropped.1"));
        harness.Sink.Emit(Event("dropped.2"));
        harness.Time.Advance(LossReporter.Interval);
        harness.Sink.Emit(Event("dropped.3"));

        Assert.Equal(2, selfLog.Lines.Count);
        Assert.Contains("\"dropped.3\"", selfLog.Lines[1]);
        Assert.Contains("1 more event lost for the same reason since the previous line", selfLog.Lines[1]);
        await harness.DisposeAsync();
    }
}
