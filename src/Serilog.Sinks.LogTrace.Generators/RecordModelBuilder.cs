using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Serilog.Sinks.LogTrace.Generators;

// Reads one attributed method into a RecordModel, with the diagnostics its declaration earns.
static class RecordModelBuilder
{
    public const string Event = "Event", AuditLog = "AuditLog", Session = "Session";

    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    // A parameter with one of these names (ignoring case) fills the field, not a property of its own name.
    static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userId"] = "UserId", ["userName"] = "UserName", ["eventType"] = "EventType", ["token"] = "SessionToken", ["loginAt"] = "SessionLoginAt",
    };

    static readonly string[] SerilogLevels = { "Verbose", "Debug", "Information", "Warning", "Error", "Fatal" };
    static readonly string[] MelLevels = { "Trace", "Debug", "Information", "Warning", "Error", "Critical" };
    static readonly string[] StatusWords = { "active", "successful", "failed", "expired", "logout" };

    public static RecordModel Build(GeneratorAttributeSyntaxContext context, string kind, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        var attribute = context.Attributes[0];
        var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? syntax.Identifier.GetLocation();
        var model = new RecordModel
        {
            Kind = kind,
            MethodName = method.Name,
            Modifiers = syntax.Modifiers.ToString(),
            Location = syntax.Identifier.GetLocation(),
        };

        if (!ReadShape(method, model))
            return model;
        ReadAttribute(attribute, kind, model, attributeLocation);
        ReadParameters(method, model);
        MatchHoles(model, attributeLocation);
        if (kind == Session && model.MarkerValue == "logout" && !model.Parameters.Any(p => p.PropertyName == "SessionToken"))
            model.Diagnostics.Add(new DiagnosticInfo(Descriptors.LogoutWithoutToken, model.Location));
        return model;
    }

    static bool ReadShape(IMethodSymbol method, RecordModel model)
    {
        string? problem = !method.IsStatic ? "it is not static"
            : !method.ReturnsVoid ? "it does not return void"
            : !method.IsPartialDefinition ? "it is not a partial method without a body"
            : method.PartialImplementationPart != null ? "it has a body already, which the generator writes"
            : method.IsGenericMethod ? "it is generic"
            : !method.IsExtensionMethod ? "it is not an extension method"
            : method.ContainingType.IsFileLocal ? "its class is file-local, so no other file can complete it"
            : method.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() is TypedRecordGenerator.EventAttribute
                or TypedRecordGenerator.AuditLogAttribute or TypedRecordGenerator.SessionAttribute) > 1
                ? "it has more than one typed record attribute"
            : null;
        // Fully qualified display strings carry no '?': a nullable annotation changes neither test.
        var logger = method.Parameters.Length > 0 ? method.Parameters[0].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : "";
        model.IsMel = logger == "global::Microsoft.Extensions.Logging.ILogger";
        if (problem == null && !model.IsMel && logger != "global::Serilog.ILogger")
            problem = "its first parameter is " + logger;
        if (problem != null)
        {
            model.Diagnostics.Add(new DiagnosticInfo(Descriptors.BadMethod, model.Location, problem));
            return false;
        }

        model.LoggerIdentifier = Identifier(method.Parameters[0].Name);
        model.LoggerType = method.Parameters[0].Type.ToDisplayString(TypeFormat);
        var type = method.ContainingType;
        model.Namespace = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        model.TypeKey = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        for (var t = type; t != null; t = t.ContainingType)
            model.TypeHeaders.Insert(0, "partial " + TypeKeyword(t) + " " + Identifier(t.Name) + TypeParameters(t));
        return true;
    }

    static void ReadAttribute(AttributeData attribute, string kind, RecordModel model, Location location)
    {
        var argument = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : default;
        if (kind == Session)
        {
            model.MarkerProperty = "SessionStatus";
            var status = argument.Kind == TypedConstantKind.Enum && argument.Value is int i && i >= 0 && i < StatusWords.Length ? StatusWords[i] : null;
            if (status == null)
                model.Diagnostics.Add(new DiagnosticInfo(Descriptors.BlankName, location, "status"));
            model.MarkerValue = model.Name = status ?? "";
        }
        else
        {
            model.MarkerProperty = kind == Event ? "EventName" : "AuditLogName";
            var name = argument.Kind == TypedConstantKind.Primitive ? argument.Value as string : null;
            if (name == null || name.Trim().Length == 0)
                model.Diagnostics.Add(new DiagnosticInfo(Descriptors.BlankName, location, "name"));
            model.MarkerValue = model.Name = name ?? "";
        }

        model.Message = kind == Session ? "" : model.Name;
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Message" && named.Value.Value is string message)
                model.Message = message;
            else if (named.Key == "Level" && named.Value.Value is int level)
            {
                if (level >= 0 && level < SerilogLevels.Length)
                {
                    model.SerilogLevel = SerilogLevels[level];
                    model.MelLevel = MelLevels[level];
                }
                else
                    model.Diagnostics.Add(new DiagnosticInfo(Descriptors.UndefinedLevel, location, level.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    static void ReadParameters(IMethodSymbol method, RecordModel model)
    {
        var exceptionType = "global::System.Exception";
        foreach (var parameter in method.Parameters.Skip(1))
        {
            var type = parameter.Type;
            var property = Fields.TryGetValue(parameter.Name, out var field) ? field : Pascal(parameter.Name);
            var isException = IsOrDerives(type, exceptionType);
            var problem = isException && model.Parameters.Any(p => p.IsException) ? "a log event has one exception, and another parameter is it"
                : parameter.RefKind != RefKind.None ? "it is passed by reference"
                : type.IsRefLikeType ? "it is a ref struct"
                : type.TypeKind == TypeKind.Pointer || type.TypeKind == TypeKind.FunctionPointer ? "it is a pointer"
                // auditLogName on an event, sessionStatus on an event or an audit log: the sink would send another kind
                // of record (those markers take precedence), so it is refused, not sent.
                : OtherKindOf(property, model.Kind) is { } other ? "its property " + property + " is the marker of " + other + ", so the sink would send this record as one"
                // A token is sent as text, and hidden from other Microsoft.Extensions.Logging providers only as a
                // scalar (LogTraceRecordState): a structure would reach them whole, and the sink could not read it.
                : property == "SessionToken" && !IsScalar(type)
                    ? "a session token is sent as text, so its type must be a string, a Guid or another scalar, not " + type.ToDisplayString()
                : null;
            if (problem != null)
            {
                model.Diagnostics.Add(new DiagnosticInfo(Descriptors.UnsendableParameter, parameter.Locations.FirstOrDefault(), parameter.Name, problem));
                continue;
            }
            // A parameter session_token is sent as Session_token, which the sink ignores (as LOGTRACE003 says of the
            // same name in a ForContext call).
            if (MarkerSpelling.MisspeltMarker(property) is { } marker)
                model.Diagnostics.Add(new DiagnosticInfo(Descriptors.MisspeltMarker, parameter.Locations.FirstOrDefault(), property, marker));
            model.Parameters.Add(new RecordParameter(Identifier(parameter.Name), type.ToDisplayString(TypeFormat), property, !IsScalar(type))
            {
                IsException = isException,
                IsParams = parameter.IsParams,
            });
        }
    }

    // The kind of record a property name would make this record, when that is not its kind.
    // The sink's order is SessionStatus, then AuditLogName, then EventName (docs/records.md): an EventName on an audit
    // log or a session, or an AuditLogName on a session, is sent as metadata and changes nothing.
    static string? OtherKindOf(string property, string kind) => property switch
    {
        "AuditLogName" when kind == Event => "an audit log",
        "SessionStatus" when kind != Session => "a session",
        _ => null,
    };

    static void MatchHoles(RecordModel model, Location location)
    {
        foreach (var hole in TemplateHoles.Parse(model.Message))
        {
            var parameter = model.Parameters.FirstOrDefault(p => !p.IsException && string.Equals(p.PropertyName, hole.Name, StringComparison.OrdinalIgnoreCase));
            // {EventName} in an event's message: the marker is a property of every record, so it fills the placeholder
            // as ForContext("EventName", name) fills it in the chain.
            if (parameter == null && hole.Name == model.MarkerProperty)
                continue;
            // The sink reads a field by its exact name: {userId} would send a property "userId" and no UserId.
            if (parameter != null && Fields.ContainsValue(parameter.PropertyName) && parameter.PropertyName != hole.Name)
            {
                model.Diagnostics.Add(CannotFill(location, hole, parameter));
                continue;
            }
            // A parameter of that name that is there but sent otherwise: the field it fills, or the event's exception.
            var named = parameter == null ? model.Parameters.FirstOrDefault(p => string.Equals(p.Identifier.TrimStart('@'), hole.Name, StringComparison.OrdinalIgnoreCase)) : null;
            if (named != null)
                model.Diagnostics.Add(CannotFill(location, hole, named));
            else if (parameter == null)
                model.Diagnostics.Add(new DiagnosticInfo(Descriptors.UnfilledPlaceholder, location, hole.Name,
                    hole.Name.All(char.IsDigit)
                        ? "a typed record's placeholders are named after its parameters, not numbered"
                        : hole.Name.IndexOf('.') >= 0
                            ? "a name with a '.' is no parameter's"
                        : string.Equals(model.LoggerIdentifier.TrimStart('@'), hole.Name, StringComparison.OrdinalIgnoreCase)
                            ? "the logger is no value of the record, and fills no placeholder"
                        : OtherKindOf(hole.Name, model.Kind) is { } other
                            ? hole.Name + " is the marker of " + other + ", which this record cannot carry"
                        : "add a parameter named '" + Camel(hole.Name) + "'"));
            else if (parameter.Hole == null)
                parameter.Hole = hole;
        }
    }

    // LOGTRACE008 for a placeholder that names a parameter sent otherwise: under its field's name, or as the exception.
    static DiagnosticInfo CannotFill(Location location, TemplateHoles.Hole hole, RecordParameter parameter) =>
        new(Descriptors.PlaceholderParameterCannotFill, location, hole.Name, parameter.Identifier.TrimStart('@'), parameter.IsException
            ? "it is the event's exception, which fills no placeholder"
            : "it fills the field " + parameter.PropertyName + ", so write {" + parameter.PropertyName + "}");

    // What Serilog captures as a scalar without '@'; anything else is captured as a structure, as {@Name} would be.
    static bool IsScalar(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        if (type.TypeKind == TypeKind.Enum)
            return true;
        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
            return true;
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: case SpecialType.System_Char: case SpecialType.System_SByte: case SpecialType.System_Byte:
            case SpecialType.System_Int16: case SpecialType.System_UInt16: case SpecialType.System_Int32: case SpecialType.System_UInt32:
            case SpecialType.System_Int64: case SpecialType.System_UInt64: case SpecialType.System_Single: case SpecialType.System_Double:
            case SpecialType.System_Decimal: case SpecialType.System_String: case SpecialType.System_DateTime:
                return true;
        }
        var name = type.ToDisplayString();
        return name is "System.DateTimeOffset" or "System.TimeSpan" or "System.Guid" or "System.Uri" or "System.DateOnly" or "System.TimeOnly"
            or "System.Numerics.BigInteger" or "System.Int128" or "System.UInt128" or "System.Half";
    }

    static bool IsOrDerives(ITypeSymbol type, string baseName)
    {
        for (var t = type; t != null; t = t.BaseType)
        {
            if (t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == baseName)
                return true;
        }
        return false;
    }

    static string TypeKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    static string TypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

    // A name as C# accepts it where it is declared: a keyword escaped with '@'.
    internal static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
