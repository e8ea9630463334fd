using System.Text;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The hand-over of a held buffer (HeldBufferOutbox) in detail: how many waiting records the store takes, what becomes
// of their bodies, what the lines say, and what a shutdown during or without a takeover does.
[Collection(SelfLogCollection.Name)]
public class HeldBufferHandOverTests
{
    // A service that answers once the test opens it.
    static CollectingLogTraceApi Gated(TaskCompletionSource open) => new(async (_, cancellationToken) =>
    {
        await open.Task.WaitAsync(cancellationToken);
        return new LogTraceResponse(202, null);
    });

    static Task TakenOverAsync(BufferHarness harness) =>
        harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over", TimeSpan.FromSeconds(1));

    static void LogAuditLog(BufferHarness harness, int number) =>
        harness.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1")
            .Information("Invoice {Number} deleted", number);

    // bufferSizeLimitBytes bounds the store with the carried records in it: the record that brings it to exactly the
    // limit is carried, the next one is left to the senders.
    [Fact]
    public async Task TheRecordsCarriedFillTheBufferUpToExactlyItsLimit()
    {
        const long limit = 1024 * 1024;
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var open = new TaskCompletionSource();
        long otherBytes = 0;
        var stores = new ScriptedStores(store => store.BytesOffset = otherBytes);
        await using var harness = new BufferHarness(folder.Path, Gated(open), o =>
        {
            o.MaxConcurrentRequests = 1;
            o.BufferSizeLimitBytes = limit;
        }, stores);
        // Numbers and ids of one digit: the six bodies are of one length.
        harness.Log(1, 6, name: "meanwhile");
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1 && harness.Counters.Queued == 6, "one record is in flight, five wait in memory");
        long size = Encoding.UTF8.GetByteCount(harness.Api.Bodies.Single().GetRawText()) + "meanwhile".Length + BufferRecord.Overhead;
        // The store holds other bytes, leaving room for exactly three records.
        otherBytes = limit - 3 * size;

        other.Dispose();
        await TakenOverAsync(harness);

        var stored = stores.Last!.ReadAfter(0, 100);
        Assert.All(stored, r => Assert.Equal(size, r.Size));
        Assert.Equal(new[] { 2, 3, 4 }, stored.Select(r => JsonNumber(r.Body)));
        Assert.Equal(3, harness.Target.Status(false).Buffered);
        // The one in flight and the two left stay with memory's senders.
        Assert.Equal(3, harness.Counters.Queued);
        Assert.Contains(selfLog.Lines, l => l.Contains("took it over, with 3 events"));

        open.SetResult();
        await harness.Time.AdvanceUntilAsync(() => harness.Counters.Sent == 6, "every record is delivered, from memory or from the buffer",
            TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(6, harness.Api.EventIds.Distinct().Count());
    }

    static int JsonNumber(byte[] body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("metadata").GetProperty("Number").GetInt32();

    // A record carried into the store is settled in memory: its body's bytes go back to the pool they were formatted
    // into, as a sent record's do.
    [Fact]
    public async Task TheBodiesCarriedIntoTheBufferGoBackToThePool()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var open = new TaskCompletionSource();
        var pool = new CountingPool();
        await using var harness = new BufferHarness(folder.Path, Gated(open), o =>
        {
            o.MaxConcurrentRequests = 1;
            o.BodyPool = pool;
        });
        harness.Log(0, 5, name: "meanwhile");
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1 && harness.Counters.Queued == 5, "one record is in flight, four wait in memory");

        other.Dispose();
        await TakenOverAsync(harness);
        Assert.Equal(4, harness.Target.Status(false).Buffered);
        open.SetResult();
        await harness.Time.AdvanceUntilAsync(() => harness.Counters.Sent == 5, "every record is delivered", TimeSpan.FromMilliseconds(100));

        await Eventually.TrueAsync(() => pool.Rented > 0 && pool.Returned == pool.Rented, "every array the bodies waited in is back in the pool");
    }

    // The lines name what was carried by kind, with the total: "3 records (2 events, 1 audit log)".
    [Fact]
    public async Task TheTakeoverLineNamesTheCarriedRecordsByKind()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = CollectingLogTraceApi.Stalled();
        var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        });
        harness.Log(0, 1, name: "first");
        await Eventually.TrueAsync(() => api.InFlight == 1, "the first record is in flight");
        harness.Log(1, 2, name: "meanwhile");
        LogAuditLog(harness, 3);
        await Eventually.TrueAsync(() => harness.Counters.Queued == 4, "three records wait in memory");

        other.Dispose();
        await TakenOverAsync(harness);
        Assert.Contains(selfLog.Lines, l => l.EndsWith("LogTrace: the durable buffer at " + folder.Path + " is free now: this logger took it over, with " +
            "3 records (2 events, 1 audit log) it held in memory meanwhile; what it logs from now on is buffered there", StringComparison.Ordinal));
        await harness.DisposeAsync();

        // The memory outbox does not own the API: the durable outbox disposes it, once.
        Assert.Equal(1, api.DisposeCount);
    }

    // A durable outbox that cannot start after the records were carried: the line says where they are, the status why the
    // buffer is not used, and the takeover is not tried again.
    [Fact]
    public async Task TheLineForABufferThatCouldNotStartSaysTheCarriedRecordsStayOnDisk()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new CountFailsAfterClaim();
        var api = CollectingLogTraceApi.Stalled();
        var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }, stores);
        harness.Log(0, 1, name: "first");
        await Eventually.TrueAsync(() => api.InFlight == 1, "the first record is in flight");
        harness.Log(1, 2, name: "meanwhile");
        LogAuditLog(harness, 3);
        await Eventually.TrueAsync(() => harness.Counters.Queued == 4, "three records wait in memory");

        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => selfLog.Lines.Any(l => l.Contains("is free now, but")), "the durable outbox fails to start",
            TimeSpan.FromSeconds(1));
        Assert.Contains(selfLog.Lines, l => l.EndsWith("LogTrace: the durable buffer at " + folder.Path + " is free now, but it could not be started " +
            "(InvalidOperationException: count failed); this logger goes on delivering from memory; the 3 records (2 events, 1 audit log) it had " +
            "moved there stay there, not lost: the next start with this bufferPath delivers them", StringComparison.Ordinal));
        Assert.Equal("it could not be started (InvalidOperationException: count failed)", harness.Target.Status(false).BufferUnavailable);

        var start = harness.Time.GetUtcNow();
        await harness.Time.AdvanceUntilAsync(() => harness.Time.GetUtcNow() > start + TimeSpan.FromMinutes(1), "a minute passes", TimeSpan.FromSeconds(1));
        Assert.Equal(1, stores.Opens);
        Assert.Single(selfLog.Lines, l => l.Contains("is free now, but"));

        await harness.DisposeAsync();
        Assert.Equal(1, api.DisposeCount);
    }

    // Nothing waiting in memory: the store is not written at the takeover (no empty transaction).
    [Fact]
    public async Task NothingWaitingIsNothingAppended()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), stores: stores);

        other.Dispose();
        await TakenOverAsync(harness);
        Assert.Contains(selfLog.Lines, l => l.Contains("took it over, with 0 records"));
        Assert.Equal(0, stores.Last!.Appends);
    }

    // Opens the real store once the test lets it; says when an open has begun.
    sealed class GatedStores : EventStoreFactory
    {
        public ManualResetEventSlim Opening { get; } = new();

        public ManualResetEventSlim Go { get; } = new();

        public override EventStore Open(string folder, DeadLetterFolder deadLetters)
        {
            Opening.Set();
            Go.Wait(TimeSpan.FromSeconds(30));
            return SqliteEventStore.Open(folder, deadLetters);
        }
    }

    // A shutdown that begins while the freed folder's store is being opened: the folder is let go, not taken over.
    [Fact]
    public async Task AShutdownThatBeginsWhileTheFreedStoreOpensLetsTheFolderGo()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new GatedStores();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api, stores: stores);
        harness.Log(0, 2);
        await Eventually.TrueAsync(() => api.Bodies.Count == 2, "memory delivers while the folder is held");

        other.Dispose();
        // The try may run on the thread that moves the clock: not this one, which must go on.
        var advancing = Task.Run(() => harness.Time.Advance(HeldBufferOutbox.RetryInterval));
        await Eventually.TrueAsync(() => stores.Opening.IsSet, "the freed folder's store is being opened");
        harness.Target.BeginShutdown();
        stores.Go.Set();
        await advancing;

        await Eventually.TrueAsync(() =>
        {
            using var again = BufferLock.TryAcquire(folder.Path, warnIfOpen: false);
            return again != null;
        }, "the folder's lock is let go");
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("took it over"));
        Assert.Null(harness.Target.Status(false).Buffered);
        Assert.Equal(2, harness.Counters.Sent);
    }

    // A folder still held at shutdown: the memory outbox's summary says what it could not deliver, once, and the API is
    // disposed once.
    [Fact]
    public async Task AHeldBuffersShutdownSaysWhatMemoryCouldNotDeliver()
    {
        using var folder = new TempFolder();
        using var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = CollectingLogTraceApi.Stalled();
        var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        });
        harness.Log(0, 3);
        await Eventually.TrueAsync(() => api.InFlight == 1 && harness.Counters.Queued == 3, "one record is in flight, two wait");
        await harness.DisposeAsync();

        Assert.Equal(3, harness.Counters.LostFor(Serilog.Sinks.LogTrace.Accounting.LossReason.Shutdown));
        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not be delivered within the shutdown timeout"));
        Assert.Contains("3 events could not be delivered", line);
        Assert.Equal(1, api.DisposeCount);
    }

    // A folder still held, and a request that ignores cancellation: the shutdown gives up on it and says so.
    [Fact]
    public async Task AHeldBuffersShutdownGivesUpOnARequestThatIgnoresCancellation()
    {
        using var folder = new TempFolder();
        using var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi((_, _) => new TaskCompletionSource<LogTraceResponse>().Task);
        var harness = new BufferHarness(folder.Path, api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "the request is in flight");

        await harness.DisposeAsync();

        Assert.Contains(selfLog.Lines, l => l.Contains("1 record still in flight") && l.Contains("does not honour cancellation"));
    }
}
