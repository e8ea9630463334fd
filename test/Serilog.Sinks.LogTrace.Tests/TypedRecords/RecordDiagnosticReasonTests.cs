using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Serilog.Sinks.LogTrace.Generators;
using static Serilog.Sinks.LogTrace.Tests.TypedRecords.GeneratorRun;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// What each diagnostic says, so the user reads what is wrong and how to mend it; and what is not reported.
public class RecordDiagnosticReasonTests
{
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
        var (sources, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(declaration));

        Assert.All(diagnostics, d => Assert.Equal("LOGTRACE004", d.Id));
        Assert.Contains(diagnostics, d => d.GetMessage().EndsWith("(" + reason + ")", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, s => s.HintName.EndsWith(".LogTrace.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, s => s.HintName == "LogTraceRecordCatalog.g.cs");
    }

    [Theory]
    [InlineData("ref int count", "it is passed by reference")]
    [InlineData("System.Span<byte> data", "it is a ref struct")]
    [InlineData("int* data", "it is a pointer")]
    [InlineData("delegate*<void> data", "it is a pointer")]
    [InlineData("System.Exception first, System.Exception second", "a log event has one exception, and another parameter is it")]
    public void AParameterTheRecordCannotSendSaysWhy(string parameter, string reason)
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            $$"""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, {{parameter}});"""));

        var error = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE007", error.Id);
        Assert.EndsWith(": " + reason, error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void APlaceholderWithADigitInItsNameIsNotPositional()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceEvent("a.b", Message = "{Invoice1}")] public static partial void A(this Serilog.ILogger logger, string userId);"""));

        Assert.EndsWith("add a parameter named 'invoice1'", Assert.Single(diagnostics).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFileLocalClassSaysWhy()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger);""",
            "file static partial class AuditTrail"));

        Assert.EndsWith("(its class is file-local, so no other file can complete it)", Assert.Single(diagnostics).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AStatusJustPastTheLastIsLogTrace001()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceSession((LogTraceSessionStatus)5)] public static partial void A(this Serilog.ILogger logger, string token);"""));

        Assert.Equal("The record's status must be a constant that is not empty or blank", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void ABlankNameSaysName()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail("""[LogTraceEvent(" ")] public static partial void A(this Serilog.ILogger logger);"""));

        Assert.Equal("The record's name must be a constant that is not empty or blank", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void AnEventAndASessionMayShareAWord()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail("""
            [LogTraceEvent("active")] public static partial void A(this Serilog.ILogger logger, string userId);
            [LogTraceSession(LogTraceSessionStatus.Active)] public static partial void B(this Serilog.ILogger logger, string token, string userId);
            """));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    [Fact]
    public void TwoBlankNamesAreNotOneNameDeclaredTwice()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail("""
            [LogTraceEvent("")] public static partial void A(this Serilog.ILogger logger);
            [LogTraceAuditLog("")] public static partial void B(this Serilog.ILogger logger);
            """));

        Assert.Equal(new[] { "LOGTRACE001", "LOGTRACE001" }, diagnostics.Select(d => d.Id));
    }
}
