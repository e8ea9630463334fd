using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Serilog.Sinks.LogTrace.Generators;
using static Serilog.Sinks.LogTrace.Tests.TypedRecords.GeneratorRun;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The JSON catalogue's text (CatalogueJson), read back as JSON: the packaging test proves the file is written, these
// what it says. Until a mutation run (2026-12-05) nothing but that test read it, so its shape and its escaping were
// unchecked.
public class RecordCatalogueJsonTests
{
    // The lines between "#if LOGTRACE_RECORD_CATALOG_JSON" and "#endif", as the build targets copy them.
    static JsonElement Catalogue(string declarations)
    {
        var result = CSharpGeneratorDriver.Create(new[] { new TypedRecordGenerator().AsSourceGenerator() },
                optionsProvider: new BuildProperties(new() { ["build_property.LogTraceRecordCatalogJson"] = "true" }))
            .RunGenerators(Compile(InAuditTrail(declarations))).GetRunResult();
        var lines = result.Results.Single().GeneratedSources.Single(s => s.HintName == "LogTraceRecordCatalog.json.g.cs").SourceText.Lines
            .Select(l => l.ToString()).ToList();
        Assert.Equal(CatalogueJson.Start, lines[0]);
        var end = lines.IndexOf(CatalogueJson.End);
        Assert.True(end > 0, "the block ends");
        Assert.All(lines.Skip(end + 1), l => Assert.Equal("", l));
        return JsonDocument.Parse(string.Join("\n", lines.Skip(1).Take(end - 1))).RootElement.Clone();
    }

    [Fact]
    public void EachRecordIsAnObjectWithItsSixFields()
    {
        var catalogue = Catalogue("""
            [LogTraceAuditLog("invoice.deleted", Level = Serilog.Events.LogEventLevel.Warning, Message = "Invoice {InvoiceId} deleted")]
            public static partial void InvoiceDeleted(this Serilog.ILogger logger, string userId, string invoiceId, Invoice before);
            [LogTraceEvent("user.login")] public static partial void UserSignedIn(this Serilog.ILogger logger, string userId);
            """);

        Assert.Equal(2, catalogue.GetArrayLength());
        var first = catalogue[0];
        Assert.Equal(new[] { "kind", "name", "level", "parameters", "message", "method" }, first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("AuditLog", first.GetProperty("kind").GetString());
        Assert.Equal("invoice.deleted", first.GetProperty("name").GetString());
        Assert.Equal("Warning", first.GetProperty("level").GetString());
        Assert.Equal("string userId, string invoiceId, Contoso.App.Invoice before", first.GetProperty("parameters").GetString());
        Assert.Equal("Invoice {InvoiceId} deleted", first.GetProperty("message").GetString());
        Assert.Equal("Contoso.App.AuditTrail.InvoiceDeleted", first.GetProperty("method").GetString());
        Assert.Equal(("Event", "user.login", "Information"), (catalogue[1].GetProperty("kind").GetString(), catalogue[1].GetProperty("name").GetString(),
            catalogue[1].GetProperty("level").GetString()));
    }

    // Quotes, backslashes, control characters and the characters C# also ends a line at come back as they were.
    [Theory]
    [InlineData("a\"b")]
    [InlineData("a\\b")]
    [InlineData("a\u0001b\tc\nd")]
    [InlineData("a\u0085b\u2028c\u2029d")]
    [InlineData("é✓ {x}")]
    public void ANameComesBackAsItWas(string name)
    {
        var catalogue = Catalogue("[LogTraceEvent(" + SymbolDisplay.FormatLiteral(name, quote: true) +
            ", Message = \"m\")] public static partial void A(this Serilog.ILogger logger, string userId);");

        Assert.Equal(name, catalogue[0].GetProperty("name").GetString());
    }

    [Fact]
    public void OnlyControlAndLineCharactersAreEscaped()
    {
        var result = CSharpGeneratorDriver.Create(new[] { new TypedRecordGenerator().AsSourceGenerator() },
                optionsProvider: new BuildProperties(new() { ["build_property.LogTraceRecordCatalogJson"] = "true" }))
            .RunGenerators(Compile(InAuditTrail("""[LogTraceEvent("a\u2028é\u0001\"", Message = "m")] public static partial void A(this Serilog.ILogger logger, string userId);""")))
            .GetRunResult();
        var text = result.Results.Single().GeneratedSources.Single(s => s.HintName == "LogTraceRecordCatalog.json.g.cs").SourceText.ToString();

        Assert.Contains("\"name\": \"a\\u2028é\\u0001\\\"\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyListIsNotWritten_ButOneRecordIsAListOfOne()
    {
        var catalogue = Catalogue("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""");

        Assert.Equal(JsonValueKind.Array, catalogue.ValueKind);
        Assert.Equal(1, catalogue.GetArrayLength());
    }
}
