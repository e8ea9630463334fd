using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// Writes one typed record through a <see cref="Serilog.ILogger"/>: one instance per method generated for
/// <see cref="LogTraceEventAttribute"/>, <see cref="LogTraceAuditLogAttribute"/> or <see cref="LogTraceSessionAttribute"/>,
/// holding what every call shares (the parsed message, the marker's value). Not for direct use: write
/// <c>logger.ForContext(...)</c> or a typed record instead.
/// </summary>
/// <remarks>
/// The log event it builds is the one <c>logger.ForContext(marker, name).ForContext(a, x)...Write(level, exception,
/// message, values)</c> builds, property for property and in the same order (the placeholders' properties, then the
/// chain's from its last link to its first, each only when absent), without a logger per link, a second parse of the
/// message, or a dictionary that grows: the generated code adds each property to a dictionary of the right size.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LogTraceRecordWriter
{
    static readonly MessageTemplateParser Parser = new();
    // One placeholder, captured as text; Serilog keeps the parsed template in its cache.
    const string Stringified = "{$Value}";
    readonly MessageTemplate _template;
    readonly string _markerName;
    readonly ScalarValue _marker;
    readonly int _count;

    /// <summary>Prepares a typed record's writes.</summary>
    /// <param name="messageTemplate">The message template.</param>
    /// <param name="markerName"><c>EventName</c>, <c>AuditLogName</c> or <c>SessionStatus</c>.</param>
    /// <param name="markerValue">The record's name or status.</param>
    /// <param name="properties">How many properties the log event has, the marker included.</param>
    public LogTraceRecordWriter(string messageTemplate, string markerName, string markerValue, int properties)
    {
        _template = Parser.Parse(messageTemplate);
        _markerName = markerName;
        // Immutable, so one value serves every event.
        _marker = new ScalarValue(markerValue);
        _count = properties;
    }

    /// <summary>A dictionary for one call's properties, of the right size.</summary>
    public Dictionary<string, LogEventPropertyValue> Begin() => new(_count);

    /// <summary>Captures <paramref name="value"/> as the logger would for a placeholder or a <c>ForContext</c> property
    /// (<paramref name="capture"/> <c>'@'</c>: as a structure; <c>'$'</c>: as text) and adds it unless present.</summary>
    /// <param name="logger">The logger whose capturing rules apply.</param>
    /// <param name="properties">The call's properties.</param>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="capture"><c>'@'</c>, <c>'$'</c> or <c>'\0'</c>.</param>
    /// <typeparam name="T">The value's type.</typeparam>
    public static void Add<T>(ILogger logger, Dictionary<string, LogEventPropertyValue> properties, string name, T value, char capture)
    {
        LogEventPropertyValue captured;
        // What Serilog captures the same way whatever the configuration (its own scalar policy runs first, and only a
        // destructured string is cut to the maximum length): no trip through the logger's converter, and one lookup.
        if (capture == '\0' && value is null or string or int or long or bool or Guid)
        {
            TryAdd(properties, name, new ScalarValue(value));
            return;
        }
        if (properties.ContainsKey(name))
            return;
        if (capture == '$')
        {
            // As the logger stringifies a {$Name} placeholder: the text cut to its maximum string length, "" for a
            // ToString() that gives null. Only a message template asks for that capture, so one is bound.
            // A logger of the caller's own that binds nothing, or binds without a property, adds nothing.
            if (!logger.BindMessageTemplate(Stringified, new object?[] { value }, out _, out var bound) || bound.FirstOrDefault() is not { } first)
                return;
            captured = first.Value;
        }
        else if (logger.BindProperty(name, value, capture == '@', out var property))
            captured = property.Value;
        else
            return;
        properties[name] = captured;
    }

    // Adds unless present, hashing the name once where the framework can.
    static void TryAdd(Dictionary<string, LogEventPropertyValue> properties, string name, LogEventPropertyValue value)
    {
#if NETSTANDARD2_0
        if (!properties.ContainsKey(name))
            properties[name] = value;
#else
        properties.TryAdd(name, value);
#endif
    }

    /// <summary>Adds the marker (unless present) and writes the log event.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="level">The level, already checked with <c>logger.IsEnabled</c>.</param>
    /// <param name="exception">The exception, or <see langword="null"/>.</param>
    /// <param name="properties">The call's properties.</param>
    public void Write(ILogger logger, LogEventLevel level, Exception? exception, Dictionary<string, LogEventPropertyValue> properties)
    {
        TryAdd(properties, _markerName, _marker);
        // Serilog's own Write stamps the current activity's ids; so does this, or the bodies would differ.
        var activity = Activity.Current;
        logger.Write(LogEvent.UnstableAssembleFromParts(DateTimeOffset.Now, level, exception, _template, properties,
            activity?.TraceId ?? default, activity?.SpanId ?? default));
    }
}
