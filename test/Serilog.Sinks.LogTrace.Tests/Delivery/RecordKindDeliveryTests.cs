using System.Diagnostics.Metrics;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Pipeline;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

// Events, audit logs and sessions share one delivery path: routes differ, nothing else does.
[Collection(SelfLogCollection.Name)]
public class RecordKindDeliveryTests
{
    const string Token = "sess_0f1e2d3c4b5a69788796a5b4";

    static Task<LogTraceResponse> Answer(int status, string? message = null, RateLimitHeaders rateLimit = default) =>
        Task.FromResult(new LogTraceResponse(status, message, rateLimit));

    static LogEvent Session(string status) => LogEvent("Signed in", properties: new[]
    {
        Prop(LogTraceProperties.SessionStatus, status), Prop(LogTraceProperties.SessionToken, Token), Prop(LogTraceProperties.UserName, "jane_doe"),
    });

    static bool IsKind(JsonElement body, string field) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(field, out _);

    [Fact]
    public async Task EachKindIsPostedToItsOwnRoute()
    {
        await using var harness = new SinkHarness(configure: o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(Event("user.login"), AuditLog(), Session("successful"), Session("logout"));
        await harness.SettledAsync(4);

        Assert.Equal(new[] { RecordKind.Event, RecordKind.AuditLog, RecordKind.Session, RecordKind.SessionLogout },
            harness.Api.Requests.Select(r => r.Kind));
        Assert.Equal(4, harness.Counters.Sent);
    }

    [Fact]
    public async Task AnInvalidSessionStatusIsDroppedBeforeSendingCountedAndReportedWithoutTheToken()
    {
        using var selfLog = new SelfLogCollector();
        await using var harness = new SinkHarness();
        var invalid = Session("logged_in");

        await harness.EmitAsync(invalid, AuditLog());
        await harness.SettledAsync(2);

        var request = Assert.Single(harness.Api.Requests);
        Assert.Equal(RecordKind.AuditLog, request.Kind);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
        Assert.Equal(0, harness.Counters.Retries);
        var failure = Assert.Single(harness.Failures.Failures);
        Assert.Same(invalid, Assert.Single(failure.Events));
        Assert.Contains("session (its SessionStatus is not a status) has a SessionStatus the service does not accept", failure.Message);
        Assert.DoesNotContain(Token, failure.Message);
        Assert.DoesNotContain("logged_in", failure.Message);
        Assert.Contains("SessionStatus the service does not accept", selfLog.Text);
        Assert.DoesNotContain(Token, selfLog.Text);
    }

    [Fact]
    public async Task ASignOutWithoutATokenIsDroppedBeforeSending()
    {
        await using var harness = new SinkHarness();

        await harness.EmitAsync(LogEvent(properties: new[] { Prop(LogTraceProperties.SessionStatus, "logout") }));
        await harness.SettledAsync(1);

        Assert.Empty(harness.Api.Requests);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
        Assert.Contains("session sign-out has no SessionToken", Assert.Single(harness.Failures.Failures).Message);
    }

    [Fact]
    public async Task ARejectedSessionIsIsolatedLikeAnEventAndItsTokenIsNeverReported()
    {
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(body => IsKind(body, "token") ? Answer(400, "failed to validate request payload: invalid session status") : Answer(202));
        await using var harness = new SinkHarness(api);

        await harness.EmitAsync(Session("active"), Session("logout"), AuditLog(), Event("user.login"));
        await harness.SettledAsync(4);

        Assert.Equal(2, harness.Counters.Sent);
        Assert.Equal(2, harness.Counters.LostFor(LossReason.Rejected));
        Assert.Equal(0, harness.Counters.Retries);
        Assert.Equal(4, api.Requests.Count);
        Assert.All(harness.Failures.Failures, f => Assert.DoesNotContain(Token, f.Message));
        Assert.Contains("session sign-out was rejected", selfLog.Text + string.Join("\n", harness.Failures.Failures.Select(f => f.Message)));
        Assert.DoesNotContain(Token, selfLog.Text);
    }

    [Fact]
    public async Task ATransientFailureOfAnAuditLogIsRetriedWithTheSameBody()
    {
        var calls = 0;
        var api = new CollectingLogTraceApi(_ => Interlocked.Increment(ref calls) <= 2 ? Answer(503, "unavailable") : Answer(202));
        await using var harness = new SinkHarness(api);

        await harness.EmitAsync(AuditLog());
        await harness.SettledAsync(1);

        Assert.Equal(1, harness.Counters.Sent);
        Assert.Equal(2, harness.Counters.Retries);
        Assert.All(api.Requests, r => Assert.Equal(RecordKind.AuditLog, r.Kind));
        Assert.Single(api.Bodies.Select(b => b.GetRawText()).Distinct());
    }

    // The service's limit counts every request from the client, whatever its route: an event that used up the window
    // holds back the audit log and the session behind it until the window resets.
    [Fact]
    public async Task PacingCountsEveryKindAgainstTheSameLimit()
    {
        SinkHarness? harness = null;
        var reset = Timestamp.AddSeconds(30);
        var sentAt = new List<(RecordKind Kind, DateTimeOffset At)>();
        var api = new CollectingLogTraceApi(body =>
        {
            lock (sentAt)
                sentAt.Add((IsKind(body, "description") ? RecordKind.AuditLog : IsKind(body, "login_at") ? RecordKind.Session : RecordKind.Event,
                    harness!.Time.GetUtcNow()));
            var first = sentAt.Count == 1;
            return Answer(202, null, new RateLimitHeaders(100, first ? 0 : 50, first ? reset : reset.AddSeconds(60)));
        });
        harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);
        await using (harness)
        {
            await harness.EmitAsync(Event("user.login"));
            await harness.SettledAsync(1);
            await harness.EmitAsync(AuditLog(), Session("active"));
            await harness.SettledAsync(3);
        }

        lock (sentAt)
        {
            Assert.Equal(new[] { RecordKind.Event, RecordKind.AuditLog, RecordKind.Session }, sentAt.Select(s => s.Kind));
            Assert.All(sentAt.Skip(1), s => Assert.True(s.At >= reset, s.Kind + " was sent at " + s.At + ", before the window reset at " + reset));
        }
    }

    [Fact]
    public async Task MetricsTagEveryRecordWithItsKind()
    {
        var api = new CollectingLogTraceApi(body => IsKind(body, "description") && body.GetProperty("name").GetString() == "bad" ? Answer(400) : Answer(202));
        await using var harness = new SinkHarness(api);
        var measurements = new List<(string Instrument, string? Kind, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == harness.Counters.Meter)
                l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? kind = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                    kind = (string?)tag.Value;
                else if (tag.Key == "reason")
                    reason = (string?)tag.Value;
            }
            lock (measurements)
                measurements.Add((instrument.Name, kind, reason));
        }
        listener.SetMeasurementEventCallback<long>((i, _, t, _) => Record(i, t));
        listener.SetMeasurementEventCallback<double>((i, _, t, _) => Record(i, t));
        listener.Start();

        await harness.EmitAsync(Event("user.login"), AuditLog(), AuditLog("bad"), Session("failed"), Session("logout"), Session("nope"));
        await harness.SettledAsync(6);

        lock (measurements)
        {
            Assert.Equal(new[] { "audit_log", "event", "session", "session" },
                measurements.Where(m => m.Instrument == "logtrace.events.sent").Select(m => m.Kind).OrderBy(k => k));
            Assert.Equal(4, measurements.Count(m => m.Instrument == "logtrace.delivery.latency" && m.Kind != null));
            Assert.Equal(new (string?, string?)[] { ("audit_log", "rejected"), ("session", "invalid") },
                measurements.Where(m => m.Instrument == "logtrace.events.failed").Select(m => (m.Kind, m.Reason)).OrderBy(m => m.Kind));
        }
    }

    // A refusal of the key or the account is the same on every route; a refusal of one route (a proxy that forwards
    // only some) is that route's.
    [Theory]
    [InlineData(401, 0)]
    [InlineData(402, 0)]
    [InlineData(404, 2)]
    [InlineData(403, 2)]
    public async Task ARefusalOfTheKeyClosesEveryRouteAndARefusalOfOneRouteOnlyThatOne(int status, int eventsSent)
    {
        var api = new CollectingLogTraceApi(body => IsKind(body, "description") ? Answer(status, "refused") : Answer(202));
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(AuditLog());
        await harness.SettledAsync(1);
        await harness.EmitAsync(Event("user.login"), Event("user.logout"), AuditLog("second"));
        await harness.SettledAsync(4);

        Assert.Equal(eventsSent, harness.Counters.Sent);
        // The second audit log is failed by its route's closed gate, without a request.
        Assert.Equal(1, api.Requests.Count(r => r.Kind == RecordKind.AuditLog));
        Assert.Equal(4 - eventsSent, harness.Counters.LostFor(LossReason.Unauthorized));
    }

    // A log event that lost its marker while it was queued (another sink or enricher changed it after the sink admitted
    // it, before the outbox formatted it) is counted, never skipped silently.
    [Fact]
    public async Task ARecordThatLostItsMarkerBeforeFormattingIsCountedInvalid()
    {
        await using var harness = new SinkHarness();
        var changed = Event("changed.later");
        changed.RemovePropertyIfPresent(LogTraceProperties.EventName);

        var record = PendingRecord.Of(changed);
        Assert.True(harness.Sink.Ledger.TryAdmit(ref record, shuttingDown: false));
        Assert.True(harness.Sink.Queue.TryWrite(record));
        await harness.SettledAsync(1);

        Assert.Empty(harness.Api.Requests);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
        Assert.Contains("no longer had a LogTrace marker", Assert.Single(harness.Failures.Failures).Message);
    }

    // Once the outbox has formatted a record, what another sink does to the log event no longer reaches the service.
    [Fact]
    public async Task ARecordIsSentAsItWasWhenItWasFormatted()
    {
        var first = new TaskCompletionSource<LogTraceResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new CollectingLogTraceApi(_ => first.Task);
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);
        var changed = Event("changed.later");

        await harness.EmitAsync(Event("holds.the.sender"), changed);
        var outbox = (MemoryOutbox)harness.Sink.Outbox;
        await Eventually.TrueAsync(() => api.Requests.Count == 1 && outbox.WaitingToBeSent == 1, "the second record is formatted and waits");
        changed.RemovePropertyIfPresent(LogTraceProperties.EventName);
        first.SetResult(new LogTraceResponse(202, null));
        await harness.SettledAsync(2);

        Assert.Equal(2, harness.Counters.Sent);
        Assert.Equal("changed.later", api.Bodies.Last().GetProperty("name").GetString());
    }
}
