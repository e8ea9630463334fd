using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The durable buffer when things go wrong around it: a rescan racing a delivery, a store damaged while running, the
// folder deleted, reads and deletes that fail, a full disk. Each test states a promise; they came from an adversarial
// review, and each failed before its fix.
[Collection(SelfLogCollection.Name)]
public class BufferFailureTests
{
    static BufferRecord Record(int n) =>
        new(0, "event." + n, DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes("{\"n\":" + n + "}"));

    static int N(SendItem item) => System.Text.Json.JsonDocument.Parse(item.Body).RootElement.GetProperty("n").GetInt32();

    static async Task<SendItem> TakeAsync(ChannelReader<SendItem> reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadAsync(timeout.Token);
    }

    // The pump, with the test as its two senders: which record goes out, and when each ends, is the test's choice.
    sealed class PumpRig : IDisposable
    {
        public PumpRig(EventStore store, string folder)
        {
            Store = store;
            Shutdown = new ShutdownDeadline(Time, TimeSpan.FromSeconds(5));
            var counters = new LogTraceSinkCounters();
            Counters = counters;
            var reporter = new LossReporter(this, counters, Time, s => s);
            Pump = new BufferPump(store, new DeadLetterFolder(folder, 1 << 20, Time), reporter, counters, Shutdown, Time, senders: 2);
            Running = Task.Run(Pump.RunAsync);
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
        public EventStore Store { get; }
        public ShutdownDeadline Shutdown { get; }
        public LogTraceSinkCounters Counters { get; }
        public BufferPump Pump { get; }
        public Task Running { get; }

        public void Dispose()
        {
            Shutdown.Begin();
            Time.Advance(TimeSpan.FromSeconds(10));
            Running.Wait(TimeSpan.FromSeconds(10));
            Store.Dispose();
        }
    }

    // The real store, and once armed, what the writer does at shutdown slipped in between the pump's read and what the
    // pump makes of it: the last append commits, then the writers say they are done.
    sealed class WriterRacingStore : EventStore
    {
        readonly SqliteEventStore _inner;

        public WriterRacingStore(SqliteEventStore inner) => _inner = inner;

        // Run once, inside the first read that finds nothing after it is set, just after that read.
        public Action? AfterAnEmptyRead { get; set; }

        public override string Folder => _inner.Folder;
        public override long Count => _inner.Count;
        public override long Bytes => _inner.Bytes;
        public override void Append(IReadOnlyList<BufferRecord> records) => _inner.Append(records);
        public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max) => Raced(_inner.ReadAfter(afterId, max));
        public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max, int skipKinds) => Raced(_inner.ReadAfter(afterId, max, skipKinds));
        public override void Delete(BufferRecord record) => _inner.Delete(record);
        public override void Dispose() => _inner.Dispose();

        IReadOnlyList<BufferRecord> Raced(IReadOnlyList<BufferRecord> records)
        {
            if (records.Count == 0 && Interlocked.Exchange(ref _armed, null) is { } race)
                race();
            return records;
        }

        Action? _armed;

        public void Arm() => _armed = AfterAnEmptyRead;
    }

    // Promise: what is logged before the logger is disposed is sent within the shutdown timeout. The writer's last
    // append and its "done" can both land while the pump is between reading the store (finding nothing) and deciding
    // to stop: the pump must not take that "done" for its read's, and leave the last records on disk, unsent.
    [Fact]
    public async Task TheLastAppendBeforeTheWritersFinishIsStillHandedToTheSenders()
    {
        using var folder = new TempFolder();
        var store = new WriterRacingStore(SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider())));
        using var rig = new PumpRig(store, folder.Path);
        store.AfterAnEmptyRead = () =>
        {
            store.Append(new[] { Record(1) });
            rig.Pump.Wake();
            rig.Pump.WritersDone();
        };
        store.Arm();
        // Whichever empty read comes first after Arm meets the race: the pump's first, or the one this wake causes.
        rig.Pump.Wake();

        var item = await TakeAsync(rig.Pump.Work);

        Assert.Equal(1, N(item));
        await rig.Running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(rig.Pump.Work.Completion.IsCompleted, "the pump stops once the record is handed over");
    }

    // Promise: a duplicate only for an event in flight at a kill. A rescan (which any record past its retry time
    // limit causes) reads records still in flight; one delivered while the pump waits for room in the hand-off must
    // not be handed out again.
    [Fact]
    public async Task ARecordDeliveredDuringARescanIsNotSentAgain()
    {
        using var folder = new TempFolder();
        var store = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider()));
        store.Append(Enumerable.Range(1, 6).Select(Record).ToArray());
        using var rig = new PumpRig(store, folder.Path);
        var work = rig.Pump.Work;

        // Take all six: 1..4 "being sent", 5 and 6 also taken.
        var items = new Dictionary<int, SendItem>();
        for (var i = 0; i < 6; i++)
        {
            var item = await TakeAsync(work);
            items[N(item)] = item;
        }
        Assert.Equal(Enumerable.Range(1, 6), items.Keys.OrderBy(k => k));

        // 1, 2 and 3 pass their retry time limit and are put back; 5 and 6 are delivered; 4 is still being sent.
        foreach (var n in new[] { 1, 2, 3 })
            items[n].Ticket.Lost(LossReason.RetryLimit, "could not be delivered within the retry time limit", null);
        items[5].Ticket.Delivered(TimeSpan.Zero);
        items[6].Ticket.Delivered(TimeSpan.Zero);

        // The rescan: the pump reads 1, 2, 3, 4 and hands over 1 and 2 (the channel holds two), then waits with 3.
        rig.Time.Advance(BufferPump.RetryLater + TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => work.Count == 2, "the rescan fills the channel");
        await Task.Delay(200);

        // Record 4's request succeeds now: it is deleted from the store.
        items[4].Ticket.Delivered(TimeSpan.Zero);
        Assert.Equal(3, store.Count);

        // The senders take what the rescan hands over.
        var again = new List<int>();
        for (var i = 0; i < 3; i++)
            again.Add(N(await TakeAsync(work)));
        await Task.Delay(300);
        while (work.TryRead(out var extra))
            again.Add(N(extra));

        // 1, 2 and 3 only: 4 was delivered and deleted, and is never sent again.
        Assert.Equal(new[] { 1, 2, 3 }, again);
    }

    // Promise: a store found damaged while running is replaced and "delivery goes on". The pump keeps its cursor and
    // its records in flight from the old file: the new file's records must be numbered past them, or new events below
    // the cursor would never be read, and an old record delivered afterwards would delete a new one, unsent.
    // Two "slow" events in flight (their answers wait on the test), `delivered` events sent, then one more event whose
    // read finds the store damaged: the store is moved aside and started anew.
    static async Task ReplaceTheStoreWhileTwoAreInFlightAsync(BufferHarness harness, CollectingLogTraceApi api, ScriptedStores stores, int delivered)
    {
        harness.Log(0, 2, name: "slow");
        await Eventually.TrueAsync(() => api.Bodies.Count == 2, "the two slow events are in flight");
        harness.Log(2, delivered, name: "before");
        await Eventually.TrueAsync(() => harness.Counters.Sent == delivered, delivered + " events are delivered");
        stores.Last!.FailReads(new SqliteException("database disk image is malformed", 11));
        harness.Log(2 + delivered, 1, name: "trigger");
        // The file is moved aside; what still reads (the trigger: these reads fail only in the test double) is salvaged.
        await Eventually.TrueAsync(() => Directory.Exists(Path.Combine(harness.Sink.Store.Folder, DeadLetterFolder.FolderName)) &&
            Directory.GetFiles(Path.Combine(harness.Sink.Store.Folder, DeadLetterFolder.FolderName), "*-unreadable-*").Length > 0, "the store is replaced");
    }

    [Fact]
    public async Task AfterTheStoreIsReplacedWhileRunning_EveryNewEventIsDelivered_AndNoneIsDeletedUnsent()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new CollectingLogTraceApi(async body =>
        {
            if (body.GetProperty("name").GetString() == "slow")
                await gate.Task;
            return new LogTraceResponse(202, null);
        });
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, api, o => o.MaxConcurrentRequests = 4, stores);

        // ids 1, 2 in flight until the gate opens; 3..10 delivered (the pump's cursor at 10); 11 read from a "damaged"
        // file, which is salvaged into the new one (the file itself is whole: only the test double's reads fail).
        await ReplaceTheStoreWhileTwoAreInFlightAsync(harness, api, stores, delivered: 8);

        harness.Log(100, 15, name: "after");
        await Eventually.TrueAsync(() => harness.Sink.Store.Count + harness.Counters.Sent - 8 >= 16, "the 15 new events are written");

        gate.SetResult(true);                     // the old file's records 1 and 2 are delivered now
        await Eventually.TrueAsync(() => harness.Counters.Sent == 8 + 2 + 1 + 15, "the slow events, the salvaged one and the 15 new ones are delivered",
            TimeSpan.FromSeconds(10));

        var afterSent = api.Bodies.Count(b => b.GetProperty("name").GetString() == "after");
        var stillStored = harness.Sink.Store.Count;
        var slowSent = api.Bodies.Count(b => b.GetProperty("name").GetString() == "slow");
        Assert.True(afterSent == 15, $"of 15 events logged after the store was replaced, {afterSent} were sent in 1 s; {stillStored} are left in the store, " +
            $"{15 - afterSent - stillStored} vanished (deleted without being sent); meanwhile {harness.Counters.LostFor(LossReason.Corrupt)} were counted lost " +
            $"as corrupt although {slowSent} of them (the slow ones) were delivered");
        // Nothing went with the file: the record that was not in flight was salvaged, and sent once.
        Assert.Equal(0, harness.Counters.LostFor(LossReason.Corrupt));
        Assert.Equal(2, slowSent);
        Assert.Equal(1, api.Bodies.Count(b => b.GetProperty("name").GetString() == "trigger"));
        await Eventually.TrueAsync(() => harness.Sink.Store.Count == 0, "the new store is empty once all is delivered");
    }

    // A broken overflow-page pointer in one large record: a file with 200 records of which one is damaged this way.
    static string DamagedStore(TempFolder folder)
    {
        var big = new string('z', 10000);
        using (var store = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 30, new FakeTimeProvider())))
            store.Append(Enumerable.Range(1, 200).Select(n => new BufferRecord(0, "old", DateTimeOffset.UtcNow,
                Encoding.UTF8.GetBytes("{\"name\":\"old\",\"username\":\"u\",\"metadata\":{\"_event_id\":\"old-" + n + "\",\"x\":\"" + big + "\"}}"))).ToArray());
        var file = folder.Combine(SqliteEventStore.FileName);
        var bytes = System.IO.File.ReadAllBytes(file);
        var pages = bytes.Length / 4096;
        for (var page = pages * 7 / 10; page < pages; page++)
        {
            var at = page * 4096;
            var next = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            if (next != 0 && Enumerable.Range(at + 4, 100).All(i => bytes[i] == (byte)'z'))
            {
                bytes[at] = 0x0F; // the next overflow page: far past the end of the file
                break;
            }
        }
        System.IO.File.WriteAllBytes(file, bytes);
        return file;
    }

    // Real damage reaches the recovery path part-way through reading: COUNT and LENGTH at open do not follow
    // overflow chains, so the store opens with all 200 records, 128 are read, and the next read fails with SQLITE_CORRUPT.
    [Fact]
    public void ADamagedOverflowPageIsFoundOnlyPartWayThroughReading()
    {
        using var folder = new TempFolder();
        DamagedStore(folder);
        using var reopened = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 30, new FakeTimeProvider()));
        Assert.False(Directory.Exists(folder.Combine(DeadLetterFolder.FolderName)), "found at open");
        Assert.Equal(200, reopened.Count);
        long cursor = 0;
        var read = 0;
        var error = Assert.Throws<SqliteException>(() =>
        {
            while (true)
            {
                var batch = reopened.ReadAfter(cursor, 64);
                if (batch.Count == 0) return;
                read += batch.Count;
                cursor = batch[batch.Count - 1].Id;
            }
        });
        Assert.Equal(11, error.SqliteErrorCode);
        Assert.True(read > 0);
    }

    // The same, end to end with the real store and no test double: the next start on a folder whose store has such
    // damage delivers what it can read, replaces the store, and delivers the new events it is given.
    [Fact]
    public async Task WithRealDamage_EventsLoggedAfterTheStoreIsReplacedAreDelivered()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        DamagedStore(folder);
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        await Eventually.TrueAsync(() => harness.Counters.LostFor(LossReason.Corrupt) > 0, "the damaged store is replaced");
        // One record's overflow chain is broken: it alone is lost; the others are salvaged and delivered.
        await Eventually.TrueAsync(() => harness.Counters.Sent == 199, "the 199 readable records are delivered");
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Corrupt));

        harness.Log(0, 20, name: "new");
        await Eventually.TrueAsync(() => api.Bodies.Count(b => b.GetProperty("name").GetString() == "new") == 20, "the 20 new events are sent", TimeSpan.FromSeconds(10));
        var sent = api.Bodies.Count(b => b.GetProperty("name").GetString() == "new");
        Assert.True(sent == 20, $"{sent} of 20 new events were sent in 3 s; the store holds {harness.Sink.Store.Count}. " +
            $"Old records delivered: {api.Bodies.Count(b => b.GetProperty("name").GetString() == "old")}, counted corrupt: {harness.Counters.LostFor(LossReason.Corrupt)}");
    }

    // The folder removed under a running process (a clean-up job, a volume re-created): SQLite goes on writing to the
    // deleted file. That is said at once; the folder is locked again so that no other process takes it meanwhile; and
    // what is left at exit is counted lost, not announced as safe on disk.
    [Fact]
    public async Task WhenTheFolderIsDeletedWhileRunning_ItIsSaid_TheFolderIsLockedAgain_AndWhatIsLeftIsCountedLost()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        var path = folder.Combine("buffer");
        bool secondTookTheLock;
        var harness = new BufferHarness(path, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        await using (harness)
        {
            harness.Log(0, 5);
            await Eventually.TrueAsync(() => harness.Sink.Store.Count == 5, "5 are buffered");
            Directory.Delete(path, recursive: true);
            harness.Log(5, 5);
            await Eventually.TrueAsync(() => harness.Sink.Store.Count == 10, "10 are written to the removed file");
            await Eventually.TrueAsync(() => selfLog.Text.Contains("were removed while this process runs"), "the removal is said");

            using (var second = BufferLock.TryAcquire(path))
                secondTookTheLock = second != null;
        }

        Assert.False(secondTookTheLock, "another process could take the folder while the first ran");
        Assert.Contains("the folder is locked again for this process", selfLog.Text);
        Assert.Equal(10, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Contains(selfLog.Lines, l => l.Contains("10 events were left in the durable buffer") && l.Contains("they are lost"));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("not lost"));
        // The failure listener hears of them too, as one report for the lot.
        Assert.Contains(harness.Failures.Failures, f => f.Message.Contains("LogTrace record (in the removed buffer) was in the durable buffer, whose " +
            "files were removed while the process ran", StringComparison.Ordinal));
    }

    // "could not read the durable buffer ...; trying again every 5 s": after a transient read failure (here only the
    // first read fails) the backlog is read again, without waiting for the application to log something.
    [Fact]
    public async Task AfterATransientReadFailureTheBacklogIsReadAgainWithoutWaitingForANewEvent()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using (var first = new BufferHarness(folder.Path, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)))
        {
            first.Log(0, 5);
            await Eventually.TrueAsync(() => first.Sink.Store.Count == 5, "5 are buffered");
        }

        var up = new CollectingLogTraceApi();
        await using var second = new BufferHarness(folder.Path, up, stores: new ScriptedStores(store => store.FailReads(new SqliteException("database is locked", 5))));
        var start = second.Time.GetUtcNow();
        await second.AdvanceUntilAsync(() => second.Counters.Sent == 5 || second.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(10),
            "the backlog is sent, or 10 minutes pass", TimeSpan.FromSeconds(1));
        Assert.True(second.Counters.Sent == 5, $"{second.Counters.Sent} of 5 buffered events sent in 10 minutes after one failed read; SelfLog: " +
            selfLog.Lines.LastOrDefault(l => l.Contains("could not read")));
    }

    // A delete that fails (a full disk: the WAL cannot grow) is reported once a minute, not once per event, and the
    // delivered record it leaves in the store is not sent again by the next rescan of this same process.
    [Fact]
    public async Task AFailingDeleteIsReportedThrottled_AndTheDeliveredRecordIsNotSentAgainByThisProcess()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(body => Task.FromResult(new LogTraceResponse(
            body.GetProperty("name").GetString() == "flaky" ? 503 : 202, "down")));
        await using var harness = new BufferHarness(folder.Path, api, o => o.RetryTimeLimit = TimeSpan.FromMinutes(1), new ScriptedStores(store => store.FailDeletes = true));
        harness.Log(0, 50);
        harness.Log(50, 1, name: "flaky");     // passes its retry time limit: causes a rescan a minute later
        await Eventually.TrueAsync(() => harness.Counters.Sent == 50, "50 are delivered");
        var start = harness.Time.GetUtcNow();
        await harness.AdvanceUntilAsync(() => harness.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(3), "3 minutes pass", TimeSpan.FromSeconds(1));
        await Task.Delay(500);
        var lines = selfLog.Lines.Count(l => l.Contains("could not remove a delivered record"));
        var sends = api.Bodies.Count(b => b.GetProperty("name").GetString() == "buffer.test");
        Assert.True(lines <= 3 && sends == 50, $"{lines} SelfLog lines 'could not remove a delivered record'; 50 events delivered once each were sent {sends} times (Sent counter {harness.Counters.Sent})");
    }

    // "dead-letter/ is capped at a tenth of bufferSizeLimitBytes"; a whole store moved there is "not capped", and must
    // not use up the records' room at the next start.
    [Fact]
    public async Task AStoreMovedAsideEarlierDoesNotUseUpTheDeadLetterCapForRejectedRecords()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        Directory.CreateDirectory(folder.Combine(DeadLetterFolder.FolderName));
        using (var moved = new FileStream(folder.Combine(DeadLetterFolder.FolderName, "20260101T000000000-unreadable-events.db"), FileMode.Create))
            moved.SetLength(2 * 1024 * 1024);  // a small store moved aside by an earlier run (uncapped, by design)
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(422, "unprocessable")));
        await using (var harness = new BufferHarness(folder.Path, api, o => o.BufferSizeLimitBytes = 16 * 1024 * 1024))
        {
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => harness.Counters.LostFor(LossReason.Rejected) == 1, "the event is rejected");
        }
        Assert.True(Directory.GetFiles(folder.Combine(DeadLetterFolder.FolderName), "*-rejected.json").Length == 1,
            "the rejected record was discarded: " + selfLog.Lines.FirstOrDefault(l => l.Contains("holds its limit")));
    }

    // Unix: flock's EWOULDBLOCK is errno 11 on Linux but 35 on macOS and the BSDs; .NET puts the raw errno in HResult.
    [Theory]
    [InlineData(11)]
    [InlineData(35)]
    [InlineData(unchecked((int)0x80070020))]
    public void ALockHeldElsewhereIsRecognisedOnLinuxMacOSAndWindows(int hresult) =>
        Assert.True(BufferLock.IsHeldByAnother(new IOException("The process cannot access the file because it is being used by another process.", hresult)));

    [Fact]
    public void OtherInputOutputErrorsAreNotALockHeldElsewhere() =>
        Assert.False(BufferLock.IsHeldByAnother(new IOException("Permission denied", 13)));

    // A full disk when the logger is created: the application starts, says so, and delivers from memory. (A real full
    // disk, on a small tmpfs, was checked by hand: SQLite answers SQLITE_FULL, which the store turns into this.)
    [Fact]
    public async Task WhenTheDiskIsFullAtStart_TheLoggerIsCreated_AndDeliversFromMemory()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api, stores: new FullDiskStores());

        Assert.IsType<LogTraceSink>(harness.Target);
        harness.Log(0, 3);
        await Eventually.TrueAsync(() => harness.Counters.Sent == 3, "3 are sent from memory");
        var report = Assert.Single(selfLog.Lines, l => l.Contains("cannot be opened now"));
        Assert.Contains("the disk is full", report);
        Assert.Contains("delivers from memory instead", report);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(unchecked((int)0x80070070))]
    public void NoSpaceLeftIsADiskFull(int hresult) =>
        Assert.True(BufferUnavailableException.IsDiskFull(new IOException("No space left on device", hresult)));

    sealed class FullDiskStores : EventStoreFactory
    {
        public override EventStore Open(string folder, DeadLetterFolder deadLetters) =>
            throw new BufferUnavailableException("the disk is full", new SqliteException("database or disk is full", 13));
    }

    // Promise: every event ends counted once (sent, lost for a reason, or still in the store). Records of a replaced
    // store that were in flight are left out of its `corrupt` count because they may still be delivered; if they are
    // not (the shutdown deadline here), they are counted then, since the file they were in is gone.
    [Fact]
    public async Task RecordsInFlightWhenTheStoreIsReplaced_AndThenNotDelivered_AreCountedSomewhere()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(async (body, ct) =>
        {
            if (body.GetProperty("name").GetString() == "slow")
                await Task.Delay(Timeout.Infinite, ct);   // in flight until the shutdown deadline cancels it
            return new LogTraceResponse(202, null);
        });
        var stores = new ScriptedStores();
        var harness = new BufferHarness(folder.Path, api, o => { o.MaxConcurrentRequests = 4; o.ShutdownTimeout = TimeSpan.FromSeconds(2); }, stores);
        await using (harness)
        {
            await ReplaceTheStoreWhileTwoAreInFlightAsync(harness, api, stores, delivered: 3);
        }
        // The harness moves the fake clock a second per 2 ms while disposing: on a loaded machine the shutdown can give
        // up on the two cancelled requests (AbandonAfter, 5 fake seconds) before their senders have settled them. They
        // are counted when they do; the promise is that they are counted, not by which moment of the dispose.
        await Eventually.TrueAsync(() => harness.Counters.Sent + harness.Counters.Lost + harness.Sink.Store.Count == 6, "every record is counted");
        var sent = harness.Counters.Sent;
        var lost = harness.Counters.Lost;
        var stored = harness.Sink.Store.Count;
        Assert.True(sent + lost + stored == 6,
            $"6 events logged; sent {sent} + lost {lost} (corrupt {harness.Counters.LostFor(LossReason.Corrupt)}, shutdown {harness.Counters.LostFor(LossReason.Shutdown)}) + " +
            $"still stored {stored} = {sent + lost + stored}. SelfLog at exit: {selfLog.Lines.LastOrDefault(l => l.Contains("remain") || l.Contains("left"))}");
    }

    // Same, with the retry limit instead of the shutdown deadline: such a record cannot be put back, its file is gone.
    [Fact]
    public async Task RecordsInFlightWhenTheStoreIsReplaced_AndThenPastTheRetryLimit_AreCountedSomewhere()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new CollectingLogTraceApi(async body =>
        {
            if (body.GetProperty("name").GetString() == "slow")
            {
                await gate.Task;
                return new LogTraceResponse(503, "down");
            }
            return new LogTraceResponse(202, null);
        });
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, api, o => { o.MaxConcurrentRequests = 4; o.RetryTimeLimit = TimeSpan.FromMinutes(1); }, stores);
        await ReplaceTheStoreWhileTwoAreInFlightAsync(harness, api, stores, delivered: 3);
        gate.SetResult(true);
        var start = harness.Time.GetUtcNow();
        await harness.AdvanceUntilAsync(() => harness.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(5), "5 minutes pass", TimeSpan.FromSeconds(1));
        await Task.Delay(300);
        var sent = harness.Counters.Sent;
        var lost = harness.Counters.Lost;
        var stored = harness.Sink.Store.Count;
        Assert.True(sent + lost + stored == 6,
            $"6 events logged; after 5 minutes: sent {sent} + lost {lost} + stored {stored} = {sent + lost + stored}; the slow ones were sent {api.Bodies.Count(b => b.GetProperty("name").GetString() == "slow")} times");
    }

    // Promise (Troubleshooting): "N events remain in the durable buffer ..., not lost: the next start delivers them".
    // A delivered record whose delete failed is counted sent, and must not also be announced as waiting.
    [Fact]
    public async Task DeliveredRecordsWhoseDeleteFailedAreNotAlsoReportedAsRemaining()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        var harness = new BufferHarness(folder.Path, api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1), new ScriptedStores(store => store.FailDeletes = true));
        await using (harness)
        {
            harness.Log(0, 5);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 5, "5 are delivered");
        }
        // Sent, and said to be sent again by the next start; not also announced as waiting in the buffer.
        Assert.Equal(5, harness.Counters.Sent);
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("remain in the durable buffer"));
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: 5 records delivered could not be removed from the durable buffer at " + folder.Path +
            "; the next start sends them again (with the same _event_id)", StringComparison.Ordinal));
    }

    // The shutdown summary "N events that could not be written to the durable buffer were not delivered within the
    // shutdown timeout" counts those events only, not the ones logged after shutdown began.
    [Fact]
    public async Task TheShutdownSummaryDoesNotBlameTheStoreForEventsLoggedAfterShutdownBegan()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        await using (var harness = new BufferHarness(folder.Path, api))
        {
            harness.Log(0, 3);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 3, "3 are delivered");
            harness.Target.BeginShutdown();   // as Log.CloseAndFlush() does first
            harness.Log(3, 2);                // logged meanwhile by another thread
        }
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("could not be written to the durable buffer"));
    }
}
