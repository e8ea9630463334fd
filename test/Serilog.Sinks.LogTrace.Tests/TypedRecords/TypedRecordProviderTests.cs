using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Formatting;
using Serilog.Sinks.LogTrace.Tests.Support;
using MelLogger = Microsoft.Extensions.Logging.ILogger;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

public static partial class ProviderRecords
{
    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Signed in")]
    public static partial void GuidSession(this MelLogger logger, Guid token, string userId);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Signed in")]
    public static partial void GuidSession(this ILogger logger, Guid token, string userId);

    [LogTraceEvent("a.b", Message = "Event {EventName}")]
    public static partial void MarkerInMessage(this ILogger logger, string userId);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Signed in with {$SessionToken}")]
    public static partial void StringifiedTokenInMessage(this MelLogger logger, string token, string userId);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Signed in with {$SessionToken}")]
    public static partial void StringifiedTokenInMessage(this ILogger logger, string token, string userId);

    [LogTraceEvent("a.b", Message = "Event {EventName}")]
    public static partial void MarkerInMessage(this MelLogger logger, string userId);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Signed in")]
    public static partial void StringSession(this MelLogger logger, string token, string userId);

    [LogTraceSession(LogTraceSessionStatus.Successful, Message = "Signed in with {SessionToken}")]
    public static partial void TokenInMessage(this MelLogger logger, string token, string userId);

    [LogTraceEvent("a.b", Message = "{Method} ({method})")]
    public static partial void TwoCases(this ILogger logger, string userId, string method);

    [LogTraceEvent("a.b", Message = "{Method} ({method})")]
    public static partial void TwoCases(this MelLogger logger, string userId, string method);
}

// What other Microsoft.Extensions.Logging providers (the JSON console, OpenTelemetry) and Serilog's provider get from
// a typed record, against the Serilog logger's event. Found by a review (2026-12-05): a session token that was not a
// string (a Guid) reached other providers in clear, {SessionToken} in a message printed the token for them, and
// {Method} beside {method} sent two properties through Serilog.ILogger and one through Microsoft.Extensions.Logging.
public class TypedRecordProviderTests
{
    static LogEvent One(Action<ILogger> write)
    {
        var sink = new CollectingSink();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
            write(logger);
        return Assert.Single(sink.Events);
    }

    static LogEvent OneMel(Action<MelLogger> write) => One(log =>
    {
        using var provider = new Serilog.Extensions.Logging.SerilogLoggerProvider((Core.Logger)log);
        write(provider.CreateLogger("Cat"));
    });

    sealed class CapturingLogger : MelLogger
    {
        public readonly List<object?> States = new();
        public readonly List<string> Messages = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            States.Add(state);
            Messages.Add(formatter(state, exception));
        }
    }

    // Other providers (JSON console, OpenTelemetry) read the state's pairs: a string token is hidden, a Guid token is not.
    [Fact]
    public void AGuidTokenIsHiddenFromOtherProvidersAsAStringTokenIs()
    {
        var token = Guid.NewGuid();
        var other = new CapturingLogger();
        other.StringSession(token.ToString(), "u-1");
        other.GuidSession(token, "u-1");
        var stringPairs = (IEnumerable<KeyValuePair<string, object?>>)other.States[0]!;
        var guidPairs = (IEnumerable<KeyValuePair<string, object?>>)other.States[1]!;
        Assert.DoesNotContain(stringPairs, p => p.Value?.ToString() == token.ToString());
        Assert.DoesNotContain(guidPairs, p => p.Value?.ToString() == token.ToString());
    }

    // The two logger types send the same properties.
    [Fact]
    public void TwoPlaceholdersDifferingInCaseSendTheSamePropertiesThroughBothLoggers()
    {
        var serilog = One(log => log.TwoCases("u-1", "sso"));
        var mel = OneMel(log => log.TwoCases("u-1", "sso"));
        Assert.Equal(serilog.Properties.Keys.OrderBy(k => k), mel.Properties.Keys.Where(k => k != "SourceContext").OrderBy(k => k));
        Assert.Equal(serilog.RenderMessage(), mel.RenderMessage());
    }

    // The token reaches other providers only as the marker (LogTraceRecordState's promise), even when the message
    // names it as LOGTRACE008 advises ({SessionToken}).
    [Fact]
    public void ATokenPlaceholderDoesNotPrintTheTokenForOtherProviders()
    {
        var other = new CapturingLogger();
        other.TokenInMessage("sess_7f3a9c1e5b2d4f60", "u-1");
        Assert.DoesNotContain("sess_7f3a9c1e5b2d4f60", other.Messages[0], StringComparison.Ordinal);
    }

    static string Body(LogEvent logEvent)
    {
        var (outcome, _, json) = FormattedBody.Try(Some.At(logEvent, Some.Timestamp));
        Assert.Equal(FormatOutcome.Formatted, outcome);
        return json;
    }

    // The Guid token goes on the wire as the Serilog logger and the chain send it (the sink makes it text the same way).
    [Fact]
    public void AGuidTokenIsSentAsTheChainSendsIt()
    {
        var token = Guid.NewGuid();
        var chain = Body(One(log => log.ForContext("SessionStatus", "successful").ForContext("SessionToken", token).ForContext("UserId", "u-1")
            .Information("Signed in")));

        var mel = Body(OneMel(log => log.GuidSession(token, "u-1")));
        var serilog = Body(One(log => log.GuidSession(token, "u-1")));

        Assert.Contains(token.ToString(), chain, StringComparison.Ordinal);
        Assert.Equal(chain, serilog);
        Assert.Equal(Body(One(log => log.ForContext("SourceContext", "Cat").ForContext("SessionStatus", "successful").ForContext("SessionToken", token)
            .ForContext("UserId", "u-1").Information("Signed in"))), mel);
    }

    // {EventName} in an event's message is filled by the record's name, as the chain fills it, through both loggers.
    [Fact]
    public void AMarkerPlaceholderRendersTheRecordsName()
    {
        var chain = One(log => log.ForContext("EventName", "a.b").ForContext("UserId", "u-1").Information("Event {EventName}")).RenderMessage();

        Assert.Equal("Event \"a.b\"", chain);
        Assert.Equal(chain, One(log => log.MarkerInMessage("u-1")).RenderMessage());
        Assert.Equal(chain, OneMel(log => log.MarkerInMessage("u-1")).RenderMessage());
        var other = new CapturingLogger();
        other.MarkerInMessage("u-1");
        Assert.Equal("Event a.b", other.Messages[0]);
    }

    // "{$SessionToken}": the pair is still named SessionToken, so other providers see the marker, in the pairs and in
    // the message (found by a second review: a '$' or '@' named the pair "$SessionToken", which nothing hid), and the
    // sink still reads the token, through both loggers.
    [Fact]
    public void ACaptureSignOnTheTokensPlaceholderHidesNothingLess()
    {
        var other = new CapturingLogger();
        other.StringifiedTokenInMessage("sess_7f3a9c1e5b2d4f60", "u-1");

        Assert.DoesNotContain("sess_7f3a9c1e5b2d4f60", other.Messages[0], StringComparison.Ordinal);
        Assert.DoesNotContain((IEnumerable<KeyValuePair<string, object?>>)other.States[0]!, p => p.Value?.ToString() == "sess_7f3a9c1e5b2d4f60");
        var serilog = Body(One(log => log.StringifiedTokenInMessage("sess_7f3a9c1e5b2d4f60", "u-1")));
        Assert.Contains("sess_7f3a9c1e5b2d4f60", serilog, StringComparison.Ordinal);
        Assert.Equal(Body(One(log => log.ForContext("SourceContext", "Cat").StringifiedTokenInMessage("sess_7f3a9c1e5b2d4f60", "u-1"))),
            Body(OneMel(log => log.StringifiedTokenInMessage("sess_7f3a9c1e5b2d4f60", "u-1"))));
    }
}
