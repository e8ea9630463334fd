using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// A read-only snapshot of one LogTrace sink, from <see cref="LogTraceStatus.GetSinks"/>: what it holds, what it
/// delivered and lost, and the service's latest answers. It never carries the API key or a session token. Times are
/// the sink's own clock (<c>TimeProvider</c>), in UTC.
/// </summary>
public sealed class LogTraceSinkStatus
{
    internal LogTraceSinkStatus(string endpoint, DateTimeOffset takenAt, long queued, long? buffered, string? bufferPath,
        string? bufferUnavailable, TimeSpan? oldestUndeliveredAge, long sent, DateTimeOffset? lastDelivery,
        IReadOnlyDictionary<string, long> lost, IReadOnlyDictionary<string, DateTimeOffset> lastLost,
        IReadOnlyList<LogTraceRouteStatus> routes, IReadOnlyList<string> misspeltMarkers, long misspeltMarkerEvents, bool sharesKeyAndEndpoint,
        long ignoredMarkerEvents = 0, long withoutRequestContext = 0, long? dryRunRecords = null)
    {
        DryRunRecords = dryRunRecords;
        IgnoredMarkerEvents = ignoredMarkerEvents;
        WithoutRequestContext = withoutRequestContext;
        Endpoint = endpoint;
        TakenAt = takenAt;
        Queued = queued;
        Buffered = buffered;
        BufferPath = bufferPath;
        BufferUnavailable = bufferUnavailable;
        OldestUndeliveredAge = oldestUndeliveredAge;
        Sent = sent;
        LastDelivery = lastDelivery;
        Lost = lost;
        LastLost = lastLost;
        Routes = routes;
        MisspeltMarkers = misspeltMarkers;
        MisspeltMarkerEvents = misspeltMarkerEvents;
        SharesKeyAndEndpoint = sharesKeyAndEndpoint;
    }

    /// <summary>The ingestion base URL the sink posts to (never with credentials or a query).</summary>
    public string Endpoint { get; }

    /// <summary>When the snapshot was taken, on the sink's clock.</summary>
    public DateTimeOffset TakenAt { get; }

    /// <summary>Records accepted in memory and not yet finished: queued, being formatted, in flight or waiting to be
    /// retried (with a durable buffer: on their way to disk).</summary>
    public long Queued { get; }

    /// <summary>Records in the durable buffer not yet delivered; <see langword="null"/> when the sink has no durable
    /// buffer (none configured, or the configured one could not be used: <see cref="BufferUnavailable"/>).</summary>
    public long? Buffered { get; }

    /// <summary>The configured <c>bufferPath</c>, resolved; <see langword="null"/> when none is configured.</summary>
    public string? BufferPath { get; }

    /// <summary>Why the configured durable buffer is not used and the sink delivers from memory (another process holds
    /// the folder, the disk was full at start); <see langword="null"/> when it is used, or none is configured.</summary>
    public string? BufferUnavailable { get; }

    /// <summary>How long ago the oldest record not yet delivered (in memory, held for its HTTP request, or in the
    /// durable buffer) was logged; <see langword="null"/> when there is none.</summary>
    public TimeSpan? OldestUndeliveredAge { get; }

    /// <summary>Records the service accepted since the sink was created.</summary>
    public long Sent { get; }

    /// <summary>When the service last accepted a record; <see langword="null"/> for never.</summary>
    public DateTimeOffset? LastDelivery { get; }

    /// <summary>Records lost since the sink was created, by reason: <c>rejected</c>, <c>unauthorized</c>,
    /// <c>retry_limit</c>, <c>queue_full</c>, <c>shutdown</c>, <c>invalid</c>, <c>buffer_full</c>, <c>corrupt</c>,
    /// <c>dropped_by_hook</c>, <c>hook_failed</c> (the values of the <c>logtrace.events.failed</c> metric's <c>reason</c> tag). Every reason is present.</summary>
    public IReadOnlyDictionary<string, long> Lost { get; }

    /// <summary>When a record was last lost, for each reason that has lost one.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastLost { get; }

    /// <summary>The service's latest answer on each route (events, audit logs, sessions, sign-outs).</summary>
    public IReadOnlyList<LogTraceRouteStatus> Routes { get; }

    /// <summary>Property names seen that look like a marker (<c>EventName</c>, <c>AuditLogName</c>,
    /// <c>SessionStatus</c>, <c>SessionToken</c>) but are spelt otherwise: their log events were not sent.</summary>
    public IReadOnlyList<string> MisspeltMarkers { get; }

    /// <summary>How many log events carried a misspelt marker.</summary>
    public long MisspeltMarkerEvents { get; }

    /// <summary>How many sign-outs also carried <c>EventName</c> or <c>AuditLogName</c>: a sign-out is sent as its token
    /// alone, so the other record was not sent.</summary>
    public long IgnoredMarkerEvents { get; }

    /// <summary>How many records were logged during an ASP.NET Core request that had no LogTrace request context (the
    /// <c>Serilog.Sinks.LogTrace.AspNetCore</c> middleware is missing): they went without request details.</summary>
    public long WithoutRequestContext { get; }

    /// <summary>Records written to the dry run's output instead of being sent; <see langword="null"/> when the sink is
    /// not in dry run. A sink in dry run (<see cref="LogTraceSinkOptions.DryRun"/>) sends nothing at all.</summary>
    public long? DryRunRecords { get; }

    /// <summary>Another live LogTrace sink in the process posts with the same API key to the same endpoint: every
    /// record logged through both is sent twice (a sink added in code and again from configuration, say).</summary>
    public bool SharesKeyAndEndpoint { get; }
}
