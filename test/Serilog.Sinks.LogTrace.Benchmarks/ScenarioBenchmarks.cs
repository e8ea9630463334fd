using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// The two scenarios of the application's cost (docs/benchmarks.md, targets 2 and 5), through the public API only
// (WriteTo.LogTrace, and the sink's metrics for the accounting), so that the same file measures any earlier commit:
//
// - Round: rounds of 20,000 typical events, each into a fresh logger whose LogTrace sink points at a closed port
//   (period one hour, shutdownTimeout 1 ms) beside a discarding sink, against the same calls into a logger with the
//   discarding sink alone; the median of 15 rounds. Target: at most +200 ns per event.
// - Backlog: 1,000,000 typical events with the default options while the service is unreachable, against the same
//   calls into a discarding logger. Targets: at most +0.3 us per event, no call over 10 ms, peak working set under
//   150 MB, every event counted (queued, sent, or lost for a reason).
//
// A typical event: EventName, UserId, and a message with four values (an int, a decimal, a string, an int array).
[Config(typeof(ScenarioConfig))]
public class ScenarioBenchmarks
{
    public const int RoundEvents = 20_000;
    public const int BacklogEvents = 1_000_000;
    const int MeasuredIterations = 15;
    const string Template = "Invoice {InvoiceId} created for {Amount} {Currency} with lines {Lines}";
    static readonly int[] Lines = { 3, 5, 8 };

    sealed class ScenarioConfig : ManualConfig
    {
        public ScenarioConfig()
        {
            // As in DeliveryBenchmarks: call counting from the first call, so that the rounds measure the optimised
            // code a long-running application runs, not the JIT's first tier (docs/benchmarks.md).
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(10)
                .WithIterationCount(MeasuredIterations).WithInvocationCount(1).WithUnrollFactor(1)
                .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0")));
            AddColumn(new Support.MeasurementColumn("peak_mb", "Peak WS MB", "N0"));
            AddColumn(new Support.MeasurementColumn("worst_call_ms", "Worst call ms", "N1"));
            AddColumn(new Support.MeasurementColumn("worst_call_ms", "Worst call, max ms", "N1", maxOfLast: MeasuredIterations));
            AddColumn(new Support.MeasurementColumn("gc_pause_ms", "GC pause ms", "N0"));
            AddColumn(new Support.MeasurementColumn("unaccounted", "Unaccounted", "N0"));
        }
    }

    sealed class Discard : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
        }
    }

    Logger _logger = null!;
    ILogger _events = null!;
    MeterListener? _listener;
    long _finished, _queued;

    static string ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return "http://127.0.0.1:" + port + "/v1/developers";
    }

    [IterationSetup(Targets = new[] { nameof(RoundDiscard), nameof(BacklogDiscard) })]
    public void SetupDiscard() => Use(new LoggerConfiguration().WriteTo.Sink(new Discard()));

    [IterationSetup(Target = nameof(RoundLogTrace))]
    public void SetupRound() => Use(new LoggerConfiguration()
        .WriteTo.Sink(new Discard())
        .WriteTo.LogTrace(o =>
        {
            o.ApiKey = "lg_0123456789abcdef0123456789abcdef";
            o.Endpoint = ClosedPort();
            o.Period = TimeSpan.FromHours(1);
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(1);
        }));

    [IterationSetup(Target = nameof(BacklogLogTrace))]
    public void SetupBacklog()
    {
        Listen();
        Use(new LoggerConfiguration().WriteTo.LogTrace(o =>
        {
            o.ApiKey = "lg_0123456789abcdef0123456789abcdef";
            o.Endpoint = ClosedPort();
        }));
    }

    void Use(LoggerConfiguration configuration)
    {
        _logger = configuration.CreateLogger();
        _events = _logger.ForContext("EventName", "invoice.created").ForContext("UserId", "user-42");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // The peak working set from here on (Linux: writing 5 to clear_refs resets VmHWM).
        try { System.IO.File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception) { }
    }

    // Every event ends counted: sent, lost for a reason, or still queued (the sink's own metrics).
    void Listen()
    {
        _finished = _queued = 0;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Serilog.Sinks.LogTrace" &&
                    instrument.Name is "logtrace.events.sent" or "logtrace.events.failed" or "logtrace.queue.depth")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "logtrace.queue.depth")
                _queued = value;
            else
                Interlocked.Add(ref _finished, value);
        });
        _listener.Start();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _logger.Dispose();
        _listener?.Dispose();
        _listener = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundEvents)]
    public void RoundDiscard() => Log(RoundEvents);

    [Benchmark(OperationsPerInvoke = RoundEvents)]
    public void RoundLogTrace() => Log(RoundEvents);

    [Benchmark(OperationsPerInvoke = BacklogEvents)]
    public void BacklogDiscard() => Backlog(nameof(BacklogDiscard));

    [Benchmark(OperationsPerInvoke = BacklogEvents)]
    public void BacklogLogTrace() => Backlog(nameof(BacklogLogTrace));

    void Log(int count)
    {
        for (var i = 0; i < count; i++)
            _events.Information(Template, i, 129.95m, "EUR", Lines);
    }

    void Backlog(string benchmark)
    {
        var pause = GC.GetTotalPauseDuration();
        long worst = 0;
        for (var i = 0; i < BacklogEvents; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _events.Information(Template, i, 129.95m, "EUR", Lines);
            var took = Stopwatch.GetTimestamp() - start;
            if (took > worst)
                worst = took;
        }
        using var process = Process.GetCurrentProcess();
        Support.Measurements.Record(benchmark, "peak_mb", process.PeakWorkingSet64 / (1024.0 * 1024));
        Support.Measurements.Record(benchmark, "worst_call_ms", Stopwatch.GetElapsedTime(0, worst).TotalMilliseconds);
        Support.Measurements.Record(benchmark, "gc_pause_ms", (GC.GetTotalPauseDuration() - pause).TotalMilliseconds);
        if (_listener != null)
        {
            _listener.RecordObservableInstruments();
            Support.Measurements.Record(benchmark, "unaccounted", BacklogEvents - Interlocked.Read(ref _finished) - _queued);
        }
    }
}
