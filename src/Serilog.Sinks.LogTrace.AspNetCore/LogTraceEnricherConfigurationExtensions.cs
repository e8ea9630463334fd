using System;
using Serilog.Configuration;
using Serilog.Sinks.LogTrace.AspNetCore;

namespace Serilog;

/// <summary>
/// Adds <c>Enrich.WithLogTraceHttpContext()</c> to the logger configuration.
/// </summary>
public static class LogTraceEnricherConfigurationExtensions
{
    /// <summary>
    /// Gives every sink, not only LogTrace, the current HTTP request's context on log events that carry an
    /// <c>EventName</c>, <c>AuditLogName</c> or <c>SessionStatus</c>: method, path, client IP, user agent, operating system, route template, headers (with the same
    /// redaction as on the LogTrace wire), request id and signed-in user. The LogTrace sink does not need this: it picks
    /// up the request context by itself and keeps it to itself. Needs <c>AddLogTraceHttpContext()</c> and
    /// <c>UseLogTraceHttpContext()</c>. In <c>appsettings.json</c>: <c>"Enrich": [ "WithLogTraceHttpContext" ]</c>.
    /// </summary>
    /// <param name="enrichmentConfiguration">The logger's enrichment configuration.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    public static LoggerConfiguration WithLogTraceHttpContext(this LoggerEnrichmentConfiguration enrichmentConfiguration)
    {
        if (enrichmentConfiguration == null) throw new ArgumentNullException(nameof(enrichmentConfiguration));
        return enrichmentConfiguration.With(new LogTraceHttpContextEnricher());
    }
}
