using Serilog.Sinks.LogTrace.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// An application under a path base (an IIS virtual directory, UsePathBase behind a proxy): ASP.NET Core's logging
// scope gives ILogger events RequestPath with the path base, and IncludeQueryString must still reach http_endpoint.
public class PathBaseEndpointTests
{
    [Fact]
    public async Task WithAPathBaseAnILoggerEventCarriesTheRedactedQueryString()
    {
        await using var app = await TestWebApp.StartAsync(o => o.IncludeQueryString = true, beforeContext: a => a.UsePathBase("/app"));

        (await app.Client.PostAsync("/app/invoices?page=2&token=abc", null)).Dispose();   // logged through ILogger<T>

        var e = Single(await app.EventsAsync(1), "invoice.created");
        Assert.Equal("/app/invoices?page=2&token=[REDACTED]", Text(Details(e), "http_endpoint"));
    }

    // A RequestPath the application set itself is neither ASP.NET Core's nor the captured path: it wins for LogTrace too.
    [Fact]
    public async Task ARequestPathTheApplicationSetItselfIsTheEndpoint()
    {
        await using var app = await TestWebApp.StartAsync(o => o.IncludeQueryString = true, beforeContext: a => a.MapGet("/own-path", (HttpContext c) =>
            c.RequestServices.GetRequiredService<Serilog.ILogger>().ForContext(LogTraceProperties.EventName, "report.viewed")
                .ForContext(LogTraceProperties.RequestPath, "/reports/{id}").Information("Report viewed")));

        (await app.Client.GetAsync("/own-path?page=2")).Dispose();

        var e = Single(await app.EventsAsync(1), "report.viewed");
        Assert.Equal("/reports/{id}", Text(Details(e), "http_endpoint"));
    }

    // The path without its base is what Serilog's request logging calls RequestPath: still the framework's path, so
    // LogTrace's endpoint keeps the base and the query.
    [Fact]
    public async Task ARequestPathWithoutThePathBaseIsTheFrameworksAndTheEndpointKeepsBoth()
    {
        await using var app = await TestWebApp.StartAsync(o => o.IncludeQueryString = true, beforeContext: a =>
        {
            a.UsePathBase("/app");
            a.MapGet("/own-path", (HttpContext c) =>
                c.RequestServices.GetRequiredService<Serilog.ILogger>().ForContext(LogTraceProperties.EventName, "report.viewed")
                    .ForContext(LogTraceProperties.RequestPath, "/own-path").Information("Report viewed"));
        });

        (await app.Client.GetAsync("/app/own-path?page=2")).Dispose();

        var e = Single(await app.EventsAsync(1), "report.viewed");
        Assert.Equal("/app/own-path?page=2", Text(Details(e), "http_endpoint"));
    }

    // A route declared without its leading slash ("reports/{id}") is sent as the path it matches: "/reports/{id}".
    [Fact]
    public async Task ARouteTemplateWithoutALeadingSlashGetsOne()
    {
        await using var app = await TestWebApp.StartAsync(beforeContext: a => a.MapGet("reports/{id}", (HttpContext c, string id) =>
            c.RequestServices.GetRequiredService<Serilog.ILogger>().ForContext(LogTraceProperties.EventName, "report.viewed").Information("Report {Id}", id)));

        (await app.Client.GetAsync("/reports/7")).Dispose();

        var e = Single(await app.EventsAsync(1), "report.viewed");
        Assert.Equal("/reports/{id}", e.Json().GetProperty("metadata").GetProperty("RouteTemplate").GetString());
    }
}
