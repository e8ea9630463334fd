using System;
using System.Threading.Tasks;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The outcome of the HTTP request an event was logged in, which is known only when the request ends. An integration
/// such as Serilog.Sinks.LogTrace.AspNetCore attaches one to each event as the
/// <see cref="LogTraceProperties.RequestCompletion"/> property. Before sending such an event the sink waits until
/// <see cref="Completed"/> finishes, but never past <see cref="MaxWait"/> after the event's timestamp (nor past the
/// shutdown deadline), then sends the request's final <see cref="StatusCode"/> and <see cref="Duration"/>, or neither
/// if the request has not ended by then. The application's thread never waits.
/// </summary>
public abstract class LogTraceRequestCompletion
{
    /// <summary>Creates a completion that the sink waits for at most <paramref name="maxWait"/> after an event's timestamp.</summary>
    /// <param name="maxWait">The longest the sink holds an event for this request, from the event's timestamp.</param>
    protected LogTraceRequestCompletion(TimeSpan maxWait)
    {
        if (maxWait < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "The longest wait for a request to end must not be negative.");
        MaxWait = maxWait;
    }

    /// <summary>The longest the sink holds an event for this request, from the event's timestamp.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>Finishes when the request has ended and <see cref="StatusCode"/> and <see cref="Duration"/> are final.</summary>
    public abstract Task Completed { get; }

    /// <summary>The status code the response finished with; <see langword="null"/> while the request is in progress.</summary>
    public abstract int? StatusCode { get; }

    /// <summary>The request's duration; <see langword="null"/> while the request is in progress.</summary>
    public abstract TimeSpan? Duration { get; }
}
