using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// The generated source of each kind of record for each logger type, pinned: every change to what users step into is
// a visible diff. Each must also compile without an error.
public class GeneratorSnapshotTests
{
    static readonly Dictionary<string, string> Declarations = new()
    {
        ["event"] = """[LogTraceEvent("user.login", Message = "User {UserName} signed in with {Method}")] public static partial void UserSignedIn(this LOGGER logger, string userId, string userName, string method);""",
        ["audit-log"] = """[LogTraceAuditLog("invoice.deleted", Message = "Invoice {InvoiceId} deleted", Level = Serilog.Events.LogEventLevel.Warning)] public static partial void InvoiceDeleted(this LOGGER logger, string userId, string invoiceId, Invoice before, System.Exception? error);""",
        ["session"] = """[LogTraceSession(LogTraceSessionStatus.Logout, Message = "User {UserName} signed out")] public static partial void SessionEnded(this LOGGER logger, string token, string userName, System.DateTimeOffset loginAt);""",
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var kind in Declarations.Keys)
        {
            cases.Add(kind, "serilog");
            cases.Add(kind, "mel");
        }
        return cases;
    }

    public static string Source(string declaration, string logger) => $$"""
        using Serilog.Sinks.LogTrace;

        namespace Contoso.App;

        public sealed class Invoice { public decimal Total { get; set; } }

        public static partial class AuditTrail
        {
            {{declaration.Replace("LOGGER", logger == "mel" ? "Microsoft.Extensions.Logging.ILogger" : "Serilog.ILogger")}}
        }
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheGeneratedSourceIsPinned(string kind, string logger)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Source(Declarations[kind], logger));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var method = sources.Single(s => s.HintName.Contains("AuditTrail", StringComparison.Ordinal));
        Approvals.Verify(method.SourceText.ToString(), $"generated-{kind}-{logger}", "cs.txt");
    }

    [Fact]
    public void TheCatalogueListsEveryRecord()
    {
        var declarations = string.Join("\n", Declarations.Values.Select((d, i) => d.Replace("LOGGER", i % 2 == 0 ? "Serilog.ILogger" : "Microsoft.Extensions.Logging.ILogger")));
        var (sources, diagnostics, errors) = GeneratorRun.Generate(Source(declarations, "serilog"));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var catalogue = sources.Single(s => s.HintName == "LogTraceRecordCatalog.g.cs");
        Approvals.Verify(catalogue.SourceText.ToString(), "generated-catalogue", "cs.txt");
    }
}
