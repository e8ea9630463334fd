using System.Net;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// The page is a developer's tool: every request recorded (unknown routes too), fed to the page as data, and rendered
// with textContent so that hostile record content stays text.
public class CollectorPageTests
{
    static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri uri, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", "lg_page_0123456789");
        return await client.SendAsync(request);
    }

    static async Task<JsonElement[]> FeedAsync(HttpClient client, LogTraceTestServer server, long after = 0) =>
        JsonDocument.Parse(await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/feed?after=" + after)))
            .RootElement.GetProperty("entries").EnumerateArray().ToArray();

    [Fact]
    public async Task AHostileNameIsDataInTheFeedAndThePageSetsValuesAsText()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, new Uri(server.Endpoint + "/events"), """{"name":"<script>alert(1)</script>","username":"<img src=x onerror=alert(2)>"}""");

        var raw = await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/feed"));
        var entry = Assert.Single(JsonDocument.Parse(raw).RootElement.GetProperty("entries").EnumerateArray());
        Assert.Equal("<script>alert(1)</script>", entry.GetProperty("name").GetString());
        Assert.DoesNotContain("<script>", raw);
        Assert.DoesNotContain("<img", raw);

        var html = await client.GetStringAsync(server.BaseUri);
        var script = await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/page.js"));
        Assert.Contains("textContent", script);
        Assert.DoesNotContain("innerHTML", script);
        Assert.DoesNotContain("insertAdjacentHTML", script);
        Assert.DoesNotContain("document.write", script);
        Assert.DoesNotContain("eval(", script);
        // Offline: no external assets.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("@import", await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/page.css")));
    }

    [Fact]
    public async Task UnknownRoutesAreRecordedAndAnsweredWithTheKnownRoutes()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();

        var withoutDevelopers = await PostAsync(client, new Uri(server.BaseUri, "/events"), """{"name":"a","username":"u"}""");
        var misspelt = await PostAsync(client, new Uri(server.Endpoint + "/event"), """{"name":"a","username":"u"}""");
        var fileLike = await PostAsync(client, new Uri(server.BaseUri, "/ingest/events.json"), "{}");

        Assert.Equal(HttpStatusCode.NotFound, withoutDevelopers.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, misspelt.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fileLike.StatusCode);
        var message = JsonDocument.Parse(await misspelt.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();
        Assert.Contains("no such route: POST /v1/developers/event", message);
        Assert.Contains("/v1/developers/events", message);
        Assert.Contains(server.Endpoint, message);
        Assert.Equal(new[] { "/events", "/v1/developers/event", "/ingest/events.json" }, server.RefusedRequests.Select(r => r.Path));
        Assert.All(server.RefusedRequests, r => Assert.Null(r.Kind));

        var feed = await FeedAsync(client, server);
        Assert.Equal(new[] { "other", "other", "other" }, feed.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(404, feed[0].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ARejectedRequestCarriesItsStatusMessageAndTheBodyItRefused()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, new Uri(server.Endpoint + "/events"), """{"name":"a","username":"u"}""");
        await PostAsync(client, new Uri(server.Endpoint + "/events"), "{not json");

        var all = await FeedAsync(client, server);
        var rejected = Assert.Single(await FeedAsync(client, server, all[0].GetProperty("id").GetInt64()));

        Assert.False(rejected.GetProperty("accepted").GetBoolean());
        Assert.Equal(400, rejected.GetProperty("status").GetInt32());
        Assert.Equal("failed to validate payload", rejected.GetProperty("message").GetString());
        Assert.Equal("{not json", rejected.GetProperty("body_text").GetString());
        Assert.True(DateTimeOffset.TryParse(rejected.GetProperty("received_at").GetString(), out _));
        Assert.Contains(rejected.GetProperty("headers").EnumerateArray(), h => h[0].GetString() == "Content-Type");
    }

    [Fact]
    public async Task ClearingBumpsTheEpochSoThePageStartsAgain()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, new Uri(server.Endpoint + "/events"), """{"name":"a","username":"u"}""");
        var before = JsonDocument.Parse(await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/feed"))).RootElement;

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri(server.BaseUri, "/_collector/requests"))).StatusCode);

        var after = JsonDocument.Parse(await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/feed"))).RootElement;
        Assert.NotEqual(before.GetProperty("epoch").GetInt32(), after.GetProperty("epoch").GetInt32());
        Assert.Empty(after.GetProperty("entries").EnumerateArray());
        Assert.Equal(server.Endpoint, after.GetProperty("endpoint").GetString());
    }
}
