using System.Collections.Generic;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Records;

// A copy of a log event that the sink may add properties to (its request's values, a name from its EventId): the event
// other sinks receive is left exactly as the application logged it. `room`: how many properties will be added.
static class LogEventCopy
{
    public static LogEvent Of(LogEvent logEvent, int room)
    {
        var properties = new List<LogEventProperty>(logEvent.Properties.Count + room);
        foreach (var property in logEvent.Properties)
            properties.Add(new LogEventProperty(property.Key, property.Value));
        return logEvent.TraceId is { } traceId
            ? new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate, properties, traceId, logEvent.SpanId ?? default)
            : new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate, properties);
    }
}
