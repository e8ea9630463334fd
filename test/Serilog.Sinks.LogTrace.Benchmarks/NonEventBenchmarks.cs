using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 1: a log line without EventName costs at most +10 ns and 0 B over a logger whose only sink discards
// everything; the same with the ASP.NET Core enricher on both loggers, inside a request.
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NonEventBenchmarks
{
    Logger _discard = null!;
    Logger _logTrace = null!;
    Logger _discardEnriched = null!;
    Logger _logTraceEnriched = null!;
    int _i;

    [GlobalSetup]
    public void Setup()
    {
        _discard = new LoggerConfiguration().WriteTo.Sink(new DiscardSink()).CreateLogger();
        _logTrace = new LoggerConfiguration().WriteTo.LogTrace(Bench.Stalled).CreateLogger();
        _discardEnriched = new LoggerConfiguration().Enrich.WithLogTraceHttpContext().WriteTo.Sink(new DiscardSink()).CreateLogger();
        _logTraceEnriched = new LoggerConfiguration().Enrich.WithLogTraceHttpContext().WriteTo.LogTrace(Bench.Stalled).CreateLogger();
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
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Sink")]
    public void Discard() => TypicalEvents.LogNonEvent(_discard, _i++);

    [Benchmark, BenchmarkCategory("Sink")]
    public void LogTrace() => TypicalEvents.LogNonEvent(_logTrace, _i++);

    [Benchmark(Baseline = true), BenchmarkCategory("SinkAndEnricher")]
    public void DiscardEnriched() => TypicalEvents.LogNonEvent(_discardEnriched, _i++);

    [Benchmark, BenchmarkCategory("SinkAndEnricher")]
    public void LogTraceEnriched() => TypicalEvents.LogNonEvent(_logTraceEnriched, _i++);
}
