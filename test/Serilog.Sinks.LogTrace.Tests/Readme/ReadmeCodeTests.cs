using Microsoft.Extensions.Configuration;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Readme;

// The README's code is the samples' code: every C# block is quoted from a file under sample/ (which the solution
// builds and SampleRunTests runs), and every JSON block configures a sink that delivers.
public sealed class ReadmeCodeTests
{
    // A line of exactly "// ..." in a README block marks code left out: the parts around it are quoted in that order.
    const string Elision = "// ...";

    [Fact]
    public void EveryCSharpBlockIsQuotedFromASample()
    {
        var blocks = ReadmeDocument.Blocks("csharp");
        Assert.True(blocks.Count >= 5, "the README has " + blocks.Count + " C# blocks");
        var sources = Directory.EnumerateFiles(Path.Combine(ReadmeDocument.Root, "sample"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) &&
                        !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Select(f => ReadmeDocument.Normalize(System.IO.File.ReadAllText(f))).ToList();

        var unquoted = blocks.Where(block => !sources.Any(source => QuotesInOrder(source, Parts(block)))).ToList();

        Assert.True(unquoted.Count == 0, "README C# blocks not found in any file under sample/:\n" + string.Join("\n---\n", unquoted));
    }

    [Fact]
    public void QuotingIsCheckedPartByPartInOrder()
    {
        var source = ReadmeDocument.Normalize("var a = 1;\nvar b = 2;\nvar c = 3;");

        Assert.True(QuotesInOrder(source, Parts("var a = 1;\n// ...\nvar c = 3;\n")));
        Assert.False(QuotesInOrder(source, Parts("var c = 3;\n// ...\nvar a = 1;\n")));
        Assert.False(QuotesInOrder(source, Parts("var a = 1;\nvar c = 3;\n")));
    }

    [Fact]
    public async Task TheAppSettingsBlockConfiguresASinkThatDelivers()
    {
        var block = Assert.Single(ReadmeDocument.Blocks("json"), b => b.Contains("\"Serilog\""));
        await using var server = await LogTraceTestServer.StartAsync();
        // The README leaves the key to LOGTRACE_API_KEY; the test gives it (and the endpoint) as arguments instead.
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(block)))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:WriteTo:0:Args:apiKey"] = "lg_readme_test_key",
                ["Serilog:WriteTo:0:Args:endpoint"] = server.Endpoint,
            })
            .Build();

        using (var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger())
            logger.ForContext("EventName", "user.login").ForContext("UserId", "12345").Information("User signed in");

        var record = Assert.Single(await server.WaitForRecordsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal("user.login", record.Name);
        Assert.Equal("user event", record.Body.GetProperty("type").GetString());
    }

    static string[] Parts(string block) =>
        block.Split('\n').Aggregate(new List<List<string>> { new() }, (parts, line) =>
        {
            if (line.Trim() == Elision) parts.Add(new List<string>());
            else parts[^1].Add(line);
            return parts;
        }).Select(p => ReadmeDocument.Normalize(string.Join("\n", p))).Where(p => p.Length > 0).ToArray();

    static bool QuotesInOrder(string source, string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = source.IndexOf(part, at, StringComparison.Ordinal);
            if (found < 0) return false;
            at = found + part.Length;
        }
        return true;
    }
}
