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
    /// Adds the current HTTP request's context (method, endpoint, client IP, user agent, operating system, headers,
    /// request id, signed-in user, and the final status code and duration) to log events that carry an
    /// <c>EventName</c>; other events are left as they are. Needs <c>AddLogTraceHttpContext()</c> and
    /// <c>UseLogTraceHttpContext()</c>. In <c>appsettings.json</c>: <c>"Enrich": [ "WithLogTraceHttpContext" ]</c>.
    /// Not needed when the logger is built with <c>ReadFrom.Services(services)</c>, which finds the registered enricher.
    /// </summary>
    /// <param name="enrichmentConfiguration">The logger's enrichment configuration.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    public static LoggerConfiguration WithLogTraceHttpContext(this LoggerEnrichmentConfiguration enrichmentConfiguration)
    {
        if (enrichmentConfiguration == null) throw new ArgumentNullException(nameof(enrichmentConfiguration));
        return enrichmentConfiguration.With(new LogTraceHttpContextEnricher());
    }
}
