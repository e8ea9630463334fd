using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// What the durable buffer says when it closes (DurableOutbox.Close), in the cases the other tests do not stand on: records
// remain though no request failed (the last line names no failure), and a folder removed while running that held
// nothing (nothing is counted lost, nothing said to be left).
[Collection(SelfLogCollection.Name)]
public class DurableCloseLineTests
{
    [Fact]
    public async Task RecordsThatRemainWithoutAFailure_AreSaidWithoutALastFailure()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = CollectingLogTraceApi.Stalled();
        await using (var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }))
        {
            harness.Log(0, 3);
            await Eventually.TrueAsync(() => harness.Sink.Store.Count == 3 && api.InFlight == 1, "three are buffered, one in flight");
        }

        var line = Assert.Single(selfLog.Lines, l => l.Contains("remain in the durable buffer", StringComparison.Ordinal));
        Assert.EndsWith("LogTrace: 3 events remain in the durable buffer at " + folder.Path + ", not lost: the next start with this bufferPath " +
            "delivers them; sent in all: 0", line.TrimEnd());
    }

    [Fact]
    public async Task AFolderRemovedWhileItHeldNothing_LosesNothing_AndSaysNothingIsLeft()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var path = folder.Combine("buffer");
        var harness = new BufferHarness(path, new CollectingLogTraceApi(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        await using (harness)
        {
            harness.Log(0, 2);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 2 && harness.Sink.Store.Count == 0, "both are delivered and removed");
            Directory.Delete(path, recursive: true);
            harness.Log(2, 1);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 3 && harness.Sink.Store.Count == 0, "the third is delivered from the removed file");
        }

        Assert.Equal(0, harness.Counters.Lost);
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("were left in the durable buffer", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Failures.Failures, f => f.Message.Contains("(in the removed buffer)", StringComparison.Ordinal));
    }
}
