using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// The whole durable pipeline (the sink, its queue, the durable outbox, the SQLite store in a real folder)
// over a fake API; backoff, pacing and the shutdown deadline run on a fake clock that the test moves.
sealed class BufferHarness : IAsyncDisposable
{
    readonly string _idPrefix = Guid.NewGuid().ToString("N").Substring(0, 8) + "-";
    int _ids;
    bool _disposed;

    public BufferHarness(string folder, CollectingLogTraceApi api, Action<LogTraceSinkOptions>? configure = null, EventStoreFactory? stores = null)
    {
        Api = api;
        var options = new LogTraceSinkOptions
        {
            ApiKey = Some.ApiKey,
            Endpoint = "https://logtrace.example/v1/developers",
            Period = TimeSpan.FromMilliseconds(20),
            TimeProvider = Time,
            BufferPath = folder,
        };
        configure?.Invoke(options);
        var settings = LogTraceSinkSettings.Create(options, _ => null);
        var target = Serilog.Sinks.LogTrace.Durable.DurablePipeline.Create(settings, settings.Options.BufferPath!,
            stores ?? new SqliteEventStoreFactory(), api, () => _idPrefix + Interlocked.Increment(ref _ids));
        Target = target;
        target.SetFailureListener(Failures);
        Logger = new LoggerConfiguration().WriteTo.Sink(target).CreateLogger();
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public CollectingLogTraceApi Api { get; }

    public LogTraceSink Target { get; }

    public DurableOutbox Sink => (DurableOutbox)Target.Outbox;

    public LogTraceSinkCounters Counters => Target.Counters;

    public CollectingFailureListener Failures { get; } = new();

    public Logger Logger { get; }

    public void Log(int from, int count, string name = "buffer.test", string? extra = null)
    {
        for (var n = from; n < from + count; n++)
        {
            var logger = Logger.ForContext(LogTraceProperties.EventName, name).ForContext(LogTraceProperties.UserId, "u1");
            if (extra != null)
                logger = logger.ForContext("Extra", extra);
            logger.Information("Event {Number}", n);
        }
    }

    public Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null) =>
        Time.AdvanceUntilAsync(condition, what, step ?? TimeSpan.FromMilliseconds(500));

    // Closes the logger as Log.CloseAndFlush() would, moving the fake clock so that the shutdown deadline can pass.
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        var disposing = Task.Run(Logger.Dispose);
        await Time.AdvanceUntilAsync(() => disposing.IsCompleted, "the logger is disposed", TimeSpan.FromSeconds(1));
        await disposing;
    }
}
