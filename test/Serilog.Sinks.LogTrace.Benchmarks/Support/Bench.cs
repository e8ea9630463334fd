namespace Serilog.Sinks.LogTrace.Benchmarks.Support;

// Sink options the benchmarks share.
static class Bench
{
    public const string ApiKey = "ltk_benchmark_key_0123456789";

    // Logs count typical events, as one round of a benchmark.
    public static void LogRound(ILogger events, int count)
    {
        for (var i = 0; i < count; i++)
            TypicalEvents.LogOne(events, i);
    }

    // Starts a measurement from a collected heap: the previous round's events are not this one's garbage.
    public static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    // A stalled service: events stay queued, so the application's side is measured alone; shutdown gives up at once.
    public static void Stalled(LogTraceSinkOptions options)
    {
        options.ApiKey = ApiKey;
        options.Endpoint = "http://127.0.0.1:9/v1/developers";
        options.MessageHandler = new StalledHandler();
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(1);
    }
}

// A request context that never ends, as inside a long request.
sealed class BenchRequestContext : LogTraceRequestContext
{
    public BenchRequestContext() : base(TimeSpan.FromSeconds(30)) { }
    public override Task Completed => new TaskCompletionSource().Task;
    public override int? StatusCode => null;
    public override TimeSpan? Duration => null;
    public override bool AddProperties(Serilog.Events.LogEvent logEvent) => true;
}
