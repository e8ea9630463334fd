using System.Text;
using System.Text.Json;
using LogTrace.Collector;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

public class LogTraceEventFormatterTests
{
    static LogTraceEventFormatter Formatter(string? defaultType = null, string? fallbackUser = "anonymous", int maxString = 16_384, int maxMetadata = 65_536) =>
        FormattedBody.Create(o =>
        {
            o.DefaultEventType = defaultType;
            o.FallbackUserName = fallbackUser;
            o.MaxStringLength = maxString;
            o.MaxMetadataBytes = maxMetadata;
        });

    static string Format(LogEvent logEvent, LogTraceEventFormatter? formatter = null)
    {
        using var buffers = new FormatBuffers();
        var outcome = (formatter ?? Formatter()).Format(logEvent, buffers);
        Assert.Equal(FormatOutcome.Formatted, outcome);
        var json = Encoding.UTF8.GetString(buffers.Body.Span);
        // Whatever the sink writes, the service (as the local collector models it) must accept.
        using var document = JsonDocument.Parse(json);
        Assert.Equal((202, "Event accepted for processing"), LogTraceCollector.ValidateEvent(document.RootElement));
        return json;
    }

    static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void AMinimalEventIsPinned()
    {
        var json = Format(Event("user.login", template: "User {UserName} signed in"));
        Approvals.Verify(json, "minimal-event");
    }

    [Fact]
    public void AnEventWithRequestPropertiesIsPinned()
    {
        var headers = new DictionaryValue(new[]
        {
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Accept"), new ScalarValue("text/html")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Authorization"), new ScalarValue("Bearer secret-token")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("cookie"), new ScalarValue("session=abc")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("X-Api-Key"), new ScalarValue("whatever")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Accept-Language"), new SequenceValue(new[] { new ScalarValue("en"), new ScalarValue("de") })),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("X-Count"), new ScalarValue(3)),
        });

        var json = Format(LogEvent("Invoice {InvoiceId} created", properties: new[]
        {
            Prop(LogTraceProperties.EventName, "invoice.created"),
            Prop(LogTraceProperties.UserId, 12345),
            Prop(LogTraceProperties.UserName, "jane_doe"),
            Prop(LogTraceProperties.EventType, "billing"),
            Prop("InvoiceId", "INV-001"),
            Prop(LogTraceProperties.RequestMethod, "POST"),
            Prop(LogTraceProperties.RequestPath, "/invoices"),
            Prop(LogTraceProperties.StatusCode, 201),
            Prop(LogTraceProperties.Elapsed, 12.5),
            Prop(LogTraceProperties.RequestId, "0HN8K2QJ9V1F2:00000001"),
            Prop(LogTraceProperties.ClientIp, "::ffff:203.0.113.42"),
            Prop(LogTraceProperties.UserAgent, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"),
            Prop(LogTraceProperties.OperatingSystem, "Windows"),
            Prop(LogTraceProperties.RequestHeaders, headers),
        }));

        Approvals.Verify(json, "request-properties");
        var details = Parse(json).GetProperty("request_details");
        Assert.Equal("[REDACTED]", details.GetProperty("request_headers").GetProperty("Authorization").GetString());
        Assert.Equal("[REDACTED]", details.GetProperty("request_headers").GetProperty("cookie").GetString());
        Assert.Equal("203.0.113.42", details.GetProperty("ip_address").GetString());
        Assert.Equal(201, details.GetProperty("http_status_code").GetInt32());
        Assert.DoesNotContain("secret-token", json);
        // Properties that feed fields are not repeated in metadata.
        Assert.False(Parse(json).GetProperty("metadata").TryGetProperty(LogTraceProperties.RequestPath, out _));
    }

    [Fact]
    public void EveryKindOfStructuredValueIsRenderedFaithfully()
    {
        var structure = new StructureValue(new[]
        {
            new LogEventProperty("Plan", new ScalarValue("pro")),
            new LogEventProperty("Seats", new ScalarValue(5)),
            new LogEventProperty("Tags", new SequenceValue(new[] { new ScalarValue("a"), new ScalarValue("b") })),
        }, "Subscription");
        var dictionary = new DictionaryValue(new[]
        {
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(1), new ScalarValue(true)),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("two"), new ScalarValue(null)),
        });

        var json = Format(Event("export.requested", properties: new[]
        {
            Prop("String", "text"),
            Prop("Int", 42),
            Prop("Long", 9_007_199_254_740_993L),
            Prop("Decimal", 12.50m),
            Prop("Double", 0.1),
            Prop("Bool", false),
            Prop("Null", (object?)null),
            Prop("Guid", Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff")),
            Prop("DateTime", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
            Prop("DateTimeOffset", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5))),
            Prop("TimeSpan", TimeSpan.FromMinutes(90)),
            Prop("Enum", DayOfWeek.Friday),
            Prop("Char", 'x'),
            Prop("Bytes", new byte[] { 1, 2, 3 }),
            Prop("Uri", new Uri("https://example.com/a?b=c")),
            Prop("Sequence", new SequenceValue(new LogEventPropertyValue[] { new ScalarValue(1), new ScalarValue("two"), structure })),
            Prop("Structure", structure),
            Prop("Dictionary", dictionary),
        }));

        Approvals.Verify(json, "structured-values");
        var metadata = Parse(json).GetProperty("metadata");
        Assert.Equal(JsonValueKind.Number, metadata.GetProperty("Int").ValueKind);
        Assert.Equal(9_007_199_254_740_993L, metadata.GetProperty("Long").GetInt64());
        Assert.Equal(JsonValueKind.Array, metadata.GetProperty("Sequence").ValueKind);
        Assert.Equal("Subscription", metadata.GetProperty("Structure").GetProperty("$type").GetString());
        Assert.True(metadata.GetProperty("Dictionary").GetProperty("1").GetBoolean());
    }

    [Fact]
    public void AnExceptionTravelsInFullInMetadata()
    {
        var exception = new InvalidOperationException("Payment failed", new ArgumentException("Card declined"));
        var logEvent = new LogEvent(Timestamp, LogEventLevel.Error, exception,
            new Serilog.Parsing.MessageTemplateParser().Parse("Charge for {InvoiceId} failed"),
            new[]
            {
                new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("invoice.payment_failed")),
                new LogEventProperty(LogTraceProperties.UserId, new ScalarValue("u-1")),
                new LogEventProperty("InvoiceId", new ScalarValue("INV-001")),
            });

        var json = Format(logEvent);

        Approvals.Verify(json, "exception");
        var metadata = Parse(json).GetProperty("metadata");
        Assert.Equal("Error", metadata.GetProperty("level").GetString());
        Assert.Contains("Card declined", metadata.GetProperty("exception").GetString());
    }

    [Fact]
    public void HostileValuesCannotMakeTheBodyInvalid()
    {
        var json = Format(LogEvent("{Huge}", properties: new[]
        {
            Prop(LogTraceProperties.EventName, 42),
            Prop(LogTraceProperties.UserName, "jane\uD800doe"),
            Prop("NaN", double.NaN),
            Prop("PositiveInfinity", double.PositiveInfinity),
            Prop("NegativeInfinityFloat", float.NegativeInfinity),
            Prop("LoneLowSurrogate", "a\uDC00b"),
            Prop("ValidPair", "😀"),
            Prop("Huge", new string('x', 100)),
            Prop(LogTraceProperties.StatusCode, "not a number"),
            Prop(LogTraceProperties.Elapsed, double.NaN),
            Prop(LogTraceProperties.RequestHeaders, "not a dictionary"),
            Prop("message", "a property that collides with the rendered message"),
            Prop("Key", "contains " + ApiKey + " somewhere"),
            Prop("Throws", new ThrowingToString()),
        }), Formatter(maxString: 40));

        Approvals.Verify(json, "hostile-values");
        var root = Parse(json);
        Assert.Equal("42", root.GetProperty("name").GetString());
        Assert.Equal("jane\uFFFDdoe", root.GetProperty("username").GetString());
        var details = root.GetProperty("request_details");
        Assert.False(details.TryGetProperty("http_status_code", out _));
        Assert.False(details.TryGetProperty("request_headers", out _));
        var metadata = root.GetProperty("metadata");
        Assert.Equal("NaN", metadata.GetProperty("NaN").GetString());
        Assert.Equal("not a number", metadata.GetProperty(LogTraceProperties.StatusCode).GetString());
        Assert.EndsWith(LogTraceRedaction.TruncationMarker, metadata.GetProperty("Huge").GetString());
        Assert.Equal(40 + LogTraceRedaction.TruncationMarker.Length, metadata.GetProperty("Huge").GetString()!.Length);
        Assert.True(metadata.TryGetProperty("_message", out _));
        Assert.DoesNotContain(ApiKey, json);
    }

    [Fact]
    public void AHugeMetadataValueIsLeftOutAndNamed()
    {
        var items = Enumerable.Range(0, 500).Select(i => (LogEventPropertyValue)new ScalarValue("item-" + i)).ToArray();
        var json = Format(Event("export.requested", properties: new[]
        {
            Prop("Small", "kept"),
            Prop("Items", new SequenceValue(items)),
            Prop("AfterItems", "kept too"),
        }), Formatter(maxMetadata: 1024));

        var metadata = Parse(json).GetProperty("metadata");
        Assert.Equal("kept", metadata.GetProperty("Small").GetString());
        Assert.Equal("kept too", metadata.GetProperty("AfterItems").GetString());
        Assert.False(metadata.TryGetProperty("Items", out _));
        Assert.Contains("Items", metadata.GetProperty("_truncated").GetString());
        Assert.True(Encoding.UTF8.GetByteCount(metadata.GetRawText()) < 1024 + 200);
    }

    [Fact]
    public void TheTimestampIsUtcRfc3339WithFractionalSeconds()
    {
        var json = Format(Event("user.login"));
        Assert.Equal("2026-11-26T10:30:00.1234567Z", Parse(json).GetProperty("request_details").GetProperty("timestamp").GetString());
    }

    [Fact]
    public void TheConfiguredDefaultTypeIsUsedOnlyWithoutEventType()
    {
        var formatter = Formatter(defaultType: "security");
        Assert.Equal("security", Parse(Format(Event("user.login"), formatter)).GetProperty("type").GetString());
        Assert.Equal("audit", Parse(Format(Event("user.login", properties: Prop(LogTraceProperties.EventType, "audit")), formatter)).GetProperty("type").GetString());
        Assert.False(Parse(Format(Event("user.login"))).TryGetProperty("type", out _));
    }

    [Fact]
    public void AnEventWithoutUserGetsTheFallbackUserName()
    {
        var root = Parse(Format(Event("user.login", userName: null), Formatter(fallbackUser: "system")));
        Assert.Equal("system", root.GetProperty("username").GetString());
        Assert.False(root.TryGetProperty("user_id", out _));
    }

    [Fact]
    public void AnEventWithoutUserIsRefusedWhenNoFallbackIsConfigured()
    {
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.NoUser, Formatter(fallbackUser: null).Format(Event("user.login", userName: null), buffers));
        Assert.Equal(FormatOutcome.NoUser, Formatter(fallbackUser: "").Format(Event("user.login", userName: null), buffers));
    }

    [Fact]
    public void AnEventNameThatIsNotAScalarIsRefused()
    {
        using var buffers = new FormatBuffers();
        var logEvent = LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, new SequenceValue(new[] { new ScalarValue("a") })) });
        Assert.Equal(FormatOutcome.InvalidName, Formatter().Format(logEvent, buffers));
    }

    [Theory]
    [InlineData("203.0.113.42", "203.0.113.42")]
    [InlineData("203.0.113.42:5555", "203.0.113.42")]
    [InlineData("::ffff:203.0.113.42", "203.0.113.42")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData(" 198.51.100.7 ", "198.51.100.7")]
    [InlineData("not-an-ip", "not-an-ip")]
    public void ClientIpIsSentWithoutPort(string logged, string sent) =>
        Assert.Equal(sent, ClientAddress.Normalize(logged));

    [Theory]
    [InlineData(201, 201)]
    [InlineData(404L, 404)]
    [InlineData("503", 503)]
    [InlineData(200.0, 200)]
    public void StatusCodesOfAnyNumericShapeBecomeIntegers(object logged, int sent)
    {
        var json = Format(Event("user.login", properties: Prop(LogTraceProperties.StatusCode, logged)));
        Assert.Equal(sent, Parse(json).GetProperty("request_details").GetProperty("http_status_code").GetInt32());
    }

    [Theory]
    [InlineData(12.5, "12.5ms")]
    [InlineData(3, "3ms")]
    [InlineData("1.2s", "1.2s")]
    public void ElapsedBecomesADurationString(object logged, string sent)
    {
        var json = Format(Event("user.login", properties: Prop(LogTraceProperties.Elapsed, logged)));
        Assert.Equal(sent, Parse(json).GetProperty("request_details").GetProperty("request_duration").GetString());
    }

    [Fact]
    public void ATimeSpanElapsedIsSentInMilliseconds()
    {
        var json = Format(Event("user.login", properties: Prop(LogTraceProperties.Elapsed, TimeSpan.FromMilliseconds(1500.25))));
        Assert.Equal("1500.25ms", Parse(json).GetProperty("request_details").GetProperty("request_duration").GetString());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("user.login", true)]
    [InlineData(7, true)]
    public void OnlyANonBlankEventNameMakesALogEventAnEvent(object? name, bool isEvent) =>
        Assert.Equal(isEvent, RecordKinds.IsMarked(LogEvent(properties: new[] { Prop(LogTraceProperties.EventName, name) })));

    [Fact]
    public void ALogEventWithoutEventNameIsNotAnEvent() =>
        Assert.False(RecordKinds.IsMarked(LogEvent(properties: new[] { Prop("Other", "x") })));

    sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("nope");
    }

    [Fact]
    public void TheW3CTraceContextOfTheEventGoesIntoMetadata()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");
        var spanId = System.Diagnostics.ActivitySpanId.CreateFromString("00f067aa0ba902b7");
        var logEvent = new LogEvent(Timestamp, LogEventLevel.Information, null, new Serilog.Parsing.MessageTemplateParser().Parse("Traced"),
            new[] { new LogEventProperty(LogTraceProperties.EventName, new ScalarValue("user.login")), new LogEventProperty("trace_id", new ScalarValue("mine")) },
            traceId, spanId);

        var metadata = Parse(Format(logEvent)).GetProperty("metadata");

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", metadata.GetProperty("trace_id").GetString());
        Assert.Equal("00f067aa0ba902b7", metadata.GetProperty("span_id").GetString());
        Assert.Equal("mine", metadata.GetProperty("_trace_id").GetString());
    }
}
