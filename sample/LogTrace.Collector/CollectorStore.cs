using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace LogTrace.Collector;

/// <summary>One request the collector answered (a <see cref="LogTraceRequest"/>, with the kind named as in the JSON
/// listings: <c>event</c>, <c>audit-log</c>, <c>session</c>, <c>session-logout</c> or <c>other</c>).</summary>
public sealed record CollectorRequest(
    string Kind,
    string Path,
    int Status,
    string? Message,
    DateTimeOffset ReceivedAt,
    string RequestId,
    string ClientIp,
    string? ContentType,
    string? UserAgent,
    string? AuthenticatedBy,
    JsonElement? Body)
{
    internal static CollectorRequest From(LogTraceRequest r) =>
        new(r.KindName, r.Path, r.Status, r.Message, r.ReceivedAt, r.RequestId, r.ClientIp, r.ContentType, r.UserAgent, r.AuthenticatedBy, r.Body);
}

/// <summary>What the collector received, in memory: a view of the server's requests.</summary>
public sealed class CollectorStore
{
    readonly RequestStore _store;

    internal CollectorStore(RequestStore store) => _store = store;

    /// <summary>Every request answered, accepted or not, in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Requests => _store.Requests.Select(CollectorRequest.From).ToArray();

    /// <summary>The accepted events (202), in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Events => Accepted(LogTraceRecordKind.Event);

    /// <summary>The accepted audit logs (202), in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> AuditLogs => Accepted(LogTraceRecordKind.AuditLog);

    /// <summary>The accepted sessions and sign-outs (kinds <c>session</c> and <c>session-logout</c>), in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Sessions => Accepted(LogTraceRecordKind.Session, LogTraceRecordKind.SignOut);

    /// <summary>Every accepted record of any kind, in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Records =>
        Accepted(LogTraceRecordKind.Event, LogTraceRecordKind.AuditLog, LogTraceRecordKind.Session, LogTraceRecordKind.SignOut);

    IReadOnlyList<CollectorRequest> Accepted(params LogTraceRecordKind[] kinds) => _store.Accepted(kinds).Select(CollectorRequest.From).ToArray();

    public void Clear() => _store.Clear();
}
