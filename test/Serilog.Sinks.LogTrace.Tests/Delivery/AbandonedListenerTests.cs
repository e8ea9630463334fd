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
        using var gate = new ManualResetEventSlim();
        var entered = 0;
        var harness = new SinkHarness(new CollectingLogTraceApi(), o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
            o.BeforeSend = _ =>
            {
                Interlocked.Increment(ref entered);
                gate.Wait();
                return true;
            };
        });
        try
        {
            await harness.EmitAsync(Some.Event("held.by.hook"), Some.Event("behind"));
            await Eventually.TrueAsync(() => Volatile.Read(ref entered) == 1, "the hook holds the first record");
            var disposed = harness.Sink.DisposeSinkAsync();
            await harness.AdvanceUntilAsync(() => disposed.IsCompleted, "disposal gives up", TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            gate.Set();
        }
        await Eventually.TrueAsync(() => harness.Counters.Queued == 0, "the held records are finished after the hook returns");

        Assert.Equal(2, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(2, harness.Failures.Failures.Sum(f => f.Events.Count));
    }
}
