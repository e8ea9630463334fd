using System;
using System.Collections.Generic;

namespace Serilog.Sinks.LogTrace.Testing;

/// <summary>How a <see cref="LogTraceTestServer"/> behaves.</summary>
public sealed class LogTraceTestServerOptions
{
    /// <summary>The API keys accepted. Empty (the default): any non-empty key is accepted.</summary>
    public IList<string> ApiKeys { get; set; } = new List<string>();

    /// <summary>Requests allowed per client IP in one window, as the service's limiter. Default 100.</summary>
    public int RateLimit { get; set; } = 100;

    /// <summary>The limiter's sliding window. Default 60 seconds.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the limiter runs (429 and the X-RateLimit-* headers). Default true.</summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>
    /// Faults for the record routes, one per record request in arrival order whatever its route; requests past the end
    /// of the list are answered normally. Each entry is one of: <c>ok</c>; a status code (<c>500</c>, <c>503</c>,
    /// <c>429</c>, ..., with the service's message for it); <c>STATUS:SECONDS</c> to add <c>Retry-After</c>;
    /// <c>abort</c> (the connection is closed); <c>stall</c> (no answer until the client gives up);
    /// <c>stall-after-store</c> (the record is accepted, then no answer); <c>stall-body</c> (a 500 whose body never
    /// ends); <c>STATUS&gt;LOCATION</c> (a redirect).
    /// </summary>
    public IList<string> FaultSchedule { get; set; } = new List<string>();

    /// <summary>Event and audit log names always answered <c>400 failed to validate payload</c>.</summary>
    public IList<string> RejectNames { get; set; } = new List<string>();

    /// <summary>The clock of the limiter and of the received-at stamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The most requests kept (<see cref="LogTraceTestServer.Requests"/>, the page), newest first: when one more arrives,
    /// the oldest is let go and counted in <see cref="LogTraceTestServer.DroppedRequests"/>. Default 10,000. The bodies
    /// kept are also bounded, to about 256 MiB, so a collector left running cannot take the machine's memory.
    /// </summary>
    public int MaxKeptRequests { get; set; } = DefaultMaxKeptRequests;

    internal const int DefaultMaxKeptRequests = 10_000;

    /// <summary>Where to listen. Default <c>http://127.0.0.1:0</c>: a free loopback port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";
}
