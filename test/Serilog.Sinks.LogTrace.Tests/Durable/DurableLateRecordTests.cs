using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// With the durable buffer, a record held for its request counts for OldestUndeliveredAge while held (LateRecords), and
// once the writer takes it, until it is on disk: a write that does not return (or a before-send hook) no longer hides
// it. Found by a review: between the queue and the disk the record was in no line the status read. Once on disk, the
// store's first record by id stands for the buffer (DurableOutbox.OldestUndelivered says by how much that can be short).
public class DurableLateRecordTests
{
    [Fact]
    public async Task ALateRecordTheWriterHoldsStillCounts()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1, stores);
        var now = harness.Time.GetUtcNow();
        var request = new TestCompletion(TimeSpan.FromHours(1));

        TestCompletion.Emit(harness.Target, TestCompletion.In(Some.At(Some.Event("late"), now - TimeSpan.FromMinutes(40)), request));
        await Eventually.TrueAsync(() => harness.Target.Queue.Late.Oldest != null, "the late record is held for its request");
        harness.Target.Emit(Some.At(Some.Event("newer"), now - TimeSpan.FromMinutes(1)));
        await Eventually.TrueAsync(() => harness.Sink.Buffered == 1 && harness.Api.InFlight == 1, "the newer record is in the buffer, in flight");
        Assert.Equal(TimeSpan.FromMinutes(40), harness.Target.Status(false).OldestUndeliveredAge);

        // The disk stalls: the released record waits in the writer's append.
        stores.Last!.BlockAppends();
        request.Complete(200, TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => stores.Last.AppendsWaiting == 1 && harness.Target.Queue.Late.Oldest == null, "the writer holds the late record");

        Assert.Equal(TimeSpan.FromMinutes(40), harness.Target.Status(false).OldestUndeliveredAge);
        stores.Last.ReleaseAppends();
        await Eventually.TrueAsync(() => harness.Sink.Buffered == 2, "the late record is on disk");
    }

    // The writer's batch counts from its oldest record, which need not be its first (a record back from its request
    // stands behind newer ones), and stops counting once the batch is on disk, where the store's first stands for it.
    [Fact]
    public async Task TheWritersBatchCountsFromItsOldestRecord_UntilItIsOnDisk()
    {
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        var pauses = new ScriptedPauses();
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down"))),
            o => o.WritePause = pauses.Pause, stores);
        var now = harness.Time.GetUtcNow();
        harness.Target.Emit(Some.At(Some.Event("first"), now - TimeSpan.FromMinutes(1)));
        await Eventually.TrueAsync(() => stores.Last?.Count == 1 && pauses.Count == 1, "the first record is on disk, and the writer pauses");

        stores.Last!.BlockAppends();
        harness.Target.Emit(Some.At(Some.Event("newer"), now - TimeSpan.FromMinutes(2)));
        harness.Target.Emit(Some.At(Some.Event("older"), now - TimeSpan.FromMinutes(30)));
        await Eventually.TrueAsync(() => harness.Counters.Queued == 2, "two wait in the queue");
        pauses.ReleaseAll();
        await Eventually.TrueAsync(() => stores.Last.AppendsWaiting == 1, "the writer holds both, in one batch");
        Assert.Equal(TimeSpan.FromMinutes(30), harness.Target.Status(false).OldestUndeliveredAge);

        stores.Last.ReleaseAppends();
        await Eventually.TrueAsync(() => stores.Last.Count == 3, "the batch is on disk");
        // The store's first record by id stands for the buffer (DurableOutbox.OldestUndelivered says why); the store
        // keeps whole milliseconds.
        Assert.InRange(harness.Target.Status(false).OldestUndeliveredAge!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
    }
}
