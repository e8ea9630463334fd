using BenchmarkDotNet.Attributes;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 2: a typical event on the application's thread, up to the moment it is queued, in rounds of 20,000 events
// into a fresh logger whose service is stalled (nothing leaves the queue, so the background does not compete for the
// cores). In memory at most +200 ns over the discarding logger and 0 B beyond what Serilog's own batching allocates
// (SerilogBatching: BatchingSink with a consumer that never finishes); with the durable buffer at most +500 ns.
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 25, invocationCount: 1)]
public class EventQueueBenchmarks
{
    public const int Events = 20_000;

    Logger _logger = null!;
    ILogger _events = null!;
    StalledBatchedSink? _stalled;
    string? _bufferPath;

    [IterationSetup(Target = nameof(Discard))]
    public void SetupDiscard() => Use(new LoggerConfiguration().WriteTo.Sink(new DiscardSink()));

    [IterationSetup(Target = nameof(SerilogBatching))]
    public void SetupBatching()
    {
        _stalled = new StalledBatchedSink();
        Use(new LoggerConfiguration().WriteTo.Sink(_stalled, new BatchingOptions { BatchSizeLimit = 100, QueueLimit = null }));
    }

    [IterationSetup(Target = nameof(LogTraceInMemory))]
    public void SetupInMemory() => Use(new LoggerConfiguration().WriteTo.LogTrace(Bench.Stalled));

    [IterationSetup(Target = nameof(LogTraceDurable))]
    public void SetupDurable()
    {
        _bufferPath = Path.Combine(Path.GetTempPath(), "logtrace-bench-buffer-" + Guid.NewGuid().ToString("N"));
        Use(new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            Bench.Stalled(o);
            o.BufferPath = _bufferPath;
        }));
    }

    void Use(LoggerConfiguration configuration)
    {
        _logger = configuration.CreateLogger();
        _events = TypicalEvents.ForEvents(_logger);
        Bench.CollectGarbage();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _stalled?.Release();
        _stalled = null;
        _logger.Dispose();
        if (_bufferPath != null && Directory.Exists(_bufferPath))
            Directory.Delete(_bufferPath, recursive: true);
        _bufferPath = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void Discard() => LogRound();

    [Benchmark(OperationsPerInvoke = Events)]
    public void SerilogBatching() => LogRound();

    [Benchmark(OperationsPerInvoke = Events)]
    public void LogTraceInMemory() => LogRound();

    [Benchmark(OperationsPerInvoke = Events)]
    public void LogTraceDurable() => LogRound();

    void LogRound() => Bench.LogRound(_events, Events);
}
