using System.Text.RegularExpressions;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Readme;

// docs/metrics.md is the catalogue of the sink's instruments: every instrument one sink publishes (its counters, the
// durable buffer's and the markers') is in the page's table with the same unit, every row is an instrument, each has
// a description, and the tags carry the values the page names (every loss reason; "unknown" for a kind not known).
public class MetricsPageTests
{
    static readonly string Page = System.IO.File.ReadAllText(Path.Combine(ReadmeDocument.Root, "docs", "metrics.md"));

    // The table's rows: instrument name and unit.
    static Dictionary<string, string> Rows() =>
        Regex.Matches(Page, @"^\| `(logtrace\.[a-z_.]+)` \|[^|]*\| `([^`]+)` \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [Fact]
    public void ThePageListsEveryInstrumentWithItsUnitAndEachHasADescription()
    {
        using var counters = new LogTraceSinkCounters();
        counters.ObserveBuffer(() => 3, () => 300);
        _ = new MisspeltMarkers(counters.Meter);
        _ = new IgnoredMarkers(counters.Meter);
        using var published = new MeterWatch(counters.Meter);

        var rows = Rows();
        Assert.Equal(rows.Keys.OrderBy(n => n, StringComparer.Ordinal), published.Instruments.Select(i => i.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(published.Instruments, instrument =>
        {
            Assert.Equal(rows[instrument.Name], instrument.Unit);
            Assert.False(string.IsNullOrWhiteSpace(instrument.Description), instrument.Name + " has no description");
        });
        Assert.Equal(LogTraceSinkCounters.MeterName, counters.Meter.Name);
        var failed = published.Instruments.Single(i => i.Name == "logtrace.events.failed").Description!;
        Assert.All(Enumerable.Range(0, LossReasons.Count), i => Assert.Contains(LossReasons.TagValue((LossReason)i), failed));
    }

    [Fact]
    public void ThePageNamesEveryLossReason()
    {
        var failed = Page.Substring(Page.IndexOf("| `logtrace.events.failed`", StringComparison.Ordinal));
        failed = failed.Substring(0, failed.IndexOf('\n'));
        var documented = Regex.Matches(failed.Substring(failed.IndexOf("records lost", StringComparison.Ordinal)), "`([a-z_]+)`")
            .Select(m => m.Groups[1].Value);

        Assert.Equal(Enumerable.Range(0, LossReasons.Count).Select(i => LossReasons.TagValue((LossReason)i)).OrderBy(n => n, StringComparer.Ordinal),
            documented.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void EachMeasurementCarriesTheTagsThePageNames()
    {
        using var counters = new LogTraceSinkCounters();
        counters.ObserveBuffer(() => 3, () => 300);
        using var published = new MeterWatch(counters.Meter);

        counters.AddSent(TimeSpan.FromSeconds(2), RecordKind.AuditLog);
        counters.AddLost(LossReason.QueueFull, RecordKind.Event);
        counters.AddLost(LossReason.Corrupt, null, 4);
        counters.AddLost(LossReason.HookFailed, RecordKind.SessionLogout, 1, 0);
        counters.AddRetry(RecordKind.SessionLogout);
        counters.AddRateLimited(RecordKind.Event);
        Assert.Equal(Admission.Admitted, counters.TryAdmit(10, 250, 1000));
        published.Observe();

        Assert.Equal(1, counters.Retries);
        Assert.Equal(1, counters.RateLimited);
        var measured = published.Measurements;
        Assert.Contains(("logtrace.events.sent", 1L, "kind=audit_log"), measured);
        Assert.Contains(("logtrace.delivery.latency", 2L, "kind=audit_log"), measured);
        Assert.Contains(("logtrace.events.failed", 1L, "reason=queue_full,kind=event"), measured);
        Assert.Contains(("logtrace.events.failed", 4L, "reason=corrupt,kind=unknown"), measured);
        Assert.Contains(("logtrace.events.failed", 1L, "reason=hook_failed,kind=session"), measured);
        Assert.Contains(("logtrace.retries", 1L, "kind=session"), measured);
        Assert.Contains(("logtrace.rate_limited", 1L, "kind=event"), measured);
        Assert.Contains(("logtrace.queue.depth", 1L, ""), measured);
        Assert.Contains(("logtrace.queue.bytes", 250L, ""), measured);
        Assert.Contains(("logtrace.buffer.events", 3L, ""), measured);
        Assert.Contains(("logtrace.buffer.bytes", 300L, ""), measured);
    }

    // The record bound: a record over it is refused and leaves the count as it was.
    [Fact]
    public void ARecordOverTheRecordBoundLeavesTheCountAsItWas()
    {
        using var counters = new LogTraceSinkCounters();

        Assert.Equal(Admission.Admitted, counters.TryAdmit(1, 10, 1000));
        Assert.Equal(Admission.OverEvents, counters.TryAdmit(1, 10, 1000));
        Assert.Equal(Admission.OverEvents, counters.TryAdmit(1, 10, 1000));

        Assert.Equal(1, counters.Queued);
        Assert.Equal(10, counters.QueuedBytes);
    }

    // A record whose bytes would reach the bound exactly still fits; one byte more does not.
    [Fact]
    public void TheByteBoundAdmitsARecordThatFillsItExactly()
    {
        using var counters = new LogTraceSinkCounters();

        Assert.Equal(Admission.Admitted, counters.TryAdmit(10, 600, 1000));
        Assert.Equal(Admission.Admitted, counters.TryAdmit(10, 400, 1000));
        Assert.Equal(Admission.OverBytes, counters.TryAdmit(10, 1, 1000));
        Assert.Equal(2, counters.Queued);
        Assert.Equal(1000, counters.QueuedBytes);
    }
}
