using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Serilog.Sinks.LogTrace.Generators;
using static Serilog.Sinks.LogTrace.Tests.TypedRecords.GeneratorRun;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The generated catalogue of an assembly's typed records: when it is written, in which order, under which namespace,
// and the opt-in JSON one.
public class RecordCatalogueTests
{
    [Fact]
    public void OnlyInvalidRecordsGiveNoCatalogue()
    {
        var (sources, _, _) = GeneratorRun.Generate(InAuditTrail("""[LogTraceEvent("")] public static partial void A(this Serilog.ILogger logger);"""));

        Assert.Empty(sources);
    }

    [Fact]
    public void TheCatalogueListsTypesInOrderOfTheirNames()
    {
        var (sources, _, errors) = GeneratorRun.Generate("""
            using Serilog.Sinks.LogTrace;
            namespace Contoso.App
            {
                public static partial class Zeta { [LogTraceEvent("z.z")] public static partial void Z(this Serilog.ILogger logger, string userId); }
                public static partial class Alpha { [LogTraceEvent("a.a")] public static partial void A(this Serilog.ILogger logger, string userId); }
            }
            """);

        Assert.Empty(errors);
        var catalogue = sources.Single(s => s.HintName == "LogTraceRecordCatalog.g.cs").SourceText.ToString();
        Assert.True(catalogue.IndexOf("\"a.a\"", StringComparison.Ordinal) < catalogue.IndexOf("\"z.z\"", StringComparison.Ordinal));
    }

    // Within a type, as declared: a session, an audit log and an event, in that order, keep it (the generator collects
    // the kinds apart, and listed events first until a review, 2026-12-05), in the catalogue and in its JSON.
    [Fact]
    public void WithinATypeTheCatalogueKeepsTheDeclarationOrder()
    {
        var options = new BuildProperties(new() { ["build_property.LogTraceRecordCatalogJson"] = "true" });
        var compilation = GeneratorRun.Compile(InAuditTrail("""
            [LogTraceSession(LogTraceSessionStatus.Failed)] public static partial void S(this Serilog.ILogger logger, string token);
            [LogTraceAuditLog("b.b")] public static partial void B(this Serilog.ILogger logger, string userId);
            [LogTraceEvent("c.c")] public static partial void C(this Serilog.ILogger logger, string userId);
            """));
        var result = CSharpGeneratorDriver.Create(new[] { new TypedRecordGenerator().AsSourceGenerator() }, optionsProvider: options)
            .RunGenerators(compilation).GetRunResult();

        foreach (var hint in new[] { "LogTraceRecordCatalog.g.cs", "LogTraceRecordCatalog.json.g.cs" })
        {
            var text = result.Results.Single().GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();
            var (s, b, c) = (text.IndexOf("\"failed\"", StringComparison.Ordinal), text.IndexOf("\"b.b\"", StringComparison.Ordinal),
                text.IndexOf("\"c.c\"", StringComparison.Ordinal));
            Assert.True(s >= 0 && s < b && b < c, hint + ": " + text);
        }
    }

    [Theory]
    [InlineData("my-app.v2", "my_app.v2")]
    [InlineData("2fa", "_2fa")]
    [InlineData("Contoso..App", "Contoso._.App")]
    [InlineData("Contoso.App_1", "Contoso.App_1")]
    public void TheCatalogueNamespaceIsTheAssemblyNameMadeAnIdentifier(string assembly, string ns)
    {
        var compilation = GeneratorRun.Compile(InAuditTrail("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);"""))
            .WithAssemblyName(assembly);
        CSharpGeneratorDriver.Create(new TypedRecordGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("namespace " + ns + "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void TheJsonCatalogueIsWrittenOnlyWhenAskedFor(string? property, bool written)
    {
        var options = new BuildProperties(property == null ? new() : new() { ["build_property.LogTraceRecordCatalogJson"] = property });
        var driver = CSharpGeneratorDriver.Create(new[] { new TypedRecordGenerator().AsSourceGenerator() }, optionsProvider: options)
            .RunGenerators(GeneratorRun.Compile(InAuditTrail("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""")));

        var hints = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(written, hints.Contains("LogTraceRecordCatalog.json.g.cs"));
        Assert.Contains("LogTraceRecordCatalog.g.cs", hints);
    }
}
