using System;
using System.Collections.Generic;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog.Sinks.LogTrace;
using Serilog.Sinks.LogTrace.HealthChecks;

// The namespace of IHealthChecksBuilder, as health check packages do: AddLogTrace() is found where AddHealthChecks() is.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the LogTrace health check to <see cref="IHealthChecksBuilder"/>.</summary>
public static class LogTraceHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds a health check of every LogTrace sink in the process (<see cref="LogTraceStatus"/>), however Serilog was
    /// configured: in code, from <c>appsettings.json</c>, through <c>AddSerilog</c>/<c>UseSerilog</c> or the static
    /// <c>Log.Logger</c>. Unhealthy: no LogTrace sink exists; the service's latest answer on a route refused the
    /// configuration (401, 402, 403, 404, 405, 428, a redirect); records were lost as <c>queue_full</c>,
    /// <c>buffer_full</c> or <c>retry_limit</c> within <see cref="LogTraceHealthCheckOptions.Window"/>. Degraded: the
    /// oldest undelivered record is older than <see cref="LogTraceHealthCheckOptions.MaxUndeliveredAge"/>; records
    /// were lost as <c>rejected</c>, <c>hook_failed</c>, <c>invalid</c> or <c>corrupt</c> within the window; a
    /// misspelt marker was seen; the durable buffer could not be used; two sinks share a key and an endpoint. Healthy
    /// otherwise, nothing logged yet included.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the thresholds.</param>
    /// <param name="name">The check's name. Default: <c>logtrace</c>.</param>
    /// <param name="failureStatus">What an Unhealthy finding reports. Default: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddLogTrace(this IHealthChecksBuilder builder, Action<LogTraceHealthCheckOptions>? configure = null,
        string name = "logtrace", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        if (builder == null) throw new ArgumentNullException(nameof(builder));
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("The health check needs a name.", nameof(name));
        var options = new LogTraceHealthCheckOptions();
        configure?.Invoke(options);
        HealthRules.Validate(options);
        return builder.Add(new HealthCheckRegistration(name, _ => new LogTraceHealthCheck(options, LogTraceStatus.GetSinks), failureStatus, tags));
    }
}
