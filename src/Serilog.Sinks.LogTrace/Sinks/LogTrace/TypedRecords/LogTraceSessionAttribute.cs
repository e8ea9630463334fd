using System;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// Marks a <c>static partial void</c> extension method on <c>Microsoft.Extensions.Logging.ILogger</c> or
/// <see cref="Serilog.ILogger"/> whose body the package's source generator writes: it records a LogTrace session
/// (<c>SessionStatus</c>) with <see cref="Status"/>. A parameter named <c>token</c> is the session's token (required for
/// <see cref="LogTraceSessionStatus.Logout"/>: diagnostic LOGTRACE005); the other parameters follow the rules of
/// <see cref="LogTraceEventAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LogTraceSessionAttribute : Attribute
{
    /// <summary>Declares the session record.</summary>
    /// <param name="status">The session's status, a defined <see cref="LogTraceSessionStatus"/> (diagnostic LOGTRACE001).</param>
    public LogTraceSessionAttribute(LogTraceSessionStatus status) => Status = status;

    /// <summary>The session's status.</summary>
    public LogTraceSessionStatus Status { get; }

    /// <summary>The message template; each placeholder must be filled by a parameter (diagnostic LOGTRACE002). Default: none (empty).</summary>
    public string? Message { get; set; }

    /// <summary>The log event's level. Default: <see cref="LogEventLevel.Information"/>.</summary>
    public LogEventLevel Level { get; set; } = LogEventLevel.Information;
}
