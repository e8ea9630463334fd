using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Pipeline;

// Builds a sink's LogTraceSinkStatus from the parts it shares with its outbox. Everything is read, nothing waited
// for; ages and times are on the sink's clock.
static class SinkStatus
{
    public static LogTraceSinkStatus Of(SinkParts parts, Outbox outbox, string endpoint, string? bufferUnavailable, bool sharesKeyAndEndpoint,
        long withoutRequestContext)
    {
        var counters = parts.Counters;
        var now = parts.Time.GetUtcNow();

        var lost = new Dictionary<string, long>(LossReasons.Count, StringComparer.Ordinal);
        var lastLost = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        for (var i = 0; i < LossReasons.Count; i++)
        {
            var reason = (LossReason)i;
            lost[LossReasons.TagValue(reason)] = counters.LostFor(reason);
            if (counters.SinceLost(reason) is { } since)
                lastLost[LossReasons.TagValue(reason)] = now - since;
        }

        var routes = new LogTraceRouteStatus[RecordKinds.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            var kind = (RecordKind)i;
            var answer = parts.Answers.Latest(kind);
            routes[i] = new LogTraceRouteStatus(KindName(kind), parts.Settings.RouteText(kind),
                answer?.StatusCode, answer?.At, answer?.Refusal);
        }

        // Each line's head, and the records out of their line's order (held for their request, or put back after it).
        var oldest = Earlier(Earlier(parts.Queue.OldestWaiting(), parts.Queue.Late.Oldest), outbox.OldestUndelivered());
        TimeSpan? age = oldest is { } at ? (now > at ? now - at : TimeSpan.Zero) : null;
        var misspelt = new List<string>(parts.Misspelt.Names);
        misspelt.Sort(StringComparer.Ordinal);
        var options = parts.Settings.Options;

        return new LogTraceSinkStatus(endpoint, now, counters.Queued, outbox.Buffered, options.BufferPath, bufferUnavailable, age,
            counters.Sent, counters.SinceSent is { } sinceSent ? now - sinceSent : null,
            new ReadOnlyDictionary<string, long>(lost), new ReadOnlyDictionary<string, DateTimeOffset>(lastLost),
            Array.AsReadOnly(routes), misspelt.AsReadOnly(), parts.Misspelt.Seen, sharesKeyAndEndpoint, parts.Ignored.Seen, withoutRequestContext,
            options.DryRun ? counters.DryRun : null);
    }

    // The kind as the status and the before-send hook name it: a sign-out is "session_logout".
    internal static string KindName(RecordKind kind) => kind == RecordKind.SessionLogout ? "session_logout" : RecordKinds.TagValue(kind);

    // The earlier of two times, either of which may be unknown (HeldBufferOutbox uses it too).
    internal static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) =>
        a is { } x && b is { } y ? (x < y ? x : y) : a ?? b;
}
