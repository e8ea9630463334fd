using System.Reflection;
using System.Text.Json;
using Serilog.Events;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// What PropertyValueWriter writes for each kind of value: every number type as a JSON number, the text of a scalar
// where a name is needed (a dictionary's keys), the depth limit of nested values, and values Serilog's own capture
// never makes but a hand-built event can carry.
public class PropertyValueWriterTests
{
    static JsonElement Metadata(params (string, LogEventPropertyValue)[] properties) =>
        FormattedBody.Of(Event("values.written", properties: properties)).GetProperty("metadata");

    static string RawMetadata(params (string, LogEventPropertyValue)[] properties) =>
        Metadata(properties).GetRawText();

    // A LogEventPropertyValue of a kind Serilog does not have: written as the text it renders.
    sealed class CustomValue : LogEventPropertyValue
    {
        public override void Render(TextWriter output, string? format = null, IFormatProvider? formatProvider = null) =>
            output.Write("custom\u0001value");
    }

    [Fact]
    public void EveryIntegerAndFloatingTypeIsAJsonNumber()
    {
        var values = new (string, object)[]
        {
            ("Short", (short)-3), ("Byte", (byte)200), ("SByte", (sbyte)-100), ("UShort", (ushort)60_000),
            ("UInt", 4_000_000_000u), ("ULong", ulong.MaxValue), ("Float", 1.5f), ("Double", 0.25),
        };
        var top = values.Select(v => Prop(v.Item1, v.Item2)).ToArray();
        var nested = new SequenceValue(values.Select(v => new ScalarValue(v.Item2)));

        var raw = RawMetadata([.. top, Prop("Nested", nested)]);

        foreach (var fragment in new[] { "\"Short\":-3", "\"Byte\":200", "\"SByte\":-100", "\"UShort\":60000", "\"UInt\":4000000000",
                     "\"ULong\":18446744073709551615", "\"Float\":1.5", "\"Double\":0.25" })
            Assert.Contains(fragment, raw);
        Assert.Contains("\"Nested\":[-3,200,-100,60000,4000000000,18446744073709551615,1.5,0.25]", raw);
    }

    [Fact]
    public void AFloatThatIsNotFiniteTravelsAsText()
    {
        var metadata = Metadata(Prop("Nested", new SequenceValue([new ScalarValue(float.NaN), new ScalarValue(float.PositiveInfinity)])));

        Assert.Equal("[\"NaN\",\"Infinity\"]", metadata.GetProperty("Nested").GetRawText());
    }

    // A dictionary's keys become names: each scalar's culture-invariant, round-trippable text.
    [Fact]
    public void EachKindOfKeyIsWrittenAsItsText()
    {
        var keys = new List<object?> { true, false, 0.1, 1.5f, TimeSpan.FromMinutes(90), 'x', '\uD800', new NullText(), null, DayOfWeek.Friday, 12.5m };
        var expected = new List<string> { "true", "false", "0.1", "1.5", "01:30:00", "x", "\uFFFD", "", "null", "Friday", "12.5" };
        // The netstandard2.0 build has no DateOnly or TimeOnly to match.
        if (!typeof(LogTraceRedaction).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()!.FrameworkName.StartsWith(".NETStandard", StringComparison.Ordinal))
        {
            keys.AddRange([new DateOnly(2026, 1, 2), new TimeOnly(3, 4, 5, 600)]);
            expected.AddRange(["2026-01-02", "03:04:05.6"]);
        }
        var dictionary = new DictionaryValue(keys.Select((k, i) =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(k), new ScalarValue(i))));

        var names = Metadata(Prop("Keys", dictionary)).GetProperty("Keys").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(expected, names);
    }

    [Fact]
    public void AValueOfAKindSerilogDoesNotHaveIsWrittenAsItsRenderedText()
    {
        var metadata = Metadata(Prop("Custom", new CustomValue()), Prop("Nested", new SequenceValue([new CustomValue()])));

        Assert.StartsWith("custom", metadata.GetProperty("Custom").GetString());
        Assert.EndsWith("value", metadata.GetProperty("Custom").GetString());
        Assert.Equal(metadata.GetProperty("Custom").GetString(), metadata.GetProperty("Nested")[0].GetString());
    }

    // A scalar whose ToString() gives null is written as "", not "null" and not a missing value.
    [Fact]
    public void AScalarWhoseTextIsNullIsWrittenAsEmptyText()
    {
        var metadata = Metadata(Prop("Text", new NullText()), Prop("Nested", new SequenceValue([new ScalarValue(new NullText())])));

        Assert.Equal("", metadata.GetProperty("Text").GetString());
        Assert.Equal("[\"\"]", metadata.GetProperty("Nested").GetRawText());
    }

    sealed class NullFormattable : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => null!;
    }

    // A formattable scalar (Destructure.AsScalar, an enricher's value) whose text is null is written as "", and the
    // record is not lost to it.
    [Fact]
    public void AFormattableScalarWhoseTextIsNullIsWrittenAsEmptyText()
    {
        var metadata = Metadata(Prop("Text", new NullFormattable()), Prop("Keys", new DictionaryValue([
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(new NullFormattable()), new ScalarValue(1))])));

        Assert.Equal("", metadata.GetProperty("Text").GetString());
        Assert.Equal("{\"\":1}", metadata.GetProperty("Keys").GetRawText());
    }

    // A hand-built sequence can hold a null element (SequenceValue does not refuse one): it is JSON null.
    [Fact]
    public void ANullElementIsWrittenAsNull()
    {
        var metadata = Metadata(Prop("Nested", new SequenceValue([new ScalarValue(1), null!, new ScalarValue(2)])));

        Assert.Equal("[1,null,2]", metadata.GetProperty("Nested").GetRawText());
    }

    static LogEventPropertyValue Nest(string kind, int levels, LogEventPropertyValue leaf)
    {
        var value = leaf;
        for (var i = 0; i < levels; i++)
        {
            value = kind switch
            {
                "sequence" => new SequenceValue([value]),
                "structure" => new StructureValue([new LogEventProperty("In", value)]),
                _ => new DictionaryValue([new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("In"), value)]),
            };
        }
        return value;
    }

    static JsonElement Innermost(JsonElement value)
    {
        while (value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
            value = value.ValueKind == JsonValueKind.Array ? value[0] : value.GetProperty("In");
        return value;
    }

    // A value nested MaxDepth levels down is written; one level more is replaced by the depth marker, in every kind of
    // container.
    [Theory]
    [InlineData("sequence")]
    [InlineData("structure")]
    [InlineData("dictionary")]
    public void NestingIsWrittenDownToTheDepthLimitAndMarkedPastIt(string kind)
    {
        var metadata = Metadata(
            Prop("AtLimit", Nest(kind, PropertyValueWriter.MaxDepth, new ScalarValue("leaf"))),
            Prop("PastLimit", Nest(kind, PropertyValueWriter.MaxDepth + 1, new ScalarValue("leaf"))));

        Assert.Equal("leaf", Innermost(metadata.GetProperty("AtLimit")).GetString());
        Assert.Equal(PropertyValueWriter.DepthLimitMarker, Innermost(metadata.GetProperty("PastLimit")).GetString());
    }

    // A nested object that had to keep its names distinct closes its own set of names: the names written after it, in
    // the object around it, are checked against that object's names only.
    [Fact]
    public void AStructureKeepingItsNamesDistinctLeavesTheNamesAroundItAlone()
    {
        var inner = new StructureValue([new LogEventProperty("x", new ScalarValue(1)), new LogEventProperty("x", new ScalarValue(2))]);
        var outer = new DictionaryValue([
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(1), inner),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("x"), new ScalarValue(3)),
        ]);

        var raw = Metadata(Prop("Outer", outer)).GetProperty("Outer").GetRawText();

        Assert.Equal("{\"1\":{\"x\":1,\"x (2)\":2},\"x\":3}", raw);
    }

    [Fact]
    public void ADictionaryKeepingItsNamesDistinctLeavesTheNamesAroundItAlone()
    {
        var inner = new DictionaryValue([
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(1), new ScalarValue("a")),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("1"), new ScalarValue("b")),
        ]);
        var outer = new StructureValue([
            new LogEventProperty("1", inner), new LogEventProperty("1", new ScalarValue(3)), new LogEventProperty("y", new ScalarValue(4)),
        ]);

        var raw = Metadata(Prop("Outer", outer)).GetProperty("Outer").GetRawText();

        Assert.Equal("{\"1\":{\"1\":\"a\",\"1 (2)\":\"b\"},\"1 (2)\":3,\"y\":4}", raw);
    }
}
