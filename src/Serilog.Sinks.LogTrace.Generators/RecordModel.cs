using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Serilog.Sinks.LogTrace.Generators;

// A diagnostic found while reading a method, reported at the output stage. Location is a value (file and span), not
// a symbol, so the model stays cacheable between runs.
sealed class DiagnosticInfo : IEquatable<DiagnosticInfo>
{
    public DiagnosticInfo(DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        Descriptor = descriptor;
        Location = location;
        Args = args;
    }

    public DiagnosticDescriptor Descriptor { get; }
    public Location? Location { get; }
    public string[] Args { get; }

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location, Args);

    public bool Equals(DiagnosticInfo? other) => other != null && other.Descriptor.Id == Descriptor.Id &&
        Equals(other.Location, Location) && other.Args.SequenceEqual(Args);

    public override bool Equals(object? obj) => Equals(obj as DiagnosticInfo);

    public override int GetHashCode() => Descriptor.Id.GetHashCode() ^ (Location?.GetHashCode() ?? 0);
}

// One parameter as the record sends it.
sealed class RecordParameter
{
    public RecordParameter(string identifier, string type, string propertyName, bool destructure)
    {
        Identifier = identifier;
        Type = type;
        PropertyName = propertyName;
        Destructure = destructure;
    }

    // The C# name, escaped when it is a keyword.
    public string Identifier { get; }
    public string Type { get; }
    public string PropertyName { get; }
    public bool Destructure { get; }
    // The hole it fills, or null: a property outside the template.
    public TemplateHoles.Hole? Hole { get; set; }
    public bool IsException { get; set; }
    public bool IsParams { get; set; }
}

// One typed record method: everything the output stage needs, as strings (no ISymbol kept between stages).
sealed class RecordModel : IEquatable<RecordModel>
{
    public string Kind = "", Name = "", MarkerProperty = "", MarkerValue = "", Message = "", SerilogLevel = "Information", MelLevel = "Information";
    public string Namespace = "", TypeKey = "", Modifiers = "", MethodName = "", LoggerIdentifier = "", LoggerType = "";
    public bool IsMel;
    public List<string> TypeHeaders = new();
    public List<RecordParameter> Parameters = new();
    public List<DiagnosticInfo> Diagnostics = new();
    public Location? Location;

    public bool Valid => Diagnostics.All(d => d.Descriptor.DefaultSeverity != DiagnosticSeverity.Error);

    // The signature as the catalogue shows it: "string userId, Invoice before".
    public string ParameterList => string.Join(", ", Parameters.Select(p => p.Type + " " + p.Identifier));

    string Key => string.Join("\u0001", new[] { Kind, Name, MarkerValue, Message, SerilogLevel, Namespace, TypeKey, Modifiers, MethodName,
        LoggerIdentifier, LoggerType, IsMel.ToString(), string.Join("|", TypeHeaders) }
        .Concat(Parameters.Select(p => p.Identifier + ":" + p.IsParams + ":" + p.Type + ":" + p.PropertyName + ":" + p.Destructure + ":" + p.IsException + ":" + p.Hole?.Name)));

    public bool Equals(RecordModel? other) => other != null && other.Key == Key && other.Diagnostics.SequenceEqual(Diagnostics) &&
        Equals(other.Location, Location);

    public override bool Equals(object? obj) => Equals(obj as RecordModel);

    public override int GetHashCode() => Key.GetHashCode();
}
