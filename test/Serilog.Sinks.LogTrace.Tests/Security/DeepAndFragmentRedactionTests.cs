using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Formatting;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Security;

// Found by an adversarial review (docs/redaction.md): Serilog's renderer has no depth limit, so a value nested past the
// one the metadata stops at (PropertyValueWriter.MaxDepth) was rendered whole into the message, password included;
// and a Location header's fragment (OAuth's implicit flow returns access_token after the '#') was sent as it was.
public class DeepAndFragmentRedactionTests
{
    const string Secret = "hunter2-SUPER-SECRET-0001";

    static LogEventPropertyValue Nest(LogEventPropertyValue value, int levels)
    {
        for (var i = 0; i < levels; i++)
            value = new StructureValue(new[] { new LogEventProperty("Child", value) });
        return value;
    }

    // docs/redaction.md: "The rendered message renders the same values redacted". PropertyRedactor.Holds stops looking
    // at PropertyValueWriter.MaxDepth (32), but Serilog's renderer has no depth limit: a value nested deeper than 32
    // (Destructure.ToMaximumDepth(50), a hand-built or converter-built value) is rendered whole into the description.
    [Fact]
    public void APasswordDeeperThanTheWritersDepthLimitIsNotRenderedIntoAnAuditLogsDescription()
    {
        var deep = Nest(new StructureValue(new[] { new LogEventProperty("Password", new ScalarValue(Secret)) }), 40);
        var (outcome, _, json) = FormattedBody.Try(LogEvent("Snapshot {@Tree}", properties: new[]
        {
            Prop(LogTraceProperties.AuditLogName, "tree.changed"), Prop(LogTraceProperties.UserName, "jane_doe"), Prop("Tree", deep),
        }));
        Assert.Equal(FormatOutcome.Formatted, outcome);
        Assert.DoesNotContain(Secret, json);
    }

    [Fact]
    public void APasswordDeeperThanTheWritersDepthLimitIsNotRenderedIntoAnEventsMessage()
    {
        var deep = Nest(new StructureValue(new[] { new LogEventProperty("Password", new ScalarValue(Secret)) }), 40);
        var json = FormattedBody.Of(Event("tree.changed", template: "Snapshot {@Tree}", properties: Prop("Tree", deep))).GetRawText();
        Assert.DoesNotContain(Secret, json);
    }

    sealed class Node
    {
        public Node? Child { get; set; }
        public string? Password { get; set; }
    }

    sealed class Capture : Serilog.Core.ILogEventSink
    {
        public readonly List<LogEvent> Events = new();
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    // The same through Serilog's own capture, with a destructuring depth the application configured.
    [Fact]
    public void ADeepEntitySnapshotCapturedBySerilogDoesNotLeakItsPasswordThroughTheMessage()
    {
        var root = new Node();
        var node = root;
        for (var i = 0; i < 40; i++)
            node = node.Child = new Node();
        node.Password = Secret;
        var capture = new Capture();
        using (var logger = new LoggerConfiguration().Destructure.ToMaximumDepth(60).WriteTo.Sink(capture).CreateLogger())
            logger.ForContext(LogTraceProperties.EventName, "tree.changed").ForContext(LogTraceProperties.UserName, "jane")
                .Information("Snapshot {@Tree}", root);

        var json = FormattedBody.Of(capture.Events.Single()).GetRawText();
        Assert.DoesNotContain(Secret, json);
    }

    // Location is in the URL-header list, and OAuth's implicit flow puts the token in the fragment.
    [Fact]
    public void ALocationHeadersFragmentTokenIsRedacted()
    {
        Assert.Equal("https://app.example/cb?page=1#access_token=[REDACTED]&token_type=bearer",
            LogTraceRedaction.RedactUrl("https://app.example/cb?page=1#access_token=" + Secret + "&token_type=bearer"));
        Assert.Equal("/docs#section-2", LogTraceRedaction.RedactUrl("/docs#section-2"));
        Assert.Equal("/p?code=[REDACTED]#top", LogTraceRedaction.RedactUrl("/p?code=abc#top"));
        // A single-page application's route with a query of its own, and a fragment that is a query.
        Assert.Equal("https://app.example/#/cb?access_token=[REDACTED]&page=2", LogTraceRedaction.RedactUrl("https://app.example/#/cb?access_token=" + Secret + "&page=2"));
        Assert.Equal("/p#?token=[REDACTED]", LogTraceRedaction.RedactUrl("/p#?token=x"));
        var headers = new DictionaryValue(new[] { new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("Location"), new ScalarValue("https://app.example/cb#access_token=" + Secret + "&token_type=bearer")) });
        var json = FormattedBody.Of(Event("e", properties: Prop(LogTraceProperties.RequestHeaders, headers))).GetRawText();
        Assert.DoesNotContain(Secret, json);
    }
}

// What the same review checked and found sound, kept so that it stays so.
public class RedactionSoundnessTests
{
    const string Secret = "hunter2-SUPER-SECRET-0001";

    static KeyValuePair<ScalarValue, LogEventPropertyValue> Entry(object key, LogEventPropertyValue value) => new(new ScalarValue(key), value);

    static string Json(LogEvent e) => FormattedBody.Of(e).GetRawText();

    [Theory]
    [InlineData("Reset {Password,30}")]
    [InlineData("Reset {Password,-30:l}")]
    [InlineData("Reset {$Password}")]
    [InlineData("Reset {@Password}")]
    [InlineData("Reset {password_hash}")]
    [InlineData("Reset {PASSWORD-HASH}")]
    [InlineData("Reset {0}")]
    public void APlaceholderWithAFormatOrAlignmentIsRedacted(string template)
    {
        var name = template.Contains("{0}") ? "0" : template.Contains("hash", StringComparison.OrdinalIgnoreCase) ? template[7..^1] : "Password";
        var value = name == "0" ? (LogEventPropertyValue)new StructureValue(new[] { new LogEventProperty("Cvv", new ScalarValue(Secret)) }) : new ScalarValue(Secret);
        Assert.DoesNotContain(Secret, Json(Event("e", template: template, properties: Prop(name, value))));
    }

    [Fact]
    public void NestedShapesAreWalked()
    {
        var shapes = new LogEventPropertyValue[]
        {
            new DictionaryValue(new[] { Entry("outer", new DictionaryValue(new[] { Entry("access-token", new ScalarValue(Secret)) })) }),
            new SequenceValue(new[] { new SequenceValue(new[] { new StructureValue(new[] { new LogEventProperty("client_secret", new ScalarValue(Secret)) }) }) }),
            new DictionaryValue(new[] { Entry("k", new StructureValue(new[] { new LogEventProperty("SECURITY_STAMP", new ScalarValue(Secret)) })) }),
            new StructureValue(new[] { new LogEventProperty("Cards", new SequenceValue(new[] { new DictionaryValue(new[] { Entry("CVV2", new ScalarValue(Secret)) }) })) }),
        };
        foreach (var shape in shapes)
        {
            Assert.DoesNotContain(Secret, Json(Event("e", template: "{@V} {V,5} {V:l}", properties: Prop("V", shape))));
        }
    }

    [Fact]
    public void TheApiKeyIsRedactedInHeadersExceptionsAndNames()
    {
        var headers = new DictionaryValue(new[] { Entry("X-Trace", new ScalarValue("k=" + ApiKey)), Entry("h-" + ApiKey, new ScalarValue("v")) });
        var json = FormattedBody.Try(LogEvent("m " + ApiKey + " {X}", exception: new InvalidOperationException("key " + ApiKey), properties: new[]
        {
            Prop(LogTraceProperties.EventName, "e"), Prop(LogTraceProperties.UserName, "u"), Prop(LogTraceProperties.RequestHeaders, headers),
            Prop("X", ApiKey), Prop("n" + ApiKey, 1),
        })).Json;
        Assert.NotEqual("", json);
        Assert.DoesNotContain(ApiKey, json);
    }

    [Fact]
    public void HostileValuesDoNotLoseTheRecord()
    {
        LogEventPropertyValue deep = new ScalarValue(1);
        for (var i = 0; i < 5000; i++)
            deep = new SequenceValue(new[] { deep });
        var json = Json(Event("e", properties: new[]
        {
            Prop("Nan", double.NaN), Prop("Inf", double.PositiveInfinity), Prop("F", float.NegativeInfinity), Prop("Lone", "a\uD800b"),
            Prop("Deep", deep), Prop("Huge", new string('x', 2_000_000)), Prop("\uDC00", 1),
        }));
        Assert.Contains("NaN", json);
    }
}

// Found by the review of the cut-key fix: the same key part, cut by Serilog's own maximum string length, through a
// real logger in dry run (metadata and message both).
public class SerilogCutKeyTests
{
    [Fact]
    public void AKeyCutBySerilogsOwnMaximumStringLengthIsNotSentInPart()
    {
        var output = new StringWriter();
        using (var logger = new LoggerConfiguration().Destructure.ToMaximumStringLength(30).WriteTo.LogTrace(o =>
               {
                   o.ApiKey = ApiKey;
                   o.Endpoint = "https://logtrace.example/v1/developers";
                   o.DryRun = true;
                   o.DryRunOutput = output;
               }).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "upstream.called").ForContext(LogTraceProperties.UserId, "u-1")
                .Information("Called {@Call}", new { Upstream = "Bearer " + ApiKey });
        }

        var written = output.ToString();
        Assert.Contains("upstream.called", written, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey.Substring(0, 8), written, StringComparison.Ordinal);
    }
}
