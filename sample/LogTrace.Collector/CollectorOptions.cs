using Serilog.Sinks.LogTrace.Testing;

namespace LogTrace.Collector;

/// <summary>How the local collector behaves. Bound from the "Collector" configuration section when run on its own; the same
/// settings as <see cref="LogTraceTestServerOptions"/>, whose server the collector hosts.</summary>
public sealed class CollectorOptions
{
    /// <summary>The API keys accepted. Empty: any non-empty key is accepted (handy for local runs).</summary>
    public List<string> ApiKeys { get; set; } = new();

    /// <summary>Requests allowed per client IP in one window, like the service's limiter. Default 100.</summary>
    public int RateLimit { get; set; } = 100;

    /// <summary>The limiter's sliding window. Default 60 seconds.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Switches the limiter off (no 429, no X-RateLimit-* headers).</summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>
    /// Faults for the record routes (events, audit logs, sessions, sign-outs), one per record request in arrival order,
    /// whatever its route; requests past the end of the list are answered normally. Each entry is one of: <c>ok</c>; a status code (<c>500</c>, <c>503</c>, <c>429</c>, ...,
    /// with the service's message for it); <c>STATUS:SECONDS</c> to add <c>Retry-After</c>; <c>abort</c> (the
    /// connection is closed mid-request); <c>stall</c> (no answer until the client gives up); <c>stall-after-store</c>
    /// (the event is stored, then no answer: the client's retry makes a duplicate, as with the real service);
    /// <c>stall-body</c> (a 500 whose body starts and never ends); <c>STATUS&gt;LOCATION</c> (a redirect, e.g.
    /// <c>307&gt;http://127.0.0.1:5999/v1/developers/events</c>).
    /// </summary>
    public List<string> FaultSchedule { get; set; } = new();

    /// <summary>Event and audit log names always answered <c>400 failed to validate payload</c>, like a body the service can
    /// never accept.</summary>
    public List<string> RejectEventNames { get; set; } = new();

    /// <summary>The most requests kept for the page, newest first; older ones are let go and counted. Default 10,000.</summary>
    public int MaxKeptRequests { get; set; } = 10_000;

    /// <summary>The clock of the limiter and of the received-at stamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal LogTraceTestServerOptions ToServerOptions(string? url = null) => new()
    {
        ApiKeys = ApiKeys,
        RateLimit = RateLimit,
        RateLimitWindow = RateLimitWindow,
        RateLimitEnabled = RateLimitEnabled,
        FaultSchedule = FaultSchedule,
        RejectNames = RejectEventNames,
        TimeProvider = TimeProvider,
        MaxKeptRequests = MaxKeptRequests,
        Url = url ?? "http://127.0.0.1:0",
    };
}
