using System.Diagnostics;
using System.Threading;
using Microsoft.AspNetCore.Http;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// Adds the current request's context to events with an EventName; every other event costs one dictionary lookup.
sealed class LogTraceHttpContextEnricher : ILogEventEnricher
{
    static int _warnedMissingMiddleware;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (!logEvent.Properties.ContainsKey(LogTraceProperties.EventName))
            return;

        var state = RequestState.Current;
        if (state != null)
        {
            state.Enrich(logEvent);
            return;
        }

        if (IsInsideRequest() && Interlocked.Exchange(ref _warnedMissingMiddleware, 1) == 0)
        {
            SelfLog.WriteLine("LogTrace: an event was logged during an HTTP request, but the request has no LogTrace context, so it is sent " +
                "without request details. Add app.UseLogTraceHttpContext() first in the pipeline (and builder.Services.AddLogTraceHttpContext()).");
        }
    }

    // Without the middleware there is no state; a request is still recognisable through IHttpContextAccessor's
    // ambient context (registered by AddLogTraceHttpContext) or the hosting layer's request activity.
    static bool IsInsideRequest() =>
        new HttpContextAccessor().HttpContext != null ||
        Activity.Current?.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    internal static void ResetWarningForTests() => Interlocked.Exchange(ref _warnedMissingMiddleware, 0);
}
