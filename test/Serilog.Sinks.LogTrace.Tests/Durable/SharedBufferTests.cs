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
            Assert.Contains("delivers from memory meanwhile", report);
            for (var i = 0; i < 5; i++)
                logger.ForContext(LogTraceProperties.EventName, "second.process").ForContext(LogTraceProperties.UserId, "u2").Information("Second {Number}", 1000 + i);
            await Eventually.TrueAsync(() => collector.Store.Events.Count(e => e.Name() == "second.process") == 5, "the second process's 5 events arrive");
        }

        await first.KillAsync();
        using var store = SqliteEventStore.Open(folder.Path, new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider()));
        Assert.All(store.ReadAfter(0, int.MaxValue), r => Assert.False(r.Corrupt));
        Assert.DoesNotContain(store.ReadAfter(0, int.MaxValue), r => r.Name == "second.process");
    }

    // The overlapping restart: the new process starts while the old one still holds the folder. It delivers from
    // memory, and once the old one has gone (closed here, as a deployment's SIGTERM closes it: its records are then all
    // on disk; what a kill loses is the crash tests' subject) takes the buffer over, with the old run's backlog.
    [Fact]
    public async Task AnOverlappingRestartTakesTheBufferOverOnceTheOldProcessHasGone_WithItsBacklog()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        // The old run's service refuses its key, so its 100 records stay in its buffer.
        await using var refusing = await global::LogTrace.Collector.LogTraceCollector.StartAsync(new global::LogTrace.Collector.CollectorOptions
        {
            ApiKeys = { "lg_ffffffffffffffffffffffffffffffff" },
            RateLimitEnabled = false,
        });
        await using var collector = await CollectorHelpers.StartAsync();
        using var old = BufferChild.Start(folder.Path, refusing.DevelopersEndpoint, from: 0, count: 100, perSecond: 0, waitStdin: true);
        await old.ReadyAsync();
        await Eventually.TrueAsync(() => old.Logged.Count == 100 && refusing.Store.Requests.Count > 0, "the old run has buffered its records",
            TimeSpan.FromSeconds(60));

        using (var logger = new LoggerConfiguration()
                   .WriteTo.LogTrace(Some.ApiKey, collector.DevelopersEndpoint, period: TimeSpan.FromMilliseconds(20), bufferPath: folder.Path)
                   .CreateLogger())
        {
            for (var i = 0; i < 5; i++)
                logger.ForContext(LogTraceProperties.EventName, "second.process").ForContext(LogTraceProperties.UserId, "u2").Information("Second {Number}", 1000 + i);
            await Eventually.TrueAsync(() => collector.Store.Events.Count(e => e.Name() == "second.process") == 5, "the new run delivers from memory meanwhile");

            await old.CloseAsync();
            Assert.Contains("100 events remain in the durable buffer at " + folder.Path, old.ErrorText);
            for (var i = 5; i < 10; i++)
                logger.ForContext(LogTraceProperties.EventName, "second.process").ForContext(LogTraceProperties.UserId, "u2").Information("Second {Number}", 1000 + i);
            try
            {
                await Eventually.TrueAsync(() => collector.Store.Events.Count(e => e.Name() == "buffer.test") == 100,
                    "the old run's backlog arrives once the new run has taken the buffer over", TimeSpan.FromSeconds(60));
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException(ex.Message + "; " + collector.Store.Events.Count(e => e.Name() == "buffer.test") + " arrived; SelfLog: " +
                    string.Join(" | ", selfLog.Lines));
            }
            await Eventually.TrueAsync(() => collector.Store.Events.Count(e => e.Name() == "second.process") == 10, "every record of the new run arrives");
            Assert.Contains(selfLog.Lines, l => l.Contains("is free now: this logger took it over"));
            Assert.Contains(selfLog.Lines, l => l.Contains("holds 100 events from an earlier run"));
        }
        Assert.Equal(100, collector.Store.Events.Where(e => e.Name() == "buffer.test").Select(e => e.Json().GetProperty("metadata").GetProperty("_event_id").GetString()).Distinct().Count());
    }
}
