using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Serilog.Sinks.LogTrace.Generators;

// Writes the bodies of the methods marked [LogTraceEvent], [LogTraceAuditLog] and [LogTraceSession], and the
// assembly's catalogue of them (CatalogueEmitter). Keyed with ForAttributeWithMetadataName, as [LoggerMessage] is:
// only the attributed methods are read, and the models between stages are strings, so an edit elsewhere costs nothing.
[Generator(LanguageNames.CSharp)]
public sealed class TypedRecordGenerator : IIncrementalGenerator
{
    // The record attributes' full names: what the generator looks for, and what a method may carry only one of.
    internal const string EventAttribute = "Serilog.Sinks.LogTrace.LogTraceEventAttribute",
        AuditLogAttribute = "Serilog.Sinks.LogTrace.LogTraceAuditLogAttribute",
        SessionAttribute = "Serilog.Sinks.LogTrace.LogTraceSessionAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var events = Records(context, EventAttribute, RecordModelBuilder.Event);
        var auditLogs = Records(context, AuditLogAttribute, RecordModelBuilder.AuditLog);
        var sessions = Records(context, SessionAttribute, RecordModelBuilder.Session);
        var all = events.Collect().Combine(auditLogs.Collect()).Combine(sessions.Collect())
            .Select((t, _) => t.Left.Left.AddRange(t.Left.Right).AddRange(t.Right));
        // The catalogue's namespace (a string: a compilation that changes elsewhere gives the same one, and nothing
        // downstream runs again).
        var assembly = context.CompilationProvider.Select((c, _) =>
            CatalogueEmitter.NamespaceOf(c.AssemblyName ?? "", name => c.Assembly.GetTypeByMetadataName(name) != null));
        context.RegisterSourceOutput(all.Combine(assembly), (output, source) => Emit(output, source.Left, source.Right));
        // The opt-in JSON catalogue (CatalogueJson): the MSBuild property reaches the generator through the package's
        // build props (CompilerVisibleProperty).
        var json = context.AnalyzerConfigOptionsProvider.Select((o, _) =>
            o.GlobalOptions.TryGetValue("build_property.LogTraceRecordCatalogJson", out var v) && string.Equals(v, "true", System.StringComparison.OrdinalIgnoreCase));
        context.RegisterSourceOutput(all.Combine(json), (output, source) =>
        {
            if (source.Right)
                output.AddSource("LogTraceRecordCatalog.json.g.cs", CatalogueJson.Emit(source.Left.Where(m => m.Valid).ToList()));
        });
    }

    static IncrementalValuesProvider<RecordModel> Records(IncrementalGeneratorInitializationContext context, string attribute, string kind) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(attribute,
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
            (ctx, ct) => RecordModelBuilder.Build(ctx, kind, ct));

    static void Emit(SourceProductionContext output, ImmutableArray<RecordModel> models, string catalogueNamespace)
    {
        foreach (var diagnostic in models.SelectMany(m => m.Diagnostics))
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        ReportNamesDeclaredTwice(output, models);

        var valid = models.Where(m => m.Valid).ToList();
        var files = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase); // Roslyn compares hint names ignoring case
        foreach (var type in valid.GroupBy(m => m.TypeKey))
        {
            var hint = Hint(type.Key);
            for (var i = 2; !files.Add(hint); i++)
                hint = Hint(type.Key) + i;
            output.AddSource(hint + ".LogTrace.g.cs", RecordEmitter.EmitType(type.ToList()));
        }
        if (valid.Count > 0)
            output.AddSource("LogTraceRecordCatalog.g.cs", CatalogueEmitter.Emit(catalogueNamespace, valid));
    }

    // One name used for two kinds of record (an event and an audit log both called invoice.deleted) is almost always a
    // copy and paste: the service keeps them apart, so the reports and the searches would too.
    static void ReportNamesDeclaredTwice(SourceProductionContext output, ImmutableArray<RecordModel> models)
    {
        foreach (var name in models.Where(m => m.Kind != RecordModelBuilder.Session && m.Name.Length > 0).GroupBy(m => m.Name))
        {
            var first = name.First();
            foreach (var other in name.Where(m => m.Kind != first.Kind))
            {
                output.ReportDiagnostic(new DiagnosticInfo(Descriptors.NameDeclaredTwice, other.Location, other.Name,
                    RecordEmitter.KindText(other.Kind), RecordEmitter.KindText(first.Kind), first.MethodName).ToDiagnostic());
            }
        }
    }

    static string Hint(string typeKey) => new string(typeKey.Replace("global::", "").Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray());
}
