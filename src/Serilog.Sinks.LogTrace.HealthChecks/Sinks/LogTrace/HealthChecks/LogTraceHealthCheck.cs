using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Serilog.Sinks.LogTrace.HealthChecks;

// Reads the status of the process's LogTrace sinks and applies the rules (HealthRules). Never throws: a snapshot that
// fails is reported as the check's failure status, with the error's type.
sealed class LogTraceHealthCheck : IHealthCheck
{
    readonly LogTraceHealthCheckOptions _options;
    readonly Func<IReadOnlyList<LogTraceSinkStatus>> _sinks;

    public LogTraceHealthCheck(LogTraceHealthCheckOptions options, Func<IReadOnlyList<LogTraceSinkStatus>> sinks)
    {
        _options = options;
        _sinks = sinks;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        try
        {
            var verdict = HealthRules.Evaluate(_sinks(), _options);
            var status = verdict.Status == HealthStatus.Unhealthy ? failureStatus : verdict.Status;
            return Task.FromResult(new HealthCheckResult(status, verdict.Description, data: verdict.Data));
        }
        catch (Exception ex)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, "The LogTrace status could not be read (" + ex.GetType().Name + ").", ex));
        }
    }
}
