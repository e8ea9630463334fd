using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// No object of a body names one member twice, whatever the values hold: the service would keep one value and drop the
// other, and the before-send hook's JsonObject refuses the body (UniqueNames, TopLevelNames, MetadataWriter.MetadataName).
public class RepeatedNamesTests
{
    static KeyValuePair<ScalarValue, LogEventPropertyValue> Entry(object? key, object? value) =>
        new(new ScalarValue(key), new ScalarValue(value));

    static LogEventProperty Member(string name, object? value) => new(name, new ScalarValue(value));

    // The body's metadata, after checking that no object anywhere in the body repeats a name.
    static JsonElement Metadata(LogEvent logEvent, int maxString = 16_384)
    {
        var (outcome, _, json) = FormattedBody.Try(logEvent, FormattedBody.Formatter(maxString: maxString));
        Assert.Equal(FormatOutcome.Formatted, outcome);
        using var document = JsonDocument.Parse(json);
        AssertNoRepeats(document.RootElement, "$");
        // What the before-send hook is given: System.Text.Json's JsonObject reads every object of it (it throws on a
        // repeated name).
        Touch(JsonNode.Parse(json));
        return document.RootElement.GetProperty("metadata").Clone();
    }

    static void AssertNoRepeats(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in element.EnumerateObject())
            {
                Assert.True(seen.Add(member.Name), $"{path} names \"{member.Name}\" twice");
                AssertNoRepeats(member.Value, path + "." + member.Name);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
                AssertNoRepeats(item, $"{path}[{i++}]");
        }
    }

    static void Touch(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var member in obj)
                Touch(member.Value);
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
                Touch(item);
        }
    }

    static string[] Names(JsonElement element) => element.EnumerateObject().Select(m => m.Name).ToArray();

    [Theory]
    [InlineData("message")]
    [InlineData("level")]
    [InlineData("exception")]
    [InlineData("_truncated")]
    [InlineData("_event_id")]
    [InlineData("trace_id")]
    [InlineData("span_id")]
    public void APropertyNamedAsAnEntryOfTheSinkAndOneWithAnUnderscoreMoreBothKeepTheirValues(string entry)
    {
        var metadata = Metadata(Event("user.login", properties: new[] { Prop(entry, "a"), Prop("_" + entry, "b"), Prop("__" + entry, "c") }));

        Assert.Equal("a", metadata.GetProperty("_" + entry).GetString());
        Assert.Equal("b", metadata.GetProperty("__" + entry).GetString());
        Assert.Equal("c", metadata.GetProperty("___" + entry).GetString());
    }

    [Theory]
    [InlineData("message", "_message")]
    [InlineData("_message", "__message")]
    [InlineData("__span_id", "___span_id")]
    [InlineData("_truncated", "__truncated")]
    [InlineData("truncated", "truncated")]
    [InlineData("event_id", "event_id")]
    [InlineData("Message", "Message")]
    [InlineData("message_", "message_")]
    [InlineData("x_message", "x_message")]
    [InlineData("_", "_")]
    [InlineData("", "")]
    public void OnlyUnderscoresFollowedByAnEntryOfTheSinkGetOneMore(string property, string written)
    {
        Assert.Equal(written, MetadataWriter.MetadataName(property));
    }

    [Fact]
    public void AnOrdinaryPropertyKeepsItsName()
    {
        var metadata = Metadata(Event("user.login", properties: new[] { Prop("Plan", "pro"), Prop("_hidden", 1) }));

        Assert.Equal("pro", metadata.GetProperty("Plan").GetString());
        Assert.Equal(1, metadata.GetProperty("_hidden").GetInt32());
    }

    [Fact]
    public void DictionaryKeysThatReadAlikeAreNumbered()
    {
        var value = new DictionaryValue(new[] { Entry(1, "int"), Entry("1", "string"), Entry(1L, "long"), Entry(null, "null key"), Entry("null", "text") });

        var written = Metadata(Event("user.login", properties: new[] { Prop("Map", value) })).GetProperty("Map");

        Assert.Equal(new[] { "1", "1 (2)", "1 (3)", "null", "null (2)" }, Names(written));
        Assert.Equal(new[] { "int", "string", "long", "null key", "text" }, written.EnumerateObject().Select(m => m.Value.GetString()).ToArray());
    }

    [Fact]
    public void ANumberedNameThatIsAlsoAKeyIsNumberedFurther()
    {
        var value = new DictionaryValue(new[] { Entry(1, "a"), Entry("1", "b"), Entry("1 (2)", "c") });

        var written = Metadata(Event("user.login", properties: new[] { Prop("Map", value) })).GetProperty("Map");

        Assert.Equal(new[] { "1", "1 (2)", "1 (2) (2)" }, Names(written));
    }

    [Fact]
    public void AStructureNamingAMemberTwiceKeepsBothValues()
    {
        var value = new StructureValue(new[] { Member("Id", 1), Member("Name", "x"), Member("Id", 2) });

        var written = Metadata(Event("user.login", properties: new[] { Prop("Thing", value) })).GetProperty("Thing");

        Assert.Equal(new[] { "Id", "Name", "Id (2)" }, Names(written));
        Assert.Equal(2, written.GetProperty("Id (2)").GetInt32());
    }

    [Fact]
    public void AMemberNamedAsTheTypeTagIsNumbered()
    {
        var value = new StructureValue(new[] { Member("$type", "member") }, typeTag: "Invoice");

        var written = Metadata(Event("user.login", properties: new[] { Prop("Thing", value) })).GetProperty("Thing");

        Assert.Equal(new[] { "$type", "$type (2)" }, Names(written));
        Assert.Equal("Invoice", written.GetProperty("$type").GetString());
        Assert.Equal("member", written.GetProperty("$type (2)").GetString());
    }

    [Fact]
    public void AMemberNamedAsTheTypeTagIsKeptAsItIsWithoutATag()
    {
        var value = new StructureValue(new[] { Member("$type", "member") });

        var written = Metadata(Event("user.login", properties: new[] { Prop("Thing", value) })).GetProperty("Thing");

        Assert.Equal(new[] { "$type" }, Names(written));
    }

    [Fact]
    public void AStructureOfManyMembersNamingOneTwiceKeepsBoth()
    {
        var members = Enumerable.Range(0, 20).Select(i => Member("M" + i, i)).Append(Member("M3", "again")).ToArray();

        var written = Metadata(Event("user.login", properties: new[] { Prop("Thing", new StructureValue(members)) })).GetProperty("Thing");

        Assert.Equal(21, Names(written).Length);
        Assert.Equal("again", written.GetProperty("M3 (2)").GetString());
    }

    [Fact]
    public void NamesThatCleaningMakesAlikeAreNumberedAtEveryDepth()
    {
        // Two lone surrogates both become U+FFFD.
        var inner = new StructureValue(new[] { Member("a\uD800", 1), Member("a\uDC00", 2) });
        var map = new DictionaryValue(new[] { Entry("k\uD800", 1), Entry("k\uDC00", 2) });

        var metadata = Metadata(Event("user.login", properties: new[]
        {
            Prop("p\uD800", 1), Prop("p\uDC00", 2), Prop("p\uFFFD", 3), Prop("Inner", inner), Prop("Map", map),
        }));

        Assert.Equal(new[] { 1, 2, 3 }, new[] { "p\uFFFD", "p\uFFFD (2)", "p\uFFFD (3)" }.Select(n => metadata.GetProperty(n).GetInt32()).OrderBy(v => v).ToArray());
        Assert.Equal(new[] { "a\uFFFD", "a\uFFFD (2)" }, Names(metadata.GetProperty("Inner")));
        Assert.Equal(new[] { "k\uFFFD", "k\uFFFD (2)" }, Names(metadata.GetProperty("Map")));
    }

    [Fact]
    public void AGenuinePropertyWrittenAfterACleanedOneKeepsItsName()
    {
        // The cleaned name is numbered, not the property that has that name of its own.
        var metadata = Metadata(Event("user.login", properties: new[] { Prop("p\uD800", "cleaned"), Prop("p\uFFFD", "genuine") }));

        Assert.Equal("genuine", metadata.GetProperty("p\uFFFD").GetString());
        Assert.Equal("cleaned", metadata.GetProperty("p\uFFFD (2)").GetString());
    }

    [Fact]
    public void LongNamesCutAlikeAreNumbered()
    {
        var prefix = new string('n', 40);

        var metadata = Metadata(Event("user.login", properties: new[] { Prop(prefix + "-first", 1), Prop(prefix + "-second", 2) }), maxString: 40);

        var cut = Names(metadata).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, cut.Length);
        Assert.Equal(cut[0] + " (2)", cut[1]);
    }

    [Fact]
    public void NamesThatHoldTheApiKeyAreNumberedWhenRedactionMakesThemAlike()
    {
        var metadata = Metadata(Event("user.login", properties: new[] { Prop("x" + ApiKey, 1), Prop("x[REDACTED]", 2) }));

        Assert.Equal(2, metadata.GetProperty("x[REDACTED]").GetInt32());
        Assert.Equal(1, metadata.GetProperty("x[REDACTED] (2)").GetInt32());
    }

    [Fact]
    public void HeaderNamesThatReadAlikeAreNumbered()
    {
        var headers = new DictionaryValue(new[] { Entry("X-Count", "text"), Entry(7, "seven"), Entry("7", "seven as text") });

        var (outcome, _, json) = FormattedBody.Try(Event("user.login", properties: new[] { Prop(LogTraceProperties.RequestHeaders, headers) }));

        Assert.Equal(FormatOutcome.Formatted, outcome);
        var written = JsonDocument.Parse(json).RootElement.GetProperty("request_details").GetProperty("request_headers");
        AssertNoRepeats(written, "headers");
        Assert.Equal(new[] { "X-Count", "7", "7 (2)" }, Names(written));
    }

    [Fact]
    public void AHeaderStructureNamingOneTwiceKeepsBoth()
    {
        var headers = new StructureValue(new[] { Member("Accept", "a"), Member("Accept", "b") });

        var (_, _, json) = FormattedBody.Try(Event("user.login", properties: new[] { Prop(LogTraceProperties.RequestHeaders, headers) }));

        var written = JsonDocument.Parse(json).RootElement.GetProperty("request_details").GetProperty("request_headers");
        Assert.Equal(new[] { "Accept", "Accept (2)" }, Names(written));
    }

    [Fact]
    public void AHeaderNameNumberedPastTheNameLimitIsCountedLeftOut()
    {
        // Two names of the longest length sent, that cleaning makes alike: the second, numbered, would be longer.
        var longest = new string('h', RequestHeadersWriter.MaxNameLength - 1);
        var headers = new DictionaryValue(new[] { Entry(longest + "\uD800", "a"), Entry(longest + "\uDC00", "b"), Entry(7, "seven"), Entry("7", "text") });

        var (_, _, json) = FormattedBody.Try(Event("user.login", properties: new[] { Prop(LogTraceProperties.RequestHeaders, headers) }));

        var written = JsonDocument.Parse(json).RootElement.GetProperty("request_details").GetProperty("request_headers");
        Assert.All(Names(written), n => Assert.InRange(n.Length, 0, RequestHeadersWriter.MaxNameLength));
        Assert.Equal(new[] { longest + "\uFFFD", "7", "7 (2)", RequestHeadersWriter.TruncatedKey }, Names(written));
        Assert.StartsWith("1 headers left out", written.GetProperty(RequestHeadersWriter.TruncatedKey).GetString());
    }

    [Fact]
    public void AHeaderNamedAsTheMarkerThatIsNoTextIsCountedLeftOut()
    {
        var headers = new DictionaryValue(new[] { Entry("Accept", "a"), Entry(RequestHeadersWriter.TruncatedKey, 5) });

        var (_, _, json) = FormattedBody.Try(Event("user.login", properties: new[] { Prop(LogTraceProperties.RequestHeaders, headers) }));

        var written = JsonDocument.Parse(json).RootElement.GetProperty("request_details").GetProperty("request_headers");
        Assert.Equal(new[] { "Accept", RequestHeadersWriter.TruncatedKey }, Names(written));
        Assert.StartsWith("1 headers left out", written.GetProperty(RequestHeadersWriter.TruncatedKey).GetString());
    }

    [Fact]
    public void TheNamesOfOneRecordDoNotCarryIntoTheNext()
    {
        var value = new DictionaryValue(new[] { Entry(1, "a"), Entry("1", "b") });
        var formatter = FormattedBody.Formatter();
        using var buffers = new FormatBuffers();

        for (var i = 0; i < 2; i++)
        {
            buffers.Reset();
            Assert.Equal(FormatOutcome.Formatted, formatter.Format(Event("user.login", properties: new[] { Prop("Map", value), Prop("p\uD800", 1) }), buffers));
            using var document = JsonDocument.Parse(buffers.Body);
            var metadata = document.RootElement.GetProperty("metadata");
            Assert.Equal(new[] { "1", "1 (2)" }, Names(metadata.GetProperty("Map")));
            Assert.Equal(1, metadata.GetProperty("p\uFFFD").GetInt32());
        }
    }
}
