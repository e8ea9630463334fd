using System.Net;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
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
        Assert.Equal(FormatOutcome.InvalidToken, FormattedBody.Try(Logout(new ScalarValue(new UnprintableText()))).Outcome);
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

    static int? StatusOf(object value)
    {
        var (outcome, _, json) = FormattedBody.Try(Event("request.handled", properties: Prop(LogTraceProperties.StatusCode, value)));
        Assert.Equal(FormatOutcome.Formatted, outcome);
        return JsonDocument.Parse(json).RootElement.GetProperty("request_details").TryGetProperty("http_status_code", out var status)
            ? status.GetInt32() : null;
    }

    // Every whole number that fits an int is one, to its edges; one past them, or a fraction, is none.
    [Fact]
    public void AStatusCodeIsReadUpToTheEdgesOfAnInt()
    {
        Assert.Equal(int.MaxValue, StatusOf((long)int.MaxValue));
        Assert.Equal(int.MinValue, StatusOf((long)int.MinValue));
        Assert.Null(StatusOf((long)int.MinValue - 1));
        Assert.Equal(int.MaxValue, StatusOf((uint)int.MaxValue));
        Assert.Equal(int.MaxValue, StatusOf((double)int.MaxValue));
        Assert.Equal(int.MinValue, StatusOf((double)int.MinValue));
        Assert.Null(StatusOf(3e9));
        Assert.Null(StatusOf(-3e9));
        Assert.Equal(int.MaxValue, StatusOf((decimal)int.MaxValue));
        Assert.Equal(int.MinValue, StatusOf((decimal)int.MinValue));
    }

    static LogEvent SignIn(params (string, LogEventPropertyValue)[] more) => LogEvent("Signed in", properties:
    [
        Prop(LogTraceProperties.SessionStatus, "active"), Prop(LogTraceProperties.SessionToken, "sess-0123456789"),
        Prop(LogTraceProperties.UserId, "u-1"), .. more,
    ]);

    // A sign-in time is a time, or RFC 3339 text with its offset; text without one is not guessed at (the sign-in is then
    // at the event's time).
    [Theory]
    [InlineData("2026-01-02T03:04:05.123Z", true)]
    [InlineData("2026-01-02T03:04:05Z", true)]
    [InlineData("2026-01-02T03:04:05+02:00", true)]
    [InlineData("2026-01-02T03:04:05-05:30", true)]
    [InlineData("2026-01-02T03:04:05", false)]
    [InlineData("2026-01-02T03:04:05+0200", false)]
    [InlineData("+02:00", false)]
    [InlineData("Z", false)]
    public void ASignInTimeIsTextOnlyWithItsOffset(string text, bool read)
    {
        var (outcome, _, json) = FormattedBody.Try(SignIn(Prop(LogTraceProperties.SessionLoginAt, text)));
        Assert.Equal(FormatOutcome.Formatted, outcome);
        var body = JsonDocument.Parse(json).RootElement;

        // Without a time of its own, a sign-in is at the event's time.
        var expected = read ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : Timestamp;
        Assert.Equal(expected, body.GetProperty("login_at").GetDateTimeOffset());
    }

    // A session's own fields mean nothing on an event: they go to its metadata, as any other property would.
    [Fact]
    public void AnEventKeepsASessionsFieldsInItsMetadata()
    {
        var metadata = Metadata(Prop(LogTraceProperties.SessionLoginAt, "2026-01-02T03:04:05Z"));

        Assert.Equal("2026-01-02T03:04:05Z", metadata.GetProperty(LogTraceProperties.SessionLoginAt).GetString());
    }

    static JsonElement Metadata(params (string, LogEventPropertyValue)[] properties) =>
        FormattedBody.Of(Event("request.handled", properties: properties)).GetProperty("metadata");

    // A client address that is not text is no address: it stays in metadata, and request_details has none.
    [Fact]
    public void AClientAddressThatIsNoTextStaysInMetadata()
    {
        var address = new StructureValue([new LogEventProperty("Value", new ScalarValue("203.0.113.9"))]);
        var body = FormattedBody.Of(Event("request.handled", properties: Prop(LogTraceProperties.ClientIp, address)));

        Assert.False(body.GetProperty("request_details").TryGetProperty("ip_address", out _));
        Assert.Equal("203.0.113.9", body.GetProperty("metadata").GetProperty(LogTraceProperties.ClientIp).GetProperty("Value").GetString());
    }

    static JsonElement DetailsInEndedRequest(params (string, LogEventPropertyValue)[] properties)
    {
        var request = new TestCompletion(TimeSpan.FromSeconds(5));
        request.Complete(201, TimeSpan.FromSeconds(2));
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, FormattedBody.Formatter().Format(Event("request.handled", properties: properties), request, buffers, out _));
        return JsonDocument.Parse(System.Text.Encoding.UTF8.GetString(buffers.Body.Span)).RootElement.GetProperty("request_details").Clone();
    }

    // The request's final status and duration fill what the event did not give; what it gave wins, as a number or as text.
    [Fact]
    public void AnEndedRequestFillsOnlyWhatTheEventDidNotGive()
    {
        var own = DetailsInEndedRequest(Prop(LogTraceProperties.StatusCode, 404), Prop(LogTraceProperties.Elapsed, 5));
        var text = DetailsInEndedRequest(Prop(LogTraceProperties.Elapsed, "fast"));
        var none = DetailsInEndedRequest();

        Assert.Equal(404, own.GetProperty("http_status_code").GetInt32());
        Assert.Equal("5ms", own.GetProperty("request_duration").GetString());
        Assert.Equal("fast", text.GetProperty("request_duration").GetString());
        Assert.Equal(201, none.GetProperty("http_status_code").GetInt32());
        Assert.Equal("2000ms", none.GetProperty("request_duration").GetString());
    }
}
