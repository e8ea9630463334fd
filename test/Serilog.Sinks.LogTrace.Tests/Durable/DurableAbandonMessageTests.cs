using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// With the durable buffer, a before-send hook that never returns holds the writer; the shutdown gives up and counts
// the records lost. The SelfLog line names the hook or a disk write, not the HttpMessageHandler alone, since no
// request was made. Found by a review: it blamed the handler.
[Collection(SelfLogCollection.Name)]
public class DurableAbandonMessageTests
{
    [Fact]
    public async Task ABlockedHookIsNotBlamedOnTheHttpMessageHandler()
    {
        using var selfLog = new SelfLogCollector();
        using var folder = new TempFolder();
        var hook = new BlockingHook();
        var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
            o.BeforeSend = hook.Hook;
        });
        try
        {
            harness.Log(0, 2);
            await Eventually.TrueAsync(() => hook.Entered == 1, "the hook holds the writer");
            await harness.DisposeAsync();
        }
        finally
        {
            hook.Release();
        }

        Assert.Equal(2, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Empty(harness.Api.Bodies);
        var line = Assert.Single(selfLog.Lines, l => l.Contains("counted as lost (shutdown)"));
        Assert.Contains("LogTrace: the durable buffer's writer or senders were still busy 00:00:05 after the shutdown timeout of 00:00:02 " +
            "(a before-send hook or a disk write that does not return, or an HttpMessageHandler that does not honour cancellation); " +
            "shutdown goes on without them, and records already in the durable buffer stay there for the next run; " +
            "2 records not yet written to it are counted as lost (shutdown)", line);
    }
}
