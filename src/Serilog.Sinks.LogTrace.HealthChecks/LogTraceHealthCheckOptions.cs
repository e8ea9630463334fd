using System;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// Thresholds of the LogTrace health check, used with
/// <see cref="Microsoft.Extensions.DependencyInjection.LogTraceHealthCheckBuilderExtensions.AddLogTrace"/>.
/// </summary>
public sealed class LogTraceHealthCheckOptions
{
    /// <summary>How far back a loss counts: records lost as <c>queue_full</c>, <c>buffer_full</c> or
    /// <c>retry_limit</c> within it make the check Unhealthy; records rejected by the service (400-class), lost to a
    /// before-send hook that threw (<c>hook_failed</c>), refused by the sink as <c>invalid</c> or read back
    /// <c>corrupt</c> from the durable buffer, Degraded. Default: 5 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The check is Degraded when the oldest record not yet delivered was logged longer ago than this.
    /// Default: 10 minutes.</summary>
    public TimeSpan MaxUndeliveredAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Only the sinks that post to this ingestion base URL are checked (an application with a sink per
    /// tenant, say), compared as URLs (<c>https://host:443/v1/developers/</c> is <c>https://host/v1/developers</c>);
    /// <see langword="null"/> (the default) checks every LogTrace sink in the process. Anything but an absolute http or
    /// https URL is refused when the check is added.</summary>
    public string? Endpoint { get; set; }
}
