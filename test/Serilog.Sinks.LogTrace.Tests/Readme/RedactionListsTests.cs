using System.Text.RegularExpressions;

namespace Serilog.Sinks.LogTrace.Tests.Readme;

// docs/redaction.md lists every default name of LogTraceRedaction's three lists (its XML documentation says so): the
// page and the code name the same names, so neither a name dropped from the code nor one added without the page goes
// unseen.
public class RedactionListsTests
{
    static readonly string Page = System.IO.File.ReadAllText(Path.Combine(ReadmeDocument.Root, "docs", "redaction.md"));

    // The backticked names between two markers of the page.
    static string[] NamesBetween(string start, string end)
    {
        var from = Page.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, "docs/redaction.md no longer says: " + start);
        from += start.Length;
        var to = Page.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to >= 0, "docs/redaction.md no longer says: " + end);
        return Regex.Matches(Page.Substring(from, to - from), "`([^`]+)`").Select(m => m.Groups[1].Value).ToArray();
    }

    static void AssertSameNames(IEnumerable<string> documented, IEnumerable<string> defaults) =>
        Assert.Equal(defaults.OrderBy(n => n, StringComparer.Ordinal), documented.OrderBy(n => n, StringComparer.Ordinal));

    // The defaults, not the lists themselves: tests running beside this one add names to those and take them away.
    [Fact]
    public void ThePageListsEverySensitivePropertyTheCodeHasByDefault() =>
        AssertSameNames(NamesBetween("Default list: ", "\n\n"), LogTraceRedaction.DefaultSensitiveProperties);

    [Fact]
    public void ThePageListsEverySensitiveHeaderTheCodeHasByDefault() =>
        AssertSameNames(NamesBetween("holds the one list of sensitive headers", "; case and"), LogTraceRedaction.DefaultSensitiveHeaders);

    [Fact]
    public void ThePageListsEverySensitiveQueryParameterTheCodeHasByDefault() =>
        AssertSameNames(NamesBetween("list of sensitive query parameters (", "matched as described"), LogTraceRedaction.DefaultSensitiveQueryParameters);

    // Every default is in the list it seeds, so a record is redacted by each (the lists are only added to).
    [Fact]
    public void EveryDefaultIsInItsList()
    {
        Assert.All(LogTraceRedaction.DefaultSensitiveHeaders, n => Assert.True(LogTraceRedaction.IsSensitiveHeader(n), n));
        Assert.All(LogTraceRedaction.DefaultSensitiveQueryParameters, n => Assert.True(LogTraceRedaction.IsSensitiveQueryParameter(n), n));
        Assert.All(LogTraceRedaction.DefaultSensitiveProperties, n => Assert.True(LogTraceRedaction.IsSensitiveProperty(n), n));
    }
}
