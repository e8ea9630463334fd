using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Durable;

// With the durable buffer, the shutdown gives up on what is stuck and names it: a before-send hook that never returns
// holds the writer (its records are counted lost; the line names the hook or a disk write, not the HttpMessageHandler,
// since no request was made: found by a review, it blamed the handler); a request that ignores cancellation holds a
// sender (its record stays in the buffer, for the next run).
[Collection(SelfLogCollection.Name)]
public class DurableAbandonMessageTests
{
    [Fact]
    public async Task ABlockedHookIsNotBlamedOnTheHttpMessageHandler()
    {
        using var selfLog = new SelfLogCollector();
        using var folder = new TempFolder();
        var hook = new BlockingHook();
        var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
            o.BeforeSend = hook.Hook;
        });
        try
        {
            harness.Log(0, 2);
            await Eventually.TrueAsync(() => hook.Entered == 1, "the hook holds the writer");
            await harness.DisposeAsync();
        }
        finally
        {
            hook.Release();
        }

        Assert.Equal(2, harness.Counters.LostFor(LossReason.Shutdown));
        Assert.Empty(harness.Api.Bodies);
        var line = Assert.Single(selfLog.Lines, l => l.Contains("counted as lost (shutdown)"));
        Assert.Contains("LogTrace: the durable buffer's writer was still busy 00:00:05 after the shutdown timeout of 00:00:02 " +
            "(a before-send hook or a disk write that does not return); " +
            "shutdown goes on without them, and records already in the durable buffer stay there for the next run; " +
            "2 records not yet written to it are counted as lost (shutdown)", line);
    }

    [Fact]
    public async Task ARequestThatIgnoresCancellationIsBlamedOnTheHttpMessageHandler_AndItsRecordStaysInTheBuffer()
    {
        using var selfLog = new SelfLogCollector();
        using var folder = new TempFolder();
        var stores = new ScriptedStores();
        var api = new CollectingLogTraceApi((_, _) => new TaskCompletionSource<LogTraceResponse>().Task);
        var harness = new BufferHarness(folder.Path, api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2), stores);
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => api.InFlight == 1, "the request is under way");
        await harness.DisposeAsync();

        Assert.Equal(0, harness.Counters.Lost);
        Assert.Equal(1, stores.Last!.Count);
        var line = Assert.Single(selfLog.Lines, l => l.Contains("still busy"));
        Assert.EndsWith("LogTrace: the durable buffer's senders were still busy 00:00:05 after the shutdown timeout of 00:00:02 " +
            "(an HttpMessageHandler that does not honour cancellation, with 1 record in flight); " +
            "shutdown goes on without them, and records already in the durable buffer stay there for the next run", line.TrimEnd());
    }

    // A request that has ended is not counted as under way: after one delivered record, a hook stuck on the next is
    // still the writer's alone.
    [Fact]
    public async Task AfterARequestHasEndedOnlyTheWriterIsBlamed()
    {
        using var selfLog = new SelfLogCollector();
        using var folder = new TempFolder();
        var hook = new BlockingHook();
        var calls = 0;
        var harness = new BufferHarness(folder.Path, new CollectingLogTraceApi(), o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
            o.BeforeSend = record => Interlocked.Increment(ref calls) == 1 || hook.Hook(record);
        });
        try
        {
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the first record is delivered");
            harness.Log(1, 1);
            await Eventually.TrueAsync(() => hook.Entered == 1, "the hook holds the writer");
            await harness.DisposeAsync();
        }
        finally
        {
            hook.Release();
        }

        var line = Assert.Single(selfLog.Lines, l => l.Contains("still busy"));
        Assert.Contains("LogTrace: the durable buffer's writer was still busy 00:00:05 after the shutdown timeout of 00:00:02 " +
            "(a before-send hook or a disk write that does not return); shutdown goes on without them, and records already in the " +
            "durable buffer stay there for the next run; 1 record not yet written to it is counted as lost (shutdown)", line);
    }

    // Both stuck at once: a request that ignores cancellation holds a sender, and a hook holds the writer.
    [Fact]
    public async Task BothStuckNamesBoth()
    {
        using var selfLog = new SelfLogCollector();
        using var folder = new TempFolder();
        var hook = new BlockingHook();
        var calls = 0;
        var api = new CollectingLogTraceApi((_, _) => new TaskCompletionSource<LogTraceResponse>().Task);
        var harness = new BufferHarness(folder.Path, api, o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
            o.BeforeSend = record => Interlocked.Increment(ref calls) == 1 || hook.Hook(record);
        });
        try
        {
            harness.Log(0, 1);
            await Eventually.TrueAsync(() => api.InFlight == 1, "the first record's request is under way");
            harness.Log(1, 2);
            await Eventually.TrueAsync(() => hook.Entered == 1, "the hook holds the writer");
            await harness.DisposeAsync();
        }
        finally
        {
            hook.Release();
        }

        var line = Assert.Single(selfLog.Lines, l => l.Contains("still busy"));
        Assert.Contains("LogTrace: the durable buffer's writer or senders were still busy 00:00:05 after the shutdown timeout of 00:00:02 " +
            "(a before-send hook or a disk write that does not return, or an HttpMessageHandler that does not honour cancellation); " +
            "shutdown goes on without them, and records already in the durable buffer stay there for the next run; 2 records not yet " +
            "written to it are counted as lost (shutdown)", line);
    }

    // A held buffer taken over: the memory outbox's request (begun before the takeover) ignores cancellation, and the
    // durable outbox, done already, says nothing of itself. Found by a review: it blamed a hook or a disk write.
    [Fact]
    public async Task ADurableOutboxThatIsDoneIsNotBlamedForTheMemoryOutboxsStuckRequest()
    {
        using var folder = new TempFolder();
        var other = BufferLock.TryAcquire(folder.Path)!;
        using var selfLog = new SelfLogCollector();
        var calls = 0;
        var api = new CollectingLogTraceApi((_, _) => Interlocked.Increment(ref calls) == 1
            ? new TaskCompletionSource<LogTraceResponse>().Task
            : Task.FromResult(new LogTraceResponse(202, null)));
        var harness = new BufferHarness(folder.Path, api, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        harness.Log(0, 1);
        await Eventually.TrueAsync(() => api.Bodies.Count == 1, "memory's request is in flight");
        other.Dispose();
        await harness.Time.AdvanceUntilAsync(() => harness.Target.Status(false).BufferUnavailable == null, "the buffer is taken over",
            TimeSpan.FromSeconds(1));

        await harness.DisposeAsync();

        Assert.Contains(selfLog.Lines, l => l.Contains("1 record still in flight"));
        Assert.DoesNotContain(selfLog.Lines, l => l.Contains("the durable buffer's writer") || l.Contains("the durable buffer's senders"));
    }
}
