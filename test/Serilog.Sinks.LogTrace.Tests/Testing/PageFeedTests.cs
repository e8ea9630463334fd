using System.Net;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// What the page is served and what it reads: its three files, the feed's entries and the JSON listings, field by field.
public class PageFeedTests
{
    const string Key = "lg_feed_0123456789";

    static async Task PostAsync(HttpClient client, LogTraceTestServer server, string route, string body, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint + route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", Key);
        request.Headers.Add("X-Request-Id", "req-" + route.Trim('/'));
        if (userAgent != null)
            request.Headers.UserAgent.ParseAdd(userAgent);
        using var _ = await client.SendAsync(request);
    }

    static async Task<JsonElement> GetJsonAsync(HttpClient client, LogTraceTestServer server, string path) =>
        JsonDocument.Parse(await client.GetStringAsync(new Uri(server.BaseUri, path))).RootElement;

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/_collector/page.js", "text/javascript")]
    [InlineData("/_collector/page.css", "text/css")]
    public async Task ThePagesFilesAreServedAsUtf8OfTheirType(string path, string mediaType)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(server.BaseUri, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AFeedEntryHasEveryFieldThePageShows()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, server, "/events", """{"name":"invoice.created","user_id":"u-7","username":"jane"}""");

        var feed = await GetJsonAsync(client, server, "/_collector/feed");

        Assert.Equal(0, feed.GetProperty("epoch").GetInt32());
        Assert.Equal(server.Endpoint, feed.GetProperty("endpoint").GetString());
        var entry = Assert.Single(feed.GetProperty("entries").EnumerateArray());
        var kept = Assert.Single(server.Requests);
        Assert.Equal(kept.Id, entry.GetProperty("id").GetInt64());
        Assert.Equal("event", entry.GetProperty("kind").GetString());
        Assert.Equal("invoice.created", entry.GetProperty("name").GetString());
        Assert.Equal("u-7 / jane", entry.GetProperty("user").GetString());
        Assert.True(entry.GetProperty("accepted").GetBoolean());
        Assert.Equal(202, entry.GetProperty("status").GetInt32());
        Assert.Equal("Event accepted for processing", entry.GetProperty("message").GetString());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal("/v1/developers/events", entry.GetProperty("path").GetString());
        Assert.Equal(kept.ReceivedAt, entry.GetProperty("received_at").GetDateTimeOffset());
        Assert.Equal("req-events", entry.GetProperty("request_id").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("client_ip").GetString());
        Assert.Contains(entry.GetProperty("headers").EnumerateArray(), h => string.Equals(h[0].GetString(), "X-Request-Id", StringComparison.OrdinalIgnoreCase) && h[1].GetString() == "req-events");
        Assert.Equal("jane", entry.GetProperty("body").GetProperty("username").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("body_text").ValueKind);
    }

    [Fact]
    public async Task TheFeedGivesOnlyWhatCameAfterTheGivenId()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        for (var i = 0; i < 3; i++)
            await PostAsync(client, server, "/events", $$"""{"name":"n{{i}}","username":"u"}""");
        var ids = server.Requests.Select(r => r.Id).ToArray();

        var after = await GetJsonAsync(client, server, "/_collector/feed?after=" + ids[1]);
        var unreadable = await GetJsonAsync(client, server, "/_collector/feed?after=x");

        Assert.Equal(new[] { "n2" }, after.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(3, unreadable.GetProperty("entries").GetArrayLength());
    }

    [Theory]
    [InlineData("/events", """{"name":"a","user_id":"","username":"jane"}""", "a", "jane")]
    [InlineData("/events", """{"name":"a","user_id":"u-1","username":""}""", "a", "u-1")]
    [InlineData("/sessions", """{"login_at":"2026-11-26T10:30:00Z","status":"expired","user_id":"u-1","name":"x"}""", "expired", "u-1")]
    [InlineData("/sessions/logout", """{"token":"sess_0123456789abc","name":"x"}""", "sign-out", null)]
    [InlineData("/audit-logs", """{"name":"role.changed","username":"jane","status":"x"}""", "role.changed", "jane")]
    [InlineData("/events", """{"name":"a"}""", "a", null)]
    public async Task AnEntryIsNamedAndAttributedByItsKind(string route, string body, string? name, string? user)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, server, route, body);

        var entry = Assert.Single((await GetJsonAsync(client, server, "/_collector/feed")).GetProperty("entries").EnumerateArray());

        Assert.Equal(name, entry.GetProperty("name").GetString());
        Assert.Equal(user, entry.GetProperty("user").GetString());
    }

    [Fact]
    public async Task ARequestWithoutAJsonBodyHasNoNameNorUserAndKeepsItsText()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, server, "/events", "name=a");
        await client.PostAsync(new Uri(server.BaseUri, "/elsewhere"), new StringContent("""{"name":"a","username":"u"}""", Encoding.UTF8, "application/json"));

        var entries = (await GetJsonAsync(client, server, "/_collector/feed")).GetProperty("entries").EnumerateArray().ToArray();

        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("user").ValueKind);
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("body").ValueKind);
        Assert.Equal("name=a", entries[0].GetProperty("body_text").GetString());
        // Another route: the body is shown, but it is nobody's record.
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("name").ValueKind);
        Assert.Equal("a", entries[1].GetProperty("body").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("", "(none)")]
    [InlineData("sess_678901", "…")]
    [InlineData("sess_6789012", "sess…")]
    public void ATokenShowsItsFirstFourCharactersOnlyFromTwelve(string token, string shown) =>
        Assert.Equal(shown, PageRoutes.Mask(token));

    [Fact]
    public async Task OnlyAStringTokenIsMasked()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, server, "/sessions/logout", """{"token":7}""");
        await PostAsync(client, server, "/sessions/logout", """["sess_0123456789abc"]""");
        await PostAsync(client, server, "/sessions/logout", """{"token":"sess_0123456789abc"}""");

        var entries = (await GetJsonAsync(client, server, "/_collector/feed")).GetProperty("entries").EnumerateArray().ToArray();

        Assert.Equal(7, entries[0].GetProperty("body").GetProperty("token").GetInt32());
        Assert.Equal("sess_0123456789abc", entries[1].GetProperty("body")[0].GetString());
        Assert.Equal("sess…", entries[2].GetProperty("body").GetProperty("token").GetString());
    }

    [Fact]
    public async Task AListingEntryHasEveryFieldOfTheRequest()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, server, "/audit-logs", """{"name":"role.changed","username":"jane"}""", userAgent: "FeedTests/2.0");

        var raw = await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/records"));
        var entry = Assert.Single(JsonDocument.Parse(raw).RootElement.EnumerateArray());
        var kept = Assert.Single(server.Requests);

        Assert.Contains("\n", raw); // indented, for reading in a browser
        Assert.Equal("audit-log", entry.GetProperty("kind").GetString());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal("/v1/developers/audit-logs", entry.GetProperty("path").GetString());
        Assert.Equal(202, entry.GetProperty("status").GetInt32());
        Assert.Equal("Audit log accepted for processing", entry.GetProperty("message").GetString());
        Assert.Equal(kept.ReceivedAt, entry.GetProperty("received_at").GetDateTimeOffset());
        Assert.Equal("req-audit-logs", entry.GetProperty("request_id").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("client_ip").GetString());
        Assert.Equal("application/json; charset=utf-8", entry.GetProperty("content_type").GetString());
        Assert.Equal("FeedTests/2.0", entry.GetProperty("user_agent").GetString());
        Assert.Equal("X-API-Key", entry.GetProperty("authenticated_by").GetString());
        Assert.Equal("role.changed", entry.GetProperty("body").GetProperty("name").GetString());
    }

    [Fact]
    public async Task DeletingTheEventsListingClearsEverything()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        await PostAsync(client, server, "/events", """{"name":"a","username":"u"}""");

        using var response = await client.DeleteAsync(new Uri(server.BaseUri, "/_collector/events"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(server.Requests);
        Assert.Equal(1, (await GetJsonAsync(client, server, "/_collector/feed")).GetProperty("epoch").GetInt32());
    }
}
