using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Serilog.Sinks.LogTrace.Generators;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// Runs the generator and the analyzer over a small source, as the compiler does, against this runtime's assemblies and
// the ones a user of the package has: Serilog, Microsoft.Extensions.Logging.Abstractions and the core package.
static class GeneratorRun
{
    static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Concat(new[]
            {
                typeof(ILogger).Assembly.Location,
                typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location,
                typeof(LogTraceProperties).Assembly.Location,
            })
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    public static CSharpCompilation Compile(string source, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        CSharpCompilation.Create("Contoso.App",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(languageVersion), path: "Records.cs") },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    // The generated sources (by hint name), the generator's diagnostics, and the compiler's errors after generation.
    // languageVersion: the project's <LangVersion>; the compiler parses the generated sources with the project's options too.
    public static (ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> Diagnostics, Diagnostic[] Errors) Generate(string source,
        LanguageVersion languageVersion = LanguageVersion.Latest)
    {
        var driver = CSharpGeneratorDriver.Create(new[] { new TypedRecordGenerator().AsSourceGenerator() }, parseOptions: new CSharpParseOptions(languageVersion))
            .RunGeneratorsAndUpdateCompilation(Compile(source, languageVersion), out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        return (result.GeneratedSources, diagnostics, errors);
    }

    public static ImmutableArray<Diagnostic> Analyze(string source) =>
        Compile(source).WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MisspeltMarkerAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    // Declarations inside a class AuditTrail (or the container given) in namespace Contoso.App, beside a class Invoice.
    public static string InAuditTrail(string declarations, string container = "public static partial class AuditTrail") => $$"""
        using Serilog.Sinks.LogTrace;

        namespace Contoso.App
        {
            public sealed class Invoice { public decimal Total { get; set; } }

            {{container}}
            {
                {{declarations}}
            }
        }
        """;

    // The one generated file of typed records (not the catalogue).
    public static string RecordSource(ImmutableArray<GeneratedSourceResult> sources) =>
        sources.Single(s => s.HintName.EndsWith(".LogTrace.g.cs", StringComparison.Ordinal)).SourceText.ToString();
}
