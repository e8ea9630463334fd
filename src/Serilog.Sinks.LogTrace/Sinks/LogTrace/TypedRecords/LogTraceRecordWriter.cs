using System;
using System.ComponentModel;
using System.Diagnostics;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// Writes a typed record through a <see cref="Serilog.ILogger"/>: what the methods generated for
/// <see cref="LogTraceEventAttribute"/>, <see cref="LogTraceAuditLogAttribute"/> and <see cref="LogTraceSessionAttribute"/>
/// call. Not for direct use: write <c>logger.ForContext(...)</c> or a typed record instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LogTraceRecordWriter
{
    /// <summary>Writes the log event that <c>logger.ForContext(names[0], values[0])...ForContext(names[n], values[n])
    /// .Write(level, exception, messageTemplate, templateValues)</c> writes, property for property and in the same order,
    /// without a logger per property. The caller has checked <c>logger.IsEnabled(level)</c>.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The level.</param>
    /// <param name="exception">The exception, or <see langword="null"/>.</param>
    /// <param name="messageTemplate">The message template.</param>
    /// <param name="templateValues">One value per placeholder, in order.</param>
    /// <param name="names">The names of the properties outside the template, in the order of the equivalent chain.</param>
    /// <param name="values">Their values.</param>
    /// <param name="destructure">Bit <c>i</c> set: <c>values[i]</c> is captured as a structure, as <c>{@Name}</c> would be.</param>
    public static void Write(ILogger logger, LogEventLevel level, Exception? exception, string messageTemplate, object?[] templateValues,
        string[] names, object?[] values, int destructure)
    {
        if (logger == null || names == null || values == null)
            return;
        if (!logger.BindMessageTemplate(messageTemplate, templateValues, out var template, out var bound))
            return;
        // Serilog's own Write stamps the current activity's ids; so does this, or the bodies would differ.
        var activity = Activity.Current;
        var logEvent = new LogEvent(DateTimeOffset.Now, level, exception, template, bound,
            activity?.TraceId ?? default, activity?.SpanId ?? default);
        // A ForContext chain enriches from its last link to its first, each property added only when absent: the same
        // order here keeps the properties' order (and so the body's metadata) the same as the hand-written chain's.
        for (var i = names.Length - 1; i >= 0; i--)
        {
            if (logger.BindProperty(names[i], values[i], (destructure >> i & 1) != 0, out var property))
                logEvent.AddPropertyIfAbsent(property);
        }
        logger.Write(logEvent);
    }
}
