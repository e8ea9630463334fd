using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// The buffer's lines name the kinds of record they count: "2 audit logs remain", not "2 events".
[Collection(SelfLogCollection.Name)]
public class KindNamedLinesTests
{
    [Fact]
    public async Task WhatRemainsAndWhatAnEarlierRunLeftAreNamedByKind()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var down = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(503, "down")));
        await using (var first = new BufferHarness(folder.Path, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)))
        {
            first.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1").Information("Deleted");
            first.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.updated").ForContext(LogTraceProperties.UserId, "u1").Information("Updated");
            await first.Time.AdvanceUntilAsync(() => first.Sink.Store.Count == 2, "two audit logs are buffered", TimeSpan.FromMilliseconds(50));
        }
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: 2 audit logs remain in the durable buffer at " + folder.Path));

        await using (var second = new BufferHarness(folder.Path, down, o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)))
        {
            Assert.Contains(selfLog.Lines, l => l.Contains("holds 2 audit logs from an earlier run"));
            second.Log(0, 3);
            second.Logger.ForContext(LogTraceProperties.SessionStatus, "successful").ForContext(LogTraceProperties.SessionToken, "sess_kinds_0123456789")
                .ForContext(LogTraceProperties.UserId, "u1").Information("Signed in");
            await second.Time.AdvanceUntilAsync(() => second.Sink.Store.Count == 6, "six records are buffered", TimeSpan.FromMilliseconds(50));
        }
        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: 6 records (3 events, 2 audit logs, 1 session) remain in the durable buffer"));
    }
}
