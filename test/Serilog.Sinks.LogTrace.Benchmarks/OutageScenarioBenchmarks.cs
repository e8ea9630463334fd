using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 5, with the default options and the service unreachable (a closed port on loopback: every request is
// refused, and retried with backoff):
// - QueueMemory: bytes of managed heap each queued event holds, from 100,000 queued events (beside the same events in
//   Serilog's own BatchingSink);
// - Outage: 1,000,000 events logged as fast as one thread can; the peak working set (bounded by queueLimit and
//   queueLimitBytes), the slowest single logging call, the total GC pause, and whether every event is accounted for
//   (queued, or counted lost at the queue bound).
[Config(typeof(OutageConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class OutageScenarioBenchmarks
{
    const int QueueMemoryEvents = 100_000;
    const int OutageEvents = 1_000_000;

    sealed class OutageConfig : ManualConfig
    {
        public OutageConfig()
        {
            AddColumn(new MeasurementColumn("bytes_per_event", "Bytes/queued event", "N0"));
            AddColumn(new MeasurementColumn("peak_mb", "Peak WS MB", "N0"));
            AddColumn(new MeasurementColumn("worst_call_ms", "Worst call ms", "N1"));
            AddColumn(new MeasurementColumn("gc_pause_ms", "GC pause ms", "N0"));
            AddColumn(new MeasurementColumn("queued", "Queued", "N0"));
            AddColumn(new MeasurementColumn("lost_queue_full", "Lost (queue_full)", "N0"));
            AddColumn(new MeasurementColumn("accounted", "All accounted", "N0"));
        }
    }

    Logger _logger = null!;
    ILogger _events = null!;
    LogTraceSinkCounters? _counters;
    StalledBatchedSink? _stalled;

    static string UnreachableEndpoint()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return "http://127.0.0.1:" + port + "/v1/developers";
    }

    [IterationSetup(Targets = new[] { nameof(QueueMemoryLogTrace), nameof(Outage) })]
    public void SetupLogTrace()
    {
        var options = new LogTraceSinkOptions { ApiKey = Bench.ApiKey, Endpoint = UnreachableEndpoint(), ShutdownTimeout = TimeSpan.FromMilliseconds(1) };
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(options, _ => null));
        var pipeline = sink;
        _counters = sink.Counters;
        Use(new LoggerConfiguration().WriteTo.Sink(pipeline));
    }

    [IterationSetup(Target = nameof(QueueMemorySerilogBatching))]
    public void SetupBatching()
    {
        _stalled = new StalledBatchedSink();
        Use(new LoggerConfiguration().WriteTo.Sink(_stalled, new BatchingOptions { BatchSizeLimit = 100, QueueLimit = null }));
    }

    // Serilog's own BatchingSink bounded like the LogTrace queue (it drops what is over its bound without counting it):
    // the same outage without any LogTrace code, for the worst call and the GC pauses.
    [IterationSetup(Target = nameof(OutageSerilogBatching))]
    public void SetupBoundedBatching()
    {
        _stalled = new StalledBatchedSink();
        Use(new LoggerConfiguration().WriteTo.Sink(_stalled, new BatchingOptions { BatchSizeLimit = 100, QueueLimit = LogTraceDefaults.QueueLimit }));
    }

    void Use(LoggerConfiguration configuration)
    {
        _logger = configuration.CreateLogger();
        _events = TypicalEvents.ForEvents(_logger);
        Bench.CollectGarbage();
        // The peak working set from here on (Linux: writing 5 to clear_refs resets VmHWM).
        try { System.IO.File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception) { }
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _stalled?.Release();
        _stalled = null;
        _logger.Dispose();
        _counters = null;
    }

    [Benchmark]
    public void QueueMemoryLogTrace() => QueueMemory(nameof(QueueMemoryLogTrace));

    [Benchmark]
    public void QueueMemorySerilogBatching() => QueueMemory(nameof(QueueMemorySerilogBatching));

    void QueueMemory(string benchmark)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        Bench.LogRound(_events, QueueMemoryEvents);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        if (_counters != null && _counters.Lost > 0)
            throw new InvalidOperationException("events were lost: the figure would not be per queued event");
        Measurements.Record(benchmark, "bytes_per_event", (after - before) / (double)QueueMemoryEvents);
    }

    [Benchmark]
    public void Outage() => LogOutage(nameof(Outage));

    [Benchmark]
    public void OutageSerilogBatching() => LogOutage(nameof(OutageSerilogBatching));

    void LogOutage(string benchmark)
    {
        var pause = GC.GetTotalPauseDuration();
        long worst = 0;
        for (var i = 0; i < OutageEvents; i++)
        {
            var start = Stopwatch.GetTimestamp();
            TypicalEvents.LogOne(_events, i);
            var took = Stopwatch.GetTimestamp() - start;
            if (took > worst)
                worst = took;
        }
        using var process = Process.GetCurrentProcess();
        Measurements.Record(benchmark, "peak_mb", process.PeakWorkingSet64 / (1024.0 * 1024));
        Measurements.Record(benchmark, "worst_call_ms", Stopwatch.GetElapsedTime(0, worst).TotalMilliseconds);
        Measurements.Record(benchmark, "gc_pause_ms", (GC.GetTotalPauseDuration() - pause).TotalMilliseconds);
        if (_counters is { } counters)
        {
            Measurements.Record(benchmark, "queued", counters.Queued);
            Measurements.Record(benchmark, "lost_queue_full", counters.LostFor(LossReason.QueueFull));
            Measurements.Record(benchmark, "accounted", counters.Queued + counters.Lost + counters.Sent == OutageEvents ? 1 : 0);
        }
    }
}
