using System.Text.Json;
using Serilog.Events;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// maxMetadataBytes is one budget shared by all metadata entries, each costing its JSON value, its name and 4 bytes.
public class MetadataBudgetTests
{
    // "message": "" costs 2 + 7 + 4 = 13 bytes and "level": "Information" 13 + 5 + 4 = 22: 35 bytes before any property.
    const int FixedEntries = 35;
    // "A": "<100 x's>" costs 102 + 1 + 4 = 107 bytes.
    const int PropertyCost = 107;

    static readonly string Hundred = new('x', 100);

    static JsonElement MetadataOf(int maxMetadataBytes, params (string, LogEventPropertyValue)[] properties) =>
        FormattedBody.Of(Event("report.exported", template: "", properties: properties), FormattedBody.Formatter(maxMetadata: maxMetadataBytes))
            .GetProperty("metadata");

    [Fact]
    public void ThreePropertiesThatEachFitAloneButNotTogetherLeaveTheThirdOutAndNameIt()
    {
        var limit = FixedEntries + 2 * PropertyCost + PropertyCost / 2;

        var metadata = MetadataOf(limit, Prop("A", Hundred), Prop("B", Hundred), Prop("C", Hundred));

        Assert.Equal(Hundred, metadata.GetProperty("A").GetString());
        Assert.Equal(Hundred, metadata.GetProperty("B").GetString());
        Assert.False(metadata.TryGetProperty("C", out _));
        Assert.Equal($"1 properties left out: metadata limit of {limit} bytes reached (C)", metadata.GetProperty("_truncated").GetString());
    }

    [Fact]
    public void EachPropertyAloneFitsTheSameLimit()
    {
        var limit = FixedEntries + 2 * PropertyCost + PropertyCost / 2;

        var metadata = MetadataOf(limit, Prop("C", Hundred));

        Assert.Equal(Hundred, metadata.GetProperty("C").GetString());
        Assert.False(metadata.TryGetProperty("_truncated", out _));
    }

    [Fact]
    public void PropertiesThatExactlyFillTheLimitAreAllKept()
    {
        var metadata = MetadataOf(FixedEntries + 3 * PropertyCost, Prop("A", Hundred), Prop("B", Hundred), Prop("C", Hundred));

        Assert.Equal(Hundred, metadata.GetProperty("C").GetString());
        Assert.False(metadata.TryGetProperty("_truncated", out _));
    }

    [Fact]
    public void OneByteShortOfTheLimitLeavesTheLastPropertyOut()
    {
        var metadata = MetadataOf(FixedEntries + 3 * PropertyCost - 1, Prop("A", Hundred), Prop("B", Hundred), Prop("C", Hundred));

        Assert.Equal(Hundred, metadata.GetProperty("B").GetString());
        Assert.False(metadata.TryGetProperty("C", out _));
        Assert.EndsWith("(C)", metadata.GetProperty("_truncated").GetString());
    }

    [Fact]
    public void ASmallerPropertyAfterAnOmittedOneStillFits()
    {
        var limit = FixedEntries + PropertyCost + 10;

        var metadata = MetadataOf(limit, Prop("A", Hundred), Prop("B", Hundred), Prop("C", "c"));

        Assert.True(metadata.TryGetProperty("A", out _));
        Assert.False(metadata.TryGetProperty("B", out _));
        Assert.Equal("c", metadata.GetProperty("C").GetString());
        Assert.EndsWith("(B)", metadata.GetProperty("_truncated").GetString());
    }

    [Fact]
    public void AtMostTenOmittedNamesAreListedAndTheRestIsElided()
    {
        var properties = Enumerable.Range(1, 12).Select(i => Prop($"P{i:00}", Hundred)).ToArray();

        var metadata = MetadataOf(FixedEntries + 10, properties);

        Assert.Equal("12 properties left out: metadata limit of 45 bytes reached (P01, P02, P03, P04, P05, P06, P07, P08, P09, P10, ...)",
            metadata.GetProperty("_truncated").GetString());
    }

    [Fact]
    public void ExactlyTenOmittedNamesAreAllListedWithoutAnEllipsis()
    {
        var properties = Enumerable.Range(1, 10).Select(i => Prop($"P{i:00}", Hundred)).ToArray();

        var metadata = MetadataOf(FixedEntries + 10, properties);

        Assert.EndsWith("(P01, P02, P03, P04, P05, P06, P07, P08, P09, P10)", metadata.GetProperty("_truncated").GetString());
    }

    [Fact]
    public void TheRenderedMessageCountsAgainstTheBudget()
    {
        // Room for the level (22 bytes) but not the message (46): it is left out and named like any property.
        var metadata = FormattedBody.Of(Event("report.exported", template: "A rendered message of some length"),
            FormattedBody.Formatter(maxMetadata: 30)).GetProperty("metadata");

        Assert.False(metadata.TryGetProperty("message", out _));
        Assert.Equal("Information", metadata.GetProperty("level").GetString());
        Assert.Contains("(message)", metadata.GetProperty("_truncated").GetString());
    }

    // A value written straight into the body is first checked with its longest JSON form and its name: a long name with
    // a short number that together pass the budget is left out, not written past it.
    [Fact]
    public void ALongNameCountsAgainstTheBudgetOfAValueWrittenDirectly()
    {
        var name = new string('N', 60);

        var metadata = MetadataOf(FixedEntries + 30, Prop(name, 7));

        Assert.False(metadata.TryGetProperty(name, out _));
        Assert.EndsWith("(" + name + ")", metadata.GetProperty("_truncated").GetString());
    }

    // Ten control characters are escaped to \u0001 each: 62 bytes of JSON, 67 with the name. One byte short of that,
    // the property is left out; exactly that, it is kept.
    [Fact]
    public void TextWhoseEveryCharacterIsEscapedFitsByItsEscapedLength()
    {
        var text = new string('\u0001', 10);

        var short1 = MetadataOf(FixedEntries + 66, Prop("C", text));
        var exact = MetadataOf(FixedEntries + 67, Prop("C", text));

        Assert.False(short1.TryGetProperty("C", out _));
        Assert.EndsWith("(C)", short1.GetProperty("_truncated").GetString());
        Assert.Equal(text, exact.GetProperty("C").GetString());
        Assert.False(exact.TryGetProperty("_truncated", out _));
    }
}
