using BenchmarkDotNet.Attributes;
using Serilog.Events;
using Serilog.Parsing;
using Serilog.Sinks.LogTrace.Benchmarks.Support;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 1, the sink's own part: RecordKinds.IsMarked, the whole of what LogTraceSink.Emit does for a log line that is
// no record (the marker check and the misspelt-marker check), on the lines NonEventBenchmarks logs. Measured alone,
// because the end-to-end pair of loggers moves by more than the 10 ns budget from run to run (docs/benchmarks.md).
[MemoryDiagnoser]
public class MarkerCheckBenchmarks
{
    readonly LogEvent _two = Line(("CacheKey", "invoice:42"), ("ElapsedMs", 3));
    readonly LogEvent _ten = Line(("CacheKey", "invoice:42"), ("ElapsedMs", 3), ("SourceContext", "Invoices.Api"),
        ("RequestId", "0HN8K2QJ9V1F2:00000001"), ("RequestPath", "/invoices"), ("ConnectionId", "0HN8K2QJ9V1F2"),
        ("ActionId", "7d2c1e3b"), ("ActionName", "Invoices.Create"), ("MachineName", "web-1"), ("Application", "billing"));
    readonly LogEvent _tenEvent = Line(("CacheKey", "invoice:42"), ("ElapsedMs", 3), ("SourceContext", "Invoices.Api"),
        ("RequestId", "0HN8K2QJ9V1F2:00000001"), ("RequestPath", "/invoices"), ("ConnectionId", "0HN8K2QJ9V1F2"),
        ("ActionId", "7d2c1e3b"), ("ActionName", "Invoices.Create"), ("MachineName", "web-1"), (LogTraceProperties.EventName, "invoice.created"));

    static LogEvent Line(params (string Name, object Value)[] properties) => new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null,
        new MessageTemplateParser().Parse(TypicalEvents.NonEventTemplate),
        properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));

    [Benchmark(Baseline = true)]
    public bool TwoProperties() => RecordKinds.IsMarked(_two, out _);

    [Benchmark]
    public bool TenProperties() => RecordKinds.IsMarked(_ten, out _);

    // An event whose marker is the last of ten properties: the scan's longest way to a record.
    [Benchmark]
    public bool TenPropertiesEventLast() => RecordKinds.IsMarked(_tenEvent, out _);
}
