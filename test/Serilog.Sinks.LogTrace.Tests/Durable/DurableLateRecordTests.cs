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
}
