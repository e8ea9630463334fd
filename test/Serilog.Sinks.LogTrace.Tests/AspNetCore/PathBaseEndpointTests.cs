using Microsoft.AspNetCore.Builder;
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
}
