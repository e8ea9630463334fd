using Microsoft.CodeAnalysis;

namespace Serilog.Sinks.LogTrace.Generators;

// The diagnostics' ids are stable: users suppress and search for them. Never renumber; retire an id instead. No help
// link yet: the project has no public home (docs/typed-records.md lists every id).
static class Descriptors
{
    const string Category = "LogTrace";

    public static readonly DiagnosticDescriptor BlankName = new("LOGTRACE001", "A typed record needs a name",
        "The record's {0} must be a constant that is not empty or blank", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor UnfilledPlaceholder = new("LOGTRACE002", "A placeholder no parameter fills",
        "No parameter fills the placeholder {{{0}}} of the message; {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor MisspeltMarker = new("LOGTRACE003", "A misspelt LogTrace marker",
        "'{0}' looks like the LogTrace marker {1} but is spelt otherwise: the sink ignores it (names are case-sensitive)",
        Category, DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor BadMethod = new("LOGTRACE004", "A typed record's method has the wrong shape",
        "A typed record is a 'static partial void' extension method whose first parameter is 'this Microsoft.Extensions.Logging.ILogger' or 'this Serilog.ILogger' ({0})",
        Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor LogoutWithoutToken = new("LOGTRACE005", "A sign-out without a token",
        "A Logout session needs a parameter named 'token': without one, the service cannot tell which session ended and the sink counts the record invalid",
        Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor NameDeclaredTwice = new("LOGTRACE006", "One name, two kinds of record",
        "'{0}' is declared as a {1} here and as a {2} by {3}", Category, DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor UnsendableParameter = new("LOGTRACE007", "A parameter the record cannot send",
        "The parameter '{0}' cannot be sent: {1}", Category, DiagnosticSeverity.Error, true);

    // A placeholder that names a parameter the record sends under another name (a field, as UserId) or not at all
    // (the exception): the placeholder would stay unfilled, or send the field under a name the sink does not read.
    public static readonly DiagnosticDescriptor PlaceholderParameterCannotFill = new("LOGTRACE008", "A placeholder its parameter cannot fill",
        "The parameter '{1}' cannot fill the placeholder {{{0}}}: {2}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor UndefinedLevel = new("LOGTRACE009", "A level that is not one of Serilog's",
        "The record's Level is {0}, which is not a LogEventLevel (Verbose to Fatal)", Category, DiagnosticSeverity.Error, true);
}
