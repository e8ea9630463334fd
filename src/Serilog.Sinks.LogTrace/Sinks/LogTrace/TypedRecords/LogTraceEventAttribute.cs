using System;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// Marks a <c>static partial void</c> extension method on <c>Microsoft.Extensions.Logging.ILogger</c> or
/// <see cref="Serilog.ILogger"/> whose body the package's source generator writes: it records the LogTrace event (<c>EventName</c>) named
/// <see cref="Name"/>, e.g. <c>user.login</c>. A parameter named like a field (<c>userId</c>, <c>userName</c>, <c>eventType</c>,
/// <c>token</c>, <c>loginAt</c>, in any case) fills that field; an <see cref="Exception"/> is the log event's exception; every other
/// parameter is a property, PascalCased, that fills the placeholder of that name in <see cref="Message"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LogTraceEventAttribute : Attribute
{
    /// <summary>Declares the record.</summary>
    /// <param name="name">The record's name, a constant that is not blank (diagnostic LOGTRACE001).</param>
    public LogTraceEventAttribute(string name) => Name = name;

    /// <summary>The record's name, e.g. <c>user.login</c>.</summary>
    public string Name { get; }

    /// <summary>The message template; each placeholder must be filled by a parameter (diagnostic LOGTRACE002). Default: the name.</summary>
    public string? Message { get; set; }

    /// <summary>The log event's level. Default: <see cref="LogEventLevel.Information"/>.</summary>
    public LogEventLevel Level { get; set; } = LogEventLevel.Information;
}
