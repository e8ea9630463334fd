using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Serilog.Sinks.LogTrace.Generators;

// LOGTRACE003: a constant property name that the sink would take for a misspelt marker ("Eventname", "event_name",
// {eventName}), found where it is written instead of at run time (the sink's MisspeltMarkers reports the same names
// in SelfLog, once the record is already lost). Looks at: ForContext's property name, LogContext.PushProperty's name,
// BeginScope's message format, and the message templates of Serilog's and Microsoft.Extensions.Logging's log methods.
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MisspeltMarkerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.MisspeltMarker);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
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
            var isTemplate = (serilog && parameter == "messageTemplate") || (mel && parameter is "message" or "messageFormat");
            if (isName)
                Report(context, argument, text);
            else if (isTemplate)
            {
                foreach (var hole in TemplateHoles.Parse(text, anyName: mel))
                    Report(context, argument, hole.Name);
            }
        }
    }

    static void Report(OperationAnalysisContext context, IArgumentOperation argument, string name)
    {
        var marker = MarkerSpelling.MisspeltMarker(name);
        if (marker != null)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MisspeltMarker, argument.Value.Syntax.GetLocation(), name, marker));
    }
}
