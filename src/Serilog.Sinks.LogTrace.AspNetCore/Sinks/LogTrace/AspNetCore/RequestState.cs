using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// What LogTrace events need from one request. It holds the HttpContext only while the request runs (ASP.NET Core
// pools and reuses contexts): when the response completes, the values still needed are copied and the reference
// dropped, so work that outlives the request reads the copies.
sealed class RequestState : LogTraceRequestCompletion
{
    static readonly AsyncLocal<RequestState?> CurrentState = new();
    internal static readonly Func<object, Task> CompleteCallback = state => ((RequestState)state).Complete();

    readonly LogTraceHttpContextOptions _options;
    readonly long _started;
    readonly TaskCompletionSource<bool> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly object _lock = new();
    HttpContext? _context;
    Captured? _captured;
    CapturedHeaders? _headers;
    string? _userId, _userName, _route;
    int? _statusCode;
    TimeSpan? _duration;
    bool _failed;

    public RequestState(HttpContext context, LogTraceHttpContextOptions options)
        : base(options.MaxEventHold)
    {
        _context = context;
        _options = options;
        _started = options.TimeProvider.GetTimestamp();
    }

    public static RequestState? Current
    {
        get => CurrentState.Value;
        set => CurrentState.Value = value;
    }

    public override Task Completed => _completed.Task;

    public override int? StatusCode
    {
        get { lock (_lock) return _statusCode; }
    }

    public override TimeSpan? Duration
    {
        get { lock (_lock) return _duration; }
    }

    internal bool HoldsContext
    {
        get { lock (_lock) return _context != null; }
    }

    public void MarkFailed()
    {
        lock (_lock)
            _failed = true;
    }

    Task Complete()
    {
        lock (_lock)
        {
            if (_context is { } context)
            {
                try
                {
                    ReadLiveValues(context);
                    var status = context.Response.StatusCode;
                    // An exception that escaped before the response started reached the client as a 500, whatever
                    // the response object still says.
                    _statusCode = _failed && !context.Response.HasStarted && status < 500 ? 500 : status;
                }
                catch (Exception)
                {
                    // A context in a state we cannot read: the events go without what could not be read.
                }
                _duration = _options.TimeProvider.GetElapsedTime(_started);
                _context = null;
            }
        }
        _completed.TrySetResult(true);
        return Task.CompletedTask;
    }

    // Called for each event with an EventName logged in this request's flow. Explicit properties on the event win.
    public void Enrich(LogEvent logEvent)
    {
        Captured captured;
        LogEventPropertyValue? headers;
        string? userId, userName, route;
        lock (_lock)
        {
            var context = _context;
            if (context != null)
            {
                try
                {
                    ReadLiveValues(context);
                    _headers ??= HeaderCapture.Capture(context.Request.Headers, _options);
                }
                catch (Exception)
                {
                    // Read what can be read; an event is never lost to enrichment.
                }
            }
            if (_captured == null)
                return;
            captured = _captured;
            headers = _headers?.ToPropertyValue();
            userId = _userId;
            userName = _userName;
            route = _route;
        }

        Add(logEvent, LogTraceProperties.RequestMethod, captured.Method);
        ReplaceFrameworkValue(logEvent, LogTraceProperties.RequestPath, captured.Path, captured.RawPath);
        ReplaceFrameworkValue(logEvent, LogTraceProperties.RequestId, captured.RequestId, captured.TraceIdentifier);
        Add(logEvent, LogTraceProperties.ClientIp, captured.ClientIp);
        Add(logEvent, LogTraceProperties.UserAgent, captured.UserAgent);
        Add(logEvent, LogTraceProperties.OperatingSystem, captured.OperatingSystem);
        Add(logEvent, "RouteTemplate", route);
        if (headers != null)
            logEvent.AddPropertyIfAbsent(new LogEventProperty(LogTraceProperties.RequestHeaders, headers));

        // An explicit identity (a user.login is usually logged before the sign-in cookie exists) is never mixed
        // with the principal's.
        if (!logEvent.Properties.ContainsKey(LogTraceProperties.UserId) && !logEvent.Properties.ContainsKey(LogTraceProperties.UserName))
        {
            Add(logEvent, LogTraceProperties.UserId, userId);
            Add(logEvent, LogTraceProperties.UserName, userName);
        }

        logEvent.AddPropertyIfAbsent(new LogEventProperty(LogTraceProperties.RequestCompletion, new ScalarValue(this)));
    }

    // ASP.NET Core's hosting log scope gives ILogger events RequestPath (without the query) and RequestId (the
    // TraceIdentifier); the configured values replace those, but never a value the application set itself.
    static void ReplaceFrameworkValue(LogEvent logEvent, string name, string value, string frameworkValue)
    {
        if (!logEvent.Properties.TryGetValue(name, out var existing) ||
            existing is ScalarValue { Value: string text } && text == frameworkValue)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(value)));
        }
    }

    // The values captured once per request, and those that can change while it runs (the principal is set by
    // authentication, the endpoint by routing). Called under _lock while the context is still held.
    void ReadLiveValues(HttpContext context)
    {
        _captured ??= Capture(context);
        (_userId, _userName) = ReadUser(context.User);
        _route = ReadRoute(context) ?? _route;
    }

    static void Add(LogEvent logEvent, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            logEvent.AddPropertyIfAbsent(new LogEventProperty(name, new ScalarValue(value)));
    }

    Captured Capture(HttpContext context)
    {
        var request = context.Request;
        var rawPath = request.Path.Value ?? "";
        var path = (request.PathBase + request.Path).ToString();
        if (path.Length == 0)
            path = "/";
        if (_options.IncludeQueryString && request.QueryString.HasValue)
            path += QueryStringRedactor.Redact(request.QueryString.Value!, _options.RedactedQueryParameters);

        string? requestId = null;
        if (_options.RequestIdHeader is { Length: > 0 } header)
        {
            var incoming = request.Headers[header].ToString();
            if (!string.IsNullOrWhiteSpace(incoming))
                requestId = incoming.Trim();
        }
        requestId ??= context.TraceIdentifier;

        var userAgent = request.Headers.UserAgent.ToString();
        return new Captured(
            request.Method,
            path,
            rawPath,
            requestId,
            context.TraceIdentifier,
            ClientIpResolver.Resolve(context, _options.TrustForwardingHeaders),
            userAgent.Length == 0 ? null : userAgent,
            OperatingSystemDetector.Detect(userAgent));
    }

    (string? Id, string? Name) ReadUser(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
            return (null, null);
        return (FirstClaim(user, _options.UserIdClaimTypes), FirstClaim(user, _options.UserNameClaimTypes));
    }

    static string? FirstClaim(ClaimsPrincipal user, IList<string> types)
    {
        foreach (var type in types)
        {
            var value = user.FindFirst(type)?.Value;
            if (!string.IsNullOrEmpty(value))
                return value;
        }
        return null;
    }

    static string? ReadRoute(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { Length: > 0 } raw
            ? (raw[0] == '/' ? raw : "/" + raw)
            : null;

    public override string ToString()
    {
        lock (_lock)
        {
            return _statusCode is { } status
                ? string.Format(CultureInfo.InvariantCulture, "request completed with {0} in {1:0.###} ms", status, _duration?.TotalMilliseconds)
                : "request in progress";
        }
    }

    sealed record Captured(string Method, string Path, string RawPath, string RequestId, string TraceIdentifier, string? ClientIp,
        string? UserAgent, string OperatingSystem);
}
