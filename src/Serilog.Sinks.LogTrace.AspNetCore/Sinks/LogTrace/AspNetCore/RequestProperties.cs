using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// Puts a request's values on an event under the LogTraceProperties names: the sink's own copy (forLogTrace), or, with
// the opt-in enricher, the event every sink sees. Explicit properties on the event win.
static class RequestProperties
{
    public static void Add(LogEvent logEvent, Captured captured, LogEventPropertyValue? headers, string? userId, string? userName,
        string? route, bool forLogTrace)
    {
        AddText(logEvent, LogTraceProperties.RequestMethod, captured.Method);
        AddEndpoint(logEvent, captured, forLogTrace);
        ReplaceFrameworkValue(logEvent, LogTraceProperties.RequestId, captured.RequestId, captured.TraceIdentifier);
        AddText(logEvent, LogTraceProperties.ClientIp, captured.ClientIp);
        AddText(logEvent, LogTraceProperties.UserAgent, captured.UserAgent);
        AddText(logEvent, LogTraceProperties.OperatingSystem, captured.OperatingSystem);
        AddText(logEvent, "RouteTemplate", route);
        if (headers != null)
            logEvent.AddPropertyIfAbsent(new LogEventProperty(LogTraceProperties.RequestHeaders, headers));

        // An explicit identity (a user.login is usually logged before the sign-in cookie exists) is never mixed
        // with the principal's.
        if (!logEvent.Properties.ContainsKey(LogTraceProperties.UserId) && !logEvent.Properties.ContainsKey(LogTraceProperties.UserName))
        {
            AddText(logEvent, LogTraceProperties.UserId, userId);
            AddText(logEvent, LogTraceProperties.UserName, userName);
        }
    }

    // RequestPath is left as ASP.NET Core's logging scope set it (the whole path, without the query), because every
    // sink sees it; LogTrace's http_endpoint (PathBase, and the redacted query when included) goes in a property of its
    // own. A RequestPath the application set itself wins for LogTrace as well.
    static void AddEndpoint(LogEvent logEvent, Captured captured, bool forLogTrace)
    {
        string requestPath;
        if (!logEvent.Properties.TryGetValue(LogTraceProperties.RequestPath, out var existing))
        {
            requestPath = captured.Path;
            AddText(logEvent, LogTraceProperties.RequestPath, requestPath);
        }
        // ASP.NET Core's hosting scope sets RequestPath before any middleware runs: the whole path, a path base included.
        else if (existing is ScalarValue { Value: string text } && (text == captured.RawPath || text == captured.Path))
        {
            requestPath = text;
        }
        else
        {
            return;
        }

        if (forLogTrace && captured.Endpoint != requestPath)
            AddText(logEvent, LogTraceProperties.HttpEndpoint, captured.Endpoint);
    }

    // ASP.NET Core's hosting log scope gives ILogger events RequestId (the TraceIdentifier); the configured value
    // replaces it, but never a value the application set itself.
    static void ReplaceFrameworkValue(LogEvent logEvent, string name, string value, string frameworkValue)
    {
        if (!logEvent.Properties.TryGetValue(name, out var existing) ||
            existing is ScalarValue { Value: string text } && text == frameworkValue)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(value)));
        }
    }

    static void AddText(LogEvent logEvent, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            logEvent.AddPropertyIfAbsent(new LogEventProperty(name, new ScalarValue(value)));
    }
}
