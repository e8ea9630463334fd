using Serilog.Events;

namespace Serilog.Sinks.LogTrace;

/// <summary>One typed record, as the generated <c>LogTraceRecordCatalog.Records</c> of its assembly lists it.</summary>
public sealed class LogTraceRecordDescription
{
    /// <summary>Describes a typed record (generated code creates these).</summary>
    /// <param name="kind"><c>Event</c>, <c>AuditLog</c> or <c>Session</c>.</param>
    /// <param name="name">The record's name, or a session's status word (<c>successful</c>).</param>
    /// <param name="level">The log event's level.</param>
    /// <param name="parameters">The method's parameters after the logger, as declared: <c>string userId, Invoice before</c>.</param>
    /// <param name="message">The message template.</param>
    /// <param name="method">The declaring method: <c>Namespace.Type.Method</c>.</param>
    public LogTraceRecordDescription(string kind, string name, LogEventLevel level, string parameters, string message, string method)
    {
        Kind = kind;
        Name = name;
        Level = level;
        Parameters = parameters;
        Message = message;
        Method = method;
    }

    /// <summary><c>Event</c>, <c>AuditLog</c> or <c>Session</c>.</summary>
    public string Kind { get; }

    /// <summary>The record's name, or a session's status word.</summary>
    public string Name { get; }

    /// <summary>The log event's level.</summary>
    public LogEventLevel Level { get; }

    /// <summary>The parameters after the logger, as declared.</summary>
    public string Parameters { get; }

    /// <summary>The message template.</summary>
    public string Message { get; }

    /// <summary>The declaring method.</summary>
    public string Method { get; }

    /// <summary>One line: <c>Event user.login (Information) AuditTrail.UserSignedIn(string userId, ...): "message"</c>.</summary>
    public override string ToString() => $"{Kind} {Name} ({Level}) {Method}({Parameters}): \"{Message}\"";
}
