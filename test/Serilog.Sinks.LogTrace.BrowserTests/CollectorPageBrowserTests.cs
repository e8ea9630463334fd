using System.Text;
using OpenQA.Selenium;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.BrowserTests;

// The collector page in headless Chromium against the real server on 127.0.0.1.
public class CollectorPageBrowserTests
{
    static async Task PostAsync(LogTraceTestServer server, string route, string body)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint + route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", "lg_0123456789abcdef");
        (await client.SendAsync(request)).Dispose();
    }

    static async Task<Browser> OpenAsync(LogTraceTestServer server, int width = 1400)
    {
        var browser = new Browser(width);
        browser.Driver.Navigate().GoToUrl(server.BaseUri);
        await browser.UntilAsync(d => d.FindElement(By.Id("counts")).Text.Contains("accepted"), "the first poll rendered");
        return browser;
    }

    [Fact]
    public async Task ARecordPostedAfterThePageLoadedAppearsWithoutAReload()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var browser = await OpenAsync(server);
        Assert.Contains(server.Endpoint, browser.Driver.FindElement(By.Id("endpoint")).Text);

        await PostAsync(server, "/events", """{"name":"<script>window.hacked=1</script>","username":"jane"}""");

        var row = await browser.UntilAsync(d => d.FindElements(By.CssSelector("#rows tr")).FirstOrDefault(), "the record's row");
        Assert.Contains("<script>window.hacked=1</script>", row.Text);
        Assert.Contains("202 accepted", row.Text);
        Assert.Null(browser.Driver.ExecuteScript("return window.hacked;"));
    }

    [Fact]
    public async Task ARejectedRequestAppearsWithItsMessage()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var browser = await OpenAsync(server, width: 800);

        await PostAsync(server, "/events", """{"username":"jane"}""");

        var row = await browser.UntilAsync(d => d.FindElements(By.CssSelector("#rows tr.rejected")).FirstOrDefault(), "the rejected row");
        Assert.Contains("400 rejected", row.Text);
        Assert.Contains("failed to validate request payload: event name is required", row.Text);
        Assert.Contains("rejected: 1", browser.Driver.FindElement(By.Id("counts")).Text);
    }

    [Fact]
    public async Task ThePageLetsGoOfWhatTheServerLetGo()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { MaxKeptRequests = 2 });
        await PostAsync(server, "/events", """{"name":"first.one","username":"ann"}""");
        using var browser = await OpenAsync(server);
        await browser.UntilAsync(b => browser.RowTexts().Count == 1, "the first row");

        await PostAsync(server, "/events", """{"name":"second.one","username":"ann"}""");
        await PostAsync(server, "/events", """{"name":"third.one","username":"ann"}""");

        var rows = await browser.UntilAsync(b => browser.RowTexts() is { Count: 2 } r && r[0].Contains("third.one") ? r : null, "the two rows the server keeps");
        Assert.Contains("second.one", rows[1]);
        Assert.Contains("older requests let go: 1", browser.Driver.FindElement(By.Id("counts")).Text);
    }

    [Fact]
    public async Task AFilterHidesWhatItShould()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, "/events", """{"name":"invoice.created","username":"jane"}""");
        await PostAsync(server, "/audit-logs", """{"name":"role.changed","username":"bob"}""");
        await PostAsync(server, "/events", """{"username":"jane"}""");
        using var browser = await OpenAsync(server);
        await browser.UntilAsync(b => browser.RowTexts().Count == 3, "three rows");

        browser.Driver.FindElement(By.Id("f-user")).SendKeys("bob");
        var rows = await browser.UntilAsync(b => browser.RowTexts() is { Count: 1 } r ? r : null, "one row for bob");
        Assert.Contains("role.changed", rows[0]);

        browser.Driver.FindElement(By.Id("f-user")).Clear();
        await browser.UntilAsync(b => browser.RowTexts().Count == 3, "three rows again");
        browser.Driver.FindElement(By.CssSelector("#f-outcome option[value=rejected]")).Click();
        rows = await browser.UntilAsync(b => browser.RowTexts() is { Count: 1 } r && r[0].Contains("rejected") ? r : null, "only the rejected row");
        Assert.Contains("400 rejected", rows[0]);
    }

    [Fact]
    public async Task TheDetailViewShowsTheIndentedBodyAndMaskedHeaders()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, "/sessions", """{"login_at":"2026-12-04T10:00:00Z","status":"active","username":"jane","token":"sess_0123456789abcdef"}""");
        using var browser = await OpenAsync(server);

        var row = await browser.UntilAsync(d => d.FindElements(By.CssSelector("#rows tr")).FirstOrDefault(), "the session's row");
        row.Click();

        var body = await browser.UntilAsync(d => d.FindElement(By.Id("d-body")).Text is { Length: > 0 } t ? t : null, "the detail's body");
        Assert.Contains("{\n  \"login_at\": \"2026-12-04T10:00:00Z\",\n  \"status\": \"active\"", body);
        Assert.Contains("\"token\": \"sess…\"", body);
        var headers = browser.Driver.FindElement(By.Id("d-headers")).Text;
        Assert.Contains("X-API-Key (masked)", headers);
        Assert.DoesNotContain("lg_0123456789abcdef", browser.Driver.PageSource);
        Assert.DoesNotContain("sess_0123456789abcdef", browser.Driver.PageSource);
    }
}
