using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Formatting;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// A typed record sends, byte for byte, what the equivalent hand-written ForContext chain sends: both go through a real
// Serilog pipeline, their log events through the sink's formatter (the body that goes on the wire), and the bodies are
// compared whole. The timestamp is the one thing fixed afterwards: each call reads the clock.
public class TypedRecordWireTests
{
    const string Category = "Billing.Invoices";
    static readonly Invoice Before = new() { Total = 120.50m, Status = "open" };
    static readonly InvalidOperationException Error = MakeError();

    static InvalidOperationException MakeError()
    {
        try
        {
            throw new InvalidOperationException("Card declined");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    public static TheoryData<string> Records => new() { "event", "audit-log", "session", "session-logout", "event-with-exception" };

    // The typed call through Serilog.ILogger, the typed call through Microsoft.Extensions.Logging.ILogger, and the chain.
    static void Typed(string record, ILogger log)
    {
        switch (record)
        {
            case "event": log.UserSignedIn("u-42", "jane_doe", "password"); break;
            case "audit-log": log.InvoiceDeleted("u-42", "INV-001", Before); break;
            case "session": log.SessionStarted("sess_7f3a9c1e5b2d4f60", "u-42", "jane_doe"); break;
            case "session-logout": log.SessionEnded("sess_7f3a9c1e5b2d4f60", "jane_doe"); break;
            default: log.PaymentFailed("u-42", "PAY-9", Error); break;
        }
    }

    static void TypedMel(string record, Microsoft.Extensions.Logging.ILogger log)
    {
        switch (record)
        {
            case "event": log.UserSignedIn("u-42", "jane_doe", "password"); break;
            case "audit-log": log.InvoiceDeleted("u-42", "INV-001", Before); break;
            case "session": log.SessionStarted("sess_7f3a9c1e5b2d4f60", "u-42", "jane_doe"); break;
            case "session-logout": log.SessionEnded("sess_7f3a9c1e5b2d4f60", "jane_doe"); break;
            default: log.PaymentFailed("u-42", "PAY-9", Error); break;
        }
    }

    static void HandWritten(string record, ILogger log)
    {
        switch (record)
        {
            case "event":
                log.ForContext("EventName", "user.login").ForContext("UserId", "u-42")
                    .Information("User {UserName} signed in with {Method}", "jane_doe", "password");
                break;
            case "audit-log":
                log.ForContext("AuditLogName", "invoice.deleted").ForContext("UserId", "u-42").ForContext("Before", Before, destructureObjects: true)
                    .Information("Invoice {InvoiceId} deleted", "INV-001");
                break;
            case "session":
                log.ForContext("SessionStatus", "successful").ForContext("SessionToken", "sess_7f3a9c1e5b2d4f60").ForContext("UserId", "u-42")
                    .Information("User {UserName} signed in", "jane_doe");
                break;
            case "session-logout":
                log.ForContext("SessionStatus", "logout").ForContext("SessionToken", "sess_7f3a9c1e5b2d4f60")
                    .Information("User {UserName} signed out", "jane_doe");
                break;
            default:
                log.ForContext("EventName", "payment.failed").ForContext("UserId", "u-42")
                    .Warning(Error, "Payment {PaymentId} failed", "PAY-9");
                break;
        }
    }

    static string Body(Action<ILogger> write)
    {
        var sink = new CollectingSink();
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger())
            write(logger);
        var logEvent = Assert.Single(sink.Events);
        var fixedTime = Some.At(logEvent, Some.Timestamp);
        var (outcome, _, json) = FormattedBody.Try(fixedTime);
        Assert.Equal(FormatOutcome.Formatted, outcome);
        return json;
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void ATypedRecordThroughSerilogSendsWhatItsForContextChainSends(string record)
    {
        var typed = Body(log => Typed(record, log));
        Assert.Equal(Body(log => HandWritten(record, log)), typed);
        // One pinned body per kind; the exception's stack trace names this file's path, which differs between machines.
        if (record != "event-with-exception")
            Approvals.Verify(typed, "typed-" + record);
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void ATypedRecordThroughMicrosoftExtensionsLoggingSendsWhatItsForContextChainSends(string record)
    {
        var typed = Body(log =>
        {
            using var provider = new SerilogLoggerProvider((Logger)log);
            TypedMel(record, provider.CreateLogger(Category));
        });
        Assert.Equal(Body(log => HandWritten(record, log.ForContext("SourceContext", Category))), typed);
    }

    [Fact]
    public void ALevelThatIsOffWritesNothing()
    {
        var sink = new CollectingSink();
        using var logger = new LoggerConfiguration().MinimumLevel.Error().WriteTo.Sink(sink).CreateLogger();
        logger.UserSignedIn("u-42", "jane_doe", "password");
        using var provider = new SerilogLoggerProvider(logger);
        provider.CreateLogger(Category).UserSignedIn("u-42", "jane_doe", "password");
        Assert.Empty(sink.Events);
    }
}
