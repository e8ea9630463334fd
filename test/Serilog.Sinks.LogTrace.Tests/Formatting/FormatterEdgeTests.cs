using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// Edges of the formatter: a marker without a value, an empty default type, and the session token in a record's text.
public class FormatterEdgeTests
{
    [Fact]
    public void AnEventNameWithoutAValueMakesNoRecord()
    {
        Assert.Equal(FormatOutcome.NotAnEvent, FormattedBody.Try(LogEvent(properties: Prop(LogTraceProperties.EventName, (object?)null))).Outcome);
        Assert.Equal(FormatOutcome.NotAnEvent, FormattedBody.Try(LogEvent(properties: Prop(LogTraceProperties.EventName, " "))).Outcome);
    }

    [Fact]
    public void AnEmptyDefaultTypeGivesNoType()
    {
        var body = FormattedBody.Of(Event("user.login"), FormattedBody.Create(o => o.DefaultEventType = ""));

        Assert.False(body.TryGetProperty("type", out _));
    }

    // An event that carries a SessionToken (a sign-in recorded as an event too) does not show it in its message, from
    // 8 characters on (SessionTokens.MinimumLength); a shorter one is not searched for.
    [Theory]
    [InlineData("12345678", true)]
    [InlineData("1234567", false)]
    public void ASessionTokenInAnEventsMessageIsReplaced(string token, bool replaced)
    {
        var message = FormattedBody.Of(Event("user.login", template: "Signed in as {Who}", properties:
        [
            Prop(LogTraceProperties.SessionToken, token), Prop("Who", "jane with " + token),
        ])).GetProperty("metadata").GetProperty("message").GetString();

        Assert.Equal(replaced ? "Signed in as \"jane with [REDACTED]\"" : "Signed in as \"jane with " + token + "\"", message);
    }

    // The token is the body's own top-level "token", not a member of that name inside another value.
    [Fact]
    public void TheTokenInABodyIsItsTopLevelOne()
    {
        var body = Encoding.UTF8.GetBytes("{\"metadata\":{\"token\":\"inner\",\"list\":[{\"token\":\"deeper\"}]},\"token\":\"outer\"}");

        Assert.Equal("outer", SessionTokens.InBody(body));
        Assert.Null(SessionTokens.InBody(Encoding.UTF8.GetBytes("[{\"token\":\"in a list\"}]")));
        Assert.Null(SessionTokens.InBody(Encoding.UTF8.GetBytes("{\"token\":42}")));
        Assert.Null(SessionTokens.InBody(Encoding.UTF8.GetBytes("not json")));
        Assert.Equal("{\"a\":1,\"token\":\"[REDACTED]\",\"b\":2}", SessionTokens.WithoutToken(Encoding.UTF8.GetBytes("{\"a\":1,\"token\":\"x\\\"y\",\"b\":2}"), out var token));
        Assert.Equal("x\"y", token);
    }
}
