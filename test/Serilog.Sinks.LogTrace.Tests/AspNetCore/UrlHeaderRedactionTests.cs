using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Proxies and hosts copy the request's original URL, query string included, into a header of their own. With
// IncludeQueryString off (the default), http_endpoint leaves the query out because it carries tokens; the same query
// must not leave through request_headers instead.
public class UrlHeaderRedactionTests
{
    [Theory]
    [InlineData("X-Original-URL")]        // IIS URL Rewrite; Azure App Service (Windows) on every request
    [InlineData("X-WAWS-Unencoded-URL")]  // Azure App Service (Windows) on every request
    [InlineData("X-Original-URI")]        // nginx auth_request, ingress-nginx
    [InlineData("X-Forwarded-Uri")]       // Traefik
    [InlineData("X-Envoy-Original-Path")] // Envoy, Istio
    [InlineData("X-Rewrite-URL")]         // IIS, Helicon
    public void AProxysCopyOfTheRequestUrlHasItsSensitiveQueryParametersRedacted(string header) =>
        Assert.Equal("/reset-password?token=[REDACTED]&page=2", LogTraceRedaction.RedactHeader(header, "/reset-password?token=secret-1&page=2"));

    [Fact]
    public async Task TheOriginalUrlHeaderOfAzureAppServiceDoesNotCarryTheQueryStringsTokens()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices?code=oauth-code-1&state=xyz");
        // What Azure App Service (Windows) and IIS URL Rewrite add to every request they pass on.
        request.Headers.TryAddWithoutValidation("X-Original-URL", "/invoices?code=oauth-code-1&state=xyz");
        request.Headers.TryAddWithoutValidation("X-WAWS-Unencoded-URL", "/invoices?code=oauth-code-1&state=xyz");

        (await app.Client.SendAsync(request)).Dispose();

        var e = Single(await app.EventsAsync(1), "invoice.created");
        Assert.Equal("/invoices", Text(Details(e), "http_endpoint"));
        Assert.DoesNotContain("oauth-code-1", e.Json().GetRawText());
    }
}
