namespace Serilog.Sinks.LogTrace;

/// <summary>
/// What <see cref="LogTraceStatus.FlushAsync"/> found when it returned: whether every record logged before the call
/// was settled, or how many were not.
/// </summary>
public sealed class LogTraceFlushResult
{
    internal LogTraceFlushResult(long remaining, int sinks)
    {
        Remaining = remaining;
        Sinks = sinks;
    }

    /// <summary><see langword="true"/> when every record logged before the call is settled: accepted by the service
    /// (in memory), written to the durable buffer on disk (with <c>bufferPath</c>: not yet delivered), written by a
    /// dry run, or lost and counted under its reason in <see cref="LogTraceStatus.GetSinks"/>.</summary>
    public bool Completed => Remaining == 0;

    /// <summary>The records logged before the call and not settled when it returned, over every sink: queued,
    /// waiting for their HTTP request to end, waiting for the rate limit or a retry, or in flight. They go on
    /// normally; a later flush, or disposing the logger, waits for them again.</summary>
    public long Remaining { get; }

    /// <summary>How many LogTrace sinks were flushed (every live one in the process).</summary>
    public int Sinks { get; }
}
