using System.Text;
using System.Text.Json;
using LogTrace.Collector;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;
using Serilog.Sinks.LogTrace.Durable;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Tests.Formatting;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Promises;

// The promises of audit logs and sessions (docs/records.md "Audit logs and sessions", docs/logtrace-api.md) on markers, tokens
// and per-route refusals, each pinned where an earlier version broke it; the comments say how it broke.
public class MarkerTokenAndRouteTests
{
    const string Token = "sess_7f3a9c1e5b2d4f60a1b2c3d4e5f60718";

    static Task<LogTraceResponse> Answer(int status, string? message = null) => Task.FromResult(new LogTraceResponse(status, message));

    static (FormatOutcome Outcome, RecordKind Kind, string Json) Try(LogEvent logEvent, LogTraceEventFormatter? formatter = null) =>
        FormattedBody.Try(logEvent, formatter);

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 1: one ConfigurationGate for every route. A 404 (or 403, 405, a redirect) that only one route answers
    // closes the gate for all kinds: events that the service would accept are failed as "unauthorized" without a
    // request for the next minute (and, with the durable buffer, held back).
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task ARefusalOnTheAuditLogRouteOnlyDoesNotFailTheEventsBehindIt()
    {
        var api = new CollectingLogTraceApi(body => body.TryGetProperty("description", out _) ? Answer(404, "404 page not found") : Answer(202));
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(AuditLog());
        await harness.SettledAsync(1);
        await harness.EmitAsync(Event("user.login"), Event("user.logout"));
        await harness.SettledAsync(3);

        // Expected: the two events go to /events (which works); only the audit log is lost.
        Assert.Equal(2, harness.Api.Requests.Count(r => r.Kind == RecordKind.Event));
        Assert.Equal(2, harness.Counters.Sent);
        Assert.Equal(1, harness.Counters.LostFor(LossReason.Unauthorized));
    }

    [Fact]
    public async Task ARedirectOnTheSignOutRouteOnlyDoesNotFailTheSessionsAndEventsBehindIt()
    {
        var api = new CollectingLogTraceApi(body => body.EnumerateObject().Count() == 1 && body.TryGetProperty("token", out _)
            ? Task.FromResult(new LogTraceResponse(308, null, default, default, "https://elsewhere.example/sessions/logout"))
            : Answer(202));
        await using var harness = new SinkHarness(api, o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(LogEvent(properties: new[] { Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.SessionToken, Token) }));
        await harness.SettledAsync(1);
        await harness.EmitAsync(Event("user.login"), AuditLog());
        await harness.SettledAsync(3);

        Assert.Equal(2, harness.Counters.Sent);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 2: IsMarked / TryGetMarker count a non-string scalar marker whose text is blank (a char ' ', a DBNull)
    // as present, the formatter then finds its name blank and answers NotAnEvent, and EventDelivery.TryFormat calls it
    // Skipped: the record is neither sent nor counted lost. With a valid EventName beside it, the event that should
    // have been sent (a blank marker "does not count", docs/records.md) silently disappears.
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void TheHotPathCheckAndTheFormatterAgreeOnABlankCharMarker()
    {
        var logEvent = LogEvent(properties: new[] { Prop(LogTraceProperties.AuditLogName, ' '), Prop(LogTraceProperties.UserName, "jane_doe") });

        var marked = RecordKinds.IsMarked(logEvent);
        var (outcome, _, _) = Try(logEvent);

        // Either both say "not a record", or the formatter formats (or reports) what the filter let through.
        Assert.False(marked && outcome == FormatOutcome.NotAnEvent,
            "IsMarked says it is a record, the formatter says it is not: the record is admitted and then silently skipped");
    }

    [Fact]
    public async Task AnEventBesideABlankCharAuditLogNameIsSentAsAnEvent()
    {
        await using var harness = new SinkHarness();

        await harness.EmitAsync(Event("user.login", properties: Prop(LogTraceProperties.AuditLogName, ' ')));
        await harness.Time.AdvanceUntilAsync(() => harness.Finished == 1 || harness.Counters.Queued == 0, "the record is finished", TimeSpan.FromMilliseconds(500));

        // The blank marker does not count: EventName decides, and the event is sent, once.
        Assert.Equal(1, harness.Finished);
        var request = Assert.Single(harness.Api.Requests);
        Assert.Equal(RecordKind.Event, request.Kind);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 3: the session token goes through TextSanitizer.Clean like free text: cut at maxStringLength (with the
    // truncation marker appended) and with the API key replaced. The session and the sign-out then carry a token that
    // is not the session's, silently (counted "sent").
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void ASignOutTokenLongerThanMaxStringLengthIsNotSilentlyCut()
    {
        var jwt = "eyJhbGciOiJIUzI1NiJ9." + new string('A', 300) + ".sig_0123456789";
        var formatter = FormattedBody.Create(o => o.MaxStringLength = 256);
        var (outcome, kind, json) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.SessionToken, jwt),
        }), formatter);

        Assert.Equal(RecordKind.SessionLogout, kind);
        // Sent whole, or not sent at all (and reported): never a different token.
        if (outcome == FormatOutcome.Formatted)
            Assert.Equal(jwt, JsonDocument.Parse(json).RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public void ASessionTokenLongerThanMaxStringLengthIsNotSilentlyCut()
    {
        var jwt = "eyJhbGciOiJIUzI1NiJ9." + new string('A', 300) + ".sig_0123456789";
        var formatter = FormattedBody.Create(o => o.MaxStringLength = 256);
        var (outcome, _, json) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.SessionToken, jwt), Prop(LogTraceProperties.UserId, "u1"),
        }), formatter);

        if (outcome == FormatOutcome.Formatted)
            Assert.Equal(jwt, JsonDocument.Parse(json).RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public void ASignOutTokenThatContainsTheApiKeyIsNotSentAsADifferentToken()
    {
        var token = "v1." + ApiKey + ".session-42";
        var (outcome, _, json) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.SessionToken, token),
        }));

        // The key must not leave in a body, and a token with it cut out signs out nobody: drop and report instead.
        Assert.False(outcome == FormatOutcome.Formatted,
            "sent as " + json + ": the sign-out carries a token that is not the session's");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 4: "the token is never put in any record's metadata": SessionToken is kept out of metadata as a
    // property, but the rendered message (metadata.message; an audit log's description) and the exception text carry
    // it whenever the template or the exception mention it. The API key is redacted from every string; the token from
    // none.
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void ASessionTokenInTheMessageTemplateDoesNotReachMetadata()
    {
        var (outcome, _, json) = Try(LogEvent("Session {SessionToken} opened for {UserName}", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "successful"), Prop(LogTraceProperties.SessionToken, Token), Prop(LogTraceProperties.UserName, "jane_doe"),
        }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        var body = JsonDocument.Parse(json).RootElement;
        Assert.Equal(Token, body.GetProperty("token").GetString());
        Assert.DoesNotContain(Token, body.GetProperty("metadata").GetRawText());
    }

    [Fact]
    public void ASessionTokenInAFailedSignInsExceptionDoesNotReachMetadata()
    {
        var (outcome, _, json) = Try(LogEvent("Sign-in failed", LogEventLevel.Warning, new InvalidOperationException("token " + Token + " expired"), new[]
        {
            Prop(LogTraceProperties.SessionStatus, "failed"), Prop(LogTraceProperties.SessionToken, Token), Prop(LogTraceProperties.UserName, "jane_doe"),
        }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        Assert.DoesNotContain(Token, JsonDocument.Parse(json).RootElement.GetProperty("metadata").GetRawText());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 6: the precedence let an invalid SessionStatus outrank a valid EventName / AuditLogName, so the whole
    // record was dropped: an application that already used a property called SessionStatus for its own purposes lost
    // its LogTrace events on upgrading. (An enricher with a valid status word on every line does make every line a
    // session: docs/records.md says so; the names are the markers.)
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task AnEventWhoseSessionStatusIsNotASessionStatusIsStillSentAsTheEvent()
    {
        await using var harness = new SinkHarness();

        await harness.EmitAsync(Event("user.login", properties: Prop(LogTraceProperties.SessionStatus, "Pending")));
        await harness.SettledAsync(1);

        // Expected (suggested): an invalid status does not outrank a valid marker; the event is sent with SessionStatus in its metadata.
        var request = Assert.Single(harness.Api.Requests);
        Assert.Equal(RecordKind.Event, request.Kind);
        Assert.Equal("Pending", request.Body.GetProperty("metadata").GetProperty(LogTraceProperties.SessionStatus).GetString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 7: a sign-out whose token is blank ("   ") is sent as {"token":"   "}: markers that are blank "do not
    // count", a blank token does. The promise: "A sign-out without a token ... dropped before sending".
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void ASignOutWithABlankTokenIsNotFormatted()
    {
        var (outcome, _, json) = Try(LogEvent(properties: new[] { Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.SessionToken, "   ") }));

        Assert.True(outcome == FormatOutcome.NoToken, "formatted as " + json);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 10: SessionLoginAt is documented as "a DateTimeOffset, a DateTime or an RFC 3339 string", but
    // KnownFields.TakeTime parses any string DateTimeOffset.TryParse takes: "12:30" becomes 12:30 UTC on the machine's
    // current date (not the event's, not the TimeProvider's), "03/04/2026" becomes 4 March. The value then leaves
    // metadata, and login_at is silently wrong.
    // ---------------------------------------------------------------------------------------------------------------
    [Theory]
    [InlineData("12:30")]
    [InlineData("03/04/2026")]
    public void ASessionLoginAtThatIsNotRfc3339IsNotGuessed(string loginAt)
    {
        var (outcome, _, json) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.UserName, "jane_doe"), Prop(LogTraceProperties.SessionLoginAt, loginAt),
        }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        var body = JsonDocument.Parse(json).RootElement;
        // As for any other value of the wrong shape: the event's time, and the value kept in metadata.
        Assert.Equal("2026-11-26T10:30:00.1234567Z", body.GetProperty("login_at").GetString());
        Assert.Equal(loginAt, body.GetProperty("metadata").GetProperty(LogTraceProperties.SessionLoginAt).GetString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pinned 8: the kind column is read with GetInt64, which SQLite answers with 0 for a text value: a row whose kind
    // is not an integer is read as an intact *event* and posted to /events, not moved aside ("never sent to a guessed
    // route"). The crc covers the body only, so a damaged kind is never detected.
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void ARowWhoseKindIsNotAnIntegerIsMovedAsideNotReadAsAnEvent()
    {
        using var folder = new TempFolder();
        var deadLetters = new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider());
        using (var store = SqliteEventStore.Open(folder.Path, deadLetters))
            store.Append(new[] { new BufferRecord(0, "active", DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes("{\"login_at\":\"x\"}"), kind: RecordKind.Session) });
        using (var connection = new SqliteConnection("Data Source=" + folder.Combine(SqliteEventStore.FileName) + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET kind = 'session';";
            command.ExecuteNonQuery();
        }

        using var reopened = SqliteEventStore.Open(folder.Path, deadLetters);
        var record = reopened.ReadAfter(0, 10).Single();
        Assert.True(record.Corrupt, "read as an intact record of kind " + record.Kind);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A session token never reaches SelfLog or a failure message. These write SelfLog: run alone.
// ---------------------------------------------------------------------------------------------------------------
[Collection(SelfLogCollection.Name)]
public class SessionTokenInReportsTests
{
    // Pinned 5: RecordKinds.Describe echoes an invalid SessionStatus when it "looks like a word" (letters, at most 24).
    // Swapped properties put the token in SessionStatus; a letters-only token of up to 24 characters is then written to
    // SelfLog and to the failure listener's message. ASP.NET (System.Web) session ids are exactly 24 characters of
    // [a-z0-5]; about 1 in 140 has no digit and passes as a "word".
    [Fact]
    public async Task ASwappedLettersOnlySessionIdNeverReachesSelfLogOrAFailureMessage()
    {
        const string sessionId = "kqzrwbhvmxdtnalepcfjsuyg"; // 24 characters of [a-z], the shape of an ASP.NET session id
        using var selfLog = new SelfLogCollector();
        await using var harness = new SinkHarness();

        await harness.EmitAsync(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, sessionId), Prop(LogTraceProperties.SessionToken, "successful"), Prop(LogTraceProperties.UserName, "jane_doe"),
        }));
        await harness.SettledAsync(1);

        Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
        Assert.DoesNotContain(sessionId, selfLog.Text);
        Assert.All(harness.Failures.Failures, f => Assert.DoesNotContain(sessionId, f.Message));
    }
}
