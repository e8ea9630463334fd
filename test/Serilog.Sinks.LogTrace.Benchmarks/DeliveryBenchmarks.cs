using System.Diagnostics;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Benchmarks.Support;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;

namespace Serilog.Sinks.LogTrace.Benchmarks;

// Target 4: end-to-end delivery to a loopback endpoint (NullEndpoint: 202 for every event, no rate-limit headers) at
// the sink's default concurrency, against a bare HttpClient loop posting the same body with the same headers and the
// same concurrency to the same endpoint. In memory at least 80% of the bare loop's events/s with at most 1.25 times
// its CPU per event; with the durable buffer at least 50%. A round is 4,000 events, logged at once and awaited
// until all are delivered. The period is 10 ms here: with the durable buffer it is the longest the writer pauses
// between batches that were not full (in memory it has no effect).
[Config(typeof(DeliveryConfig))]
public class DeliveryBenchmarks
{
    public const int Events = 4_000;

    sealed class DeliveryConfig : ManualConfig
    {
        public DeliveryConfig()
        {
            // Each benchmark runs in a process of a few seconds. With the runtime's defaults the sink's code (and
            // Serilog's) was still tier-0 (quick JIT, no optimisation) in most measured rounds, while the bare loop
            // runs the framework's precompiled code: the figure measured the JIT, not the sink (perf, 2026-12-04, in
            // docs/benchmarks.md). Call counting from the first call and 30 warm-up rounds bring both to the
            // optimised code a long-running application runs.
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(30).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1)
                .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0")));
            AddColumn(new MeasurementColumn("events_per_s", "Events/s", "N0"));
            AddColumn(new MeasurementColumn("cpu_us", "CPU µs/event", "N1"));
        }
    }

    string _baseUrl = null!;
    byte[] _body = null!;
    HttpClient? _client;
    Logger? _logger;
    ILogger _events = null!;
    LogTraceSinkCounters _counters = null!;
    string? _bufferPath;

    [GlobalSetup]
    public void Setup()
    {
        _baseUrl = NullEndpoint.BaseUrl;
        // The bare loop posts the body the sink makes of the same event.
        var settings = Settings();
        var formatter = new LogTraceEventFormatter(settings);
        using var buffers = new FormatBuffers();
        var capture = new CaptureSink();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(capture).CreateLogger())
            TypicalEvents.LogOne(TypicalEvents.ForEvents(logger), 1);
        formatter.Format(capture.Last!, buffers);
        _body = buffers.Body.ToArray();
    }

    LogTraceSinkSettings Settings(HttpMessageHandler? handler = null) =>
        LogTraceSinkSettings.Create(new LogTraceSinkOptions
        {
            ApiKey = Bench.ApiKey,
            Endpoint = _baseUrl + "/v1/developers",
            Period = TimeSpan.FromMilliseconds(10),
            MessageHandler = handler,
        }, _ => null);

    [IterationSetup(Target = nameof(BareHttpClient))]
    public void SetupBare()
    {
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, ActivityHeadersPropagator = null });
        _client.DefaultRequestHeaders.TryAddWithoutValidation(HttpLogTraceApi.ApiKeyHeader, Bench.ApiKey);
        _client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", HttpLogTraceApi.UserAgent);
    }

    [IterationSetup(Target = nameof(LogTraceInMemory))]
    public void SetupInMemory()
    {
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(Settings());
        var pipeline = sink;
        Use(pipeline, sink.Counters);
    }

    [IterationSetup(Target = nameof(LogTraceInMemoryNoNetwork))]
    public void SetupNoNetwork()
    {
        var sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(Settings(new AcceptingHandler()));
        Use(sink, sink.Counters);
    }

    [IterationSetup(Target = nameof(LogTraceDurable))]
    public void SetupDurable()
    {
        _bufferPath = Path.Combine(Path.GetTempPath(), "logtrace-bench-buffer-" + Guid.NewGuid().ToString("N"));
        var sink = EventStoreLocator.Locate().CreateSink(Settings(), _bufferPath);
        var pipeline = sink;
        Use(pipeline, sink.Counters);
    }

    void Use(ILogEventSink pipeline, LogTraceSinkCounters counters)
    {
        _logger = new LoggerConfiguration().WriteTo.Sink(pipeline).CreateLogger();
        _events = TypicalEvents.ForEvents(_logger);
        _counters = counters;
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _client = null;
        _logger?.Dispose();
        _logger = null;
        if (_bufferPath != null && Directory.Exists(_bufferPath))
            Directory.Delete(_bufferPath, recursive: true);
        _bufferPath = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void BareHttpClient() => Measure(nameof(BareHttpClient), () =>
    {
        var uri = new Uri(_baseUrl + "/v1/developers/events");
        var next = -1;
        var workers = new Task[LogTraceDefaults.MaxConcurrentRequests];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < Events)
                {
                    using var content = new ByteArrayContent(_body);
                    content.Headers.ContentType = MediaTypeHeaderValue.Parse(HttpLogTraceApi.ContentType);
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                    using var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    if ((int)response.StatusCode != 202)
                        throw new InvalidOperationException("the endpoint answered " + (int)response.StatusCode);
                }
            });
        }
        Task.WaitAll(workers);
    });

    [Benchmark(OperationsPerInvoke = Events)]
    public void LogTraceInMemory() => Measure(nameof(LogTraceInMemory), LogAndAwaitDelivery);

    // Not a target: the sink's own CPU per event, every request answered 202 in the process without a socket. What
    // the in-memory figure adds to it is the HTTP exchange and how the sink's requests share the thread pool.
    [Benchmark(OperationsPerInvoke = Events)]
    public void LogTraceInMemoryNoNetwork() => Measure(nameof(LogTraceInMemoryNoNetwork), LogAndAwaitDelivery);

    [Benchmark(OperationsPerInvoke = Events)]
    public void LogTraceDurable() => Measure(nameof(LogTraceDurable), LogAndAwaitDelivery);

    void LogAndAwaitDelivery()
    {
        Bench.LogRound(_events, Events);
        var deadline = Stopwatch.StartNew();
        while (_counters.Sent < Events)
        {
            if (_counters.Lost > 0 || deadline.Elapsed > TimeSpan.FromMinutes(2))
                throw new InvalidOperationException($"delivery failed: {_counters.Sent} sent, {_counters.Lost} lost");
            Thread.Sleep(1);
        }
    }

    static void Measure(string benchmark, Action round)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        round();
        var elapsed = clock.Elapsed;
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        Measurements.Record(benchmark, "events_per_s", Events / elapsed.TotalSeconds);
        Measurements.Record(benchmark, "cpu_us", cpuUsed.TotalMicroseconds / Events);
        Console.WriteLine($"ROUND {benchmark} cpu {cpuUsed.TotalMicroseconds / Events:F1} wall {elapsed.TotalMilliseconds:F0} ms");
    }
}

// Answers every request 202 at once, as the null endpoint would, without a connection.
sealed class AcceptingHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.Accepted)
        {
            RequestMessage = request,
            Content = new StringContent("{\"message\":\"Event created\"}"),
        });
}

sealed class CaptureSink : ILogEventSink
{
    public Serilog.Events.LogEvent? Last { get; private set; }
    public void Emit(Serilog.Events.LogEvent logEvent) => Last = logEvent;
}
