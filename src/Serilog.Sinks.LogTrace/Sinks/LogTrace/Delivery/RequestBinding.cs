using Serilog.Events;

namespace Serilog.Sinks.LogTrace.Delivery;

// Carried, as the LogTraceProperties.RequestContext property, only by the sink's own copy of an event logged inside a
// request: the request (null when the event no longer belongs to it), for the hold and the final status, and the
// event as the application logged it, which is what a failure listener (a fallback sink) receives if it is lost.
sealed class RequestBinding
{
    public RequestBinding(LogTraceRequestContext? context, LogEvent original)
    {
        Context = context;
        Original = original;
    }

    public LogTraceRequestContext? Context { get; }

    public LogEvent Original { get; }

    public static RequestBinding? Of(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(LogTraceProperties.RequestContext, out var value) && value is ScalarValue { Value: RequestBinding binding }
            ? binding
            : null;

    // What a sink outside LogTrace may see of this event.
    public static LogEvent OriginalOf(LogEvent logEvent) => Of(logEvent)?.Original ?? logEvent;

    public override string ToString() => "LogTrace request context";
}
