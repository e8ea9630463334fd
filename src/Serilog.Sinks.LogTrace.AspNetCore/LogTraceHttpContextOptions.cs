using System;
using System.Collections.Generic;
using System.Security.Claims;

namespace Serilog.Sinks.LogTrace.AspNetCore;

/// <summary>
/// What the LogTrace request context captures from each HTTP request. Set through
/// <c>builder.Services.AddLogTraceHttpContext(options => ...)</c>.
/// </summary>
public sealed class LogTraceHttpContextOptions
{
    /// <summary>The longest the sink holds an event logged during a request, from the event's timestamp, waiting for
    /// the request to end so the event carries the final status code and duration. The application never waits.
    /// Default: 5 seconds.</summary>
    public TimeSpan MaxEventHold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a request has completed its values are still attached to events logged in its async
    /// flow: fire-and-forget work started by the request keeps its context for this long. Later events in that flow,
    /// such as a loop a singleton started while being resolved inside a request, carry no request values. Work that
    /// must never inherit a request should be started under <c>ExecutionContext.SuppressFlow()</c> or from a hosted
    /// service. Default: 30 seconds.</summary>
    public TimeSpan AttachAfterCompletion { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether <c>http_endpoint</c> includes the query string, with the values of
    /// <see cref="LogTraceRedaction.SensitiveQueryParameters"/> replaced by <c>[REDACTED]</c>. Default: <see langword="false"/> (query
    /// strings carry tokens and personal data).</summary>
    public bool IncludeQueryString { get; set; }

    /// <summary>When set, only these request headers are sent (case-insensitive; <see cref="LogTraceRedaction"/> still
    /// applies). Default:
    /// <see langword="null"/>, all headers.</summary>
    public ISet<string>? IncludedHeaders { get; set; }

    /// <summary>The longest header value sent, in characters; longer values are cut and end with <c>…[truncated]</c>.
    /// Default: 1024.</summary>
    public int MaxHeaderValueLength { get; set; } = 1024;

    /// <summary>The most request headers captured per request (at most 128, the sink's own limit); the others are
    /// counted in a <c>_truncated</c> entry of <c>request_headers</c>. Default: 64.</summary>
    public int MaxHeaderCount { get; set; } = 64;

    /// <summary>The longest header name captured, in characters (at most 256); headers with longer names are left out
    /// and counted. Default: 256.</summary>
    public int MaxHeaderNameLength { get; set; } = 256;

    /// <summary>The most UTF-8 bytes of header names and values captured per request (at most 16384); headers that do
    /// not fit are left out and counted. Bounds the memory of events waiting in the sink's queue as well as their
    /// size. Default: 8192.</summary>
    public int MaxHeaderBlockBytes { get; set; } = 8192;

    /// <summary>Takes the client IP from <c>CF-Connecting-IP</c>, <c>X-Real-IP</c> or the first <c>X-Forwarded-For</c>
    /// entry, in that order, like the official LogTrace SDKs. Any client can set these headers, so turn this on only
    /// when every request passes a proxy that overwrites them; prefer ASP.NET Core's <c>UseForwardedHeaders</c> with
    /// known proxies. Default: <see langword="false"/> (the connection's remote address).</summary>
    public bool TrustForwardingHeaders { get; set; }

    /// <summary>A request header whose value becomes <c>request_id</c> when present (e.g. <c>X-Request-Id</c>).
    /// Default: <see langword="null"/>, <c>HttpContext.TraceIdentifier</c>.</summary>
    public string? RequestIdHeader { get; set; }

    /// <summary>Claim types tried, in order, for <c>user_id</c> of a signed-in user without an explicit
    /// <c>UserId</c>/<c>UserName</c> on the event. Default: <c>sub</c>, <see cref="ClaimTypes.NameIdentifier"/>, <c>oid</c>.</summary>
    public IList<string> UserIdClaimTypes { get; } = new List<string> { "sub", ClaimTypes.NameIdentifier, "oid" };

    /// <summary>Claim types tried, in order, for <c>username</c>. Default: <c>name</c>, <see cref="ClaimTypes.Name"/>,
    /// <c>preferred_username</c>, <c>email</c>.</summary>
    public IList<string> UserNameClaimTypes { get; } = new List<string> { "name", ClaimTypes.Name, "preferred_username", "email" };

    // The clock of request durations; tests use a fake one.
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
