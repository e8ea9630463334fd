using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Delivery;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A LogTrace sink over a fake API and a fake clock, driven the way Serilog's BatchingSink drives it.
sealed class SinkHarness : IAsyncDisposable
{
    int _ids;

    public SinkHarness(CollectingLogTraceApi? api = null, Action<LogTraceSinkOptions>? configure = null)
    {
        Api = api ?? new CollectingLogTraceApi();
        var options = new LogTraceSinkOptions
        {
            ApiKey = Some.ApiKey,
            Endpoint = "https://logtrace.example/v1/developers",
            TimeProvider = Time,
        };
        configure?.Invoke(options);
        Sink = LogTraceLoggerConfigurationExtensions.CreateSink(LogTraceSinkSettings.Create(options, _ => null), Api,
            () => "event-" + Interlocked.Increment(ref _ids));
        Sink.SetFailureListener(Failures);
    }

    public FakeTimeProvider Time { get; } = new(Some.Timestamp);

    public CollectingLogTraceApi Api { get; }

    public LogTraceSink Sink { get; }

    public LogTraceSinkCounters Counters => Sink.Counters;

    public CollectingFailureListener Failures { get; } = new();

    public long Finished => Counters.Sent + Counters.Lost;

    // Admits the events as the filter would, then hands them over as one batch.
    public async Task EmitAsync(params LogEvent[] events)
    {
        var admitted = events.Where(Sink.TryAdmit).ToArray();
        await Sink.EmitBatchAsync(admitted);
    }

    public Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null) =>
        Time.AdvanceUntilAsync(condition, what, step ?? TimeSpan.FromMilliseconds(500));

    public Task SettledAsync(long events) =>
        AdvanceUntilAsync(() => Finished == events, events + " events are sent or lost");

    public async ValueTask DisposeAsync()
    {
        Sink.BeginShutdown();
        Time.Advance(TimeSpan.FromHours(1));
        await Sink.DisposeSinkAsync();
    }
}
