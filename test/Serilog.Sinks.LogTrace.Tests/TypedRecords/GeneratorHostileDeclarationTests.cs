using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Serilog.Sinks.LogTrace.Generators;
using static Serilog.Sinks.LogTrace.Tests.TypedRecords.GeneratorRun;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// Declarations a user could write, hostile or merely unusual, and what the generator and the analyzer make of them.
// Found by a review (2026-12-05): a parameter named like the generated field broke the build in generated code, a
// method with its own body got CS0757 in generated code, an undefined Level was sent as Information, {EventName} in an
// event's message earned a false LOGTRACE002, "{Count,abc}" (text to Serilog) too, a placeholder naming the logger was
// answered "add a parameter named 'logger'", LOGTRACE003 missed LoggerMessage.Define, DefineScope and
// [LoggerMessage], the JSON catalogue broke the build on a name holding U+2028 then "#endif", and a records class named
// like the assembly (Contoso.App) collided with the catalogue's namespace. The rest held, and stays pinned here.
public class GeneratorHostileDeclarationTests
{
    static void NoErrors(string source)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(source);
        Assert.True(errors.Length == 0 && diagnostics.Length == 0,
            string.Join("\n", diagnostics.Concat(errors).Select(d => d.ToString())) + "\n----\n" + string.Join("\n----\n", sources.Select(s => s.SourceText.ToString())));
    }

    static string[] Ids(string source) => GeneratorRun.Generate(source).Diagnostics.Select(d => d.Id).ToArray();

    [Fact]
    public void AKeywordNamespaceCompiles() => NoErrors("""
        using Serilog.Sinks.LogTrace;
        namespace Contoso.@class
        {
            public static partial class AuditTrail { [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId); }
        }
        """);

    [Fact]
    public void MethodsNamedNamesAndWriterCompile() => NoErrors(InAuditTrail("""
        [LogTraceEvent("a.b")] public static partial void Names(this Serilog.ILogger logger, string userId);
        [LogTraceEvent("a.c")] public static partial void Writer(this Serilog.ILogger logger, string userId);
        """));

    [Fact]
    public void MethodsNamedNamesChangedAndWriterChangedCompile() => NoErrors(InAuditTrail("""
        [LogTraceEvent("a.b")] public static partial void NamesChanged(this Serilog.ILogger logger, string userId);
        [LogTraceEvent("a.c")] public static partial void WriterChanged(this Serilog.ILogger logger, string userId);
        """));

    [Theory]
    [InlineData("Serilog.ILogger", "__LogTraceAWriter")]
    [InlineData("Microsoft.Extensions.Logging.ILogger", "__LogTraceANames")]
    public void AParameterNamedLikeTheGeneratedFieldCompiles(string logger, string name) => NoErrors(InAuditTrail(
        $$"""[LogTraceEvent("a.b")] public static partial void A(this {{logger}} logger, string {{name}});"""));

    [Fact]
    public void APlaceholderNamingTheLoggerIsNotAnsweredWithAddIt()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceEvent("a.b", Message = "Via {Logger}")] public static partial void A(this Serilog.ILogger logger, string userId);"""));
        Assert.DoesNotContain(diagnostics, d => d.GetMessage().Contains("add a parameter named 'logger'", StringComparison.Ordinal));
        Assert.Equal("No parameter fills the placeholder {Logger} of the message; the logger is no value of the record, and fills no placeholder",
            Assert.Single(diagnostics, d => d.Id == "LOGTRACE002").GetMessage());
    }

    [Fact]
    public void AnImplementedPartialIsReportedNotDuplicated()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail("""
            [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);
            public static partial void A(this Serilog.ILogger logger, string userId) { }
            """));
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        Assert.Contains("(it has a body already, which the generator writes)", Assert.Single(diagnostics, d => d.Id == "LOGTRACE004").GetMessage());
    }

    [Fact]
    public void ANonPartialClassGivesNoErrorInGeneratedSource()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""", "public static class AuditTrail"));
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void NullableDisabledFileCompilesWithoutWarnings()
    {
        var source = "#nullable disable\n" + InAuditTrail(
            """[LogTraceAuditLog("a.b", Message = "{InvoiceId}")] public static partial void A(this Serilog.ILogger logger, string userId, string invoiceId, Invoice before, System.Exception error);"""
            + "\n" + """[LogTraceAuditLog("a.b", Message = "{InvoiceId}")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, string invoiceId, Invoice before, System.Exception error);""");
        var compilation = GeneratorRun.Compile(source);
        CSharpGeneratorDriver.Create(new TypedRecordGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var d);
        Assert.Empty(d);
        Assert.Empty(output.GetDiagnostics().Where(x => x.Severity >= DiagnosticSeverity.Warning));
    }

    // Hostile names
    [Theory]
    [InlineData("string @event")]
    [InlineData("string @class, string @params")]
    [InlineData("string e")]
    [InlineData("string level")]
    [InlineData("string exception")]
    [InlineData("string properties")]
    [InlineData("string value")]
    [InlineData("string @var")]
    [InlineData("string global")]
    [InlineData("string Serilog")]
    [InlineData("string Microsoft")]
    [InlineData("string System")]
    [InlineData("string AuditTrail")]
    [InlineData("string A")]
    [InlineData("int userId, System.Guid token")]
    [InlineData("int? count, System.DateTimeOffset? at")]
    [InlineData("(int a, string b) pair")]
    [InlineData("System.Collections.Generic.List<string?> tags")]
    [InlineData("dynamic d")]
    [InlineData("object o")]
    [InlineData("nint n")]
    [InlineData("params object[] args")]
    [InlineData("string invoiceId, string InvoiceId")]
    [InlineData("System.Exception? error")]
    [InlineData("System.AggregateException error")]
    public void HostileParametersCompile(string parameters)
    {
        foreach (var logger in new[] { "Serilog.ILogger", "Microsoft.Extensions.Logging.ILogger" })
            NoErrors(InAuditTrail($$"""[LogTraceSession(LogTraceSessionStatus.Successful)] public static partial void A(this {{logger}} logger, string token2, {{parameters}});"""));
    }

    [Theory]
    [InlineData("Serilog.ILogger")]
    [InlineData("Microsoft.Extensions.Logging.ILogger")]
    public void LoggerNamedLikeAKeywordCompiles(string logger) => NoErrors(InAuditTrail(
        $$"""[LogTraceEvent("a.b", Message = "{Event}")] public static partial void A(this {{logger}} @this, string @event, System.Exception @throw);"""));

    // Global namespace
    [Fact]
    public void GlobalNamespaceCompiles() => NoErrors("""
        using Serilog.Sinks.LogTrace;
        public static partial class AuditTrail { [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId); }
        public static partial class AuditTrail2 { [LogTraceEvent("a.b", Message = "{X}")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, int x); }
        """);

    // names and messages
    [Theory]
    [InlineData("a\\\"b")]
    [InlineData("a\\\\b")]
    [InlineData("a*/b")]
    [InlineData("a\\r\\nb")]
    [InlineData("\\uD800")]
    [InlineData("é✓𝄞")]
    [InlineData("a</summary>b")]
    [InlineData("a\\u0085b")]
    [InlineData("a\\u0000b")]
    public void HostileNamesAndMessagesCompile(string text)
    {
        foreach (var logger in new[] { "Serilog.ILogger", "Microsoft.Extensions.Logging.ILogger" })
            NoErrors(InAuditTrail($$"""[LogTraceEvent("{{text}}", Message = "{{text}} {X}")] public static partial void A(this {{logger}} logger, string userId, int x);"""));
    }

    [Theory]
    [InlineData("a\\u2028#endif\\u2028b")]
    [InlineData("a\\u0085#error x\\u0085b")]
    [InlineData("a\\u2029#endif")]
    public void JsonCatalogueWithLineSeparatorsCompiles(string text)
    {
        var options = new BuildProperties(new() { ["build_property.LogTraceRecordCatalogJson"] = "true" });
        CSharpGeneratorDriver.Create(new[] { new TypedRecordGenerator().AsSourceGenerator() }, optionsProvider: options)
            .RunGeneratorsAndUpdateCompilation(GeneratorRun.Compile(InAuditTrail($$"""[LogTraceEvent("{{text}}")] public static partial void A(this Serilog.ILogger logger, string userId);""")),
                out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    // Messages
    [Theory]
    [InlineData("{UserName:N0}")]
    [InlineData("{UserName,10}")]
    [InlineData("{UserName,-10:x}")]
    [InlineData("{@Before} {$Method}")]
    [InlineData("{{literal}} }} {UserName}")]
    [InlineData("unclosed {UserName")]
    [InlineData("{UserName} {UserName}")]
    [InlineData("{Method} {method}")]
    [InlineData("")]
    public void MessagesCompile(string message)
    {
        foreach (var logger in new[] { "Serilog.ILogger", "Microsoft.Extensions.Logging.ILogger" })
            NoErrors(InAuditTrail($$"""[LogTraceAuditLog("a.b", Message = "{{message}}")] public static partial void A(this {{logger}} logger, string userId, string userName, string method, Invoice before);"""));
    }

    // Serilog's parser: a hole whose alignment is not a number is text, so no parameter is needed.
    [Theory]
    [InlineData("Width {Count,abc}")]
    public void TextThatSerilogDoesNotTakeForAHoleNeedsNoParameter(string message) =>
        Assert.Empty(Ids(InAuditTrail($$"""[LogTraceEvent("a.b", Message = "{{message}}")] public static partial void A(this Serilog.ILogger logger, string userId);""")));

    // LOGTRACE003 analyzer
    static string Code(string statement) => "static class Calls { const string N = \"Event\"; static void Run() { " + statement + " } }";

    [Theory]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext(@"Eventname", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("Event" + "name", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext($"{N}name", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext(N + "_Name", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext(value: "a.b", propertyName: "EVENTNAME");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("eventname", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("Event-Name", "a.b");""")]
    [InlineData("""Serilog.Log.ForContext("Event-Name", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.Information("{@Event_Name}", 1);""")]
    [InlineData("""Serilog.ILogger log = null!; log.Write(Serilog.Events.LogEventLevel.Information, "{eventName}", 1);""")]
    [InlineData("""Microsoft.Extensions.Logging.ILogger log = null!; Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(log, new System.Exception(), "{event_name}", 1);""")]
    [InlineData("""Microsoft.Extensions.Logging.ILogger log = null!; Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(log, "{Event-Name}", 1);""")]
    [InlineData("""var d = Microsoft.Extensions.Logging.LoggerMessage.Define<string>(Microsoft.Extensions.Logging.LogLevel.Information, default, "Signed in {eventName}");""")]
    [InlineData("""var d = Microsoft.Extensions.Logging.LoggerMessage.DefineScope<string>("{eventName}");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext(nameof(Eventname), "a.b");""")]
    public void AMisspeltMarkerIsReported(string statement) =>
        Assert.Single(GeneratorRun.Analyze(Code(statement).Replace("static void Run()", "static int Eventname; static void Run()")), d => d.Id == "LOGTRACE003");

    [Theory]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("EventName", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("EventName ", "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext(nameof(EventName), "a.b");""")]
    [InlineData("""Serilog.ILogger log = null!; log.Information("{EventName} {AuditLogName} {SessionStatus} {SessionToken}", 1, 2, 3, 4);""")]
    [InlineData("""Serilog.ILogger log = null!; log.Information("{{eventName}}");""")]
    [InlineData("""Serilog.ILogger log = null!; log.Information("Event name: {0}", "eventName");""")]
    [InlineData("""Serilog.ILogger log = null!; log.ForContext("UserName", "eventName");""")]
    [InlineData("""Microsoft.Extensions.Logging.ILogger log = null!; Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "{{eventName}}");""")]
    public void CorrectOrUnrelatedNamesAreNotReported(string statement) =>
        Assert.Empty(GeneratorRun.Analyze(Code(statement).Replace("static void Run()", "static int EventName; static void Run()")));

    [Fact]
    public void AMisspeltMarkerInALoggerMessageAttributeIsReported()
    {
        var source = """
            using Microsoft.Extensions.Logging;
            static partial class Log
            {
                [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Signed in {eventName}")]
                public static partial void SignedIn(ILogger logger, string eventName);
                public static partial void SignedIn(ILogger logger, string eventName) { }
            }
            """;
        Assert.Single(GeneratorRun.Analyze(source), d => d.Id == "LOGTRACE003");
    }

    // The marker is on every record: the chain renders {EventName} from it (ForContext("EventName", ...).Information("{EventName}")).
    [Theory]
    [InlineData("""[LogTraceEvent("a.b", Message = "Event {EventName}")] public static partial void A(this Serilog.ILogger logger, string userId);""")]
    [InlineData("""[LogTraceAuditLog("a.b", Message = "Audit {AuditLogName}")] public static partial void A(this Serilog.ILogger logger, string userId);""")]
    [InlineData("""[LogTraceSession(LogTraceSessionStatus.Failed, Message = "Session {SessionStatus}")] public static partial void A(this Serilog.ILogger logger, string token);""")]
    public void AMarkerPlaceholderIsFilledByTheMarker(string declaration) => Assert.Empty(Ids(InAuditTrail(declaration)));

    // The catalogue's namespace is the assembly name; a records class named like the assembly's last segment.
    [Fact]
    public void ARecordsClassNamedLikeTheAssemblyCompiles()
    {
        var compilation = GeneratorRun.Compile("""
            using Serilog.Sinks.LogTrace;
            namespace Contoso { public static partial class App { [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId); } }
            """);
        CSharpGeneratorDriver.Create(new TypedRecordGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    // A parameter named for another kind's marker would make the sink send another kind of record (its markers take
    // precedence): refused with LOGTRACE007, and a placeholder of that name is not answered "add a parameter".
    [Theory]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, string auditLogName);""", "auditLogName", "AuditLogName", "an audit log")]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, string userId, string sessionStatus);""", "sessionStatus", "SessionStatus", "a session")]
    [InlineData("""[LogTraceAuditLog("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, string sessionStatus);""", "sessionStatus", "SessionStatus", "a session")]
    public void AParameterNamedForAnotherKindsMarkerIsRefused(string declaration, string parameter, string property, string kind)
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(declaration));

        Assert.Equal("The parameter '" + parameter + "' cannot be sent: its property " + property + " is the marker of " + kind +
            ", so the sink would send this record as one", Assert.Single(diagnostics).GetMessage());
        Assert.Equal("LOGTRACE007", diagnostics[0].Id);
    }

    // The sink's order is SessionStatus, AuditLogName, EventName: a marker lower in it changes no kind, and is sent as
    // metadata (an event's own eventName replaces its name, as documented).
    [Theory]
    [InlineData("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, string eventName);""")]
    [InlineData("""[LogTraceAuditLog("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, string eventName);""")]
    [InlineData("""[LogTraceSession(LogTraceSessionStatus.Failed)] public static partial void A(this Serilog.ILogger logger, string token, string auditLogName);""")]
    [InlineData("""[LogTraceSession(LogTraceSessionStatus.Failed)] public static partial void A(this Serilog.ILogger logger, string token, string eventName);""")]
    public void AMarkerThatChangesNoKindIsNotRefused(string declaration) => Assert.Empty(Ids(InAuditTrail(declaration)));

    // A token of a type that is not a scalar would be captured as a structure: other providers would see it whole, and
    // the sink could not read it.
    [Theory]
    [InlineData("object token")]
    [InlineData("Invoice token")]
    public void ATokenThatIsNoScalarIsRefused(string parameter)
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            "[LogTraceSession(LogTraceSessionStatus.Failed)] public static partial void A(this Microsoft.Extensions.Logging.ILogger logger, " + parameter + ");"));

        var error = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE007", error.Id);
        Assert.StartsWith("The parameter 'token' cannot be sent: a session token is sent as text, so its type must be a string, a Guid or another " +
            "scalar, not ", error.GetMessage());
    }

    [Fact]
    public void ADottedPlaceholderIsNoParameters()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceEvent("a.b", Message = "For {Order.Id}")] public static partial void A(this Serilog.ILogger logger, string userId, string order);"""));

        Assert.Equal("No parameter fills the placeholder {Order.Id} of the message; a name with a '.' is no parameter's",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void APlaceholderNamingAnotherKindsMarkerSaysSo()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(InAuditTrail(
            """[LogTraceEvent("a.b", Message = "As {AuditLogName}")] public static partial void A(this Serilog.ILogger logger, string userId);"""));

        Assert.Equal("No parameter fills the placeholder {AuditLogName} of the message; AuditLogName is the marker of an audit log, which this record " +
            "cannot carry", Assert.Single(diagnostics).GetMessage());
    }

    // The catalogue goes to LogTraceRecordCatalogs.<AssemblyName> when a type of the assembly has the assembly's name
    // (GeneratorRun compiles as Contoso.App) or a prefix of it; otherwise to <AssemblyName>.
    [Theory]
    [InlineData("namespace Contoso { public static partial class App { RECORD } }", "LogTraceRecordCatalogs.Contoso.App")]
    [InlineData("public static partial class Contoso { RECORD }", "LogTraceRecordCatalogs.Contoso.App")]
    [InlineData("namespace Contoso { public static partial class Records { RECORD } }", "Contoso.App")]
    [InlineData("namespace Contoso.App { public static partial class App { RECORD } }", "Contoso.App")]
    public void TheCataloguesNamespaceAvoidsATypeOfTheAssemblysName(string container, string ns)
    {
        var source = "using Serilog.Sinks.LogTrace;\n" +
            container.Replace("RECORD", """[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);""");
        var (sources, diagnostics, errors) = GeneratorRun.Generate(source);

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains("namespace " + ns + "\n", sources.Single(s => s.HintName == "LogTraceRecordCatalog.g.cs").SourceText.ToString().Replace("\r\n", "\n"));
    }

    // Generated code is not the user's to fix: a misspelt marker there is not reported.
    [Fact]
    public void AMisspeltMarkerInGeneratedCodeIsNotReported() =>
        Assert.Empty(GeneratorRun.Analyze("// <auto-generated/>\n" + Code("""Serilog.ILogger log = null!; log.ForContext("Eventname", "a.b");""")));
}
