using System.Net;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The fields read from properties of any type a caller may give: a status code, a duration (sent as milliseconds,
// "12.5ms", or as the caller's own text), a session's token.
public class KnownFieldsTests
{
    static JsonElement Details(params (string, LogEventPropertyValue)[] properties) =>
        FormattedBody.Of(Event("request.handled", properties: properties)).GetProperty("request_details");

    public static TheoryData<object, int?> StatusCodes => new()
    {
        { 200, 200 }, { 201L, 201 }, { 5_000_000_000L, null }, { (short)202, 202 }, { (ushort)203, 203 }, { (byte)204, 204 },
        { 205u, 205 }, { 3_000_000_000u, null }, { HttpStatusCode.NotFound, 404 }, { 206.0, 206 }, { 206.5, null },
        { 207m, 207 }, { 207.5m, null }, { 3_000_000_000m, null }, { -3_000_000_000m, null }, { "404", 404 }, { "abc", null },
        { 1.5f, null },
    };

    [Theory]
    [MemberData(nameof(StatusCodes))]
    public void AStatusCodeIsReadFromEveryWholeNumberThatFits(object value, int? expected)
    {
        var details = Details(Prop(LogTraceProperties.StatusCode, value));

        if (expected is { } status)
            Assert.Equal(status, details.GetProperty("http_status_code").GetInt32());
        else
            Assert.False(details.TryGetProperty("http_status_code", out _));
    }

    public static TheoryData<object, string?> Durations => new()
    {
        { 12.5, "\"12.5ms\"" }, { 12.5f, "\"12.5ms\"" }, { 12.5m, "\"12.5ms\"" }, { 12, "\"12ms\"" }, { 12L, "\"12ms\"" },
        { TimeSpan.FromMilliseconds(12.5), "\"12.5ms\"" },
        { double.NaN, null }, { "12 ms", "\"12 ms\"" }, { "", null },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void ADurationIsReadAsMillisecondsOrKeptAsText(object value, string? expected)
    {
        var details = Details(Prop(LogTraceProperties.Elapsed, value));

        if (expected != null)
            Assert.Equal(expected, details.GetProperty("request_duration").GetRawText());
        else
            Assert.False(details.TryGetProperty("request_duration", out _));
    }

    sealed class UnprintableToken
    {
        public override string ToString() => throw new InvalidOperationException("no text");
    }

    static LogEvent Logout(LogEventPropertyValue token) => LogEvent("Signed out", properties:
    [
        Prop(LogTraceProperties.SessionStatus, "logout"), (LogTraceProperties.SessionToken, token),
    ]);

    // A token is a scalar's text, or a list holding one string (RecordSession's scope); anything else cannot be one, and
    // the record is refused as an invalid token, not sent without it.
    [Fact]
    public void ATokenThatIsNoScalarOrWhoseTextFailsIsInvalid()
    {
        var structure = new StructureValue([new LogEventProperty("Value", new ScalarValue("t-1"))]);

        Assert.Equal(FormatOutcome.InvalidToken, FormattedBody.Try(Logout(structure)).Outcome);
        Assert.Equal(FormatOutcome.InvalidToken, FormattedBody.Try(Logout(new ScalarValue(new UnprintableToken()))).Outcome);
        Assert.Equal(FormatOutcome.InvalidToken, FormattedBody.Try(Logout(new SequenceValue([new ScalarValue("a"), new ScalarValue("b")]))).Outcome);
    }

    [Fact]
    public void ATokenIsTheTextOfAnyScalarOrOfAListOfOneString()
    {
        Assert.Equal("{\"token\":\"42\"}", FormattedBody.Try(Logout(new ScalarValue(42))).Json);
        Assert.Equal("{\"token\":\"1.5\"}", FormattedBody.Try(Logout(new ScalarValue(1.5))).Json);
        Assert.Equal("{\"token\":\"t-1\"}", FormattedBody.Try(Logout(new SequenceValue([new ScalarValue("t-1")]))).Json);
        Assert.Equal(FormatOutcome.NoToken, FormattedBody.Try(Logout(new ScalarValue(null))).Outcome);
        Assert.Equal(FormatOutcome.NoToken, FormattedBody.Try(Logout(new ScalarValue("  "))).Outcome);
    }

    // A token that cannot be used is still never written into metadata.
    [Fact]
    public void AnUnusableTokenStaysOutOfMetadata()
    {
        var json = FormattedBody.Try(LogEvent("Signed in", properties:
        [
            Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.UserId, "u-1"), Prop(LogTraceProperties.SessionToken, "  "),
        ])).Json;

        Assert.DoesNotContain("SessionToken", json);
    }
}
