using Microsoft.Data.Sqlite;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The pump, line by line of what it says and when it reads again: a failed read said once per interval and tried
// again after its pause (not after a rescan's wait), a damaged store that cannot be started anew said as such, and a
// shutdown that ends as soon as the writers are done, without waiting for a clock.
[Collection(SelfLogCollection.Name)]
public class BufferPumpTests
{
    static async Task BufferAsync(string folder, int count)
    {
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using var first = new BufferHarness(folder, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        first.Log(0, count);
        await Eventually.TrueAsync(() => first.Sink.Store.Count == count, count + " are buffered");
    }

    [Fact]
    public async Task AFailedReadIsSaidOncePerInterval_AndReadAgainAfterItsPause()
    {
        using var folder = new TempFolder();
        await BufferAsync(folder.Path, 3);
        using var selfLog = new SelfLogCollector();

        var up = new CollectingLogTraceApi();
        await using var second = new BufferHarness(folder.Path, up, stores: new ScriptedStores(store => store.FailReads(new SqliteException("database is locked", 5), times: 2)));
        var start = second.Time.GetUtcNow();
        await second.AdvanceUntilAsync(() => second.Counters.Sent == 3 || second.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(5),
            "the backlog is sent, or 5 minutes pass", TimeSpan.FromSeconds(1));

        Assert.Equal(3, second.Counters.Sent);
        // Two pauses of 5 s, not a rescan's minute.
        Assert.InRange(second.Time.GetUtcNow() - start, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not read the durable buffer"));
        Assert.EndsWith("LogTrace: could not read the durable buffer at " + folder.Path + " (SqliteException: database is locked); trying again every 5 s", line.TrimEnd());
    }

    [Fact]
    public async Task ADamagedStoreThatCannotBeStartedAnewIsSaid_AndReadsArePausedNotSpun()
    {
        using var folder = new TempFolder();
        await BufferAsync(folder.Path, 2);
        using var selfLog = new SelfLogCollector();
        var stores = new ScriptedStores();
        await using (var second = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o => o.ShutdownTimeout = TimeSpan.FromSeconds(2), stores))
        {
            await second.AdvanceUntilAsync(() => second.Counters.Sent == 2, "the backlog is sent");
            // Nothing can be moved aside now: a file where the dead-letter folder would go.
            if (Directory.Exists(folder.Combine(DeadLetterFolder.FolderName)))
                Directory.Delete(folder.Combine(DeadLetterFolder.FolderName), recursive: true);
            System.IO.File.WriteAllText(folder.Combine(DeadLetterFolder.FolderName), "in the way");
            stores.Last!.FailReads(new SqliteException("database disk image is malformed", 11), times: -1);
            second.Log(10, 1);
            await Eventually.TrueAsync(() => selfLog.Text.Contains("could not be started anew"), "the failed recovery is said");
            await Eventually.TrueAsync(() => selfLog.Text.Contains("could not read the durable buffer"), "and the failed read");
        }

        var line = Assert.Single(selfLog.Lines, l => l.Contains("could not be started anew"));
        Assert.Contains("LogTrace: the durable buffer at " + folder.Path + " is damaged and could not be started anew: The LogTrace bufferPath '" + folder.Path +
            "' cannot be used: its store " + folder.Combine("events.db") + " is damaged and could not be moved aside", line);
        Assert.Single(selfLog.Lines, l => l.Contains("could not read the durable buffer"));
    }

    [Fact]
    public async Task ShutdownEndsOnceTheWritersAreDone_WithoutTheClockMoving()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        var harness = new BufferHarness(folder.Path, api);
        harness.Log(0, 2);
        await Eventually.TrueAsync(() => harness.Counters.Sent == 2, "both are sent");

        // Not the harness's DisposeAsync, which moves the fake clock: here it stays where it is.
        var disposing = Task.Run(harness.Logger.Dispose);
        await Eventually.TrueAsync(() => disposing.IsCompleted, "the logger is disposed without the clock moving");
        await disposing;
        await harness.DisposeAsync();
    }
}
