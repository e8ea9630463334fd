using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// Once the shutdown gives up, a record that later ends lost (the hook returns after all, past the deadline) is not
// counted again, but is still handed to the failure listener: the fallback sink keeps its copy. Found by a review: the
// abandonment had cut the listener off with the counting.
public class AbandonedListenerTests
{
    [Fact]
    public async Task RecordsLostAfterTheShutdownGaveUpStillReachTheFailureListener()
    {
        var hook = new BlockingHook();
        var harness = hook.Harness();
        try
        {
            await harness.EmitAsync(Some.Event("held.by.hook"), Some.Event("behind"));
            await Eventually.TrueAsync(() => hook.Entered == 1, "the hook holds the first record");
            await BlockingHook.GiveUpAsync(harness);
        }
        finally
        {
            hook.Release();
        }
        await Eventually.TrueAsync(() => harness.Counters.Queued == 0, "the held records are finished after the hook returns");

        Assert.Equal(2, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(2, harness.Failures.Failures.Sum(f => f.Events.Count));
    }
}
