using System.Text.Json;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Status;

// A sink's status, read the way LogTraceStatus reads it, over a fake API and the sink's fake clock.
public class SinkStatusTests
{
    [Fact]
    public async Task ANewSinkIsHealthyLookingAndEmpty()
    {
        await using var harness = new SinkHarness();
        var status = harness.Sink.Status(sharesKeyAndEndpoint: false);

        Assert.Equal("https://logtrace.example/v1/developers", status.Endpoint);
        Assert.Equal(harness.Time.GetUtcNow(), status.TakenAt);
        Assert.Equal(0, status.Queued);
        Assert.Null(status.Buffered);
        Assert.Null(status.BufferPath);
        Assert.Null(status.BufferUnavailable);
        Assert.Null(status.OldestUndeliveredAge);
        Assert.Null(status.LastDelivery);
        Assert.Equal(0, status.Sent);
        Assert.Equal(new[] { "buffer_full", "corrupt", "dropped_by_hook", "hook_failed", "invalid", "queue_full", "rejected", "retry_limit", "shutdown", "unauthorized" },
            status.Lost.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(status.Lost.Values, n => Assert.Equal(0, n));
        Assert.Empty(status.LastLost);
        Assert.Equal(new[] { "event", "audit_log", "session", "session_logout" }, status.Routes.Select(r => r.Kind));
        Assert.Equal("https://logtrace.example/v1/developers/sessions/logout", status.Routes[3].Url);
        Assert.All(status.Routes, r => Assert.Null(r.LastStatusCode));
        Assert.Empty(status.MisspeltMarkers);
        Assert.False(status.SharesKeyAndEndpoint);
        // Not a dry run: no dry-run figure at all (the health check reads null as "sending").
        Assert.Null(status.DryRunRecords);
    }

    [Fact]
    public async Task ADeliveryIsTimedAndItsRouteAnswered()
    {
        await using var harness = new SinkHarness();
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        var accepted = harness.Time.GetUtcNow();
        await harness.EmitAsync(Some.Event("user.login"));
        await harness.SettledAsync(1);

        var status = harness.Sink.Status(false);
        Assert.Equal(1, status.Sent);
        Assert.NotNull(status.LastDelivery);
        Assert.InRange(status.LastDelivery!.Value, accepted, status.TakenAt);
        var events = status.Routes[0];
        Assert.Equal(202, events.LastStatusCode);
        Assert.Null(events.Refusal);
        Assert.InRange(events.LastAnswerAt!.Value, accepted, status.TakenAt);
        Assert.Null(status.Routes[1].LastStatusCode);
        Assert.Null(status.OldestUndeliveredAge);
    }

    [Fact]
    public async Task ARefusalIsTheRoutesLatestAnswerUntilTheServiceAcceptsAgain()
    {
        var refuse = 1;
        var api = new CollectingLogTraceApi(_ => Task.FromResult(Volatile.Read(ref refuse) == 1
            ? new LogTraceResponse(401, "Invalid API key " + Some.ApiKey)
            : new LogTraceResponse(202, null)));
        await using var harness = new SinkHarness(api);
        await harness.EmitAsync(Some.Event("user.login"));
        await harness.SettledAsync(1);

        var refused = harness.Sink.Status(false);
        var events = refused.Routes[0];
        Assert.Equal(401, events.LastStatusCode);
        Assert.Contains("status 401", events.Refusal);
        Assert.Contains("check the API key", events.Refusal);
        Assert.DoesNotContain(Some.ApiKey, events.Refusal);
        Assert.Equal(1, refused.Lost["unauthorized"]);
        Assert.Equal(refused.TakenAt, refused.LastLost["unauthorized"]);
        Assert.Null(refused.Routes[1].Refusal);

        Volatile.Write(ref refuse, 0);
        harness.Time.Advance(TimeSpan.FromMinutes(2));
        await harness.EmitAsync(Some.Event("user.login"));
        await harness.SettledAsync(2);
        var accepted = harness.Sink.Status(false).Routes[0];
        Assert.Equal(202, accepted.LastStatusCode);
        Assert.Null(accepted.Refusal);
    }

    [Fact]
    public async Task ARejectionIsCountedAndTimedButIsNoRefusal()
    {
        var api = new CollectingLogTraceApi(_ => Task.FromResult(new LogTraceResponse(400, "name is required")));
        await using var harness = new SinkHarness(api);
        await harness.EmitAsync(Some.Event("user.login"));
        await harness.SettledAsync(1);

        var status = harness.Sink.Status(false);
        Assert.Equal(1, status.Lost["rejected"]);
        Assert.True(status.LastLost.ContainsKey("rejected"));
        Assert.False(status.LastLost.ContainsKey("unauthorized"));
        Assert.Equal(400, status.Routes[0].LastStatusCode);
        Assert.Null(status.Routes[0].Refusal);
    }

    [Fact]
    public async Task TheOldestUndeliveredRecordAgesOnTheSinksClock()
    {
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled());
        var logged = Some.Event("user.login");
        await harness.EmitAsync(logged);
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the record is in flight");

        harness.Time.Advance(TimeSpan.FromMinutes(11));
        var status = harness.Sink.Status(false);
        Assert.Equal(1, status.Queued);
        Assert.Equal(status.TakenAt - logged.Timestamp, status.OldestUndeliveredAge);
        Assert.Equal(TimeSpan.FromMinutes(11), status.OldestUndeliveredAge);
    }

    [Fact]
    public async Task TheOldestWaitingRecordCountsBeforeItIsSent()
    {
        await using var harness = new SinkHarness(CollectingLogTraceApi.Stalled(), o => o.MaxConcurrentRequests = 1);
        await harness.EmitAsync(Some.Event("first"));
        await Eventually.TrueAsync(() => harness.Api.InFlight == 1, "the first record is in flight");
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        // Logged before the one in flight (a timestamp from elsewhere): only the records waiting behind it say how old
        // the oldest is.
        var backdated = Backdated(Some.Event("second"), TimeSpan.FromMinutes(30));
        await harness.EmitAsync(backdated);
        await harness.EmitAsync(Some.Event("third"));
        await Eventually.TrueAsync(() => ((Serilog.Sinks.LogTrace.Pipeline.MemoryOutbox)harness.Sink.Outbox).WaitingToBeSent == 2, "both wait for the sender");

        var status = harness.Sink.Status(false);
        Assert.Equal(3, status.Queued);
        Assert.Equal(status.TakenAt - backdated.Timestamp, status.OldestUndeliveredAge);
        Assert.Equal(TimeSpan.FromMinutes(35), status.OldestUndeliveredAge);
    }

    static Serilog.Events.LogEvent Backdated(Serilog.Events.LogEvent e, TimeSpan by) => Some.At(e, e.Timestamp - by);

    [Fact]
    public async Task MisspeltMarkersAreListedByNameAndCounted()
    {
        await using var harness = new SinkHarness();
        await harness.EmitAsync(
            Some.LogEvent(properties: new[] { Some.Prop("Eventname", "user.login") }),
            Some.LogEvent(properties: new[] { Some.Prop("event_name", "user.login") }),
            Some.LogEvent(properties: new[] { Some.Prop("Eventname", "user.logout") }));

        var status = harness.Sink.Status(false);
        Assert.Equal(new[] { "Eventname", "event_name" }, status.MisspeltMarkers);
        Assert.Equal(3, status.MisspeltMarkerEvents);
    }

    [Fact]
    public async Task TheStatusNeverCarriesTheKeyOrASessionToken()
    {
        const string token = "sess_status_0123456789abcdef";
        var api = new CollectingLogTraceApi(body => Task.FromResult(new LogTraceResponse(403, "forbidden for " + Some.ApiKey + " " + body)));
        await using var harness = new SinkHarness(api);
        await harness.EmitAsync(Some.LogEvent(properties: new[] { Some.Prop("SessionStatus", "active"), Some.Prop("SessionToken", token), Some.Prop("UserId", "u1") }));
        await harness.SettledAsync(1);

        var json = JsonSerializer.Serialize(harness.Sink.Status(false));
        Assert.Contains("status 403", json);
        Assert.DoesNotContain(Some.ApiKey, json);
        Assert.DoesNotContain(token, json);
    }
}
