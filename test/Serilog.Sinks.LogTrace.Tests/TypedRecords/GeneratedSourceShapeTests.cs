using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Serilog.Sinks.LogTrace.Generators;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// What the generator reads from a declaration and writes for it, one rule at a time: the method's shape, the level,
// the status, how each parameter is captured, the containing types, the catalogue. The snapshots pin one declaration
// of each kind; these pin the rules the snapshots do not reach.
public class GeneratedSourceShapeTests
{
    static string Records(string declarations, string container = "public static partial class AuditTrail") => $$"""
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

    static string RecordSource(ImmutableArray<GeneratedSourceResult> sources) =>
        sources.Single(s => s.HintName.EndsWith(".LogTrace.g.cs", StringComparison.Ordinal)).SourceText.ToString();

    [Theory]
    [InlineData("""[LogTraceEvent("a.b")] public partial void A(this Serilog.ILogger logger);""", "it is not static")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial int A(this Serilog.ILogger logger);""", "it does not return void")]
    [InlineData("""[LogTraceEvent("a.b")] public static void A(this Serilog.ILogger logger) { }""", "it is not a partial method without a body")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A<T>(this Serilog.ILogger logger);""", "it is generic")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(Serilog.ILogger logger);""", "it is not an extension method")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A();""", "it is not an extension method")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(this string logger);""", "its first parameter is string")]
    [InlineData("""[LogTraceEvent("a.b")][LogTraceAuditLog("a.c")] public static partial void A(this Serilog.ILogger logger);""", "it has more than one typed record attribute")]
    public void AMethodOfTheWrongShapeSaysWhatIsWrongAndGetsNoSource(string declaration, string reason)
    {
        var (sources, diagnostics, _) = GeneratorRun.Generate(Records(declaration));

        Assert.All(diagnostics, d => Assert.Equal("LOGTRACE004", d.Id));
        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("(" + reason + ")", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, s => s.HintName.EndsWith(".LogTrace.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, s => s.HintName == "LogTraceRecordCatalog.g.cs");
    }

    [Theory]
    [InlineData("string userId", "UserId")]
    [InlineData("string USERNAME", "UserName")]
    [InlineData("string eventType", "EventType")]
    [InlineData("string Token", "SessionToken")]
    [InlineData("System.DateTimeOffset loginAt", "SessionLoginAt")]
    [InlineData("string invoiceId", "InvoiceId")]
    public void AFieldParameterFillsItsFieldAndAnyOtherIsPascalCased(string parameter, string property)
    {
        var (sources, _, errors) = GeneratorRun.Generate(Records(
            $$"""[LogTraceSession(LogTraceSessionStatus.Active)] public static partial void A(this Serilog.ILogger logger, string user, {{parameter}});"""));

        Assert.Empty(errors);
        Assert.Contains("__properties, \"" + property + "\", " + parameter.Split(' ')[1] + ", ", RecordSource(sources), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ref int count", "it is passed by reference")]
    [InlineData("System.Span<byte> data", "it is a ref struct")]
    [InlineData("int* data", "it is a pointer")]
    [InlineData("delegate*<void> data", "it is a pointer")]
    [InlineData("System.Exception first, System.Exception second", "a log event has one exception, and another parameter is it")]
    public void AParameterTheRecordCannotSendSaysWhy(string parameter, string reason)
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(Records(
            $$"""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, {{parameter}});"""));

        var error = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE007", error.Id);
        Assert.EndsWith(": " + reason, error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void APlaceholderWithADigitInItsNameIsNotPositional()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(Records(
            """[LogTraceEvent("a.b", Message = "{Invoice1}")] public static partial void A(this Serilog.ILogger logger, string userId);"""));

        Assert.EndsWith("add a parameter named 'invoice1'", Assert.Single(diagnostics).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFileLocalClassSaysWhy()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(Records("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger);""",
            "file static partial class AuditTrail"));

        Assert.EndsWith("(its class is file-local, so no other file can complete it)", Assert.Single(diagnostics).GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Verbose", "Trace")]
    [InlineData("Debug", "Debug")]
    [InlineData("Information", "Information")]
    [InlineData("Warning", "Warning")]
    [InlineData("Error", "Error")]
    [InlineData("Fatal", "Critical")]
    public void TheLevelIsCheckedAndWrittenAtTheDeclaredLevel(string serilog, string mel)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records(
            $$"""
            [LogTraceEvent("a.b", Level = Serilog.Events.LogEventLevel.{{serilog}})] public static partial void A(this Serilog.ILogger logger, string userId);
            [LogTraceEvent("a.c", Level = Serilog.Events.LogEventLevel.{{serilog}})] public static partial void B(this Microsoft.Extensions.Logging.ILogger logger, string userId);
            """));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var source = RecordSource(sources);
        Assert.Contains("logger.IsEnabled(global::Serilog.Events.LogEventLevel." + serilog + ")", source, StringComparison.Ordinal);
        Assert.Contains("logger.IsEnabled(global::Microsoft.Extensions.Logging.LogLevel." + mel + ")", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ALevelOutsideTheEnumIsInformation()
    {
        var (sources, _, errors) = GeneratorRun.Generate(Records(
            """[LogTraceEvent("a.b", Level = (Serilog.Events.LogEventLevel)6)] public static partial void A(this Serilog.ILogger logger, string userId);"""));

        Assert.Empty(errors);
        Assert.Contains("IsEnabled(global::Serilog.Events.LogEventLevel.Information)", RecordSource(sources), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Active", "active")]
    [InlineData("Successful", "successful")]
    [InlineData("Failed", "failed")]
    [InlineData("Expired", "expired")]
    [InlineData("Logout", "logout")]
    public void ASessionIsMarkedWithItsStatusWord(string status, string word)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records(
            $$"""[LogTraceSession(LogTraceSessionStatus.{{status}})] public static partial void A(this Serilog.ILogger logger, string token, string userId);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        // A session without a Message has none: its status word is not a message.
        Assert.Contains("new global::Serilog.Sinks.LogTrace.LogTraceRecordWriter(\"\", \"SessionStatus\", \"" + word + "\", 3)", RecordSource(sources),
            StringComparison.Ordinal);
    }

    [Fact]
    public void AStatusJustPastTheLastIsLogTrace001()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(Records(
            """[LogTraceSession((LogTraceSessionStatus)5)] public static partial void A(this Serilog.ILogger logger, string token);"""));

        Assert.Equal("The record's status must be a constant that is not empty or blank", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void ABlankNameSaysName()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(Records("""[LogTraceEvent(" ")] public static partial void A(this Serilog.ILogger logger);"""));

        Assert.Equal("The record's name must be a constant that is not empty or blank", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void AnEventWithoutAMessageHasItsNameForMessage()
    {
        var (sources, _, errors) = GeneratorRun.Generate(Records("""[LogTraceEvent("user.login")] public static partial void A(this Serilog.ILogger logger, string userId);"""));

        Assert.Empty(errors);
        Assert.Contains("LogTraceRecordWriter(\"user.login\", \"EventName\", \"user.login\", 2)", RecordSource(sources), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.DateTimeOffset")]
    [InlineData("System.TimeSpan")]
    [InlineData("System.Guid")]
    [InlineData("System.Uri")]
    [InlineData("System.DateOnly")]
    [InlineData("System.TimeOnly")]
    [InlineData("System.Numerics.BigInteger")]
    [InlineData("System.Int128")]
    [InlineData("System.UInt128")]
    [InlineData("System.Half")]
    [InlineData("System.DateTime")]
    [InlineData("int?")]
    [InlineData("byte[]")]
    [InlineData("System.DayOfWeek")]
    public void AScalarTypeIsCapturedAsAScalar(string type)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records(
            $$"""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, {{type}} value);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains("__properties, \"Value\", value, '\\0');", RecordSource(sources), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Invoice")]
    [InlineData("int[]")]
    [InlineData("object")]
    public void AnyOtherTypeIsCapturedAsAStructure(string type)
    {
        var (sources, _, errors) = GeneratorRun.Generate(Records(
            $$"""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, {{type}} value);"""));

        Assert.Empty(errors);
        Assert.Contains("__properties, \"Value\", value, '@');", RecordSource(sources), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public partial record struct Outer", "partial record struct Outer")]
    [InlineData("public partial record Outer", "partial record Outer")]
    [InlineData("public partial struct Outer", "partial struct Outer")]
    [InlineData("public partial interface Outer", "partial interface Outer")]
    [InlineData("public partial class Outer<TKey, TValue>", "partial class Outer<TKey, TValue>")]
    public void EveryContainingTypeIsRepeatedWithItsKind(string outer, string header)
    {
        var source = Records("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""",
            outer + " { public static partial class AuditTrail");
        // The wrapper opens one more brace than Records closes.
        var (sources, _, _) = GeneratorRun.Generate(source.Replace("    }\n}", "    }\n}\n}"));

        var generated = RecordSource(sources);
        Assert.Contains(header + "\n", generated, StringComparison.Ordinal);
        Assert.Contains("partial class AuditTrail", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordInTheGlobalNamespaceGetsNoNamespace()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate("""
            using Serilog.Sinks.LogTrace;

            public static partial class AuditTrail
            {
                [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var generated = sources.Single(s => s.HintName == "AuditTrail.LogTrace.g.cs").SourceText.ToString();
        Assert.DoesNotContain("namespace", generated, StringComparison.Ordinal);
        Assert.Contains("\npartial class AuditTrail\n{\n    /// <summary>", generated.Replace("\r\n", "\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void OneFileIsNamedAfterItsTypeAndTwoMethodsAreASpaceApart()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records("""
            [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);
            [LogTraceEvent("a.c")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId);
            [LogTraceEvent("a.d")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, int count);
            """));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var generated = Assert.Single(sources, s => s.HintName == "Contoso.App.AuditTrail.LogTrace.g.cs").SourceText.ToString().Replace("\r\n", "\n");
        Assert.Contains("\"a.b\", 2);\n\n        /// <summary>Records the LogTrace event a.c.</summary>", generated, StringComparison.Ordinal);
        // Overloads get fields of their own.
        Assert.Contains("static readonly string[] __LogTraceANames1 = ", generated, StringComparison.Ordinal);
        Assert.Contains("static readonly string[] __LogTraceANames2 = ", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyInvalidRecordsGiveNoCatalogue()
    {
        var (sources, _, _) = GeneratorRun.Generate(Records("""[LogTraceEvent("")] public static partial void A(this Serilog.ILogger logger);"""));

        Assert.Empty(sources);
    }

    [Theory]
    [InlineData("Serilog.ILogger")]
    [InlineData("Microsoft.Extensions.Logging.ILogger")]
    public void APlaceholderRepeatedInAnotherCaseIsFilledOnce(string logger)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records(
            $$"""[LogTraceEvent("a.b", Message = "{Customer} and {CUSTOMER}")] public static partial void A(this {{logger}} logger, string userId, string customer);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(RecordSource(sources), "\"Customer\""));
    }

    [Fact]
    public void ThroughMicrosoftExtensionsLoggingAPlaceholderKeepsItsCaptureHint()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records(
            """[LogTraceAuditLog("a.b", Message = "{@Before} for {$Total}")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, Invoice before, decimal total);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains("{ \"@Before\", \"$Total\", \"UserId\", \"AuditLogName\" }", RecordSource(sources), StringComparison.Ordinal);
    }

    [Fact]
    public void ThroughMicrosoftExtensionsLoggingANameGivenTwiceIsPassedOnce()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Records(
            """[LogTraceEvent("webhook.received")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, string eventName);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var source = RecordSource(sources);
        Assert.Contains("__LogTraceANames = { \"EventName\", \"UserId\" };", source, StringComparison.Ordinal);
        Assert.Contains("new object?[] { eventName, userId }", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventAndASessionMayShareAWord()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(Records("""
            [LogTraceEvent("active")] public static partial void A(this Serilog.ILogger logger, string userId);
            [LogTraceSession(LogTraceSessionStatus.Active)] public static partial void B(this Serilog.ILogger logger, string token, string userId);
            """));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    [Fact]
    public void TwoBlankNamesAreNotOneNameDeclaredTwice()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(Records("""
            [LogTraceEvent("")] public static partial void A(this Serilog.ILogger logger);
            [LogTraceAuditLog("")] public static partial void B(this Serilog.ILogger logger);
            """));

        Assert.Equal(new[] { "LOGTRACE001", "LOGTRACE001" }, diagnostics.Select(d => d.Id));
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

    [Theory]
    [InlineData("my-app.v2", "my_app.v2")]
    [InlineData("2fa", "_2fa")]
    [InlineData("Contoso..App", "Contoso._.App")]
    [InlineData("Contoso.App_1", "Contoso.App_1")]
    public void TheCatalogueNamespaceIsTheAssemblyNameMadeAnIdentifier(string assembly, string ns)
    {
        var compilation = GeneratorRun.Compile(Records("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);"""))
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
            .RunGenerators(GeneratorRun.Compile(Records("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""")));

        var hints = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(written, hints.Contains("LogTraceRecordCatalog.json.g.cs"));
        Assert.Contains("LogTraceRecordCatalog.g.cs", hints);
    }

    sealed class BuildProperties(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new());
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new());

        sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
