using System.Text;
using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.TestStores;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A damaged store is salvaged or replaced without losing whose backlog it is, and damage only writing meets is found
// by the append that meets it.
[Collection(SelfLogCollection.Name)]
public class DamagedStoreRecoveryTests
{
    const int PageSize = StorePages.PageSize;

    static BufferRecord Record(int n) =>
        new(0, "event." + n, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n),
            Encoding.UTF8.GetBytes("{\"name\":\"event." + n + "\",\"metadata\":{\"Number\":" + n + "}}"));

    // 2,000 records of about half a kilobyte: a store of several hundred pages, in batches of 100.
    static void AppendPadded(SqliteEventStore store, int count)
    {
        for (var n = 1; n <= count; n += 100)
            store.Append(Enumerable.Range(n, 100).Select(k => new BufferRecord(0, "event." + k, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + k),
                Encoding.UTF8.GetBytes("{\"name\":\"event." + k + "\",\"metadata\":{\"padding\":\"" + new string('x', 400) + "\"}}"))).ToArray());
    }

    static string StoreFile(string folder) => Path.Combine(folder, SqliteEventStore.FileName);

    static void FillWithOwner(string folder, int count)
    {
        using var store = Open(folder);
        store.Append(Enumerable.Range(1, count).Select(Record).ToArray());
        store.WriteMeta(BacklogOwner.EndpointName, "https://logtrace.example/v1/developers");
    }

    // docs/durable-buffer.md: "the whole database unreadable, at start or while running: moved to dead-letter/ and a
    // new buffer started"; "Bad storage never stops delivery or the application".
    [Fact]
    public async Task AStoreWhoseMetaTableIsDamaged_DoesNotFailTheLoggersCreation()
    {
        using var folder = new TempFolder();
        FillWithOwner(folder.Path, 20);
        StorePages.Overwrite(StoreFile(folder.Path), StorePages.Root(StoreFile(folder.Path), "meta"));
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);

        await Eventually.TrueAsync(() => harness.Counters.Sent + harness.Counters.LostFor(LossReason.Corrupt) == 20,
            "every buffered record is delivered or counted corrupt");
        // Whose backlog it was went with the damage, and the salvaged records take this logger's configuration: said.
        Assert.Contains(selfLog.Lines, l => l.Contains("which endpoint and key the records in", StringComparison.Ordinal) &&
            l.Contains("configuration of the logger that opens the buffer", StringComparison.Ordinal));
    }

    // BacklogOwner: a backlog another endpoint accepted is held, never sent to a new endpoint (another tenant). One
    // damaged page among the records must not change whose backlog it is.
    [Fact]
    public async Task ASalvagedStoreKeepsItsOwner_AndIsNotSentToAnotherEndpoint()
    {
        using var folder = new TempFolder();
        using (var store = Open(folder.Path))
        {
            AppendPadded(store, 2000);
            store.WriteMeta(BacklogOwner.EndpointName, "https://tenant-a.example/v1/developers");
            store.WriteMeta(BacklogOwner.AcceptedName, "https://tenant-a.example/v1/developers");
        }
        // One page in the middle of the records.
        StorePages.Overwrite(StoreFile(folder.Path), StorePages.Middle(StoreFile(folder.Path)));
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api, o => o.Endpoint = "https://tenant-b.example/v1/developers");
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => harness.Counters.Sent >= 1, "the new event is sent");

        // Tenant A's salvaged records must not reach tenant B.
        Assert.DoesNotContain(api.Bodies, b => b.GetProperty("name").GetString()!.StartsWith("event.", StringComparison.Ordinal));
    }

    // A store damaged where only writing goes (the free-page list: an append takes its pages from there) reads
    // fine, so the pump never finds the damage; every append then fails.
    [Fact]
    public async Task AStoreThatCanNoLongerBeAppendedToBecauseItIsDamaged_IsReplaced_AndNewEventsAreBufferedAgain()
    {
        using var folder = new TempFolder();
        using (var store = Open(folder.Path))
        {
            AppendPadded(store, 2000);
            foreach (var record in store.ReadAfter(0, 1990))
                store.Delete(record);
            Assert.Equal(10, store.Count);
        }
        long trunk;
        using (var file = new FileStream(Path.Combine(folder.Path, SqliteEventStore.FileName), FileMode.Open, FileAccess.Read))
        {
            var header = new byte[100];
            file.ReadExactly(header);
            trunk = (header[32] << 24) | (header[33] << 16) | (header[34] << 8) | header[35];
        }
        Assert.True(trunk > 0, "the file has free pages");
        StorePages.Overwrite(StoreFile(folder.Path), trunk);
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using var harness = new BufferHarness(folder.Path, api);
        // The ten records left are read and in flight (refused, kept for the retry): the salvage has none to copy, so
        // the new store starts empty.
        await Eventually.TrueAsync(() => api.Requests.Count >= 1, "the records left are read and sent");
        for (var n = 0; n < 20; n++)
            harness.Log(n * 50, 50, extra: new string('y', 2000));

        await Eventually.TrueAsync(() => harness.Sink.Store.Count >= 1000 ||
            selfLog.Lines.Any(l => l.Contains("could not write")), "the events are written, or the store fails");
        Assert.False(selfLog.Lines.Any(l => l.Contains("could not write")), string.Join("\n", selfLog.Lines));
        Assert.Contains(selfLog.Lines, l => l.Contains("was found damaged", StringComparison.Ordinal));
        // Whose backlog it is was carried over from the store in memory, since the salvage copied nothing.
        Assert.Equal("https://logtrace.example/v1/developers", harness.Sink.Store.ReadMeta(BacklogOwner.EndpointName));
        Assert.Equal(BacklogOwner.KeyHash(Some.ApiKey), harness.Sink.Store.ReadMeta(BacklogOwner.KeyHashName));
        // Nothing was lost: the records in flight stay with their senders, and no loss is reported.
        Assert.Equal(0, harness.Counters.LostFor(LossReason.Corrupt));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("in the damaged store", StringComparison.Ordinal));
    }

    // The same while running: a read finds the store damaged, and it is replaced. The new store must still say whose
    // backlog it holds, or the next start with another endpoint sends it there.
    [Fact]
    public async Task AStoreReplacedWhileRunningKeepsItsOwner()
    {
        using var folder = new TempFolder();
        var big = new string('z', 10000);
        using (var store = Open(folder.Path))
            store.Append(Enumerable.Range(1, 200).Select(n => new BufferRecord(0, "old", DateTimeOffset.UtcNow,
                Encoding.UTF8.GetBytes("{\"name\":\"old\",\"username\":\"u\",\"metadata\":{\"_event_id\":\"old-" + n + "\",\"x\":\"" + big + "\"}}"))).ToArray());
        // A broken overflow-page pointer in one large record (as BufferFailureTests.DamagedStore): found only by a read.
        var file = Path.Combine(folder.Path, SqliteEventStore.FileName);
        var bytes = System.IO.File.ReadAllBytes(file);
        var pages = bytes.Length / PageSize;
        for (var page = pages * 7 / 10; page < pages; page++)
        {
            var at = page * PageSize;
            var next = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            if (next != 0 && Enumerable.Range(at + 4, 100).All(i => bytes[i] == (byte)'z'))
            {
                bytes[at] = 0x0F;
                break;
            }
        }
        System.IO.File.WriteAllBytes(file, bytes);
        using var selfLog = new SelfLogCollector();

        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        await Eventually.TrueAsync(() => selfLog.Lines.Any(l => l.Contains("was found damaged")), "the damaged store is replaced");

        await Eventually.TrueAsync(() => harness.Counters.Sent == 199, "the readable records are delivered");
        // The one record that did not read is counted and said, with where the file went.
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Corrupt));
        Assert.Contains(selfLog.Lines, l => l.Contains("in the damaged store", StringComparison.Ordinal) &&
            l.Contains("was in the durable buffer's store when it was found damaged; the file was moved to", StringComparison.Ordinal));

        Assert.Equal("https://logtrace.example/v1/developers", harness.Sink.Store.ReadMeta(BacklogOwner.EndpointName));
        Assert.Equal("https://logtrace.example/v1/developers", harness.Sink.Store.ReadMeta(BacklogOwner.AcceptedName));
    }
}
