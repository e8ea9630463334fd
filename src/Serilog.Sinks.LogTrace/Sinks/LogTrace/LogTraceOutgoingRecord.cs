using System.Text.Json.Nodes;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// One record as the LogTrace sink will send it, given to the before-send hook (<see cref="LogTraceSinkOptions.BeforeSend"/>,
/// <see cref="ILogTraceBeforeSend"/>).
/// </summary>
public sealed class LogTraceOutgoingRecord
{
    internal LogTraceOutgoingRecord(string kind, string route, JsonObject body)
    {
        Kind = kind;
        Route = route;
        Body = body;
    }

    /// <summary>The kind of record, which decides its route: <c>event</c>, <c>audit_log</c>, <c>session</c> or
    /// <c>session_logout</c> (a sign-out), as in <see cref="LogTraceRouteStatus.Kind"/>. It cannot be changed.</summary>
    public string Kind { get; }

    /// <summary>The URL the record is posted to (<see cref="LogTraceRouteStatus.Url"/>).</summary>
    public string Route { get; }

    /// <summary>The body as it will be sent: the top-level fields (<c>name</c>, <c>user_id</c>, <c>username</c>,
    /// <c>type</c>, <c>description</c>, <c>status</c>, <c>token</c>, ...), <c>metadata</c> and <c>request_details</c>
    /// (<c>docs/logtrace-api.md</c>). Change it in place; what it holds when the hook returns <see langword="true"/> is
    /// sent. A body the service would refuse (no <c>name</c>, no user, ...) is dropped and counted <c>invalid</c>.</summary>
    public JsonObject Body { get; }
}
