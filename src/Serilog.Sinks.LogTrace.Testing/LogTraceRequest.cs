using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Serilog.Sinks.LogTrace.Testing;

/// <summary>One request the server answered, accepted or not. The API key is never kept: its headers are masked.</summary>
public sealed class LogTraceRequest
{
    internal LogTraceRequest(LogTraceRecordKind? kind, string method, string path, int status, string? message,
        DateTimeOffset receivedAt, string requestId, string clientIp, string? contentType, string? userAgent,
        string? authenticatedBy, IReadOnlyList<KeyValuePair<string, string>> headers, string bodyText, JsonElement? body)
    {
        Kind = kind;
        Method = method;
        Path = path;
        Status = status;
        Message = message;
        ReceivedAt = receivedAt;
        RequestId = requestId;
        ClientIp = clientIp;
        ContentType = contentType;
        UserAgent = userAgent;
        AuthenticatedBy = authenticatedBy;
        Headers = headers;
        BodyText = bodyText;
        Body = body;
    }

    // Given by the store as it keeps the request.
    internal long Id { get; set; }

    // About what keeping it costs: the body's text (UTF-16) and, when it was parsed, its bytes (RequestStore's bound).
    internal long Size { get; init; }

    /// <summary>The record route's kind; null for a route the service does not have.</summary>
    public LogTraceRecordKind? Kind { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path, e.g. <c>/v1/developers/events</c>.</summary>
    public string Path { get; }

    /// <summary>The status answered: 202 when accepted; 0 when a fault closed or stalled the connection.</summary>
    public int Status { get; }

    /// <summary>The service's message, e.g. <c>failed to validate request payload: event name is required</c>.</summary>
    public string? Message { get; }

    /// <summary>When the server received it.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The X-Request-Id received, or the one the server made.</summary>
    public string RequestId { get; }

    /// <summary>The client IP the limiter keyed on.</summary>
    public string ClientIp { get; }

    /// <summary>The Content-Type header.</summary>
    public string? ContentType { get; }

    /// <summary>The User-Agent header.</summary>
    public string? UserAgent { get; }

    /// <summary>The header the key came in (<c>X-API-Key</c> or <c>Authorization</c>), when it was accepted.</summary>
    public string? AuthenticatedBy { get; }

    /// <summary>The request's headers, with the API key masked.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body as text (at most 1 MiB is kept).</summary>
    public string BodyText { get; }

    /// <summary>The body, when it was JSON.</summary>
    public JsonElement? Body { get; }

    /// <summary>Whether the server accepted it as a record.</summary>
    public bool Accepted => Status == 202 && Kind != null && Body != null;

    /// <inheritdoc />
    public override string ToString() => Status + " " + Method + " " + Path + (Message == null ? "" : ": " + Message);

    internal string KindName => Internal.ServiceRoutes.WireName(Kind);
}
