using Microsoft.CodeAnalysis.CSharp;

namespace Serilog.Sinks.LogTrace.Tests.TypedRecords;

// Inputs a user can write that the generator must either compile or refuse with a LOGTRACE diagnostic: never a
// generator crash (CS8785) and never an error inside the generated source.
public class GeneratorEdgeCaseTests
{
    // C# 9 is the first version in which the user's 'public static partial void' compiles (extended partial methods);
    // .NET 5 projects default to it and .NET Framework projects (the netstandard2.0 build) set it by hand.
    [Theory]
    [InlineData("Serilog.ILogger")]
    [InlineData("Microsoft.Extensions.Logging.ILogger")]
    public void TheGeneratedSourceCompilesInCSharp9(string logger)
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            $$"""[LogTraceEvent("user.login", Message = "User {UserName}")] public static partial void UserSignedIn(this {{logger}} logger, string userName);"""),
            LanguageVersion.CSharp9);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    // Two namespaces (or types) that differ only in case: Roslyn's hint names are case-insensitive.
    [Fact]
    public void TwoTypesWhoseNamesDifferOnlyInCaseDoNotCrashTheGenerator()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate("""
            using Serilog.Sinks.LogTrace;
            namespace Contoso.App.Audit { public static partial class Trail { [LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger); } }
            namespace Contoso.App.audit { public static partial class Trail { [LogTraceEvent("a.c")] public static partial void B(this Serilog.ILogger logger); } }
            """);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    // The generated method's local holds the call's properties: a parameter of the same name must not collide with it.
    [Theory]
    [InlineData("logger", ", string __properties", "\"__properties\", __properties,")]
    [InlineData("logger", ", string __properties, string ___properties", "\"___properties\", ___properties,")]
    [InlineData("__properties", "", "__properties.IsEnabled(")]
    public void AParameterNamedLikeTheGeneratedLocalCompiles(string logger, string parameters, string expected)
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            $$"""[LogTraceEvent("a.b", Message = "A {Other}")] public static partial void A(this Serilog.ILogger {{logger}}, string other{{parameters}});"""));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        Assert.Contains(expected, GeneratorRun.RecordSource(sources));
    }

    [Fact]
    public void AParamsParameterKeepsParams()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("tags.added")] public static partial void TagsAdded(this Serilog.ILogger logger, params string[] tags);"""));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    // A file-local class cannot be completed from another file: LOGTRACE004, not errors in the generated source.
    [Fact]
    public void AFileLocalClassIsLogTrace004()
    {
        var (sources, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger);""", "file static partial class AuditTrail"));
        Assert.Contains(diagnostics, d => d.Id == "LOGTRACE004");
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("[LogTraceEvent(\"a.b\\nc\")]")]
    [InlineData("[LogTraceEvent(\"a.b\\u2028c\")]")]
    public void ANameWithALineBreakDoesNotBreakTheDocumentationComment(string attribute)
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(attribute + " public static partial void A(this Serilog.ILogger logger);"));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    [Fact]
    public void KeywordNamedTypesAndMethodsAreEscaped()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("a.b")] public static partial void @return(this Serilog.ILogger logger);""", "public static partial class @params"));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    // The implementation must repeat the declaration's nullability, or the user's build gets CS8611 (an error with
    // TreatWarningsAsErrors).
    [Theory]
    [InlineData("Serilog.ILogger?")]
    [InlineData("Microsoft.Extensions.Logging.ILogger?")]
    public void ANullableLoggerGivesNoWarning(string logger)
    {
        var compilation = GeneratorRun.Compile(GeneratorRun.InAuditTrail($$"""[LogTraceEvent("a.b")] public static partial void A(this {{logger}} logger);"""));
        Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new Generators.TypedRecordGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id == "CS8611");
    }

    // Two record attributes on one method: two implementations (CS0757 in the generated source) instead of LOGTRACE004.
    [Fact]
    public void TwoRecordAttributesOnOneMethodAreLogTrace004()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("a.b")][LogTraceAuditLog("a.c")] public static partial void A(this Serilog.ILogger logger);"""));
        Assert.Contains(diagnostics, d => d.Id == "LOGTRACE004");
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    // A parameter that fills a field (token, loginAt) or is the exception is there: the advice to add it is wrong.
    [Theory]
    [InlineData("""[LogTraceSession(LogTraceSessionStatus.Successful, Message = "Session {Token}")] public static partial void A(this Serilog.ILogger logger, string token);""", "token")]
    [InlineData("""[LogTraceSession(LogTraceSessionStatus.Successful, Message = "Since {LoginAt}")] public static partial void A(this Serilog.ILogger logger, string token, System.DateTimeOffset loginAt);""", "loginAt")]
    [InlineData("""[LogTraceEvent("a.b", Message = "Failed {Exception}")] public static partial void A(this Serilog.ILogger logger, System.Exception exception);""", "exception")]
    public void APlaceholderIsNeverToldToAddAParameterThatExists(string declaration, string parameter)
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(declaration));
        Assert.Contains(diagnostics, d => d.Id == "LOGTRACE008" && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.DoesNotContain(diagnostics, d => d.GetMessage().Contains("add a parameter named '" + parameter + "'", StringComparison.Ordinal));
    }

    // {sessionToken} is filled by the parameter sessionToken, so the property sent is "sessionToken", not SessionToken:
    // the sign-out reaches the sink without a token, exactly what LOGTRACE005 is there to prevent.
    [Fact]
    public void ASignOutWhoseTokenIsSentUnderAnotherSpellingIsAnError()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceSession(LogTraceSessionStatus.Logout, Message = "Signed out {sessionToken}")] public static partial void A(this Serilog.ILogger logger, string sessionToken);"""));
        Assert.Equal("The parameter 'sessionToken' cannot fill the placeholder {sessionToken}: it fills the field SessionToken, so write {SessionToken}",
            Assert.Single(diagnostics, d => d.Id == "LOGTRACE008").GetMessage());
    }

    // "A parameter named userId (any case) fills that field": with {userId} in the message it fills a property named
    // userId instead, and the event reaches the sink without UserId (user_id empty, username the fallback).
    [Fact]
    public void AFieldParameterInAPlaceholderSpeltOtherwiseIsReported()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("user.login", Message = "User {userId} signed in")] public static partial void A(this Serilog.ILogger logger, string userId);"""));
        var error = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE008", error.Id);
        Assert.Equal("The parameter 'userId' cannot fill the placeholder {userId}: it fills the field UserId, so write {UserId}", error.GetMessage());
    }

    [Fact]
    public void AnExceptionInAPlaceholderSaysItFillsNone()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("a.b", Message = "Failed {Error}")] public static partial void A(this Serilog.ILogger logger, string userId, System.Exception error);"""));
        Assert.Equal("The parameter 'error' cannot fill the placeholder {Error}: it is the event's exception, which fills no placeholder",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void AFieldPlaceholderSpeltExactlyIsFilled()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("user.login", Message = "User {UserId} signed in as {UserName}")] public static partial void A(this Serilog.ILogger logger, string userId, string userName);"""));
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("session_token", "SessionToken")]
    [InlineData("eventname", "EventName")]
    [InlineData("auditLog_Name", "AuditLogName")]
    public void AParameterSentAsAMisspeltMarkerIsLogTrace003(string parameter, string marker)
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            $$"""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId, string {{parameter}});"""));

        var warning = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE003", warning.Id);
        Assert.Contains("the LogTrace marker " + marker, warning.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public void AParameterNamedAsAMarkerIsNoMisspelling()
    {
        var (_, diagnostics, errors) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceSession(LogTraceSessionStatus.Successful)] public static partial void A(this Serilog.ILogger logger, string userId, string sessionToken);"""));

        Assert.Empty(diagnostics);
        Assert.Empty(errors);
    }

    [Fact]
    public void APositionalPlaceholderIsNotAnsweredWithAParameterToAdd()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("a.b", Message = "Invoice {0} paid")] public static partial void A(this Serilog.ILogger logger, string userId, string invoiceId);"""));

        var error = Assert.Single(diagnostics);
        Assert.Equal("LOGTRACE002", error.Id);
        Assert.Equal("No parameter fills the placeholder {0} of the message; a typed record's placeholders are named after its parameters, not numbered",
            error.GetMessage());
    }

    [Fact]
    public void ANamedPlaceholderNoParameterFillsSaysWhichParameterToAdd()
    {
        var (_, diagnostics, _) = GeneratorRun.Generate(GeneratorRun.InAuditTrail(
            """[LogTraceEvent("a.b", Message = "Invoice {InvoiceId} paid")] public static partial void A(this Serilog.ILogger logger, string userId);"""));

        Assert.Equal("No parameter fills the placeholder {InvoiceId} of the message; add a parameter named 'invoiceId'", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void TheCatalogueOfAnAssemblyNamedWithAKeywordCompiles()
    {
        var compilation = GeneratorRun.Compile(GeneratorRun.InAuditTrail("""[LogTraceEvent("a.b")] public static partial void A(this Serilog.ILogger logger, string userId);"""))
            .WithAssemblyName("Contoso.class");
        CSharpGeneratorDriver.Create(new Generators.TypedRecordGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("namespace Contoso.@class", StringComparison.Ordinal));
    }
}

// Both logger types send the same properties when two of a record's properties share a name: Serilog's provider for
// Microsoft.Extensions.Logging keeps the last pair of a name, LogTraceRecordWriter (and the ForContext chain) the
// value that Serilog's own rules keep.
public static partial class DuplicateNameRecords
{
    [LogTraceEvent("webhook.received")]
    public static partial void WebhookReceived(this ILogger logger, string eventName);

    [LogTraceEvent("webhook.received")]
    public static partial void WebhookReceived(this Microsoft.Extensions.Logging.ILogger logger, string eventName);

    [LogTraceSession(LogTraceSessionStatus.Successful)]
    public static partial void Started(this ILogger logger, string token, string sessionToken);

    [LogTraceSession(LogTraceSessionStatus.Successful)]
    public static partial void Started(this Microsoft.Extensions.Logging.ILogger logger, string token, string sessionToken);
}

public class DuplicatePropertyNameTests
{
    static IReadOnlyDictionary<string, Events.LogEventPropertyValue> Properties(Action<ILogger> write)
    {
        var sink = new Support.CollectingSink();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
            write(logger);
        return Assert.Single(sink.Events).Properties;
    }

    static IReadOnlyDictionary<string, Events.LogEventPropertyValue> ThroughMel(Action<Microsoft.Extensions.Logging.ILogger> write) =>
        Properties(log =>
        {
            using var provider = new Serilog.Extensions.Logging.SerilogLoggerProvider((Core.Logger)log);
            write(provider.CreateLogger("Cat"));
        });

    [Fact]
    public void AParameterNamedEventNameWinsThroughBothLoggers()
    {
        var chain = Properties(log => log.ForContext("EventName", "webhook.received").ForContext("EventName", "charge.succeeded").Information("webhook.received"));
        var serilog = Properties(log => log.WebhookReceived("charge.succeeded"));
        var mel = ThroughMel(log => log.WebhookReceived("charge.succeeded"));
        Assert.Equal(chain["EventName"].ToString(), serilog["EventName"].ToString());
        Assert.Equal(serilog["EventName"].ToString(), mel["EventName"].ToString());
    }

    [Fact]
    public void TwoParametersForOneFieldKeepTheSameValueThroughBothLoggers()
    {
        var serilog = Properties(log => log.Started("t1", "t2"));
        var mel = ThroughMel(log => log.Started("t1", "t2"));
        // Through Microsoft.Extensions.Logging the token is a HiddenSessionToken: one string, read as a sequence.
        Assert.Equal(serilog["SessionToken"].ToString(), mel["SessionToken"].ToString().Trim('[', ']'));
    }
}
