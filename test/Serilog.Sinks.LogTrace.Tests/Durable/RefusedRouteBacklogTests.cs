using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// A route the service refuses (a proxy that answers 404 for /audit-logs) keeps its records on disk until its recheck,
// and its backlog is not read again at every recheck: a full buffer of them would cost seconds of CPU a minute.
public class RefusedRouteBacklogTests
{
    const int AuditLogs = 300;

    static Task<LogTraceResponse> Answer(int status, string? message = null) => Task.FromResult(new LogTraceResponse(status, message));

    [Fact]
    public async Task ARefusedRoutesBacklogIsNotReadAgainAtEveryRecheck()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi(body => body.TryGetProperty("description", out _) ? Answer(404, "404 page not found") : Answer(202));
        var stores = new ScriptedStores();
        await using var harness = new BufferHarness(folder.Path, api, o => o.MaxConcurrentRequests = 2, stores);
        var store = stores.Last!;

        for (var i = 0; i < AuditLogs; i++)
        {
            harness.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1")
                .Information("Invoice {InvoiceId} deleted", i);
        }
        await Eventually.TrueAsync(() => store.Count == AuditLogs && api.Requests.Any(r => r.Kind == RecordKind.AuditLog),
            "the audit logs are buffered and the route refused");

        const int Rechecks = 3;
        await harness.AdvanceUntilAsync(() => api.Requests.Count(r => r.Kind == RecordKind.AuditLog) >= 1 + Rechecks,
            "three rechecks ask the refused route again", TimeSpan.FromSeconds(5));
        harness.Log(0, 2);
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 2, "the events behind the refused route are sent", TimeSpan.FromSeconds(1));

        // Reading the whole backlog at the first pass and at every recheck would be 4 x 300 records.
        Assert.True(store.RecordsRead < 2 * AuditLogs, string.Format("{0} records read in the first pass and {1} rechecks of {2} refused ones",
            store.RecordsRead, Rechecks, AuditLogs));
        // The refused route's records all stay on disk (the delivered events are removed).
        await Eventually.TrueAsync(() => store.Count == AuditLogs, "only the refused records stay in the store");
    }
}

// shutdownTimeout holds when the queue goes to disk: what is still in memory when it passes is counted lost
// (shutdown), not written past it.
public class ShutdownWhileWritingTests
{
    [Fact]
    public async Task RecordsStillInMemoryAtTheShutdownTimeoutAreCountedNotWrittenPastIt()
    {
        using var folder = new TempFolder();
        // The service never answers: what is written stays on disk.
        var api = CollectingLogTraceApi.Stalled();
        var stores = new ScriptedStores(s => s.BlockAppends());
        var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.BatchSizeLimit = 10;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }, stores);
        var store = stores.Last!;

        harness.Log(0, 50);
        await Eventually.TrueAsync(() => store.AppendsWaiting == 1, "the first batch waits on the stalled disk");
        harness.Target.BeginShutdown();
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        store.ReleaseAppends();
        // The writer finishes before the logger is disposed: the disposal moves the fake clock fast, and a writer still
        // busy past shutdownTimeout + AbandonAfter on it is given up on, its batch counted lost too (RecordLedger.Abandon).
        await Eventually.TrueAsync(() => store.Count + harness.Counters.LostFor(LossReason.Shutdown) == 50, "every record is written or counted lost");
        await harness.DisposeAsync();

        // Only the batch that was waiting on the disk is written (how many records it took depends on how far the
        // logging had got when the outbox took it: at most BatchSizeLimit); every other record is counted lost.
        Assert.InRange(store.Count, 1, 10);
        Assert.Equal(50 - store.Count, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Equal(0, harness.Counters.Queued);
    }
}
