namespace Serilog.Sinks.LogTrace.Tests.Support;

// A before-send hook that does not return until Release (a hook stuck on a lock or a network call), and the shutdown
// that gives up on it. The gate is never disposed: a hook thread may still be waiting on it when a test ends.
sealed class BlockingHook
{
    readonly ManualResetEventSlim _gate = new();
    int _entered;

    // How many records reached the hook.
    public int Entered => Volatile.Read(ref _entered);

    public bool Hook(LogTraceOutgoingRecord record)
    {
        Interlocked.Increment(ref _entered);
        _gate.Wait();
        return true;
    }

    public void Release() => _gate.Set();

    // A memory sink with this hook and a 2 s shutdown timeout.
    public SinkHarness Harness() => new(new CollectingLogTraceApi(), o =>
    {
        o.ShutdownTimeout = TimeSpan.FromSeconds(2);
        o.BeforeSend = Hook;
    });

    // Disposes the sink, moving its clock until the shutdown has given up on the hook.
    public static async Task GiveUpAsync(SinkHarness harness)
    {
        var disposed = harness.Sink.DisposeSinkAsync();
        await harness.AdvanceUntilAsync(() => disposed.IsCompleted, "disposal gives up", TimeSpan.FromMilliseconds(500));
    }
}
