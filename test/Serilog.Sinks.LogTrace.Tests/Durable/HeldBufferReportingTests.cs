using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// What the held buffer (HeldBufferOutbox) says, and how often: the takeover's and the shutdown's SelfLog lines, named by kind, each said once.
[Collection(SelfLogCollection.Name)]
public class HeldBufferReportingTests
{
    // A folder others can read (a 755 folder: the usual umask's) is said once at start, not again on every 15 s try.
#if !LOGTRACE_NETSTANDARD_LEG
    // The netstandard2.0 build cannot read a folder's mode (no File.GetUnixFileMode): it does not warn.
    [Fact]
    public async Task AFolderOthersCanReadIsSaidOnceNotOnEveryTry()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var folder = new TempFolder();
        System.IO.File.SetUnixFileMode(folder.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        await using var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi());
        await harness.Time.AdvanceUntilAsync(() => harness.Time.GetUtcNow() > harness.Time.Start + TimeSpan.FromSeconds(61), "four tries pass",
            TimeSpan.FromSeconds(1));
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over",
            TimeSpan.FromSeconds(1));

        Assert.Single(selfLog.Lines, l => l.Contains("can be read by other users"));
    }
#endif

    // "1 LogTrace records lost in all": the reworded loss line's count is not made singular.
    [Fact]
    public void ASingleLossIsOneRecordLostInAll()
    {
        using var selfLog = new SelfLogCollector();
        using var counters = new LogTraceSinkCounters();
        var reporter = new LossReporter(this, counters, new FakeTimeProvider(), s => s);
        reporter.Lost(LossReason.Rejected, RecordKind.Event, "order.placed", null, "was rejected by the service (400)", null);

        var line = Assert.Single(selfLog.Lines);
        Assert.Contains("1 LogTrace record lost in all", line);
    }

    // A durable outbox that cannot be started after the hand-over leaves the queue to a second memory outbox; at
    // shutdown the losses are said once, not once per memory outbox (the counters are the sink's, shared by both).
    [Fact]
    public async Task TheShutdownLossesAreSaidOnceWhenTheDurableOutboxCouldNotStart()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new CountFailsAfterClaim();
        var harness = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }, stores);
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => selfLog.Lines.Any(l => l.Contains("but it could not be started")), "the durable outbox fails to start",
            TimeSpan.FromSeconds(1));
        // Nothing was carried: the line says nothing of records left on disk.
        Assert.Contains(selfLog.Lines, l => l.EndsWith("is free now, but it could not be started (InvalidOperationException: count failed); " +
            "this logger goes on delivering from memory", StringComparison.Ordinal));
        harness.Log(0, 3, name: "after");
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "a record is in flight from memory");
        await harness.DisposeAsync();

        Assert.Equal(3, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Single(selfLog.Lines, l => l.Contains("could not be delivered within the shutdown timeout"));
    }

    // After the takeover, records the durable writer had not written when the shutdown timeout passed are said by its
    // summary ("were still in memory ... dropped before they could be written"); the first memory outbox's summary,
    // which reads the sink's shared counter, says the same records again as "could not be delivered".
    [Fact]
    public async Task RecordsTheWriterDropsAtShutdownAfterTheTakeoverAreSaidOnce()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores();
        var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(1), stores);
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over",
            TimeSpan.FromSeconds(1));

        // A stalled disk: the writer waits in its first append while five more records wait in the queue.
        stores.Last!.BlockAppends();
        harness.Log(0, 1, name: "first");
        await Eventually.TrueAsync(() => stores.Last.AppendsWaiting == 1, "the writer waits in an append");
        harness.Log(1, 5, name: "unwritten");
        var disposing = Task.Run(harness.Logger.Dispose);
        // The shutdown timeout passes (the fake clock's timers fire within Advance), well before the sink would give up.
        await Task.Delay(50);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        stores.Last.ReleaseAppends();
        await harness.Time.AdvanceUntilAsync(() => disposing.IsCompleted, "the logger is disposed", TimeSpan.FromMilliseconds(100));
        await disposing;

        Assert.True(harness.Counters.LostFor(LossReason.Shutdown) == 5, selfLog.Text);
        Assert.Contains(selfLog.Lines, l => l.Contains("5 events were still in memory when the shutdown timeout"));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("could not be delivered within the shutdown timeout"));
    }

    // Records moved into the store at the hand-over, when the durable outbox then cannot start, stay on disk for the
    // next start: neither sent nor lost in this run, and released from the queue's count. SelfLog must say so.
    [Fact]
    public async Task RecordsCarriedIntoTheStoreBeforeTheDurableOutboxFailedAreSaid()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        await using var harness = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }, new CountFailsAfterClaim());
        harness.Log(0, 5, name: "meanwhile");
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1 && harness.Counters.Queued == 5, "one record is in flight, 4 wait in memory");
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => selfLog.Lines.Any(l => l.Contains("but it could not be started")), "the durable outbox fails to start",
            TimeSpan.FromSeconds(1));

        // The four are on disk (the queue no longer counts them): the line that says the buffer is not used says where they are.
        Assert.Equal(1, harness.Counters.Queued);
        Assert.Contains(selfLog.Lines, l => l.Contains("but it could not be started") && l.Contains("4 events"));
    }

    // The earlier run's backlog is named by kind ("2 events"), as at an ordinary start, when records were carried too:
    // the store's counts by kind hold the carried ones, so they add up to more than the backlog and no kind is named.
    [Fact]
    public async Task TheEarlierRunsBacklogIsNamedByKindWhenRecordsWereCarried()
    {
        using var folder = new TempFolder();
        await using (var earlier = new BufferHarness(folder.Path, new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")))))
        {
            earlier.Log(0, 2, name: "earlier");
            await earlier.Time.AdvanceUntilAsync(() => earlier.Sink.Store.Count == 2, "two records are buffered", TimeSpan.FromMilliseconds(50));
        }

        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        await using var harness = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        });
        harness.Log(0, 4, name: "meanwhile");
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1 && harness.Counters.Queued == 4, "one record is in flight, 3 wait in memory");
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over",
            TimeSpan.FromSeconds(1));

        Assert.True(selfLog.Lines.Any(l => l.Contains("took it over, with 3 events")), selfLog.Text);
        Assert.True(selfLog.Lines.Any(l => l.Contains("holds 2 events from an earlier run")), selfLog.Text);
    }

    // A shutdown given up on after the takeover, with nothing in flight in memory: the memory outbox must not say that
    // the durable queue's records are "still in flight ... not counted as sent or lost" (they are counted later).
    [Fact]
    public async Task AnAbandonedShutdownAfterTheTakeoverDoesNotSayMemoryHoldsWhatItDoesNot()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores();
        var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(1), stores);
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over",
            TimeSpan.FromSeconds(1));
        stores.Last!.BlockAppends();
        harness.Log(0, 1, name: "first");
        await Eventually.TrueAsync(() => stores.Last.AppendsWaiting == 1, "the writer waits in an append");
        harness.Log(1, 5, name: "queued");
        try
        {
            await harness.DisposeAsync();
        }
        finally
        {
            stores.Last.ReleaseAppends();
        }

        Assert.Contains(selfLog.Lines, l => l.Contains("the durable buffer's writer was still busy") && l.Contains("(a before-send hook or a disk write that does not return)"));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("not counted as sent or lost"));
    }

    // Once the memory outbox has stopped taking from the queue, something must drain it. A durable outbox that cannot
    // start, and a store that then fails to close, leave the queue with no reader: what is logged afterwards is never
    // sent, and at shutdown it is not counted either.
    [Fact]
    public async Task TheQueueIsStillDrainedWhenClosingTheStoreFailsAfterTheDurableOutboxCouldNotStart()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        var harness = new BufferHarness(folder.Path, api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1), new CountFailsAfterClaim(failDispose: true));
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => selfLog.Lines.Any(l => l.Contains("is free now, but") || l.Contains("unexpected error while trying")),
            "the takeover fails", TimeSpan.FromSeconds(1));
        // The folder's lock is not kept by a logger that does not use the folder.
        using (var again = BufferLock.TryAcquire(folder.Path, warnIfOpen: false))
            Assert.NotNull(again);
        harness.Log(0, 3, name: "after");
        try
        {
            await harness.Time.AdvanceUntilAsync(() => api.Bodies.Count == 3, "the records logged after the failed takeover are delivered",
                TimeSpan.FromMilliseconds(100));
        }
        finally
        {
            await harness.DisposeAsync();
        }
        Assert.Equal(3, harness.Counters.Sent);
    }
}
