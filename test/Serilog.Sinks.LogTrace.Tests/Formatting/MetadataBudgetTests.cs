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
}
