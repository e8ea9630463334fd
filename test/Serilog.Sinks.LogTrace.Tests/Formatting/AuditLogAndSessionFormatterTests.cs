using System.Text;
using System.Text.Json;
using LogTrace.Collector;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// Audit logs and sessions: the same log calls, other markers, other bodies (docs/logtrace-api.md).
public class AuditLogAndSessionFormatterTests
{
    const string Token = "sess_7f3a9c1e5b2d4f60";

    static (FormatOutcome Outcome, RecordKind Kind, string Json) Try(LogEvent logEvent, LogTraceEventFormatter? formatter = null) =>
        FormattedBody.Try(logEvent, formatter);

    // Formats the event, checks its kind, and has the local collector (the service's rules) validate the body.
    static string Format(LogEvent logEvent, RecordKind expected, LogTraceEventFormatter? formatter = null)
    {
        var (outcome, kind, json) = Try(logEvent, formatter);
        Assert.Equal(FormatOutcome.Formatted, outcome);
        Assert.Equal(expected, kind);
        using var document = JsonDocument.Parse(json);
        var validation = kind switch
        {
            RecordKind.AuditLog => LogTraceCollector.ValidateAuditLog(document.RootElement),
            RecordKind.Session => LogTraceCollector.ValidateSession(document.RootElement),
            RecordKind.SessionLogout => LogTraceCollector.ValidateLogout(document.RootElement),
            _ => LogTraceCollector.ValidateEvent(document.RootElement),
        };
        Assert.Equal(202, validation.Status);
        return json;
    }

    static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    static StructureValue Invoice(decimal total, string status) => new(new[]
    {
        new LogEventProperty("Total", new ScalarValue(total)),
        new LogEventProperty("Status", new ScalarValue(status)),
    }, "Invoice");

    static LogEvent AuditLog(params (string, LogEventPropertyValue)[] more) =>
        LogEvent("Invoice {InvoiceId} deleted by {UserName}", properties: new[]
        {
            Prop(LogTraceProperties.AuditLogName, "invoice.deleted"),
            Prop(LogTraceProperties.UserId, "u-42"),
            Prop(LogTraceProperties.UserName, "jane_doe"),
            Prop("InvoiceId", "INV-001"),
            Prop("Before", Invoice(120.50m, "open")),
            Prop("After", Invoice(0m, "deleted")),
            Prop(LogTraceProperties.RequestMethod, "DELETE"),
            Prop(LogTraceProperties.RequestPath, "/invoices/INV-001"),
            Prop(LogTraceProperties.StatusCode, 204),
            Prop(LogTraceProperties.ClientIp, "203.0.113.42"),
        }.Concat(more).ToArray());

    static LogEvent Session(object? status, params (string, LogEventPropertyValue)[] more) =>
        LogEvent("User {UserName} signed in", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, status),
            Prop(LogTraceProperties.SessionToken, Token),
            Prop(LogTraceProperties.UserName, "jane_doe"),
            Prop(LogTraceProperties.ClientIp, "203.0.113.42"),
        }.Concat(more).ToArray());

    [Fact]
    public void AnAuditLogIsPinned()
    {
        var json = Format(AuditLog(), RecordKind.AuditLog);
        Approvals.Verify(json, "audit-log");
    }

    [Fact]
    public void AnAuditLogsDescriptionIsTheRenderedMessageWhichItsMetadataDoesNotRepeat()
    {
        var body = Parse(Format(AuditLog(), RecordKind.AuditLog));

        Assert.Equal("invoice.deleted", body.GetProperty("name").GetString());
        Assert.Equal("Invoice \"INV-001\" deleted by \"jane_doe\"", body.GetProperty("description").GetString());
        var metadata = body.GetProperty("metadata");
        Assert.False(metadata.TryGetProperty("message", out _));
        Assert.Equal("INV-001", metadata.GetProperty("InvoiceId").GetString());
        Assert.Equal("Information", metadata.GetProperty("level").GetString());
        Assert.False(metadata.TryGetProperty(LogTraceProperties.AuditLogName, out _));
        // The service stamps its own time: nothing at the top level; request_details carries the event's.
        Assert.False(body.TryGetProperty("timestamp", out _));
        Assert.Equal("2026-11-26T10:30:00.1234567Z", body.GetProperty("request_details").GetProperty("timestamp").GetString());
        Assert.Equal(204, body.GetProperty("request_details").GetProperty("http_status_code").GetInt32());
    }

    [Fact]
    public void ABeforeAndAfterPassedAsStructuredValuesArriveAsJsonObjects()
    {
        var metadata = Parse(Format(AuditLog(), RecordKind.AuditLog)).GetProperty("metadata");

        var before = metadata.GetProperty("Before");
        var after = metadata.GetProperty("After");
        Assert.Equal(JsonValueKind.Object, before.ValueKind);
        Assert.Equal(JsonValueKind.Object, after.ValueKind);
        Assert.Equal(120.50m, before.GetProperty("Total").GetDecimal());
        Assert.Equal("open", before.GetProperty("Status").GetString());
        Assert.Equal("deleted", after.GetProperty("Status").GetString());
    }

    [Fact]
    public void AnAuditLogHasNoTypeItsEventTypeStaysInMetadataAndTheDefaultTypeIsNotApplied()
    {
        var formatter = FormattedBody.Create(o => o.DefaultEventType = "user event");
        var body = Parse(Format(AuditLog(Prop(LogTraceProperties.EventType, "billing")), RecordKind.AuditLog, formatter));

        Assert.False(body.TryGetProperty("type", out _));
        Assert.Equal("billing", body.GetProperty("metadata").GetProperty(LogTraceProperties.EventType).GetString());
    }

    [Fact]
    public void AnAuditLogsDescriptionIsCleanedLikeEveryOtherString()
    {
        var formatter = FormattedBody.Create(o => o.MaxStringLength = 40);
        var body = Parse(Format(LogEvent("Key {Key} rotated; lone \ud800 surrogate and a long tail of text", properties: new[]
        {
            Prop(LogTraceProperties.AuditLogName, "api_key.rotated"),
            Prop(LogTraceProperties.UserName, "jane_doe"),
            Prop("Key", ApiKey),
        }), RecordKind.AuditLog, formatter));

        var description = body.GetProperty("description").GetString()!;
        Assert.DoesNotContain(ApiKey, description);
        Assert.DoesNotContain("\ud800", description);
        Assert.True(description.Length <= 60, description);
    }

    [Fact]
    public void ASessionIsPinned()
    {
        var json = Format(Session("successful", Prop("Method", "password")), RecordKind.Session);
        Approvals.Verify(json, "session");
    }

    [Fact]
    public void ASignOutIsPinnedAndCarriesTheTokenOnly()
    {
        var json = Format(Session("logout"), RecordKind.SessionLogout);
        Approvals.Verify(json, "session-logout");
        Assert.Equal("{\"token\":\"" + Token + "\"}", json);
    }

    [Fact]
    public void ASessionCarriesLoginAtStatusUserTokenMetadataAndRequestDetails()
    {
        var body = Parse(Format(Session("active"), RecordKind.Session));

        Assert.Equal("2026-11-26T10:30:00.1234567Z", body.GetProperty("login_at").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal("jane_doe", body.GetProperty("username").GetString());
        Assert.Equal(Token, body.GetProperty("token").GetString());
        Assert.Equal("User \"jane_doe\" signed in", body.GetProperty("metadata").GetProperty("message").GetString());
        Assert.Equal("203.0.113.42", body.GetProperty("request_details").GetProperty("ip_address").GetString());
        Assert.False(body.TryGetProperty("name", out _));
        Assert.False(body.GetProperty("metadata").TryGetProperty(LogTraceProperties.SessionStatus, out _));
        Assert.False(body.GetProperty("metadata").TryGetProperty(LogTraceProperties.SessionToken, out _));
    }

    [Theory]
    [InlineData("active", "active")]
    [InlineData("ACTIVE", "active")]
    [InlineData("successful", "succesful")]
    [InlineData("Successful", "succesful")]
    [InlineData("succesful", "succesful")]
    [InlineData(" failed ", "failed")]
    [InlineData("Expired", "expired")]
    public void AStatusIsReadAsUsersWriteItAndSentAsTheServiceSpellsIt(string given, string sent)
    {
        var body = Parse(Format(Session(given), RecordKind.Session));
        Assert.Equal(sent, body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(LogTraceSessionStatus.Active, "active")]
    [InlineData(LogTraceSessionStatus.Successful, "succesful")]
    [InlineData(LogTraceSessionStatus.Failed, "failed")]
    [InlineData(LogTraceSessionStatus.Expired, "expired")]
    public void AnEnumStatusIsSentAsTheServiceSpellsIt(LogTraceSessionStatus given, string sent)
    {
        var body = Parse(Format(Session(given), RecordKind.Session));
        Assert.Equal(sent, body.GetProperty("status").GetString());
    }

    [Fact]
    public void TheLogoutEnumValueIsASignOut()
    {
        Assert.Equal("{\"token\":\"" + Token + "\"}", Format(Session(LogTraceSessionStatus.Logout), RecordKind.SessionLogout));
    }

    [Theory]
    [InlineData("success")]
    [InlineData("logged_in")]
    [InlineData("succesfull")]
    [InlineData(1)]
    [InlineData(true)]
    public void AStatusTheServiceWouldRefuseIsNotFormatted(object status)
    {
        var (outcome, kind, _) = Try(Session(status));
        Assert.Equal(FormatOutcome.InvalidSessionStatus, outcome);
        Assert.Equal(RecordKind.Session, kind);
    }

    [Fact]
    public void AStructuredStatusIsNotFormatted()
    {
        var (outcome, _, _) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, new StructureValue(new[] { new LogEventProperty("Value", new ScalarValue("active")) })),
            Prop(LogTraceProperties.UserName, "jane_doe"),
        }));
        Assert.Equal(FormatOutcome.InvalidSessionStatus, outcome);
    }

    [Fact]
    public void ASignOutWithoutATokenIsNotFormatted()
    {
        var (outcome, kind, _) = Try(LogEvent(properties: new[] { Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.UserName, "jane") }));
        Assert.Equal(FormatOutcome.NoToken, outcome);
        Assert.Equal(RecordKind.SessionLogout, kind);
    }

    [Fact]
    public void ASessionWithoutAUserIsNotFormattedUnlessAFallbackUserIsConfigured()
    {
        var anonymous = LogEvent(properties: new[] { Prop(LogTraceProperties.SessionStatus, "failed") });

        Assert.Equal(FormatOutcome.NoUser, Try(anonymous, FormattedBody.Create(o => o.FallbackUserName = null)).Outcome);
        var body = Parse(Format(anonymous, RecordKind.Session, FormattedBody.Create(o => o.FallbackUserName = "anonymous")));
        Assert.Equal("anonymous", body.GetProperty("username").GetString());
        Assert.False(body.TryGetProperty("token", out _));
    }

    [Fact]
    public void LoginAtComesFromSessionLoginAtWhenItIsATime()
    {
        var began = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.FromHours(-5));

        Assert.Equal("2026-11-25T13:00:00.0000000Z",
            Parse(Format(Session("expired", Prop(LogTraceProperties.SessionLoginAt, began)), RecordKind.Session)).GetProperty("login_at").GetString());
        Assert.Equal("2026-11-25T13:00:00.0000000Z",
            Parse(Format(Session("expired", Prop(LogTraceProperties.SessionLoginAt, "2026-11-25T08:00:00-05:00")), RecordKind.Session)).GetProperty("login_at").GetString());

        // Not a time: the event's own time, and the value stays in metadata.
        var body = Parse(Format(Session("expired", Prop(LogTraceProperties.SessionLoginAt, "yesterday")), RecordKind.Session));
        Assert.Equal("2026-11-26T10:30:00.1234567Z", body.GetProperty("login_at").GetString());
        Assert.Equal("yesterday", body.GetProperty("metadata").GetProperty(LogTraceProperties.SessionLoginAt).GetString());
    }

    [Fact]
    public void ASessionTokenNeverGoesToTheMetadataOfAnyKind()
    {
        var eventBody = FormattedBody.Of(Event("user.login", properties: Prop(LogTraceProperties.SessionToken, Token)));
        var auditBody = Parse(Format(AuditLog(Prop(LogTraceProperties.SessionToken, Token)), RecordKind.AuditLog));

        Assert.DoesNotContain(Token, eventBody.GetRawText());
        Assert.DoesNotContain(Token, auditBody.GetRawText());
    }

    public static TheoryData<string[], string, string[]> Markers => new()
    {
        { new[] { "EventName" }, "Event", new string[0] },
        { new[] { "AuditLogName" }, "AuditLog", new string[0] },
        { new[] { "SessionStatus" }, "Session", new string[0] },
        { new[] { "EventName", "AuditLogName" }, "AuditLog", new[] { "EventName" } },
        { new[] { "EventName", "SessionStatus" }, "Session", new[] { "EventName" } },
        { new[] { "AuditLogName", "SessionStatus" }, "Session", new[] { "AuditLogName" } },
        { new[] { "EventName", "AuditLogName", "SessionStatus" }, "Session", new[] { "EventName", "AuditLogName" } },
    };

    // docs/records.md, "Audit logs and sessions": SessionStatus, then AuditLogName, then EventName; the markers that lose stay
    // in the record's metadata.
    [Theory]
    [MemberData(nameof(Markers))]
    public void WithSeveralMarkersTheRecordIsOfTheKindThePrecedenceSays(string[] markers, string kind, string[] inMetadata)
    {
        var expected = Enum.Parse<RecordKind>(kind);
        var properties = new List<(string, LogEventPropertyValue)> { Prop(LogTraceProperties.UserName, "jane_doe") };
        foreach (var marker in markers)
            properties.Add(Prop(marker, marker == LogTraceProperties.SessionStatus ? "active" : "name.of." + marker));

        var body = Parse(Format(LogEvent(properties: properties.ToArray()), expected));

        var metadata = body.GetProperty("metadata");
        foreach (var marker in markers)
            Assert.Equal(inMetadata.Contains(marker), metadata.TryGetProperty(marker, out _));
        if (expected != RecordKind.Session)
            Assert.Equal("name.of." + markers.Last(m => m != LogTraceProperties.SessionStatus), body.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("EventName", "x", true)]
    [InlineData("AuditLogName", "x", true)]
    [InlineData("SessionStatus", "active", true)]
    [InlineData("SessionStatus", "anything", true)]
    [InlineData("AuditLogName", " ", false)]
    [InlineData("SessionStatus", "", false)]
    [InlineData("SessionStatus", null, false)]
    [InlineData("SessionToken", "t", false)]
    public void EachMarkerMakesALogEventARecord(string property, string? value, bool marked)
    {
        // With few properties the check scans them; with many it looks the three names up: both must agree.
        foreach (var others in new[] { 0, 5, 12 })
        {
            var properties = Enumerable.Range(0, others).Select(i => Prop("Other" + i, i)).Append(Prop(property, value)).ToArray();
            Assert.Equal(marked, RecordKinds.IsMarked(LogEvent(properties: properties)));
        }
    }

    // Names of a marker's length, and a marker's name in another case, are not markers.
    [Theory]
    [InlineData("EventNamE")]
    [InlineData("eventname")]
    [InlineData("AuditLogNamx")]
    [InlineData("SessionStatuS")]
    [InlineData("Session_Status")]
    public void OnlyTheExactNamesAreMarkers(string property)
    {
        Assert.False(RecordKinds.IsMarked(LogEvent(properties: new[] { Prop(property, "x") })));
        Assert.False(RecordKinds.IsMarked(LogEvent(properties: Enumerable.Range(0, 10).Select(i => Prop("Other" + i, i)).Append(Prop(property, "x")).ToArray())));
    }

    [Fact]
    public void AnAuditLogNameThatIsNotAScalarIsNotFormatted()
    {
        var (outcome, kind, _) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.AuditLogName, new SequenceValue(new[] { new ScalarValue("a") })),
            Prop(LogTraceProperties.UserName, "jane_doe"),
        }));
        Assert.Equal(FormatOutcome.InvalidName, outcome);
        Assert.Equal(RecordKind.AuditLog, kind);
    }

    [Fact]
    public void ReportsDescribeEachKindWithoutTheToken()
    {
        Assert.Equal("audit log \"invoice.deleted\"", RecordKinds.Describe(AuditLog()));
        Assert.Equal("session \"successful\"", RecordKinds.Describe(Session("successful")));
        Assert.Equal("session sign-out", RecordKinds.Describe(Session("logout")));
        Assert.Equal("event \"user.login\"", RecordKinds.Describe(Event("user.login")));
        // An invalid status is never repeated (it may be a token, the two properties swapped).
        Assert.Equal("session (its SessionStatus is not a status)", RecordKinds.Describe(Session("logged_in")));
    }

    // The two properties swapped by mistake: the invalid "status" is the token, and must not be echoed.
    [Fact]
    public void AnInvalidStatusThatDoesNotReadLikeAWordIsNotEchoed()
    {
        var swapped = LogEvent(properties: new[] { Prop(LogTraceProperties.SessionStatus, Token), Prop(LogTraceProperties.SessionToken, "active") });

        Assert.Equal(FormatOutcome.InvalidSessionStatus, Try(swapped).Outcome);
        var described = RecordKinds.Describe(swapped);
        Assert.DoesNotContain(Token, described);
        Assert.StartsWith("session", described);
    }

    // A token is an identifier: cut, redacted or repaired, it would name no session. Such a session is not sent.
    [Theory]
    [InlineData("logout", 41)]
    [InlineData("active", 41)]
    [InlineData("logout", 0)]
    public void ATokenThatCleaningWouldChangeIsNeverSentAltered(string status, int length)
    {
        var formatter = FormattedBody.Create(o => o.MaxStringLength = 40);
        var token = length > 0 ? new string('t', length) : "sess-" + ApiKey;
        var (outcome, _, json) = Try(Session(status, Prop(LogTraceProperties.SessionToken, token)), formatter);

        Assert.Equal(FormatOutcome.InvalidToken, outcome);
        Assert.Equal("", json);
    }

    [Fact]
    public void ATokenWithAValidSurrogatePairOrAtTheLengthLimitIsSentAsItIs()
    {
        var formatter = FormattedBody.Create(o => o.MaxStringLength = 40);
        var token = "sess-\U0001F511-" + new string('t', 40 - 8);
        Assert.Equal(40, token.Length);

        var json = Format(Session("logout", Prop(LogTraceProperties.SessionToken, token)), RecordKind.SessionLogout, formatter);

        Assert.Equal(token, Parse(json).GetProperty("token").GetString());
    }

    [Fact]
    public void ATokenTheMessageOrTheExceptionRepeatsIsReplacedThereButSentAsTheToken()
    {
        var audit = Parse(Format(LogEvent("Session {SessionToken} closed by an admin", LogEventLevel.Warning,
            new InvalidOperationException("session " + Token + " was still in use"), new[]
            {
                Prop(LogTraceProperties.AuditLogName, "session.revoked"), Prop(LogTraceProperties.UserName, "admin"), Prop(LogTraceProperties.SessionToken, Token),
            }), RecordKind.AuditLog));
        var session = Parse(Format(LogEvent("Session {SessionToken} opened", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.UserName, "jane"), Prop(LogTraceProperties.SessionToken, Token),
        }), RecordKind.Session));

        Assert.DoesNotContain(Token, audit.GetRawText());
        Assert.Equal("Session \"[REDACTED]\" closed by an admin", audit.GetProperty("description").GetString());
        Assert.Contains("session [REDACTED] was still in use", audit.GetProperty("metadata").GetProperty("exception").GetString());
        Assert.Equal(Token, session.GetProperty("token").GetString());
        Assert.Equal("Session \"[REDACTED]\" opened", session.GetProperty("metadata").GetProperty("message").GetString());
    }

    // The template's {SessionToken} is replaced however short the token; the text is not searched for a short one.
    [Fact]
    public void AShortTokenIsNotLookedForInTheText()
    {
        var body = Parse(Format(LogEvent("Session {SessionToken} opened on a tablet", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.UserName, "jane"), Prop(LogTraceProperties.SessionToken, "tab"),
        }), RecordKind.Session));

        Assert.Equal("Session \"[REDACTED]\" opened on a tablet", body.GetProperty("metadata").GetProperty("message").GetString());
    }

    [Fact]
    public void AMarkerTextIsCutAt100CharactersInReports()
    {
        var name = new string('n', 150);
        Assert.Equal("audit log \"" + new string('n', 100) + "...\"", RecordKinds.Describe(AuditLog(Prop(LogTraceProperties.AuditLogName, name))));
        Assert.Equal("event \"" + new string('e', 100) + "\"", RecordKinds.Describe(Event(new string('e', 100))));
        // A sign-out is never named, whatever name it is given: its only value is the token.
        Assert.Equal("session sign-out", RecordKinds.Describe(RecordKind.SessionLogout, "logout"));
        Assert.Equal("event", RecordKinds.Describe(RecordKind.Event, ""));
    }

    [Fact]
    public void ATokenAtTheStartOfATextIsReplacedToo()
    {
        var body = Parse(Format(LogEvent("{Note:l}", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.UserName, "jane"), Prop(LogTraceProperties.SessionToken, Token),
            Prop("Note", Token + " was reused"),
        }), RecordKind.Session));

        Assert.Equal("[REDACTED] was reused", body.GetProperty("metadata").GetProperty("message").GetString());
    }
}
