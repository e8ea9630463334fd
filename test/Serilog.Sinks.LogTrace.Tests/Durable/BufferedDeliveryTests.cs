using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The buffered sink against a fake API: what is delivered leaves the buffer, what fails for good goes to the
// dead-letter folder, and nothing still on disk is given up.
[Collection(SelfLogCollection.Name)]
public class BufferedDeliveryTests
{
    static int Number(System.Text.Json.JsonElement body) =>
        int.Parse(body.GetProperty("metadata").GetProperty("Number").ToString(), System.Globalization.CultureInfo.InvariantCulture);

    static long StoredCount(string folder)
    {
        using var store = SqliteEventStore.Open(folder, new DeadLetterFolder(folder, 1 << 20, new FakeTimeProvider()));
        return store.Count;
    }

    [Fact]
    public async Task EventsAreDeliveredOldestFirstFromTheBuffer_AndLeaveIt()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api, o => o.MaxConcurrentRequests = 1);

        harness.Log(0, 30);
        await Eventually.TrueAsync(() => harness.Counters.Sent == 30, "30 events are sent");

        Assert.Equal(Enumerable.Range(0, 30), api.Bodies.Select(Number));
        await Eventually.TrueAsync(() => harness.Sink.Store.Count == 0, "the buffer is empty");
        Assert.Equal(0, harness.Sink.Store.Bytes);
        Assert.Equal(0, harness.Counters.Lost);
        // Written events leave the memory queue's bounds: they are the buffer's from then on.
        Assert.Equal(0, harness.Counters.Queued);
        Assert.Equal(0, harness.Counters.QueuedBytes);
    }

    [Fact]
    public async Task ARejectedEventIsMovedToTheDeadLetterFolder_AndTheOthersAreDelivered()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(body => Task.FromResult(new LogTraceResponse(
            body.GetProperty("name").GetString() == "poison" ? 400 : 202, "name is invalid")));
        await using (var harness = new BufferHarness(folder.Path, api))
        {
            harness.Log(0, 3);
            harness.Log(3, 1, name: "poison");
            harness.Log(4, 3);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 6 && harness.Counters.Lost == 1, "6 are sent and 1 is rejected");
            Assert.Equal(1, harness.Counters.LostFor(LossReason.Rejected));
            Assert.Equal(0, harness.Sink.Store.Count);
        }

        var deadLetter = Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, DeadLetterFolder.FolderName)));
        Assert.EndsWith("-rejected.json", deadLetter);
        Assert.Contains("\"name\":\"poison\"", System.IO.File.ReadAllText(deadLetter));
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace event \"poison\" was rejected") && l.Contains(deadLetter));
        Assert.Equal(1, api.Bodies.Count(b => b.GetProperty("name").GetString() == "poison"));
    }

    [Fact]
    public async Task NothingBufferedIsLostAtShutdown_AndTheNextStartDeliversItWithTheSameEventIds()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using (var first = new BufferHarness(folder.Path, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)))
        {
            first.Log(0, 5);
            await Eventually.TrueAsync(() => first.Sink.Store.Count == 5 && down.Bodies.Count >= 1, "5 events are buffered and sending began");
            await first.DisposeAsync();
            Assert.Equal(0, first.Counters.Lost);
            Assert.Equal(0, first.Counters.Sent);
        }
        var line = Assert.Single(selfLog.Lines, l => l.Contains("remain in the durable buffer"));
        Assert.Contains("LogTrace: 5 events remain in the durable buffer at " + folder.Path + ", not lost: the next start with this bufferPath " +
            "delivers them; sent in all: 0; the last failure: ", line);
        Assert.Contains("503", line.Substring(line.IndexOf("; the last failure: ", StringComparison.Ordinal)));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("could not be removed"));
        Assert.Equal(5, StoredCount(folder.Path));

        var up = new CollectingLogTraceApi();
        await using (var second = new BufferHarness(folder.Path, up))
        {
            await Eventually.TrueAsync(() => second.Counters.Sent == 5, "the 5 buffered events are sent");
            Assert.Equal(Enumerable.Range(0, 5), up.Bodies.Select(Number).OrderBy(n => n));
        }
        Assert.Contains(selfLog.Lines, l => l.Contains("holds 5 events from an earlier run"));
        // The same bodies: the ids the first process gave them.
        Assert.Subset(down.EventIds.ToHashSet(), up.EventIds.ToHashSet());
        Assert.Equal(0, StoredCount(folder.Path));
    }

    [Fact]
    public async Task AFullBufferRefusesNewEvents_CountsAndReportsThem_AndKeepsTheBufferedOnes()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        var big = new string('x', 15_000);
        await using (var harness = new BufferHarness(folder.Path, down, o => o.BufferSizeLimitBytes = 1024 * 1024))
        {
            harness.Log(0, 100, extra: big);
            await Eventually.TrueAsync(() => harness.Sink.Store.Count + harness.Counters.LostFor(LossReason.BufferFull) == 100,
                "every event is buffered or refused");

            var kept = harness.Sink.Store.Count;
            Assert.InRange(kept, 50, 70);
            Assert.True(harness.Sink.Store.Bytes <= 1024 * 1024);
            Assert.Equal(100 - kept, harness.Counters.LostFor(LossReason.BufferFull));
            Assert.Equal(100 - kept, harness.Failures.Failures.Count);
            // The first ones are the ones kept: the buffer is the trail, never trimmed to make room.
            Assert.Equal(Enumerable.Range(0, (int)kept), harness.Sink.Store.ReadAfter(0, 100).Select(r => int.Parse(
                System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("metadata").GetProperty("Number").ToString(),
                System.Globalization.CultureInfo.InvariantCulture)));
        }
        var report = selfLog.Lines.First(l => l.Contains("was refused because the durable buffer"));
        Assert.Contains("bufferSizeLimitBytes: 1048576", report);
        Assert.Contains("more events lost (buffer_full)", selfLog.Text);
    }

    [Fact]
    public async Task AConfigurationErrorKeepsTheEventsBuffered_AndTheyGoOnceARecheckSucceeds()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var status = 401;
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(Volatile.Read(ref status), "invalid api key")));
        await using var harness = new BufferHarness(folder.Path, api);

        harness.Log(0, 3);
        await Eventually.TrueAsync(() => api.Bodies.Count >= 1, "a request is refused");
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(3, harness.Sink.Store.Count);
        await Eventually.TrueAsync(() => selfLog.Lines.Any(l => l.Contains("status 401") && l.Contains("buffered records of every kind are kept")), "the refusal is said");

        Volatile.Write(ref status, 202);
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 3, "the 3 events are sent after the recheck", TimeSpan.FromSeconds(10));
        Assert.Equal(0, harness.Counters.Lost);
        Assert.DoesNotContain(Some.ApiKey, selfLog.Text);
    }

    [Fact]
    public async Task AnEventPastItsRetryTimeLimitStaysBuffered_AndIsTriedAgain()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var status = 503;
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(Volatile.Read(ref status), "down")));
        await using var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.RetryTimeLimit = TimeSpan.FromSeconds(5);
            o.MaxConcurrentRequests = 1;
        });

        harness.Log(0, 1);
        await harness.AdvanceUntilAsync(() => selfLog.Text.Contains("stays in the durable buffer and is tried again"), "the event is put back",
            TimeSpan.FromSeconds(2));
        // With the buffer, a record is retried for at least a minute before it is put back.
        Assert.Contains("retry time limit of 00:01:00", selfLog.Text);
        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(1, harness.Sink.Store.Count);
        var attempts = api.Bodies.Count;

        // Put back for a minute: no request for it meanwhile.
        harness.Time.Advance(BufferPump.RetryLater - TimeSpan.FromSeconds(5));
        await Task.Yield();
        Assert.Equal(attempts, api.Bodies.Count);

        Volatile.Write(ref status, 202);
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 1, "the event is sent", TimeSpan.FromSeconds(2));
        Assert.True(api.Bodies.Count > attempts);
        Assert.Single(api.EventIds.Distinct());
    }

    [Fact]
    public async Task DuringAnOutageEvenRetryTimeLimitZeroDoesNotRunThroughTheBacklogAtTheSpeedOfFailures()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using var harness = new BufferHarness(folder.Path, api, o => o.RetryTimeLimit = TimeSpan.Zero);
        harness.Log(0, 200);
        await Eventually.TrueAsync(() => harness.Sink.Store.Count == 200, "200 events are buffered");

        var start = harness.Time.GetUtcNow();
        await harness.AdvanceUntilAsync(() => harness.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(10), "ten minutes pass", TimeSpan.FromSeconds(1));

        // Four senders, each retrying one record with backoff for a minute before taking the next: a few hundred
        // requests in ten minutes, not one per record per failure.
        Assert.InRange(api.Bodies.Count, 40, 600);
        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(200, harness.Sink.Store.Count);
    }

    [Fact]
    public async Task ACorruptRecordAmongGoodOnesIsMovedAside_AndTheRestDelivered()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        using (var store = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider())))
        {
            store.Append(Enumerable.Range(0, 5).Select(n => new BufferRecord(0, "stored." + n, DateTimeOffset.UtcNow,
                Encoding.UTF8.GetBytes("{\"name\":\"stored." + n + "\",\"username\":\"u\",\"metadata\":{\"_event_id\":\"id-" + n + "\"}}"))).ToArray());
        }
        using (var connection = new SqliteConnection("Data Source=" + Path.Combine(folder.Path, SqliteEventStore.FileName) + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET body = substr(body, 1, 12) WHERE name = 'stored.2'";
            command.ExecuteNonQuery();
        }

        var api = new CollectingLogTraceApi();
        await using (var harness = new BufferHarness(folder.Path, api))
        {
            await Eventually.TrueAsync(() => harness.Counters.Sent == 4 && harness.Counters.Lost == 1, "4 are sent and 1 is moved aside");
            Assert.Equal(1, harness.Counters.LostFor(LossReason.Corrupt));
            Assert.Equal(0, harness.Sink.Store.Count);
        }

        Assert.Equal(new[] { "stored.0", "stored.1", "stored.3", "stored.4" }, api.Bodies.Select(b => b.GetProperty("name").GetString()).OrderBy(n => n));
        var moved = Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, DeadLetterFolder.FolderName)));
        Assert.EndsWith("-corrupt.json", moved);
        Assert.Equal("{\"name\":\"sto", System.IO.File.ReadAllText(moved));
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace record \"stored.2\" was read back from the durable buffer damaged"));
    }

    [Fact]
    public async Task TheDeadLetterFolderHasItsOwnCap_PastItARecordIsCountedAndReported()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(422, "unprocessable")));
        // The dead-letter folder takes a tenth of the buffer's limit: 1 MiB / 10, about six of these events.
        await using var harness = new BufferHarness(folder.Path, api, o => o.BufferSizeLimitBytes = 1024 * 1024);

        harness.Log(0, 10, extra: new string('y', 15_000));
        await Eventually.TrueAsync(() => harness.Counters.LostFor(LossReason.Rejected) == 10, "10 are rejected");

        var files = Directory.GetFiles(Path.Combine(folder.Path, DeadLetterFolder.FolderName));
        Assert.InRange(files.Length, 5, 7);
        Assert.True(files.Sum(f => new FileInfo(f).Length) <= 1024 * 1024 / 10);
        Assert.Equal(0, harness.Sink.Store.Count);
        Assert.Contains("holds its limit of 104857 bytes", selfLog.Text);
    }

    [Fact]
    public async Task WhenTheStoreCannotBeWritten_EventsAreSentFromMemory_AndTheFailureIsReportedNotThrown()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi();
        await using (var harness = new BufferHarness(folder.Path, api, stores: new FailingStores()))
        {
            harness.Log(0, 5);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 5, "the 5 events are sent from memory");
            Assert.Equal(0, harness.Counters.Lost);
        }
        var report = Assert.Single(selfLog.Lines, l => l.Contains("could not write"));
        Assert.Contains("No space left on device", report);
        Assert.Contains("sent from memory instead", report);
    }

    [Fact]
    public async Task AnEventOfARunningRequestIsWrittenOnceItsRequestEnds_WithTheFinalStatus()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        var request = new TestCompletion(TimeSpan.FromMinutes(5));

        LogTraceRequestContext.Current = request;
        try
        {
            harness.Log(0, 1, name: "in.request");
        }
        finally
        {
            LogTraceRequestContext.Current = null;
        }
        harness.Log(1, 1, name: "outside");
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the event outside any request is sent");
        Assert.Equal("outside", Assert.Single(api.Bodies).GetProperty("name").GetString());

        request.Complete(201, TimeSpan.FromMilliseconds(40));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 2, "the held event is written and sent once its request ends");
        var held = api.Bodies.Single(b => b.GetProperty("name").GetString() == "in.request");
        Assert.Equal(201, held.GetProperty("request_details").GetProperty("http_status_code").GetInt32());
        Assert.Equal(0, harness.Counters.Lost);
    }

    [Fact]
    public async Task ClosingTheLoggerReleasesTheFolder_TheStoreAndTheConnection()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        var harness = new BufferHarness(folder.Path, api);
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the event is sent");
        Assert.Null(BufferLock.TryAcquire(folder.Path));

        await harness.DisposeAsync();

        Assert.True(api.Disposed);
        using var next = BufferLock.TryAcquire(folder.Path);
        Assert.NotNull(next);
        Assert.Throws<ObjectDisposedException>(() => harness.Sink.Store.ReadAfter(0, 1));
    }

    [Fact]
    public async Task TheBuffersEventsAndBytesArePublishedAsMetrics()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using var harness = new BufferHarness(folder.Path, api);
        harness.Log(0, 4);
        await Eventually.TrueAsync(() => harness.Sink.Store.Count == 4, "4 events are buffered");

        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        // Only the buffer's two instruments: the senders, retrying meanwhile, report on other threads.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, harness.Counters.Meter) && instrument.Name.StartsWith("logtrace.buffer.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (seen)
                seen[instrument.Name] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(4, seen["logtrace.buffer.events"]);
        Assert.Equal(harness.Sink.Store.Bytes, seen["logtrace.buffer.bytes"]);
        Assert.True(seen["logtrace.buffer.bytes"] > 4 * BufferRecord.Overhead);
    }

    sealed class FailingStores : EventStoreFactory
    {
        public override EventStore Open(string folder, DeadLetterFolder deadLetters) => new FailingStore(folder);
    }

    // A disk that is full: nothing can be appended.
    sealed class FailingStore : EventStore
    {
        public FailingStore(string folder) => Folder = folder;

        public override string Folder { get; }

        public override long Count => 0;

        public override long Bytes => 0;

        public override void Append(IReadOnlyList<BufferRecord> records) => throw new IOException("No space left on device");

        public override IReadOnlyList<BufferRecord> ReadAfter(long afterId, int max) => Array.Empty<BufferRecord>();

        public override void Delete(BufferRecord record)
        {
        }

        public override void Dispose()
        {
        }
    }
}
