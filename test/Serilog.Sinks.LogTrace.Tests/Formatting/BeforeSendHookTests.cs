using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The hook over one formatted body: what it is shown, what it may do to the body, and how each way of failing ends.
public class BeforeSendHookTests
{
    const string Token = "sess_0123456789abcdef";

    static LogEvent Session(string status, string token = Token) => LogEvent("Signed in", properties: new[]
    {
        Prop(LogTraceProperties.SessionStatus, status), Prop(LogTraceProperties.SessionToken, token), Prop(LogTraceProperties.UserName, "jane_doe"),
    });

    // Formats the event with the hook configured and runs it: the outcome, and the body now in the buffers.
    static (LossReason? Reason, string Detail, Exception? Exception, string Body) Run(LogEvent logEvent, Func<LogTraceOutgoingRecord, bool> hook)
    {
        var formatter = FormattedBody.Create(o => o.BeforeSend = hook);
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, formatter.Format(logEvent, buffers, out var kind));
        var reason = formatter.BeforeSend!.Run(kind, buffers, out var detail, out var exception);
        return (reason, detail, exception, Encoding.UTF8.GetString(buffers.Body.Span));
    }

    [Fact]
    public void WithoutAHookThereIsNothingToRun() =>
        Assert.Null(FormattedBody.Create().BeforeSend);

    [Fact]
    public void AHookThatChangesNothingSendsTheFormattersBodyUnchanged()
    {
        var logEvent = Event("user.login", properties: new[] { Prop("Plan", "pro"), Prop("Note", "naïve \"quoted\" <b>") });
        var (_, _, unchanged) = FormattedBody.Try(logEvent);

        var run = Run(logEvent, _ => true);

        Assert.Null(run.Reason);
        Assert.Equal(unchanged, run.Body);
    }

    [Fact]
    public void TheHookSeesTheKindTheRouteAndTheBodyAsItWillBeSent()
    {
        var seen = new List<(string Kind, string Route, string Body)>();
        bool Hook(LogTraceOutgoingRecord record)
        {
            seen.Add((record.Kind, record.Route, record.Body.ToJsonString()));
            return true;
        }

        Run(Event("user.login"), Hook);
        Run(AuditLog(), Hook);
        Run(Session("active"), Hook);
        Run(Session("logout"), Hook);

        Assert.Equal(new[] { "event", "audit_log", "session", "session_logout" }, seen.Select(s => s.Kind));
        Assert.Equal(new[] { "events", "audit-logs", "sessions", "sessions/logout" },
            seen.Select(s => s.Route.Substring("https://api.logtracehq.com/v1/developers/".Length)));
        Assert.Contains("\"name\":\"user.login\"", seen[0].Body);
        Assert.Contains("\"name\":\"invoice.deleted\"", seen[1].Body);
        Assert.Contains("\"status\":\"active\"", seen[2].Body);
        Assert.Equal("{\"token\":\"" + Token + "\"}", seen[3].Body);
    }

    [Fact]
    public void WhatTheHookChangesIsWhatIsSent()
    {
        var run = Run(Event("user.login", properties: Prop("Plan", "pro")), record =>
        {
            record.Body["metadata"]!["Plan"] = "hidden";
            record.Body["metadata"]!.AsObject().Add("Tenant", 7);
            record.Body.Remove("type");
            record.Body["username"] = "someone.else";
            return true;
        });

        Assert.Null(run.Reason);
        using var body = JsonDocument.Parse(run.Body);
        Assert.Equal("hidden", body.RootElement.GetProperty("metadata").GetProperty("Plan").GetString());
        Assert.Equal(7, body.RootElement.GetProperty("metadata").GetProperty("Tenant").GetInt32());
        Assert.Equal("someone.else", body.RootElement.GetProperty("username").GetString());
    }

    [Fact]
    public void AHookThatReturnsFalseDropsTheRecord()
    {
        var run = Run(Event("user.login"), _ => false);

        Assert.Equal(LossReason.DroppedByHook, run.Reason);
        Assert.Equal("was dropped by the before-send hook (it returned false)", run.Detail);
        Assert.Null(run.Exception);
    }

    [Fact]
    public void AHookThatThrowsFailsTheRecordWithItsExceptionNamed()
    {
        var thrown = new InvalidOperationException("no tenant for this user");

        var run = Run(Event("user.login"), _ => throw thrown);

        Assert.Equal(LossReason.HookFailed, run.Reason);
        Assert.Equal("was dropped because the before-send hook threw InvalidOperationException: no tenant for this user", run.Detail);
        Assert.Same(thrown, run.Exception);
    }

    [Fact]
    public void AHookFailureNeverRepeatsTheApiKeyOrTheSessionsToken()
    {
        var run = Run(Session("active"), record => throw new InvalidOperationException("key " + ApiKey + " body " + record.Body.ToJsonString()));

        Assert.Equal(LossReason.HookFailed, run.Reason);
        Assert.DoesNotContain(ApiKey, run.Detail);
        Assert.DoesNotContain(Token, run.Detail);
        Assert.Contains("[REDACTED]", run.Detail);
        // The listener gets a stand-in with the same text, redacted.
        var standIn = Assert.IsType<LogTraceDeliveryException>(run.Exception);
        Assert.DoesNotContain(ApiKey, standIn.Message);
        Assert.DoesNotContain(Token, standIn.Message);
        Assert.Contains("InvalidOperationException", standIn.Message);
    }

    // A hook that quotes the body as JSON quotes the token escaped: System.Text.Json's default encoder writes + < > and
    // non-ASCII as \u escapes (upper-case hex), another writer in lower case, the relaxed encoder escapes only the
    // quote and the backslash. Each form is replaced, in the report and in the listener's stand-in.
    [Theory]
    [InlineData("default")]
    [InlineData("lower-case")]
    [InlineData("relaxed")]
    public void ATokenTheHookQuotesEscapedIsStillRedacted(string form)
    {
        const string odd = "sess+01<23>\"é\\x";
        var run = Run(Session("active", odd), record =>
        {
            var json = form == "relaxed"
                ? record.Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
                : record.Body.ToJsonString();
            throw new InvalidOperationException("body " + (form == "lower-case" ? System.Text.RegularExpressions.Regex.Replace(json, "\\\\u[0-9A-F]{4}", m => m.Value.ToLowerInvariant()) : json));
        });

        var escaped = form switch
        {
            "default" => "sess\\u002B01\\u003C23\\u003E\\u0022\\u00E9\\\\x",
            "lower-case" => "sess\\u002b01\\u003c23\\u003e\\u0022\\u00e9\\\\x",
            _ => "sess+01<23>\\\"é\\\\x",
        };
        Assert.Equal(LossReason.HookFailed, run.Reason);
        Assert.Contains("\"token\":\"[REDACTED]\"", run.Detail);
        Assert.DoesNotContain(escaped, run.Detail);
        var standIn = Assert.IsType<LogTraceDeliveryException>(run.Exception);
        Assert.Contains("\"token\":\"[REDACTED]\"", standIn.Message);
    }

    [Theory]
    [InlineData("sess_0123456789abcdef", false)]
    [InlineData("sess 0123456789 abc", false)]
    [InlineData("ABCdef-._~!#$%()*,/:;=?@[]^{|}0", false)]
    [InlineData("sess+0123456789", true)]
    [InlineData("sess<0123456789", true)]
    [InlineData("sess>0123456789", true)]
    [InlineData("sess&0123456789", true)]
    [InlineData("sess'0123456789", true)]
    [InlineData("sess`0123456789", true)]
    [InlineData("sess\"0123456789", true)]
    [InlineData("sess\\0123456789", true)]
    [InlineData("sess\u001f0123456789", true)]
    [InlineData("sess\u007f0123456789", true)]
    [InlineData("sessé0123456789", true)]
    public void ATokenIsSearchedForEscapedOnlyWhenJsonEscapesIt(string token, bool escapes)
    {
        Assert.Equal(escapes, SessionTokens.NeedsEscaping(token));
        Assert.Equal(escapes, System.Text.Json.JsonEncodedText.Encode(token).Value != token);
    }

    [Fact]
    public void ASignOutsTokenIsKeptOutOfTheReportEvenWhenTheHookRemovedIt()
    {
        var run = Run(Session("logout"), record =>
        {
            var token = record.Body["token"]!.GetValue<string>();
            record.Body.Remove("token");
            throw new InvalidOperationException("refused " + token);
        });

        Assert.Equal("was dropped because the before-send hook threw InvalidOperationException: refused [REDACTED]", run.Detail);
    }

    [Fact]
    public void AnExceptionWhoseMessageThrowsIsNamedByItsType()
    {
        var run = Run(Event("user.login"), _ => throw new UnreadableException());

        Assert.Equal(LossReason.HookFailed, run.Reason);
        Assert.Equal("was dropped because the before-send hook threw UnreadableException (whose message could not be read)", run.Detail);
        Assert.Equal("UnreadableException (whose message could not be read)", Assert.IsType<LogTraceDeliveryException>(run.Exception).Message);
    }

    [Fact]
    public void AValueThatCannotBeWrittenFailsTheRecordAndNotTheSink()
    {
        var run = Run(Event("user.login"), record =>
        {
            record.Body["metadata"]!["Bad"] = JsonValue.Create(new Unwritable());
            return true;
        });

        Assert.Equal(LossReason.HookFailed, run.Reason);
        Assert.StartsWith("was dropped because the body the before-send hook returned could not be written: ", run.Detail);
        Assert.Contains("cannot be read", run.Detail);
        Assert.NotNull(run.Exception);
    }

    // The checks of the returned body read the kind of each top-level value: a value that cannot be written cannot say
    // its kind either. That is the hook's failure like any other (Run never throws), not an error of the sink's own.
    [Theory]
    [InlineData("metadata")]
    [InlineData("user_id")]
    public void AValueThatCannotBeWrittenInAFieldTheChecksReadFailsTheRecordAndNotTheSink(string field)
    {
        var run = Run(Event("user.login"), record =>
        {
            record.Body[field] = JsonValue.Create(new Unwritable());
            return true;
        });

        Assert.Equal(LossReason.HookFailed, run.Reason);
        Assert.StartsWith("was dropped because the body the before-send hook returned could not be written: ", run.Detail);
        Assert.Contains("cannot be read", run.Detail);
        Assert.NotNull(run.Exception);
    }

    // Properties "message" and "_message" once made one name twice in metadata ("_message"), which JsonObject refuses:
    // the record was lost as hook_failed as soon as the hook touched metadata (RepeatedNamesTests has the rest).
    [Fact]
    public void ABodyWithOneNameTwiceInMetadataIsNotLostToTheHook()
    {
        var run = Run(Event("user.login", properties: new[] { Prop("message", "a"), Prop("_message", "b") }), record =>
        {
            record.Body["metadata"]!.AsObject().Remove("Plan");
            return true;
        });

        Assert.Null(run.Reason);
        var metadata = JsonNode.Parse(run.Body)!["metadata"]!;
        Assert.Equal("a", (string?)metadata["_message"]);
        Assert.Equal("b", (string?)metadata["__message"]);
    }

    [Fact]
    public void ABodyTheServiceWouldRefuseIsInvalidWithTheReason()
    {
        var run = Run(Event("user.login"), record =>
        {
            record.Body.Remove("name");
            return true;
        });

        Assert.Equal(LossReason.Invalid, run.Reason);
        Assert.Equal("was changed by the before-send hook into a body the LogTrace service would refuse (no name), and was dropped", run.Detail);
        Assert.Null(run.Exception);
    }

    sealed class UnreadableException : Exception
    {
        public override string Message => throw new InvalidOperationException("unreadable");

        public override string ToString() => throw new InvalidOperationException("unreadable");
    }

    public sealed class Unwritable
    {
        public string Value => throw new InvalidOperationException("this value cannot be read");
    }
}
