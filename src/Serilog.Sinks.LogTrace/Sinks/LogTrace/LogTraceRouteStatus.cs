using System;

namespace Serilog.Sinks.LogTrace;

/// <summary>The LogTrace service's latest answer on one route of a sink, in <see cref="LogTraceSinkStatus.Routes"/>.</summary>
public sealed class LogTraceRouteStatus
{
    internal LogTraceRouteStatus(string kind, string url, int? lastStatusCode, DateTimeOffset? lastAnswerAt, string? refusal)
    {
        Kind = kind;
        Url = url;
        LastStatusCode = lastStatusCode;
        LastAnswerAt = lastAnswerAt;
        Refusal = refusal;
    }

    /// <summary>The kind of record posted there: <c>event</c>, <c>audit_log</c>, <c>session</c> or
    /// <c>session_logout</c>.</summary>
    public string Kind { get; }

    /// <summary>The URL the sink posts that kind to.</summary>
    public string Url { get; }

    /// <summary>The status code of the latest answer (a redirect's included); <see langword="null"/> when the service
    /// has not answered on this route yet. A request that got no answer (the service is down) leaves it as it was.</summary>
    public int? LastStatusCode { get; }

    /// <summary>When the latest answer came, on the sink's clock.</summary>
    public DateTimeOffset? LastAnswerAt { get; }

    /// <summary>When the latest answer refused the configuration (401, 402, 403, 404, 405, 428, or a redirect, which
    /// the sink never follows): the answer and what to check. <see langword="null"/> otherwise.</summary>
    public string? Refusal { get; }
}
