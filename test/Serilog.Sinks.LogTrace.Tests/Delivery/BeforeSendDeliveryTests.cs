using System.Text;
using System.Text.Json.Nodes;
using Serilog.Core;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// When the hook runs and what its outcome means for the rest of the pipeline: once per record, before the body waits
// for a sender or is written to the durable buffer, so that a retry or a replay sends what it returned; a record it
// drops is the application's choice (no fallback sink gets it), one it fails on is a failure (the fallback sink does).
public class BeforeSendDeliveryTests
{
    // A hook that is not deterministic: it stamps each record with the count of its calls, and removes a secret.
    sealed class StampingHook
    {
        int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public bool BeforeSend(LogTraceOutgoingRecord record)
        {
            var metadata = record.Body["metadata"]!.AsObject();
            metadata["Stamp"] = Interlocked.Increment(ref _calls);
            metadata.Remove("Extra");
            return true;
        }
    }

    static int Stamp(System.Text.Json.JsonElement body) => body.GetProperty("metadata").GetProperty("Stamp").GetInt32();

    static CollectingLogTraceApi FailingFirst(int failures)
    {
        var answered = 0;
        return new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(Interlocked.Increment(ref answered) <= failures ? 503 : 202, "busy")));
    }

    [Fact]
    public async Task InMemoryARetrySendsWhatTheHookReturnedWithoutCallingItAgain()
    {
        var hook = new StampingHook();
        var api = FailingFirst(2);
        await using var harness = new SinkHarness(api, o => o.BeforeSend = hook.BeforeSend);

        await harness.EmitAsync(Some.Event("user.login", properties: Some.Prop("Extra", "hunter2")));
        await harness.SettledAsync(1);

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(1, hook.Calls);
        Assert.Equal(new[] { 1, 1, 1 }, api.Bodies.Select(Stamp));
        Assert.All(api.Bodies, b => Assert.False(b.GetProperty("metadata").TryGetProperty("Extra", out _)));
    }

    [Fact]
    public async Task WithTheBufferTheHookRunsBeforeTheDisk_AndARetrySendsWhatItReturned()
    {
        using var folder = new TempFolder();
        var hook = new StampingHook();
        var api = FailingFirst(2);
        await using var harness = new BufferHarness(folder.Path, api, o => o.BeforeSend = hook.BeforeSend);

        harness.Log(0, 1, extra: "hunter2");
        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 1, "the record is sent after two retries");

        Assert.Equal(1, hook.Calls);
        Assert.Equal(new[] { 1, 1, 1 }, api.Bodies.Select(Stamp));
        Assert.All(api.Bodies, b => Assert.DoesNotContain("hunter2", b.GetRawText()));
    }

    [Fact]
    public async Task AValueTheHookRemovesNeverReachesTheDisk_AndAReplayAfterARestartSendsWhatItReturned()
    {
        using var folder = new TempFolder();
        var first = new StampingHook();
        await using (var stalled = new BufferHarness(folder.Path, CollectingLogTraceApi.Stalled(), o =>
                     {
                         o.BeforeSend = first.BeforeSend;
                         o.ShutdownTimeout = TimeSpan.FromSeconds(1);
                     }))
        {
            stalled.Log(0, 1, extra: "hunter2");
            await Eventually.TrueAsync(() => stalled.Sink.Store.Count == 1, "the record is buffered");
            var stored = Encoding.UTF8.GetString(Assert.Single(stalled.Sink.Store.ReadAfter(0, 10)).Body);
            Assert.DoesNotContain("hunter2", stored);
            Assert.Contains("\"Stamp\":1", stored);
        }

        // The next run's hook is not asked again about what the last one buffered: its answer is on disk.
        var second = new StampingHook();
        var api = new CollectingLogTraceApi();
        await using (var restarted = new BufferHarness(folder.Path, api, o => o.BeforeSend = second.BeforeSend))
            await Eventually.TrueAsync(() => restarted.Counters.Sent == 1, "the buffered record is sent");

        Assert.Equal(0, second.Calls);
        Assert.Equal(1, Stamp(Assert.Single(api.Bodies)));
    }

    [Fact]
    public async Task AFallbackSinkReceivesWhatTheHookFailedOn_NotWhatItDropped()
    {
        await using var harness = new SinkHarness(configure: o => o.BeforeSend = record => record.Body["name"]!.GetValue<string>() switch
        {
            "dropped" => false,
            "failed" => throw new InvalidOperationException("no tenant"),
            _ => true,
        });

        await harness.EmitAsync(Some.Event("dropped"), Some.Event("failed"), Some.Event("sent"));
        await harness.SettledAsync(3);

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.DroppedByHook));
        Assert.Equal(1, harness.Counters.LostFor(LossReason.HookFailed));
        var failure = Assert.Single(harness.Failures.Failures);
        Assert.Equal(LoggingFailureKind.Permanent, failure.Kind);
        Assert.Equal("failed", ((Serilog.Events.ScalarValue)Assert.Single(failure.Events).Properties[LogTraceProperties.EventName]).Value);
        Assert.Equal("LogTrace event \"failed\" was dropped because the before-send hook threw InvalidOperationException: no tenant", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        // What was dropped or failed was never sent.
        Assert.Equal("sent", Assert.Single(harness.Api.Bodies).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ADroppedRecordGivesItsPlaceInTheQueueBack()
    {
        await using var harness = new SinkHarness(configure: o =>
        {
            o.QueueLimit = 1;
            o.BeforeSend = _ => false;
        });

        await harness.EmitAsync(Some.Event("one"));
        await harness.SettledAndGivenBackAsync(1);
        await harness.EmitAsync(Some.Event("two"));
        await harness.SettledAndGivenBackAsync(2);

        Assert.Equal(2, harness.Counters.LostFor(LossReason.DroppedByHook));
        Assert.Equal(0, harness.Counters.LostFor(LossReason.QueueFull));
        Assert.Equal(0, harness.Counters.Queued);
        Assert.Equal(0, harness.Counters.QueuedBytes);
    }
}
