namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The names of the log event properties that the LogTrace sink maps onto LogTrace record fields.
/// Every other property of an event goes into the record's <c>metadata</c>.
/// </summary>
/// <remarks>
/// Where ASP.NET Core's logging scope or Serilog.AspNetCore already attach a property with the same meaning
/// (<c>RequestId</c>, <c>RequestPath</c>, <c>RequestMethod</c>, <c>StatusCode</c>, <c>Elapsed</c>), the same name
/// is used, so an ASP.NET Core application gets request context without extra enrichment.
/// </remarks>
public static class LogTraceProperties
{
    /// <summary>Marks a log event as a LogTrace event (<c>POST {base}/events</c>) and becomes its <c>name</c>, e.g.
    /// <c>user.login</c>. Log events without a non-empty value for this property, <see cref="AuditLogName"/> or
    /// <see cref="SessionStatus"/> are ignored by the sink.</summary>
    public const string EventName = "EventName";

    /// <summary>Marks a log event as a LogTrace audit log (<c>POST {base}/audit-logs</c>) and becomes its <c>name</c>, e.g.
    /// <c>invoice.deleted</c>. The rendered message becomes its <c>description</c>. Wins over <see cref="EventName"/>.</summary>
    public const string AuditLogName = "AuditLogName";

    /// <summary>Marks a log event as a LogTrace session (<c>POST {base}/sessions</c>) and becomes its <c>status</c>: a
    /// <see cref="LogTraceSessionStatus"/> or its name in any case (<c>active</c>, <c>successful</c>, <c>failed</c>,
    /// <c>expired</c>); <c>logout</c> signs out the session named by <see cref="SessionToken"/>
    /// (<c>POST {base}/sessions/logout</c>). Any other value is dropped before sending, counted as <c>invalid</c>.
    /// Wins over <see cref="AuditLogName"/> and <see cref="EventName"/>.</summary>
    public const string SessionStatus = "SessionStatus";

    /// <summary>The session's token; becomes <c>token</c> (required for a sign-out). Never written to metadata, to
    /// <c>SelfLog</c> or to failure messages, whatever kind of record the event is.</summary>
    public const string SessionToken = "SessionToken";

    /// <summary>When the session began (a <see cref="System.DateTimeOffset"/>, a <see cref="System.DateTime"/> or an
    /// RFC 3339 string); becomes a session's <c>login_at</c>. Without it, the log event's timestamp is used.</summary>
    public const string SessionLoginAt = "SessionLoginAt";

    /// <summary>The acting user's id; becomes <c>user_id</c>.</summary>
    public const string UserId = "UserId";

    /// <summary>The acting user's name; becomes <c>username</c>.</summary>
    public const string UserName = "UserName";

    /// <summary>The event's type, e.g. <c>security</c>; becomes an event's <c>type</c> (audit logs and sessions have none:
    /// there it stays in metadata).</summary>
    public const string EventType = "EventType";

    /// <summary>The HTTP method of the request; becomes <c>request_details.http_method</c>.</summary>
    public const string RequestMethod = "RequestMethod";

    /// <summary>The request path; becomes <c>request_details.http_endpoint</c> unless the event has
    /// <see cref="HttpEndpoint"/>.</summary>
    public const string RequestPath = "RequestPath";

    /// <summary>The request's endpoint as LogTrace shows it, when that differs from <see cref="RequestPath"/> (e.g. with
    /// a redacted query string); becomes <c>request_details.http_endpoint</c> and wins over <see cref="RequestPath"/>,
    /// which other sinks keep as ASP.NET Core set it. Attached by Serilog.Sinks.LogTrace.AspNetCore.</summary>
    public const string HttpEndpoint = "LogTraceHttpEndpoint";

    /// <summary>The response status code; becomes <c>request_details.http_status_code</c> when it is an integer.</summary>
    public const string StatusCode = "StatusCode";

    /// <summary>The request's duration in milliseconds (a number) or a <see cref="System.TimeSpan"/>;
    /// becomes <c>request_details.request_duration</c>, e.g. <c>12.5ms</c>.</summary>
    public const string Elapsed = "Elapsed";

    /// <summary>The request's id; becomes <c>request_details.request_id</c>.</summary>
    public const string RequestId = "RequestId";

    /// <summary>The end user's IP address; becomes <c>request_details.ip_address</c> (any port is removed).</summary>
    public const string ClientIp = "ClientIp";

    /// <summary>The client's user agent; becomes <c>request_details.client_user_agent</c>.</summary>
    public const string UserAgent = "UserAgent";

    /// <summary>The client's operating system; becomes <c>request_details.operating_system</c>.</summary>
    public const string OperatingSystem = "OperatingSystem";

    /// <summary>A dictionary or structure of request headers; becomes <c>request_details.request_headers</c>.
    /// Sensitive headers (<c>Authorization</c>, <c>Cookie</c>, <c>X-API-Key</c>, ...) are always redacted; at most 128
    /// headers, names of up to 256 characters and 16 KB are sent, and a <c>_truncated</c> entry says how many were
    /// left out.</summary>
    public const string RequestHeaders = "RequestHeaders";
}
