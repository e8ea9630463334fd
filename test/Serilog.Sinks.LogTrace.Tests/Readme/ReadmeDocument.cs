using System.Text.RegularExpressions;

namespace Serilog.Sinks.LogTrace.Tests.Readme;

// The repository's README and samples, read from the source tree the tests were built from.
static class ReadmeDocument
{
    public static string Root { get; } = FindRoot();

    public static string Text => System.IO.File.ReadAllText(Path.Combine(Root, "README.md"));

    // The fenced blocks of one language, in order.
    public static IReadOnlyList<string> Blocks(string language) =>
        Regex.Matches(Text, "^```" + language + @"\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).ToList();

    // Whitespace-insensitive form, so that indentation and line wrapping may differ between a quote and its source.
    public static string Normalize(string code) => Regex.Replace(code, @"\s+", " ").Trim();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Serilog.Sinks.LogTrace.sln")))
                return dir.FullName;
        throw new InvalidOperationException("The repository root (Serilog.Sinks.LogTrace.sln) is not above " + AppContext.BaseDirectory);
    }
}
