using System.Text.Json;

namespace LogTrace.Collector;

/// <summary>One request the collector answered.</summary>
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
    JsonElement? Body);

/// <summary>What the collector received, in memory.</summary>
public sealed class CollectorStore
{
    readonly List<CollectorRequest> _requests = new();

    public void Add(CollectorRequest request)
    {
        lock (_requests)
            _requests.Add(request);
    }

    /// <summary>Every request answered, accepted or not, in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToArray();
        }
    }

    /// <summary>The accepted events (202), in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Events => Accepted("event");

    /// <summary>The accepted audit logs (202), in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> AuditLogs => Accepted("audit-log");

    /// <summary>The accepted sessions and sign-outs (kinds <c>session</c> and <c>session-logout</c>), in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Sessions => Accepted("session", "session-logout");

    /// <summary>Every accepted record of any kind, in arrival order.</summary>
    public IReadOnlyList<CollectorRequest> Records => Accepted("event", "audit-log", "session", "session-logout");

    IReadOnlyList<CollectorRequest> Accepted(params string[] kinds) =>
        Requests.Where(r => r.Status == 202 && kinds.Contains(r.Kind)).ToArray();

    public void Clear()
    {
        lock (_requests)
            _requests.Clear();
    }
}
