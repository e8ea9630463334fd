using System;
using System.Threading;
using System.Threading.Tasks;
using Serilog.Events;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The HTTP request that LogTrace events are logged in, for integrations such as Serilog.Sinks.LogTrace.AspNetCore.
/// The integration makes a context <see cref="Current"/> for the request's async flow. When a record (an event with an
/// <c>EventName</c>, an audit log or a session) is logged there, the sink (on the logging thread) gives its <em>own copy</em> of the event to
/// <see cref="AddProperties"/>, so the request's values reach LogTrace and no other sink. Before sending, the sink
/// holds the event until <see cref="Completed"/> finishes, but never past <see cref="MaxWait"/> after the event's
/// timestamp (nor past the shutdown deadline), then sends the request's final <see cref="StatusCode"/> and
/// <see cref="Duration"/>, or neither if the request has not ended by then. The application's thread never waits.
/// </summary>
public abstract class LogTraceRequestContext
{
    static readonly AsyncLocal<LogTraceRequestContext?> CurrentContext = new();

    /// <summary>Creates a context whose events the sink holds at most <paramref name="maxWait"/> after their timestamp.</summary>
    /// <param name="maxWait">The longest the sink holds an event for this request, from the event's timestamp.</param>
    protected LogTraceRequestContext(TimeSpan maxWait)
    {
        if (maxWait < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "The longest wait for a request to end must not be negative.");
        MaxWait = maxWait;
    }

    /// <summary>The request context of the current async flow, or <see langword="null"/> outside any request. Set by
    /// the integration at the start of the request; it flows into everything the request awaits or starts.</summary>
    public static LogTraceRequestContext? Current
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }

    /// <summary>The longest the sink holds an event for this request, from the event's timestamp (the sink holds no
    /// event longer than an hour, whatever this says).</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>Finishes when the request has ended and <see cref="StatusCode"/> and <see cref="Duration"/> are final.</summary>
    public abstract Task Completed { get; }

    /// <summary>The status code the response finished with; <see langword="null"/> while the request is in progress.</summary>
    public abstract int? StatusCode { get; }

    /// <summary>The request's duration; <see langword="null"/> while the request is in progress.</summary>
    public abstract TimeSpan? Duration { get; }

    /// <summary>Adds the request's values (the <see cref="LogTraceProperties"/> names) to the sink's copy of an event
    /// logged in this request's flow; values already on the event must win. Called on the logging thread; must not
    /// throw.</summary>
    /// <param name="logEvent">The sink's own copy of the event.</param>
    /// <returns><see langword="false"/> when the event no longer belongs to the request (e.g. work that outlived it),
    /// so it is sent without request values and without waiting for the request.</returns>
    public abstract bool AddProperties(LogEvent logEvent);
}
