using BenchmarkDotNet.Attributes;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 2, during an outage: the same typical event when 1,000,000 events are already queued (the service stalled,
// the queue bound raised to hold them). What remains over the discarding logger is the garbage collector's: each
// new event survives (it is queued), so it is copied on promotion, and the collections mark the whole queue.
// SerilogBatching holds the same million in Serilog's BatchingSink with no LogTrace code at all.
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 15, invocationCount: 1)]
public class OutageQueueBenchmarks
{
    const int Queued = 1_000_000;
    const int Events = 20_000;

    Logger _logger = null!;
    ILogger _events = null!;
    StalledBatchedSink? _stalled;

    [GlobalSetup(Target = nameof(Discard))]
    public void SetupDiscard() => Use(new LoggerConfiguration().WriteTo.Sink(new DiscardSink()));

    [GlobalSetup(Target = nameof(SerilogBatching))]
    public void SetupBatching()
    {
        _stalled = new StalledBatchedSink();
        Use(new LoggerConfiguration().WriteTo.Sink(_stalled, new BatchingOptions { BatchSizeLimit = 100, QueueLimit = null }));
    }

    [GlobalSetup(Target = nameof(LogTraceInMemory))]
    public void SetupInMemory() => Use(new LoggerConfiguration().WriteTo.LogTrace(o =>
    {
        Bench.Stalled(o);
        o.QueueLimit = 2_000_000;
        o.QueueLimitBytes = 16L * 1024 * 1024 * 1024;
    }));

    void Use(LoggerConfiguration configuration)
    {
        _logger = configuration.CreateLogger();
        _events = TypicalEvents.ForEvents(_logger);
        Bench.LogRound(_events, Queued);
        Bench.CollectGarbage();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stalled?.Release();
        _logger.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void Discard() => LogRound();

    [Benchmark(OperationsPerInvoke = Events)]
    public void SerilogBatching() => LogRound();

    [Benchmark(OperationsPerInvoke = Events)]
    public void LogTraceInMemory() => LogRound();

    void LogRound() => Bench.LogRound(_events, Events);
}
