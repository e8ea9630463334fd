using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

[Collection(SelfLogCollection.Name)]
// Real processes: left out of mutation runs (Category=Process), which would run them for every mutant.
[Trait("Category", "Process")]
public class SharedBufferTests
{
    [Fact]
    public async Task ASecondProcessOnTheSameBufferPathDeliversFromMemory_AndLeavesTheFirstOnesBufferAlone()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        await using var collector = await CollectorHelpers.StartAsync();
        using var first = BufferChild.Start(folder.Path, collector.DevelopersEndpoint, from: 0, count: -1, perSecond: 50);
        await first.ReadyAsync();
        await Eventually.TrueAsync(() => !first.Logged.IsEmpty, "the first process is logging into its buffer");

        using (var logger = new LoggerConfiguration()
                   .WriteTo.LogTrace(Some.ApiKey, collector.DevelopersEndpoint, period: TimeSpan.FromMilliseconds(20), bufferPath: folder.Path)
                   .CreateLogger())
        {
            var report = Assert.Single(selfLog.Lines, l => l.Contains("is in use by another process"));
            Assert.Contains(folder.Path, report);
            Assert.Contains("delivers from memory instead", report);
            for (var i = 0; i < 5; i++)
                logger.ForContext(LogTraceProperties.EventName, "second.process").ForContext(LogTraceProperties.UserId, "u2").Information("Second {Number}", 1000 + i);
            await Eventually.TrueAsync(() => collector.Store.Events.Count(e => e.Name() == "second.process") == 5, "the second process's 5 events arrive");
        }

        await first.KillAsync();
        using var store = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider()));
        Assert.All(store.ReadAfter(0, int.MaxValue), r => Assert.False(r.Corrupt));
        Assert.DoesNotContain(store.ReadAfter(0, int.MaxValue), r => r.Name == "second.process");
    }
}
