using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// Review of the held-buffer takeover (HeldBufferOutbox) and the kind-named SelfLog lines.
[Collection(SelfLogCollection.Name)]
public class HeldBufferReviewTests
{
    // A folder others can read (a 755 folder: the usual umask's) is said once at start, not again on every 15 s try.
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
}
