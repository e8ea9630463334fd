using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Pipeline;
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

// A refused route holds back only its own records, a token is sent exactly as logged or not at all, and a record with
// a marker that cannot be used is counted, never skipped. Each test states the promise it holds the code to, and how
// the code once broke it.
public class TokenAndRefusalIsolationTests
{
    const string Token = "sess_7f3a9c1e5b2d4f60a1b2c3d4e5f60718";

    static Task<LogTraceResponse> Answer(int status, string? message = null) => Task.FromResult(new LogTraceResponse(status, message));

    static (FormatOutcome Outcome, RecordKind Kind, string Json) Try(LogEvent logEvent, LogTraceEventFormatter? formatter = null) =>
        FormattedBody.Try(logEvent, formatter);

    // Moves the fake clock in steps, for at most `total` of fake time, while the condition does not hold.
    static async Task AdvanceWhileNotAsync(FakeTimeProvider time, Func<bool> done, TimeSpan total, TimeSpan step)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < total && !done(); elapsed += step)
        {
            time.Advance(step);
            await Task.Delay(5);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S1 (high). The per-route gate does not reach the durable buffer. With waitOutRefusals, a record whose route is
    // closed waits for the recheck *inside its sender* (EventDelivery.SendAsync -> WaitForRecheckAsync), and after the
    // recheck its route answers the same and it waits again: it never gives its sender back (no retry limit applies,
    // attempt and firstAttempt are reset). As many records of the refused route as there are senders hold every
    // sender, for as long as the route is refused (a proxy that never forwards /audit-logs: for ever), and the events
    // behind them, whose route works, are never sent: the buffer fills, and then refuses new events (buffer_full).
    // Exactly the case the per-route gate was made for ("stops only that route", docs/logtrace-api.md).
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task WithTheDurableBuffer_AnAuditLogRouteThatAlwaysAnswers404_DoesNotStrandTheEventsBehindIt()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi(body => body.TryGetProperty("description", out _) ? Answer(404, "404 page not found") : Answer(202));
        await using var harness = new BufferHarness(folder.Path, api, o => o.MaxConcurrentRequests = 2);

        for (var i = 0; i < 2; i++)
        {
            harness.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1")
                .Information("Invoice {InvoiceId} deleted", i);
        }
        await harness.AdvanceUntilAsync(() => api.Requests.Count(r => r.Kind == RecordKind.AuditLog) >= 2, "both audit logs are refused",
            TimeSpan.FromMilliseconds(100));
        harness.Log(0, 3);

        // Five recheck intervals: the events' own route answered 202 all along.
        await AdvanceWhileNotAsync(harness.Time, () => harness.Counters.Sent == 3, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));

        Assert.True(harness.Counters.Sent == 3, string.Format(
            "{0} of the 3 events were sent in 5 minutes; {1} requests went to /audit-logs (the 2 audit logs re-sent at every recheck), {2} to /events",
            harness.Counters.Sent, api.Requests.Count(r => r.Kind == RecordKind.AuditLog), api.Requests.Count(r => r.Kind == RecordKind.Event)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S2 (medium). The token is looked for in the rendered message as plain text (SessionTokens.Redact), but Serilog
    // renders a string property in quotes with every '"' escaped, and a value with a format specifier in that format:
    // the rendered text then holds the token in a form Redact does not look for, and metadata.message (an audit log's
    // description) carries it. "Where the rendered message ({SessionToken} in the template) repeats it, it is replaced
    // by [REDACTED]" (docs/records.md).
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void ATokenWithAQuoteInItIsNotLeftInTheRenderedMessage()
    {
        const string token = "v2\"k9Qm7LrT3xW8pZ5c"; // an opaque token is not promised to be base64
        var (outcome, _, json) = Try(LogEvent("Session {SessionToken} opened", properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.SessionToken, token), Prop(LogTraceProperties.UserName, "jane_doe"),
        }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        var message = JsonDocument.Parse(json).RootElement.GetProperty("metadata").GetProperty("message").GetString()!;
        Assert.DoesNotContain("k9Qm7LrT3xW8pZ5c", message);
    }

    [Fact]
    public void AGuidTokenRenderedWithAFormatIsNotLeftInAnAuditLogsDescription()
    {
        var token = Guid.Parse("5f0c6a2e-8d3b-4c71-9e4a-2b7d1c0f9a83");
        var (outcome, _, json) = Try(LogEvent("Session {SessionToken:N} ended by an administrator", properties: new[]
        {
            Prop(LogTraceProperties.AuditLogName, "session.revoked"), Prop(LogTraceProperties.SessionToken, token), Prop(LogTraceProperties.UserName, "admin"),
        }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        var description = JsonDocument.Parse(json).RootElement.GetProperty("description").GetString()!;
        Assert.DoesNotContain(token.ToString("N"), description);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S3 (medium). "A session whose token the sink would have to alter to send it is dropped" (InvalidToken), and a
    // token is "sent exactly as logged or not at all". Two paths still alter or drop it, uncounted:
    // a) a token Serilog captured as a sequence (a char[] - the usual type for a secret kept out of strings - or any
    //    IEnumerable) or a structure: KnownFields.TakeToken reads no text, consumes the property anyway, and the
    //    session is sent (counted sent) without its token;
    // b) a scalar token whose ToString() throws (a token type registered with Destructure.AsScalar<T>(), or a value
    //    built by hand): ScalarToString returns the stand-in "[T.ToString() threw X]", which is then sent as the
    //    token (a sign-out of no session, counted sent).
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task ASessionWhoseTokenSerilogCapturedAsASequenceIsNotSentWithoutItSilently()
    {
        var captured = new CollectingSink();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(captured).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.SessionStatus, LogTraceSessionStatus.Successful)
                .ForContext(LogTraceProperties.SessionToken, Token.ToCharArray())
                .ForContext(LogTraceProperties.UserId, "u1")
                .Information("Signed in");
        }
        Assert.IsType<SequenceValue>(captured.Events.Single().Properties[LogTraceProperties.SessionToken]);
        await using var harness = new SinkHarness();

        await harness.EmitAsync(captured.Events.Single());
        await harness.SettledAsync(1);

        // Sent with its token, or not sent and counted invalid; never sent without it as if it had none.
        if (harness.Counters.Sent == 1)
            Assert.True(harness.Api.Bodies.Single().TryGetProperty("token", out _), "the session was sent, and counted sent, without its token: " + harness.Api.Bodies.Single().GetRawText());
        else
            Assert.Equal(1, harness.Counters.LostFor(LossReason.Invalid));
    }

    sealed class TokenThatCannotBeRendered
    {
        public override string ToString() => throw new InvalidOperationException("no text for this token");
    }

    [Fact]
    public void ASignOutWhoseTokenCannotBeReadIsNotSentWithAStandInToken()
    {
        var (outcome, _, json) = Try(LogEvent(properties: new[]
        {
            Prop(LogTraceProperties.SessionStatus, "logout"), Prop(LogTraceProperties.SessionToken, new TokenThatCannotBeRendered()),
        }));

        Assert.False(outcome == FormatOutcome.Formatted, "sent as " + json + ": the sign-out carries a token that is not the session's");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S6 (medium). "A record admitted by IsMarked ends sent or counted lost, never skipped." A marker that is not a
    // scalar (IsPresent counts any such value) is dropped as InvalidName, and reporting it calls RecordKinds.Describe
    // -> MarkerText -> marker.ToString(): Serilog renders the sequence or structure, and a scalar inside it whose
    // ToString() throws (a type the application registered with Destructure.AsScalar<T>(), which Serilog keeps as
    // ScalarValue(object) and renders late) throws out of LossReporter.Lost before anything is counted.
    // In memory, the sender's last line of defence (LogTraceSink.SendLoopAsync's catch) reports it the same way and
    // throws again: the sender task dies, for the life of the process; MaxConcurrentRequests such records stop all
    // delivery. With the durable buffer, BufferedLogTraceSink.WriteAsync's catch-all drops the whole batch: every
    // record in it, good ones included, is neither written, nor sent, nor counted, and stays counted as queued.
    // ---------------------------------------------------------------------------------------------------------------
    sealed class ThingWithoutText
    {
        public override string ToString() => throw new NotImplementedException();
    }

    // Captured by Serilog itself, with the type kept as a scalar (Destructure.AsScalar): the array becomes a
    // SequenceValue of ScalarValue(thing), whose text is asked for only when it is rendered.
    static LogEvent EventNamedBySequence()
    {
        var captured = new CollectingSink();
        using (var logger = new LoggerConfiguration().Destructure.AsScalar<ThingWithoutText>().WriteTo.Sink(captured).CreateLogger())
            logger.ForContext(LogTraceProperties.EventName, new[] { new ThingWithoutText() }).ForContext(LogTraceProperties.UserName, "jane_doe").Information("Something happened");
        var logEvent = captured.Events.Single();
        Assert.IsType<ThingWithoutText>(Assert.IsType<ScalarValue>(Assert.IsType<SequenceValue>(logEvent.Properties[LogTraceProperties.EventName]).Elements.Single()).Value);
        return logEvent;
    }

    [Fact]
    public async Task ARecordWithAnUnrenderableNonScalarNameIsCountedAndDoesNotKillTheSender()
    {
        await using var harness = new SinkHarness(configure: o => o.MaxConcurrentRequests = 1);

        await harness.EmitAsync(EventNamedBySequence());
        await harness.EmitAsync(Event("user.login"));
        await AdvanceWhileNotAsync(harness.Time, () => harness.Finished == 2, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500));

        Assert.True(harness.Counters.Sent == 1 && harness.Counters.LostFor(LossReason.Invalid) == 1, string.Format(
            "sent {0}, lost {1}, still queued {2}: the first record was not counted, and the good event behind it was not sent", harness.Counters.Sent,
            harness.Counters.Lost, harness.Counters.Queued));
    }

    [Fact]
    public async Task WithTheDurableBuffer_ARecordWithAnUnrenderableNonScalarNameDoesNotTakeItsBatchWithIt()
    {
        using var folder = new TempFolder();
        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        var batch = new[] { EventNamedBySequence(), Event("user.login") };
        foreach (var logEvent in batch)
            harness.Target.Emit(logEvent);

        await AdvanceWhileNotAsync(harness.Time, () => harness.Counters.Sent + harness.Counters.Lost == 2, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500));

        Assert.True(harness.Counters.Sent == 1 && harness.Counters.LostFor(LossReason.Invalid) == 1, string.Format(
            "sent {0}, lost {1}, buffered {2}, still queued {3}: the batch was dropped uncounted", harness.Counters.Sent, harness.Counters.Lost,
            harness.Sink.Store.Count, harness.Counters.Queued));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S8 (low). The fix of the first review's finding 6 made a SessionStatus that is not a status outrank nothing ("an
    // application's own property of that name beside an EventName leaves the event an event"). An AuditLogName that
    // cannot be a name (not a scalar: an application's own structured AuditLogName, {@AuditLogName}) still outranks a
    // valid EventName: TryGetMarker picks it (IsPresent counts any non-scalar), the formatter answers InvalidName, and
    // the event, which could have been sent, is dropped as invalid.
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task AnEventBesideAStructuredAuditLogNameIsStillSentAsTheEvent()
    {
        await using var harness = new SinkHarness();
        var ownAuditEntry = new StructureValue(new[] { new LogEventProperty("Table", new ScalarValue("invoices")), new LogEventProperty("Row", new ScalarValue(42)) });

        await harness.EmitAsync(Event("invoice.exported", properties: Prop(LogTraceProperties.AuditLogName, ownAuditEntry)));
        await harness.SettledAsync(1);

        Assert.True(harness.Counters.Sent == 1, "the event was dropped (" + string.Join("; ", harness.Failures.Failures.Select(f => f.Message)) + ")");
        Assert.Equal(RecordKind.Event, Assert.Single(harness.Api.Requests).Kind);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S4 (low). The token is replaced in the message before the API key is (Redact, then TextSanitizer.Clean): a token
    // that is part of the key leaves the rest of the key in metadata.message, where Clean no longer finds the whole
    // key. "Nothing that leaves the process may carry the API key" (TextSanitizer).
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public void AMessageWithTheApiKeyLosesAllOfItEvenWhenTheTokenIsPartOfTheKey()
    {
        var token = ApiKey.Substring(0, 20); // "lg_0123456789abcdef0": part of the key
        var (outcome, _, json) = Try(LogEvent("Calling with {Key} for {SessionToken}", properties: new[]
        {
            Prop(LogTraceProperties.EventName, "diagnostics"), Prop(LogTraceProperties.UserName, "ops"), Prop("Key", ApiKey), Prop(LogTraceProperties.SessionToken, token),
        }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        var message = JsonDocument.Parse(json).RootElement.GetProperty("metadata").GetProperty("message").GetString()!;
        Assert.DoesNotContain(ApiKey.Substring(20), message);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // S5 (low). A record read back damaged (its checksum fails) is given RecordKind.Event whatever its kind column says
    // (StoredRows.Read: `kind: intact ? kind : Event`), so a damaged session or audit log is reported as
    // `event "..."` and counted with kind=event in logtrace.events.failed. The kind is not known for a damaged record:
    // the counters have "unknown" for exactly that (kind null), which the moved-aside store uses.
    // ---------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task ADamagedSessionRecordIsNotReportedAsAnEvent()
    {
        using var folder = new TempFolder();
        var deadLetters = new DeadLetterFolder(folder.Path, 1 << 20, new FakeTimeProvider());
        using (var store = SqliteEventStore.Open(folder.Path, deadLetters))
        {
            store.Append(new[] { new BufferRecord(0, "Successful", DateTimeOffset.UtcNow,
                Encoding.UTF8.GetBytes("{\"login_at\":\"2026-11-26T10:30:00Z\",\"status\":\"succesful\",\"user_id\":\"u1\"}"), kind: RecordKind.Session) });
        }
        using (var connection = new SqliteConnection("Data Source=" + folder.Combine(SqliteEventStore.FileName) + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET body = CAST('{\"login_at\":\"2026-11-26T10:30:00Z\",\"status\":\"succesfuX\"}' AS BLOB);";
            command.ExecuteNonQuery();
        }

        var api = new CollectingLogTraceApi();
        await using var harness = new BufferHarness(folder.Path, api);
        await harness.AdvanceUntilAsync(() => harness.Counters.Lost == 1, "the damaged record is moved aside", TimeSpan.FromMilliseconds(100));

        var failure = Assert.Single(harness.Failures.Failures);
        Assert.Equal(LossReason.Corrupt, Enum.GetValues<LossReason>().Single(r => harness.Counters.LostFor(r) == 1));
        Assert.False(failure.Message.StartsWith("LogTrace event ", StringComparison.Ordinal), "reported as an event: " + failure.Message);
    }
}

// How a refusal is reported. These read SelfLog: run alone.
[Collection(SelfLogCollection.Name)]
public class RefusalReportTests
{
    // -----------------------------------------------------------------------------------------------------------------
    // S7 (low). With the durable buffer, the refusal of one route (403, 404, 405, a redirect) stops that route only,
    // but the one SelfLog line that reports it (EventDelivery.Refuse, waitOutRefusals) says neither which route nor
    // that the others go on: "the service refused a request with status 404: 404 page not found; ... buffered events
    // are kept". An operator behind a proxy that forwards only some routes cannot tell which is missing. In memory the
    // loss report names the kind ("audit logs are failed without a request ...").
    // -----------------------------------------------------------------------------------------------------------------
    [Fact]
    public async Task WithTheDurableBuffer_TheReportOfARefusedRouteNamesTheRoute()
    {
        using var folder = new TempFolder();
        using var selfLog = new SelfLogCollector();
        var api = new CollectingLogTraceApi(body => Task.FromResult(new LogTraceResponse(body.TryGetProperty("description", out _) ? 404 : 202, "404 page not found")));
        await using var harness = new BufferHarness(folder.Path, api);

        harness.Logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u1").Information("Invoice deleted");
        await harness.AdvanceUntilAsync(() => selfLog.Lines.Any(l => l.Contains("status 404")), "the refusal is reported", TimeSpan.FromMilliseconds(100));

        var report = selfLog.Lines.First(l => l.Contains("status 404"));
        Assert.True(report.Contains("audit", StringComparison.OrdinalIgnoreCase), "the report does not say which route was refused: " + report);
    }
}
