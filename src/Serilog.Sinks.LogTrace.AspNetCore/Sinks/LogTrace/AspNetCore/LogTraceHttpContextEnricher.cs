using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// The opt-in that gives every sink the request context of LogTrace records: events with an EventName, AuditLogName or
// SessionStatus (the LogTrace sink gets it without this). Every other event costs three dictionary lookups.
sealed class LogTraceHttpContextEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var properties = logEvent.Properties;
        if ((properties.ContainsKey(LogTraceProperties.EventName) || properties.ContainsKey(LogTraceProperties.AuditLogName) ||
                properties.ContainsKey(LogTraceProperties.SessionStatus)) &&
            LogTraceRequestContext.Current is RequestState state)
            state.Share(logEvent);
    }
}
