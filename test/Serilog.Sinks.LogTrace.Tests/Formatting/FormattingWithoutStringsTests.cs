using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// The formatter writes ids, timestamps, durations and the rendered message straight into the body (docs/benchmarks.md):
// what it sends must be exactly what the string-making code sent.
public class FormattingWithoutStringsTests
{
    static JsonElement Body(LogEvent logEvent, LogTraceEventFormatter formatter, FormatBuffers buffers)
    {
        Assert.Equal(FormatOutcome.Formatted, formatter.Format(logEvent, buffers));
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffers.Body.Span));
        return document.RootElement.Clone();
    }

    // The default id generator, not the tests' fixed one.
    static LogTraceEventFormatter DefaultIds() => new(Support.TestSettings.Create());

    [Fact]
    public void DefaultEventIdsAreDistinctUuidVersion7CarryingTheEventsTimestamp()
    {
        var formatter = DefaultIds();
        using var buffers = new FormatBuffers();
        var ids = new HashSet<string>();
        for (var i = 0; i < 10_000; i++)
        {
            var id = Body(Event("user.login"), formatter, buffers).GetProperty("metadata").GetProperty("_event_id").GetString()!;
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", id);
            Assert.True(ids.Add(id), "duplicate id " + id);
#if !LOGTRACE_NETSTANDARD_LEG
            // Version 7, RFC 9562 variant, and the first 48 bits are the event's Unix time in milliseconds.
            Assert.Equal('7', id[14]);
            Assert.Contains(id[19], "89ab");
            var milliseconds = Convert.ToInt64(id.Substring(0, 8) + id.Substring(9, 4), 16);
            Assert.Equal(Timestamp.ToUnixTimeMilliseconds(), milliseconds);
#endif
        }
    }

    [Fact]
    public void AnEventBeforeNineteenSeventyStillGetsAnId()
    {
        var early = new LogEvent(new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero), LogEventLevel.Information, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("old"), new[] { new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("a.b")) });
        using var buffers = new FormatBuffers();
        var id = Body(early, DefaultIds(), buffers).GetProperty("metadata").GetProperty("_event_id").GetString()!;
#if !LOGTRACE_NETSTANDARD_LEG
        Assert.StartsWith("00000000-0000-7", id);
#else
        Assert.Equal(36, id.Length);
#endif
    }

    [Fact]
    public void AnIdCarriesEveryByteOfAFarTimestamp()
    {
        var far = new LogEvent(new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), LogEventLevel.Information, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("late"), new[] { new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("a.b")) });
        using var buffers = new FormatBuffers();
        var id = Body(far, DefaultIds(), buffers).GetProperty("metadata").GetProperty("_event_id").GetString()!;
#if !LOGTRACE_NETSTANDARD_LEG
        // 253402300799999 ms is 0xE677D21FDBFF.
        Assert.StartsWith("e677d21f-dbff-7", id);
#else
        Assert.Equal(36, id.Length);
#endif
    }

    [Fact]
    public void AMessageLongerThanTheReusedBufferArrivesWholeAndTheNextShortOneAlone()
    {
        var formatter = FormattedBody.Formatter();
        using var buffers = new FormatBuffers();
        var text = new string('x', 5_000);
        var longOne = Body(Event("a.b", template: "{Text}", properties: Prop("Text", text)), formatter, buffers);
        Assert.Equal("\"" + text + "\"", longOne.GetProperty("metadata").GetProperty("message").GetString());

        var shortOne = Body(Event("a.b", template: "short"), formatter, buffers);
        Assert.Equal("short", shortOne.GetProperty("metadata").GetProperty("message").GetString());

        // A very long one (past what a sender keeps), then a short one again.
        var huge = new string('z', 100_000);
        var hugeOne = Body(Event("a.b", template: "{Text}", properties: Prop("Text", huge)), formatter, buffers);
        Assert.Equal(LogTraceRedaction.Truncate("\"" + huge + "\"", 16_384), hugeOne.GetProperty("metadata").GetProperty("message").GetString());
        Assert.Equal("short", Body(Event("a.b", template: "short"), formatter, buffers).GetProperty("metadata").GetProperty("message").GetString());
    }

    [Fact]
    public void ARenderedMessageCarryingTheApiKeyOrALoneSurrogateIsStillCleaned()
    {
        var formatter = FormattedBody.Formatter();
        using var buffers = new FormatBuffers();
        var withKey = Body(Event("a.b", template: "key {Key} here", properties: Prop("Key", ApiKey)), formatter, buffers);
        var message = withKey.GetProperty("metadata").GetProperty("message").GetString()!;
        Assert.DoesNotContain(ApiKey, message);
        Assert.Contains(LogTraceRedaction.Marker, message);

        var broken = Body(Event("a.b", template: "bad {Text}", properties: Prop("Text", "a\uD800b")), formatter, buffers);
        Assert.Equal("bad \"a\uFFFDb\"", broken.GetProperty("metadata").GetProperty("message").GetString());
    }

    [Fact]
    public void AMessageOverTheStringLimitIsCutAsBefore()
    {
        var formatter = FormattedBody.Formatter(maxString: 100);
        using var buffers = new FormatBuffers();
        var body = Body(Event("a.b", template: "{Text}", properties: Prop("Text", new string('y', 500))), formatter, buffers);
        var message = body.GetProperty("metadata").GetProperty("message").GetString()!;
        Assert.Equal(LogTraceRedaction.Truncate("\"" + new string('y', 500) + "\"", 100), message);
    }

    [Fact]
    public void DurationsOfEveryMagnitudeAreWrittenAsTheMillisecondsText()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var milliseconds = (random.NextDouble() - 0.2) * Math.Pow(10, random.Next(-5, 20));
            ANumericDurationIsWrittenAsTheMillisecondsText(milliseconds);
        }
    }

    [Theory]
    [InlineData(1.0005)]
    [InlineData(12.5)]
    [InlineData(0.0004)]
    [InlineData(1.23456789e300)]
    [InlineData(-3.0)]
    public void ANumericDurationIsWrittenAsTheMillisecondsText(double milliseconds)
    {
        var body = FormattedBody.Of(Event("a.b", properties: Prop(LogTraceProperties.Elapsed, milliseconds)));
        Assert.Equal(RequestDetailsWriter.FormatMilliseconds(milliseconds), body.GetProperty("request_details").GetProperty("request_duration").GetString());
    }

    [Fact]
    public void TheTimestampIsTheRoundTripTextInUtc()
    {
        var body = FormattedBody.Of(Event("a.b"));
        Assert.Equal(Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            body.GetProperty("request_details").GetProperty("timestamp").GetString());
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("203.0.113.7:8080", "203.0.113.7")]
    [InlineData(" 203.0.113.7 ", "203.0.113.7")]
    [InlineData("256.1.1.1", "256.1.1.1")]
    [InlineData("010.0.0.1", "010.0.0.1")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("1.2.3.4.5", "1.2.3.4.5")]
    [InlineData("1..3.4", "1..3.4")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void ClientAddressesAreNormalisedAsBefore(string given, string sent) =>
        Assert.Equal(sent, ClientAddress.Normalize(given));

    [Fact]
    public void NumbersAndStringsWrittenStraightIntoTheBodyCountAgainstTheMetadataBudgetExactly()
    {
        // 40 properties of a known size: the same ones are kept whichever way they were written.
        var properties = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? Prop("P" + i.ToString("00"), 123456) : Prop("P" + i.ToString("00"), "abcdef")).ToArray();
        var body = FormattedBody.Of(Event("a.b", properties: properties), FormattedBody.Formatter(maxMetadata: 400));
        var metadata = body.GetProperty("metadata");
        var kept = metadata.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith('P')).ToArray();
        // Each entry takes its JSON value's bytes, its name's and 4: message and level first, then 13 bytes for each
        // number and 15 for each string, and a smaller one may still fit after one that did not.
        var budget = 400 - ("\"Something happened\"".Length + "message".Length + 4) - ("\"Information\"".Length + "level".Length + 4);
        var expected = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var size = (i % 2 == 0 ? 6 : 8) + 3 + 4;
            if (size > budget)
                continue;
            budget -= size;
            expected.Add("P" + i.ToString("00"));
        }
        Assert.Equal(expected, kept);
        Assert.InRange(expected.Count, 20, 30);
        Assert.True(metadata.TryGetProperty("_truncated", out _));
    }

    [Fact]
    public void ANumericDurationIsCleanedLikeEveryValue()
    {
        // Review finding: written straight into the body, it skipped the string limit and the key's redaction.
        var cut = FormattedBody.Of(Event("a.b", properties: Prop(LogTraceProperties.Elapsed, 123.456)), FormattedBody.Formatter(maxString: 4));
        Assert.Equal(LogTraceRedaction.Truncate("123.456ms", 4), cut.GetProperty("request_details").GetProperty("request_duration").GetString());

        var keyed = new LogTraceEventFormatter(Support.TestSettings.Create(o => o.ApiKey = "12345678"), () => "id");
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, keyed.Format(Event("a.b", properties: Prop(LogTraceProperties.Elapsed, 12345678)), buffers));
        var body = Encoding.UTF8.GetString(buffers.Body.Span);
        Assert.DoesNotContain("12345678", body);
        Assert.Contains("\"request_duration\":\"" + LogTraceRedaction.Marker + "ms\"", body);
    }
}
