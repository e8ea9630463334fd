using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Serilog.Sinks.LogTrace.Generators;
using static Serilog.Sinks.LogTrace.Tests.TypedRecords.GeneratorRun;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// What the generator writes for a declaration, one rule at a time: the fields, the level, the status, how each
// parameter is captured, the containing types, the file. The snapshots pin one declaration
// of each kind; these pin the rules the snapshots do not reach.
public class GeneratedSourceShapeTests
{
    [Theory]
    [InlineData("string userId", "UserId")]
    [InlineData("string USERNAME", "UserName")]
    [InlineData("string eventType", "EventType")]
    [InlineData("string Token", "SessionToken")]
    [InlineData("System.DateTimeOffset loginAt", "SessionLoginAt")]
    [InlineData("string invoiceId", "InvoiceId")]
    public void AFieldParameterFillsItsFieldAndAnyOtherIsPascalCased(string parameter, string property)
    {
        var (sources, _, errors) = GeneratorRun.Generate(InAuditTrail(
            $$"""[LogTraceSession(LogTraceSessionStatus.Active)] public static partial void A(this Serilog.ILogger logger, string user, {{parameter}});"""));

        Assert.Empty(errors);
        Assert.Contains("__properties, \"" + property + "\", " + parameter.Split(' ')[1] + ", ", RecordSource(sources), StringComparison.Ordinal);
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
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
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

    // Sent at Information, silently, until a review (2026-12-05): now LOGTRACE009, and nothing is generated.
    [Theory]
    [InlineData(6)]
    [InlineData(-1)]
    [InlineData(42)]
    public void ALevelOutsideTheEnumIsAnError(int level)
    {
        var (sources, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            "[LogTraceEvent(\"a.b\", Level = (Serilog.Events.LogEventLevel)(" + level + "))] public static partial void A(this Serilog.ILogger logger, string userId);"));

        Assert.Equal("The record's Level is " + level + ", which is not a LogEventLevel (Verbose to Fatal)", Assert.Single(diagnostics).GetMessage());
        Assert.Equal(("LOGTRACE009", DiagnosticSeverity.Error), (diagnostics[0].Id, diagnostics[0].Severity));
        Assert.DoesNotContain(sources, s => s.HintName.EndsWith(".LogTrace.g.cs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Active", "active")]
    [InlineData("Successful", "successful")]
    [InlineData("Failed", "failed")]
    [InlineData("Expired", "expired")]
    [InlineData("Logout", "logout")]
    public void ASessionIsMarkedWithItsStatusWord(string status, string word)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
            $$"""[LogTraceSession(LogTraceSessionStatus.{{status}})] public static partial void A(this Serilog.ILogger logger, string token, string userId);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        // A session without a Message has none: its status word is not a message.
        Assert.Contains("new global::Serilog.Sinks.LogTrace.LogTraceRecordWriter(\"\", \"SessionStatus\", \"" + word + "\", 3)", RecordSource(sources),
            StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventWithoutAMessageHasItsNameForMessage()
    {
        var (sources, _, errors) = GeneratorRun.Generate(InAuditTrail("""[LogTraceEvent("user.login")] public static partial void A(this Serilog.ILogger logger, string userId);"""));

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
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
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
        var (sources, _, errors) = GeneratorRun.Generate(InAuditTrail(
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
        var source = InAuditTrail("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""",
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
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail("""
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

    [Theory]
    [InlineData("Serilog.ILogger")]
    [InlineData("Microsoft.Extensions.Logging.ILogger")]
    public void APlaceholderRepeatedInAnotherCaseIsFilledOnce(string logger)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
            $$"""[LogTraceEvent("a.b", Message = "{Customer} and {CUSTOMER}")] public static partial void A(this {{logger}} logger, string userId, string customer);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(RecordSource(sources), "\"Customer\""));
    }

    [Fact]
    public void ThroughMicrosoftExtensionsLoggingAPlaceholderKeepsItsCaptureHint()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceAuditLog("a.b", Message = "{@Before} for {$Total}")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, Invoice before, decimal total);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains("{ \"@Before\", \"$Total\", \"UserId\", \"AuditLogName\" }", RecordSource(sources), StringComparison.Ordinal);
    }

    [Fact]
    public void ThroughMicrosoftExtensionsLoggingANameGivenTwiceIsPassedOnce()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceEvent("webhook.received")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, string eventName);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var source = RecordSource(sources);
        Assert.Contains("__LogTraceANames = { \"EventName\", \"UserId\" };", source, StringComparison.Ordinal);
        Assert.Contains("new object?[] { eventName, userId }", source, StringComparison.Ordinal);
    }
}
