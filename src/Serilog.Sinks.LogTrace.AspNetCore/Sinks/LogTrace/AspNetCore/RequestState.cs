using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace.AspNetCore;

// What LogTrace events need from one request. It holds the HttpContext only while the request runs (ASP.NET Core
// pools and reuses contexts): when the response completes, the values still needed are copied and the reference
// dropped, so work that outlives the request reads the copies, for AttachAfterCompletion and no longer.
sealed class RequestState : LogTraceRequestContext
{
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
    long? _completedAt;
    bool _failed;

    public RequestState(HttpContext context, LogTraceHttpContextOptions options)
        : base(options.MaxEventHold)
    {
        _context = context;
        _options = options;
        _started = options.TimeProvider.GetTimestamp();
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

                try
                {
                    // Events logged after the response (work the request started) need the headers too, and only
                    // now can they still be read. Whether such an event will come is unknown, so every request
                    // pays for the copy; the compact form keeps that to one array of the already-bounded headers
                    // (about 0.5 KB for 20 headers) instead of the Serilog dictionary (about 2.5 KB).
                    _headers ??= HeaderCapture.Capture(context.Request.Headers, _options);
                }
                catch (Exception)
                {
                    // As above: the events go without headers.
                }

                _duration = _options.TimeProvider.GetElapsedTime(_started);
                _completedAt = _options.TimeProvider.GetTimestamp();
                _context = null;
            }
        }
        _completed.TrySetResult(true);
        return Task.CompletedTask;
    }

    // Called by the sink, for its own copy of each record (an event, audit log or session) logged in this request's flow. Explicit
    // properties on the event win. False once the event no longer belongs to the request (AttachAfterCompletion).
    public override bool AddProperties(LogEvent logEvent) => Enrich(logEvent, forLogTrace: true);

    // Called by the opt-in enricher (Enrich.WithLogTraceHttpContext()), which gives every sink the request's values:
    // the same values, with the same redaction, but nothing that only LogTrace's machinery uses.
    public void Share(LogEvent logEvent) => Enrich(logEvent, forLogTrace: false);

    bool Enrich(LogEvent logEvent, bool forLogTrace)
    {
        Captured captured;
        LogEventPropertyValue? headers;
        string? userId, userName, route;
        lock (_lock)
        {
            if (_completedAt is { } completedAt && _options.TimeProvider.GetElapsedTime(completedAt) > _options.AttachAfterCompletion)
            {
                // The AsyncLocal flows into everything the request started, including loops that run for the
                // application's lifetime: past the window their events are not the request's any more. The copies
                // are released too, since such a flow may keep this state reachable for good.
                Release();
                return false;
            }

            if (_context is { } context)
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
                return false;
            captured = _captured;
            headers = _headers?.ToPropertyValue();
            userId = _userId;
            userName = _userName;
            route = _route;
        }

        RequestProperties.Add(logEvent, captured, headers, userId, userName, route, forLogTrace);
        return true;
    }

    void Release()
    {
        _captured = null;
        _headers = null;
        _userId = _userName = _route = null;
    }



    // Called under _lock while the context is still held.
    void ReadLiveValues(HttpContext context)
    {
        _captured ??= RequestValues.Capture(context, _options);
        (_userId, _userName) = RequestValues.ReadUser(context.User, _options);
        _route = RequestValues.ReadRoute(context) ?? _route;
    }


    public override string ToString()
    {
        lock (_lock)
        {
            return _statusCode is { } status
                ? string.Format(CultureInfo.InvariantCulture, "request completed with {0} in {1:0.###} ms", status, _duration?.TotalMilliseconds)
                : "request in progress";
        }
    }
}
