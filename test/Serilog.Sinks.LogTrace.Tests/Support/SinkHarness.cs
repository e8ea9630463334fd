using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// A LogTrace sink over a fake API and a fake clock, driven the way Serilog drives it: one Emit per log event.
sealed class SinkHarness : IAsyncDisposable
{
    int _ids;

    // listen: whether the sink has a failure listener (Failures), as a fallback sink gives it.
    public SinkHarness(CollectingLogTraceApi? api = null, Action<LogTraceSinkOptions>? configure = null, bool listen = true)
    {
        Api = api ?? new CollectingLogTraceApi();
        var options = new LogTraceSinkOptions
        {
            ApiKey = Some.ApiKey,
            Endpoint = "https://logtrace.example/v1/developers",
            TimeProvider = Time,
        };
        configure?.Invoke(options);
        Sink = LogTraceLoggerConfigurationExtensions.CreatePipeline(LogTraceSinkSettings.Create(options, _ => null), Api,
            () => "event-" + Interlocked.Increment(ref _ids));
        if (listen)
            Sink.SetFailureListener(Failures);
    }

    public FakeTimeProvider Time { get; } = new(Some.Timestamp);

    public CollectingLogTraceApi Api { get; }

    public LogTraceSink Sink { get; }

    public LogTraceSinkCounters Counters => Sink.Counters;

    public CollectingFailureListener Failures { get; } = new();

    public long Finished => Counters.Sent + Counters.Lost;

    // Emits the events as Serilog would, each inside its request when TestCompletion.EventIn made it.
    public Task EmitAsync(params LogEvent[] events)
    {
        foreach (var logEvent in events)
            TestCompletion.Emit(Sink, logEvent);
        return Task.CompletedTask;
    }

    // The admission check alone (the queue's bounds), without queueing the record.
    public bool Admit(LogEvent logEvent)
    {
        var record = PendingRecord.Of(logEvent);
        return Sink.Ledger.TryAdmit(ref record, shuttingDown: false);
    }

    public Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null) =>
        Time.AdvanceUntilAsync(condition, what, step ?? TimeSpan.FromMilliseconds(500));

    public Task SettledAsync(long events) =>
        AdvanceUntilAsync(() => Finished == events, events + " events are sent or lost");

    // Settled, and nothing left in the queue's bounds: a record is counted sent or lost a moment before its place and
    // bytes are given back (the ledger counts, then finishes), so a test of the bounds waits for both.
    public Task SettledAndGivenBackAsync(long events) =>
        AdvanceUntilAsync(() => Finished == events && Counters.Queued == 0 && Counters.QueuedBytes == 0,
            events + " events are sent or lost and their places given back");

    public async ValueTask DisposeAsync()
    {
        // The deadline starts before the clock moves past it (the netstandard leg disposes on another thread).
        Sink.BeginShutdown();
        Time.Advance(TimeSpan.FromHours(1));
        await Sink.DisposeSinkAsync();
    }
}
