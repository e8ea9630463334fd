using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 1: a log line without a marker (EventName, AuditLogName, SessionStatus) costs at most +10 ns and 0 B over a
// logger whose only sink discards everything; the same with the ASP.NET Core enricher on both loggers, inside a
// request; and the same for a line with ten properties, as in an ASP.NET Core request (the check then looks the three
// names up instead of scanning).
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NonEventBenchmarks
{
    Logger _discard = null!;
    Logger _logTrace = null!;
    Logger _discardEnriched = null!;
    Logger _logTraceEnriched = null!;
    Logger _discardMany = null!;
    Logger _logTraceMany = null!;
    int _i;

    [GlobalSetup]
    public void Setup()
    {
        _discard = new LoggerConfiguration().WriteTo.Sink(new DiscardSink()).CreateLogger();
        _logTrace = new LoggerConfiguration().WriteTo.LogTrace(Bench.Stalled).CreateLogger();
        _discardEnriched = new LoggerConfiguration().Enrich.WithLogTraceHttpContext().WriteTo.Sink(new DiscardSink()).CreateLogger();
        _logTraceEnriched = new LoggerConfiguration().Enrich.WithLogTraceHttpContext().WriteTo.LogTrace(Bench.Stalled).CreateLogger();
        _discardMany = WithEightMore(new LoggerConfiguration()).WriteTo.Sink(new DiscardSink()).CreateLogger();
        _logTraceMany = WithEightMore(new LoggerConfiguration()).WriteTo.LogTrace(Bench.Stalled).CreateLogger();
        // Inside a request: the middleware makes a context current for the request's flow.
        LogTraceRequestContext.Current = new BenchRequestContext();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _discard.Dispose();
        _logTrace.Dispose();
        _discardEnriched.Dispose();
        _logTraceEnriched.Dispose();
        _discardMany.Dispose();
        _logTraceMany.Dispose();
    }

    // What ASP.NET Core's logging scope and a typical configuration add to every line.
    static LoggerConfiguration WithEightMore(LoggerConfiguration configuration) => configuration.Enrich.WithProperty("SourceContext", "Invoices.Api")
        .Enrich.WithProperty("RequestId", "0HN8K2QJ9V1F2:00000001").Enrich.WithProperty("RequestPath", "/invoices")
        .Enrich.WithProperty("ConnectionId", "0HN8K2QJ9V1F2").Enrich.WithProperty("ActionId", "7d2c1e3b")
        .Enrich.WithProperty("ActionName", "Invoices.Create").Enrich.WithProperty("MachineName", "web-1")
        .Enrich.WithProperty("Application", "billing");

    [Benchmark(Baseline = true), BenchmarkCategory("Sink")]
    public void Discard() => TypicalEvents.LogNonEvent(_discard, _i++);

    [Benchmark, BenchmarkCategory("Sink")]
    public void LogTrace() => TypicalEvents.LogNonEvent(_logTrace, _i++);

    [Benchmark(Baseline = true), BenchmarkCategory("SinkAndEnricher")]
    public void DiscardEnriched() => TypicalEvents.LogNonEvent(_discardEnriched, _i++);

    [Benchmark, BenchmarkCategory("SinkAndEnricher")]
    public void LogTraceEnriched() => TypicalEvents.LogNonEvent(_logTraceEnriched, _i++);

    [Benchmark(Baseline = true), BenchmarkCategory("TenProperties")]
    public void DiscardMany() => TypicalEvents.LogNonEvent(_discardMany, _i++);

    [Benchmark, BenchmarkCategory("TenProperties")]
    public void LogTraceMany() => TypicalEvents.LogNonEvent(_logTraceMany, _i++);
}
