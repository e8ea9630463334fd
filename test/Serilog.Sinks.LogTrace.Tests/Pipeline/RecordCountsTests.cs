using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// SelfLog's shutdown and loss lines name the kind of record: "12 audit logs remain", not "12 events".
[Collection(SelfLogCollection.Name)]
public class RecordCountsTests
{
    static long[] Kinds(long events = 0, long auditLogs = 0, long sessions = 0, long signOuts = 0)
    {
        var counts = new long[RecordKinds.Count];
        counts[(int)RecordKind.Event] = events;
        counts[(int)RecordKind.AuditLog] = auditLogs;
        counts[(int)RecordKind.Session] = sessions;
        counts[(int)RecordKind.SessionLogout] = signOuts;
        return counts;
    }

    [Theory]
    [InlineData(12, 0, 12, 0, 0, "12 audit logs")]
    [InlineData(1, 1, 0, 0, 0, "1 event")]
    [InlineData(2, 0, 0, 2, 0, "2 sessions")]
    [InlineData(1, 0, 0, 0, 1, "1 session sign-out")]
    [InlineData(8, 5, 2, 1, 0, "8 records (5 events, 2 audit logs, 1 session)")]
    [InlineData(9, 5, 2, 0, 0, "9 records (5 events, 2 audit logs, 2 of unknown kind)")]
    [InlineData(3, 0, 0, 0, 0, "3 records")]
    [InlineData(1, 0, 0, 0, 0, "1 record")]
    [InlineData(0, 0, 0, 0, 0, "0 records")]
    // Counts that add up to more than the total cannot be trusted: no kind is named.
    [InlineData(2, 3, 0, 0, 0, "2 records")]
    public void ARecordCountIsNamedByKind(long total, long events, long auditLogs, long sessions, long signOuts, string expected) =>
        Assert.Equal(expected, RecordCounts.Describe(total, Kinds(events, auditLogs, sessions, signOuts)));

    [Fact]
    public void WithoutCountsByKindTheyAreRecords()
    {
        Assert.Equal("4 records", RecordCounts.Describe(4, null));
        Assert.Equal("3 more audit logs", RecordCounts.Describe(3, Kinds(auditLogs: 3), "more"));
        Assert.Equal("2 more records (1 event, 1 audit log)", RecordCounts.Describe(2, Kinds(events: 1, auditLogs: 1), "more"));
    }

    [Fact]
    public async Task TheShutdownLineNamesTheKindsItDropped()
    {
        using var selfLog = new SelfLogCollector();
        var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o =>
        {
            o.MaxConcurrentRequests = 1;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }, listen: false);
        await harness.EmitAsync(Some.AuditLog("invoice.deleted"), Some.AuditLog("invoice.deleted"), Some.Event("user.login"));
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the first record is in flight");
        await harness.DisposeAsync();

        var line = Assert.Single(selfLog.Lines, l => l.Contains("within the shutdown timeout"));
        Assert.Contains("LogTrace: 3 records (1 event, 2 audit logs) could not be delivered within the shutdown timeout of 00:00:01", line);
    }
}
