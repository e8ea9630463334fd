using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// The queue is bounded in memory too: a few huge events (header blocks, large properties) must not grow the heap
// without limit while the service is slow or down.
public class QueueBytesTests
{
    static LogEvent Large(string name, int chars) =>
        Event(name, properties: Prop("Payload", new string('x', chars)));

    [Fact]
    public void TheEstimateGrowsWithWhatTheEventHolds()
    {
        var small = EventSize.Estimate(Event("a"));
        var large = EventSize.Estimate(Large("a", 100_000));

        Assert.InRange(small, 200, 2_000);
        // 100,000 UTF-16 characters are 200,000 bytes.
        Assert.InRange(large - small, 200_000, 201_000);
    }

    [Fact]
    public void NestedValuesAreCounted()
    {
        var headers = new DictionaryValue(Enumerable.Range(0, 30).Select(i =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("X-Header-" + i), new ScalarValue(new string('v', 1_000)))));
        var structure = new StructureValue(new[] { new LogEventProperty("Items", new SequenceValue(new[] { new ScalarValue(new string('s', 5_000)) })) });

        var size = EventSize.Estimate(Event("a", properties: new[] { Prop(LogTraceProperties.RequestHeaders, headers), Prop("Order", structure) }));

        Assert.True(size > 30 * 2_000 + 10_000, "30 header values of 1,000 characters and a nested 5,000-character string");
    }

    [Fact]
    public async Task EventsOverTheByteLimitAreTurnedAwayAndCounted()
    {
        var answer = new TaskCompletionSource<LogTraceResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new CollectingLogTraceApi(_ => answer.Task);
        var harness = new SinkHarness(api, o => o.QueueLimitBytes = 1_000_000);

        // Four events of a little over 200 KB fit in 1 MB; a fifth does not.
        var admitted = Enumerable.Range(0, 6).Select(i => harness.Admit(Large("large." + i, 100_000))).ToArray();

        Assert.Equal(new[] { true, true, true, true, false, false }, admitted);
        Assert.Equal(2, harness.Counters.LostFor(LossReason.QueueFull));
        Assert.Equal(4, harness.Counters.Queued);
        Assert.InRange(harness.Counters.QueuedBytes, 800_000, 1_000_000);
        Assert.Contains("queueLimitBytes", harness.Failures.Failures[0].Message);

        // A small event still fits beside them.
        Assert.True(harness.Admit(Event("small")));
        answer.SetResult(new LogTraceResponse(202, null));
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task TheBytesOfFinishedEventsAreGivenBack()
    {
        await using var harness = new SinkHarness(configure: o => o.QueueLimitBytes = 1_000_000);

        for (var round = 0; round < 3; round++)
        {
            var events = Enumerable.Range(0, 4).Select(i => Large("large." + i, 100_000)).ToArray();
            await harness.EmitAsync(events);
            await harness.SettledAndGivenBackAsync((round + 1) * 4);
            Assert.Equal(0, harness.Counters.QueuedBytes);
        }
        Assert.Equal(12, harness.Counters.Sent);
        Assert.Equal(0, harness.Counters.Lost);
    }
}
