using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The LogTrace sinks of this process, however they were created (in code, from <c>appsettings.json</c>, through
/// <c>AddSerilog</c>/<c>UseSerilog</c> or the static <c>Log.Logger</c>): no reference to a sink is needed. The health
/// check of <c>Serilog.Sinks.LogTrace.HealthChecks</c> reads it.
/// </summary>
public static class LogTraceStatus
{
    /// <summary>A snapshot of every LogTrace sink created and not yet disposed, oldest first. Empty when there is
    /// none. Cheap enough for a health check's interval: it reads counters, and with a durable buffer runs one
    /// indexed query.</summary>
    public static IReadOnlyList<LogTraceSinkStatus> GetSinks() => LiveSinks.Snapshot();

    /// <summary>
    /// Waits until every record logged before the call is settled, in every live LogTrace sink, without disposing
    /// anything: delivered to the service, or with <c>bufferPath</c> written to the durable buffer on disk (not yet
    /// delivered), or written by a dry run, or lost and counted. Records logged after the call do not extend the wait.
    /// Records waiting for their HTTP request to end are waited for (so flush after the request, not inside it), as
    /// are those waiting for the rate limit or a retry: at the timeout the result says how many remain, and they go
    /// on normally. Call it at the end of each AWS Lambda or Azure Functions invocation (docs/flush-and-dry-run.md).
    /// </summary>
    /// <param name="timeout">The longest the call waits, on each sink's clock; zero only reports what remains, and
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits until everything is settled or the token is cancelled.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>Whether everything was settled, or how many records remain. A timeout is not an error.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not
    /// <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<LogTraceFlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SinkFlush.FlushAsync(LiveSinks.All(), timeout, cancellationToken);
}
