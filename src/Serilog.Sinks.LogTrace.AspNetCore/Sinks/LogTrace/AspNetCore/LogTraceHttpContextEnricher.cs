using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// The opt-in that gives every sink the request context of events with an EventName (the LogTrace sink gets it
// without this). Every other event costs one dictionary lookup.
sealed class LogTraceHttpContextEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.ContainsKey(LogTraceProperties.EventName) && LogTraceRequestContext.Current is RequestState state)
            state.Share(logEvent);
    }
}
