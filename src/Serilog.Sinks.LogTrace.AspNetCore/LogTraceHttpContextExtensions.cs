using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serilog.Sinks.LogTrace.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Registers and adds the LogTrace request context: <c>builder.Services.AddLogTraceHttpContext()</c>, then
/// <c>app.UseLogTraceHttpContext()</c> first in the pipeline.
/// </summary>
public static class LogTraceHttpContextExtensions
{
    /// <summary>
    /// Registers the LogTrace request context: its options and middleware. The LogTrace sink picks up each request's
    /// context by itself; other sinks see it only with <c>Enrich.WithLogTraceHttpContext()</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets what is captured. Default: the defaults of <see cref="LogTraceHttpContextOptions"/>.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddLogTraceHttpContext(this IServiceCollection services, Action<LogTraceHttpContextOptions>? configure = null)
    {
        if (services == null) throw new ArgumentNullException(nameof(services));

        services.AddOptions<LogTraceHttpContextOptions>();
        if (configure != null)
            services.Configure(configure);
        // Header names compare ignoring case, however the set was made (the configuration binder makes an ordinal one).
        services.PostConfigure<LogTraceHttpContextOptions>(o =>
        {
            if (o.IncludedHeaders is { } included && !(included is HashSet<string> set && set.Comparer == StringComparer.OrdinalIgnoreCase))
                o.IncludedHeaders = new HashSet<string>(included, StringComparer.OrdinalIgnoreCase);
        });
        services.TryAddSingleton<LogTraceRequestMiddleware>();
        return services;
    }

    /// <summary>
    /// Registers the LogTrace request context with its options bound from a configuration section, e.g.
    /// <c>builder.Configuration.GetSection("LogTrace:HttpContext")</c> for <c>{ "LogTrace": { "HttpContext": {
    /// "IncludeQueryString": true, "MaxEventHold": "00:00:10", "IncludedHeaders": [ "Accept", "X-Tenant" ] } } }</c>.
    /// Every property of <see cref="LogTraceHttpContextOptions"/> can be set there; lists in the section are added to
    /// the defaults (claim types) or replace them (<see cref="LogTraceHttpContextOptions.IncludedHeaders"/>).
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <param name="configure">Sets options after the section is applied. Default: none.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddLogTraceHttpContext(this IServiceCollection services, IConfiguration configuration,
        Action<LogTraceHttpContextOptions>? configure = null)
    {
        if (services == null) throw new ArgumentNullException(nameof(services));
        if (configuration == null) throw new ArgumentNullException(nameof(configuration));

        // A misspelt key ("IncludeHeaders", "TrustForwardedHeaders") fails at startup instead of silently keeping the default.
        services.Configure<LogTraceHttpContextOptions>(configuration, binder => binder.ErrorOnUnknownConfiguration = true);
        // "IncludedHeaders": [] reaches the binder as an empty value, which it skips: the list, which means no headers,
        // would stay null, which means every header.
        services.Configure<LogTraceHttpContextOptions>(o =>
        {
            if (o.IncludedHeaders == null && configuration.GetSection(nameof(LogTraceHttpContextOptions.IncludedHeaders)).Value == "")
                o.IncludedHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        });
        return services.AddLogTraceHttpContext(configure);
    }

    /// <summary>
    /// Captures each request's context for LogTrace events. Add it first, before exception handling, authentication and
    /// routing: it only records the request and reads the final status code when the response completes, so events
    /// logged anywhere in the request (and in work started from it, until
    /// <see cref="LogTraceHttpContextOptions.AttachAfterCompletion"/> after the response) carry that request's values.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <returns>The same pipeline, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><c>AddLogTraceHttpContext()</c> was not called, or an option is invalid.</exception>
    public static IApplicationBuilder UseLogTraceHttpContext(this IApplicationBuilder app)
    {
        if (app == null) throw new ArgumentNullException(nameof(app));

        if (app.ApplicationServices.GetService<LogTraceRequestMiddleware>() == null)
        {
            throw new InvalidOperationException(
                "UseLogTraceHttpContext() needs its services: call builder.Services.AddLogTraceHttpContext() when configuring services.");
        }

        OptionsValidator.Validate(app.ApplicationServices.GetRequiredService<IOptions<LogTraceHttpContextOptions>>().Value);
        return app.UseMiddleware<LogTraceRequestMiddleware>();
    }
}
