using System.Text.RegularExpressions;

namespace Serilog.Sinks.LogTrace.Tests.Readme;

// Every relative link in the README, the changelog, CONTRIBUTING.md and docs/ leads somewhere: the file exists, and a
// #fragment into a Markdown file names one of its headings (as GitHub makes heading ids). Pages moved into docs/
// once kept README-relative links ("docs/x.md" from inside docs/), which lead nowhere.
public class DocumentLinksTests
{
    public static TheoryData<string> Documents()
    {
        var root = ReadmeDocument.Root;
        var data = new TheoryData<string>();
        foreach (var name in new[] { "README.md", "CHANGELOG.md", "CONTRIBUTING.md" })
            data.Add(name);
        foreach (var page in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").OrderBy(p => p, StringComparer.Ordinal))
            data.Add("docs/" + Path.GetFileName(page));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLinkLeadsSomewhere(string document)
    {
        var path = Path.Combine(ReadmeDocument.Root, document);
        var broken = new List<string>();
        foreach (Match link in Regex.Matches(System.IO.File.ReadAllText(path), @"\]\(([^)\s]+)\)"))
        {
            var target = link.Groups[1].Value;
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal) ||
                target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            var hash = target.IndexOf('#');
            var file = hash < 0 ? target : target[..hash];
            var fragment = hash < 0 ? "" : target[(hash + 1)..];
            var full = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!System.IO.File.Exists(full) && !Directory.Exists(full))
                broken.Add(target + " (no such file)");
            else if (fragment.Length > 0 && full.EndsWith(".md", StringComparison.Ordinal) && !HeadingIds(full).Contains(fragment))
                broken.Add(target + " (no such heading)");
        }

        Assert.True(broken.Count == 0, document + " links lead nowhere: " + string.Join(", ", broken));
    }

    [Theory]
    [InlineData("## Using it", "using-it")]
    [InlineData("## Who can read it, and for how long (2026-12-03)", "who-can-read-it-and-for-how-long-2026-12-03")]
    [InlineData("### `LogTraceStatus.FlushAsync`", "logtracestatusflushasync")]
    public void HeadingIdsAreMadeAsGitHubMakesThem(string heading, string id)
    {
        Assert.Equal(id, HeadingId(heading));
    }

    static HashSet<string> HeadingIds(string markdown) =>
        System.IO.File.ReadLines(markdown).Where(l => l.StartsWith('#')).Select(HeadingId).ToHashSet(StringComparer.Ordinal);

    // GitHub's rule: the heading's text, lower-cased, without punctuation other than '-' and '_', spaces made '-'.
    static string HeadingId(string heading) =>
        Regex.Replace(heading.TrimStart('#').Trim().ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-');
}
