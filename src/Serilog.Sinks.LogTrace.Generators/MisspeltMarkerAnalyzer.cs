using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Serilog.Sinks.LogTrace.Generators;

// LOGTRACE003: a constant property name that the sink would take for a misspelt marker ("Eventname", "event_name",
// {eventName}), found where it is written instead of at run time (the sink's MisspeltMarkers reports the same names
// in SelfLog, once the record is already lost). Looks at: ForContext's property name, LogContext.PushProperty's name,
// BeginScope's message format, the message templates of Serilog's and Microsoft.Extensions.Logging's log methods, and
// LoggerMessage.Define's, DefineScope's and [LoggerMessage]'s.
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MisspeltMarkerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.MisspeltMarker);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
        context.RegisterSymbolAction(AnalyzeLoggerMessage, SymbolKind.Method);
    }

    // [LoggerMessage(Message = "...")] (or its constructor's message): .NET's source-generated logging, whose template
    // Serilog's provider turns into properties as it does any other.
    static void AnalyzeLoggerMessage(SymbolAnalysisContext context)
    {
        // A partial method is seen twice, as its declaration and as its body: its attributes (both parts' together)
        // are read from the declaration only.
        if (context.Symbol is IMethodSymbol { PartialDefinitionPart: not null })
            return;
        foreach (var attribute in context.Symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != "Microsoft.Extensions.Logging.LoggerMessageAttribute" ||
                attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { } syntax)
                continue;
            var messages = attribute.NamedArguments.Where(a => a.Key == "Message").Select(a => a.Value)
                .Concat(attribute.AttributeConstructor?.Parameters.Where(p => p.Name == "message").Select(p => attribute.ConstructorArguments[p.Ordinal]) ??
                    Enumerable.Empty<TypedConstant>());
            foreach (var message in messages)
            {
                if (message.Value is not string text)
                    continue;
                foreach (var hole in TemplateHoles.Parse(text, anyName: true))
                    Report(context.ReportDiagnostic, syntax.GetLocation(), hole.Name);
            }
        }
    }

    static void Analyze(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var ns = method.ContainingNamespace?.ToDisplayString() ?? "";
        var serilog = ns == "Serilog" || ns.StartsWith("Serilog.", System.StringComparison.Ordinal);
        var mel = ns == "Microsoft.Extensions.Logging";
        if (!serilog && !mel)
            return;

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter == null || argument.Value.ConstantValue is not { HasValue: true, Value: string text })
                continue;
            var parameter = argument.Parameter.Name;
            var isName = serilog && ((method.Name == "ForContext" && parameter == "propertyName") || (method.Name == "PushProperty" && parameter == "name"));
            var isTemplate = (serilog && parameter == "messageTemplate") || (mel && parameter is "message" or "messageFormat" or "formatString");
            if (isName)
                Report(context.ReportDiagnostic, argument.Value.Syntax.GetLocation(), text);
            else if (isTemplate)
            {
                foreach (var hole in TemplateHoles.Parse(text, anyName: mel))
                    Report(context.ReportDiagnostic, argument.Value.Syntax.GetLocation(), hole.Name);
            }
        }
    }

    static void Report(System.Action<Diagnostic> report, Location location, string name)
    {
        if (MarkerSpelling.MisspeltMarker(name) is { } marker)
            report(Diagnostic.Create(Descriptors.MisspeltMarker, location, name, marker));
    }
}
