namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// Each diagnostic by id and place, through the generator (LOGTRACE001, 002, 004-007) or the analyzer (LOGTRACE003).
public class DiagnosticTests
{
    static string[] GeneratorIds(string declarations)
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorSnapshotTests.Source(declarations, "serilog"));
        return diagnostics.Select(d => d.Id).ToArray();
    }

    [Theory]
    [InlineData("""[LogTraceEvent("")] public static partial void A(this Serilog.ILogger logger);""")]
    [InlineData("""[LogTraceEvent("  ")] public static partial void A(this Serilog.ILogger logger);""")]
    [InlineData("""[LogTraceAuditLog(null!)] public static partial void A(this Serilog.ILogger logger);""")]
    [InlineData("""[LogTraceSession((LogTraceSessionStatus)42)] public static partial void A(this Serilog.ILogger logger);""")]
    public void ABlankNameOrAnUndefinedStatusIsLogTrace001(string declaration) =>
        Assert.Equal(new[] { "LOGTRACE001" }, GeneratorIds(declaration));

    [Fact]
    public void APlaceholderNoParameterFillsIsLogTrace002()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorSnapshotTests.Source(
            """[LogTraceEvent("user.login", Message = "User {UserName} from {Country}")] public static partial void A(this Serilog.ILogger logger, string userName);""", "serilog"));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE002", diagnostic.Id);
        Assert.Contains("{Country}", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
    }

    [Theory]
    [InlineData("""[LogTraceEvent("a.b")] public static void A(this Serilog.ILogger logger) { }""")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(Serilog.ILogger logger);""")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(this string logger);""")]
    public void AMethodOfTheWrongShapeIsLogTrace004(string declaration) =>
        Assert.Contains("LOGTRACE004", GeneratorIds(declaration));

    [Fact]
    public void ASignOutWithoutATokenIsLogTrace005() =>
        Assert.Equal(new[] { "LOGTRACE005" }, GeneratorIds("""[LogTraceSession(LogTraceSessionStatus.Logout)] public static partial void A(this Serilog.ILogger logger, string userId);"""));

    [Fact]
    public void OneNameDeclaredAsTwoKindsIsLogTrace006() =>
        Assert.Equal(new[] { "LOGTRACE006" }, GeneratorIds("""
            [LogTraceEvent("invoice.deleted")] public static partial void A(this Serilog.ILogger logger);
            [LogTraceAuditLog("invoice.deleted")] public static partial void B(this Serilog.ILogger logger);
            """));

    [Theory]
    [InlineData("ref int count")]
    [InlineData("out int count")]
    [InlineData("System.Span<byte> data")]
    [InlineData("System.Exception first, System.Exception second")]
    public void AParameterTheRecordCannotSendIsLogTrace007(string parameter) =>
        Assert.Equal(new[] { "LOGTRACE007" }, GeneratorIds($$"""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, {{parameter}});"""));

    [Theory]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("Eventname", "a.b").Information("x");""", "Eventname")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("event_name", "a.b").Information("x");""", "event_name")]
    [InlineData("""Serilog.Log.Information("Signed in {eventName}", "a.b");""", "eventName")]
    [InlineData("""using (Serilog.Context.LogContext.PushProperty("Audit-Log-Name", "a.b")) { }""", "Audit-Log-Name")]
    [InlineData("""Microsoft.Extensions.Logging.ILogger log = null!; using (Microsoft.Extensions.Logging.LoggerExtensions.BeginScope(log, "{sessionToken}", "t")) { }""", "sessionToken")]
    [InlineData("""Microsoft.Extensions.Logging.ILogger log = null!; Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "{Session.Status}", "t");""", "Session.Status")]
    public void AMisspeltMarkerInUserCodeIsLogTrace003(string statement, string name)
    {
        var diagnostic = Assert.Single(GeneratorRun.Analyze(Code(statement)));
        Assert.Equal("LOGTRACE003", diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'" + name + "'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("EventName", "a.b").Information("{UserName} {SessionToken}", "n", "t");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("EventNames", "a.b").Information("{Event}", "n");""")]
    public void RightlySpeltMarkersAndOtherNamesAreNotReported(string statement) =>
        Assert.Empty(GeneratorRun.Analyze(Code(statement)));

    static string Code(string statement) => "static class Calls { static void Run() { " + statement + " } }";
}

// The analyzer's spelling rule is the sink's: the same names are misspelt markers to both, and no others.
public class MarkerSpellingTests
{
    [Theory]
    [InlineData("Eventname")]
    [InlineData("event_name")]
    [InlineData("eventName")]
    [InlineData("EVENT-NAME")]
    [InlineData("Audit.Log.Name")]
    [InlineData("session_status")]
    [InlineData("Sessiontoken")]
    [InlineData("EventName")]
    [InlineData("SessionToken")]
    [InlineData("EventNames")]
    [InlineData("UserName")]
    [InlineData("e_v_e_n_t_n_a_m_e")]
    [InlineData("__event__name__________x")]
    public void TheAnalyzerAndTheSinkAgree(string name) =>
        Assert.Equal(Records.RecordKinds.MisspeltMarker(name), Generators.MarkerSpelling.MisspeltMarker(name));
}
