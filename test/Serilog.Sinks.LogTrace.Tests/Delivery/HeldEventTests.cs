using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// An event held for its request's final status must not occupy a sender: events of requests that have ended, and
// events outside any request, flow while it waits.
public class HeldEventTests
{
    static string? NameOf(System.Text.Json.JsonElement body) => body.GetProperty("name").GetString();

    [Fact]
    public async Task EventsOfLongRunningRequestsDoNotHoldUpTheOthers()
    {
        await using var harness = new SinkHarness(configure: o => o.MaxConcurrentRequests = 4);
        // As many held events as there are senders, and one more: streaming requests and a slow handler.
        var running = Enumerable.Range(0, 5).Select(_ => new TestCompletion(TimeSpan.FromSeconds(30))).ToArray();
        await harness.EmitAsync(running.Select((c, i) => TestCompletion.EventIn("stream." + i, c)).ToArray());

        // The clock does not move: had the held events taken the senders, none of these could be sent before the
        // requests end or 30 s pass.
        var ordinary = Enumerable.Range(0, 20).Select(i => Event("ordinary." + i)).ToArray();
        var emitted = harness.EmitAsync(ordinary);
        await Eventually.TrueAsync(() => harness.Counters.Sent == 20, "the 20 ordinary events are sent");
        await emitted;
        Assert.All(harness.Api.Bodies, b => Assert.StartsWith("ordinary.", NameOf(b)));
        Assert.Equal(25, harness.Counters.Queued + harness.Counters.Sent);

        for (var i = 0; i < running.Length; i++)
            running[i].Complete(200 + i, TimeSpan.FromSeconds(i));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 25, "the held events are sent once their requests end");

        var statuses = harness.Api.Bodies.Where(b => NameOf(b)!.StartsWith("stream.", StringComparison.Ordinal))
            .ToDictionary(b => NameOf(b)!, b => b.GetProperty("request_details").GetProperty("http_status_code").GetInt32());
        Assert.Equal(Enumerable.Range(0, 5).ToDictionary(i => "stream." + i, i => 200 + i), statuses);
        Assert.Equal(0, harness.Counters.Queued);
    }

    [Fact]
    public async Task AHeldEventStillGoesAtMaxWaitWhileOthersFlow()
    {
        await using var harness = new SinkHarness(configure: o => o.MaxConcurrentRequests = 1);
        var running = new TestCompletion(TimeSpan.FromSeconds(5));

        await harness.EmitAsync(TestCompletion.EventIn("held", running), Event("free"));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the free event is sent");
        Assert.Equal("free", NameOf(Assert.Single(harness.Api.Bodies)));

        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 2, "the held event is sent at MaxWait");
        Assert.InRange(harness.Time.GetUtcNow() - Timestamp, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task ShutdownReleasesHeldEventsAtOnceSoTheyAreSentWithinItsTimeout()
    {
        var harness = new SinkHarness(configure: o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var running = new TestCompletion(TimeSpan.FromMinutes(10));
        await harness.EmitAsync(TestCompletion.EventIn("held", running));

        // The clock does not move: neither MaxWait nor the shutdown deadline passes.
        await harness.Sink.DisposeSinkAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(0, harness.Counters.Queued);
        Assert.False(Assert.Single(harness.Api.Bodies).GetProperty("request_details").TryGetProperty("http_status_code", out _));
    }

    [Fact]
    public async Task AnEndlessMaxWaitIsCappedInsteadOfBreakingTheBatch()
    {
        await using var harness = new SinkHarness();
        var endless = new TestCompletion(TimeSpan.MaxValue);

        await harness.EmitAsync(TestCompletion.EventIn("held", endless), Event("free"));
        await Eventually.TrueAsync(() => harness.Counters.Sent == 1, "the free event is sent");

        await harness.AdvanceUntilAsync(() => harness.Counters.Sent == 2, "the held event is sent at the cap", TimeSpan.FromMinutes(5));
        Assert.InRange(harness.Time.GetUtcNow() - Timestamp, EventHold.MaxHold, EventHold.MaxHold + TimeSpan.FromMinutes(6));
    }
}
