using BenchmarkDotNet.Attributes;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Delivery;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 2, the sink's own share: what the LogTrace pipeline does on the application's thread for a typical event
// before Serilog's BatchingSink takes it (the EventName check, the request-context check, the size estimate and the
// queue's admission), measured in steady state with the batching queue replaced by a discarding sink, so neither
// Serilog's queue nor the garbage collector's work on queued events (EventQueueBenchmarks, OutageQueueBenchmarks)
// is in the figure. The durable buffer's admission is the same code (BufferedLogTraceSink.TryAdmit).
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    Logger _discard = null!;
    Logger _admission = null!;
    ILogger _discardEvents = null!;
    ILogger _admissionEvents = null!;
    LogTraceSink _sink = null!;
    int _i;

    [GlobalSetup]
    public void Setup()
    {
        _discard = new LoggerConfiguration().WriteTo.Sink(new DiscardSink()).CreateLogger();
        var options = new LogTraceSinkOptions { QueueLimit = int.MaxValue, QueueLimitBytes = long.MaxValue };
        Bench.Stalled(options);
        _sink = LogTraceLoggerConfigurationExtensions.CreateSink(LogTraceSinkSettings.Create(options, _ => null));
        _admission = new LoggerConfiguration().WriteTo.Sink(new RecordFilterSink(new DiscardSink(), _sink)).CreateLogger();
        _discardEvents = TypicalEvents.ForEvents(_discard);
        _admissionEvents = TypicalEvents.ForEvents(_admission);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _discard.Dispose();
        _admission.Dispose();
        if (_sink.Counters.Lost > 0)
            throw new InvalidOperationException("events were refused: the figure would not be admission's");
        _sink.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Discard() => TypicalEvents.LogOne(_discardEvents, _i++);

    [Benchmark]
    public void LogTraceAdmission() => TypicalEvents.LogOne(_admissionEvents, _i++);
}
