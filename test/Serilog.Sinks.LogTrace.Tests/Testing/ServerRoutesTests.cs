using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// The routes over HTTP on 127.0.0.1: what each request is answered, and what the server keeps of it.
public class ServerRoutesTests
{
    const string Key = "lg_routes_0123456789";
    const string Event = """{"name":"a","username":"u"}""";

    static HttpRequestMessage Post(LogTraceTestServer server, string path, string body = Event, string? contentType = "application/json", string? key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, path)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType != null)
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (key != null)
            request.Headers.Add("X-API-Key", key);
        return request;
    }

    static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        using var client = new HttpClient();
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    static string? Message(string answer) => JsonDocument.Parse(answer).RootElement.GetProperty("message").GetString();

    [Fact]
    public async Task AnAcceptedRequestIsKeptWithEverythingTheServerSaw()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T10:00:00Z"));
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { TimeProvider = time });
        var request = Post(server, "/v1/developers/events");
        request.Headers.UserAgent.ParseAdd("LogTraceTests/1.0");

        var (status, answer, response) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("Event accepted for processing", Message(answer));
        var kept = Assert.Single(server.Requests);
        Assert.Equal(LogTraceRecordKind.Event, kept.Kind);
        Assert.Equal("POST", kept.Method);
        Assert.Equal("/v1/developers/events", kept.Path);
        Assert.Equal(202, kept.Status);
        Assert.Equal("Event accepted for processing", kept.Message);
        Assert.Equal(time.GetUtcNow(), kept.ReceivedAt);
        Assert.Equal("127.0.0.1", kept.ClientIp);
        Assert.Equal("application/json", kept.ContentType);
        Assert.Equal("LogTraceTests/1.0", kept.UserAgent);
        Assert.Equal("X-API-Key", kept.AuthenticatedBy);
        Assert.Equal(Event, kept.BodyText);
        Assert.Equal("a", kept.Body!.Value.GetProperty("name").GetString());
        Assert.True(kept.Accepted);
    }

    [Fact]
    public async Task AKeyInTheAuthorizationHeaderIsRecordedAsSuch()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var request = Post(server, "/v1/developers/events", key: null);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(request)).Status);

        var kept = Assert.Single(server.Requests);
        Assert.Equal("Authorization", kept.AuthenticatedBy);
        Assert.Contains(kept.Headers, h => h.Key == "Authorization" && h.Value == "Bearer (masked)");
    }

    [Fact]
    public async Task TheRequestIdIsEchoedOrMadeAndKept()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var withId = Post(server, "/v1/developers/events");
        withId.Headers.Add("X-Request-Id", "req-7");

        var (_, _, echoed) = await SendAsync(withId);
        var (_, _, made) = await SendAsync(Post(server, "/v1/developers/events"));

        Assert.Equal("req-7", echoed.Headers.GetValues("X-Request-ID").Single());
        var madeId = made.Headers.GetValues("X-Request-ID").Single();
        Assert.True(Guid.TryParse(madeId, out _), madeId);
        Assert.Equal(new[] { "req-7", madeId }, server.Requests.Select(r => r.RequestId));
    }

    [Fact]
    public async Task TheLimiterKeysOnTheFirstForwardedAddressTrimmed()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var request = Post(server, "/v1/developers/events");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", " 203.0.113.9 ,10.0.0.1");

        var (_, _, response) = await SendAsync(request);

        Assert.Equal("203.0.113.9", Assert.Single(server.Requests).ClientIp);
        Assert.Equal("100", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("99", response.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task WithTheLimiterOffThereAreNoLimitHeadersAndNo429()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimit = 1, RateLimitEnabled = false });

        var (first, _, response) = await SendAsync(Post(server, "/v1/developers/events"));
        var (second, _, _) = await SendAsync(Post(server, "/v1/developers/events"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first, second));
        Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
        Assert.False(response.Headers.Contains("X-RateLimit-Remaining"));
        Assert.False(response.Headers.Contains("X-RateLimit-Reset"));
    }

    [Fact]
    public async Task AnAllowedAnswerCarriesTheResetAndA429RoundsItsRetryAfterUp()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T10:00:00Z"));
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions
            { RateLimit = 1, RateLimitWindow = TimeSpan.FromMilliseconds(1500), TimeProvider = time });

        var (_, _, allowed) = await SendAsync(Post(server, "/v1/developers/events"));
        var (limited, body, refused) = await SendAsync(Post(server, "/v1/developers/events"));

        Assert.Equal(time.GetUtcNow().AddSeconds(1.5).ToUnixTimeSeconds().ToString(), allowed.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Equal("Too Many Requests", body);
        Assert.Equal("2", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("Too Many Requests", server.Requests[1].Message);
    }

    [Fact]
    public async Task ARecordRouteAnswersOnlyPost()
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, server.Endpoint + "/events"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("method not allowed", Message(answer));
        Assert.Equal("GET", Assert.Single(server.RefusedRequests).Method);
    }

    [Fact]
    public async Task TheRoutesWithoutDevelopersAskForADashboardSession()
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer, _) = await SendAsync(Post(server, "/v1/events"));
        // Not under /v1/developers: a path that only starts with the same letters.
        var (lookalike, lookalikeAnswer, _) = await SendAsync(Post(server, "/v1/developersx/events"));

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid or expired session token"), (status, Message(answer)));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid or expired session token"), (lookalike, Message(lookalikeAnswer)));
    }

    [Fact]
    public async Task TheDevelopersRootAndAnUnknownRouteUnderItAnswer404NamingTheRoutes()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var hostPort = server.BaseUri.Authority;

        var (root, rootAnswer, _) = await SendAsync(Post(server, "/v1/developers"));
        var (rootSlash, _, _) = await SendAsync(Post(server, "/v1/developers/"));
        var (misspelt, misspeltAnswer, _) = await SendAsync(Post(server, "/v1/developers/event"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (root, rootSlash, misspelt));
        Assert.Equal("no such route: POST /v1/developers/event. The LogTrace routes are POST /v1/developers/events, /v1/developers/audit-logs, " +
            "/v1/developers/sessions and /v1/developers/sessions/logout; point the sink at http://" + hostPort + "/v1/developers", Message(misspeltAnswer));
        Assert.StartsWith("no such route: POST /v1/developers. ", Message(rootAnswer));
    }

    [Theory]
    [InlineData("/v1/developers/events/", LogTraceRecordKind.Event, Event)]
    [InlineData("/v1/developers/audit-logs/", LogTraceRecordKind.AuditLog, Event)]
    [InlineData("/v1/developers/sessions/", LogTraceRecordKind.Session, """{"login_at":"2026-11-26T10:30:00Z","status":"active","user_id":"1"}""")]
    [InlineData("/v1/developers/sessions/logout/", LogTraceRecordKind.SignOut, """{"token":"sess_1"}""")]
    public async Task ARecordRouteWithATrailingSlashIsTheSameRoute(string path, LogTraceRecordKind kind, string body)
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, _, _) = await SendAsync(Post(server, path, body));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(kind, Assert.Single(server.Records).Kind);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/json ; charset=utf-8")]
    public async Task AJsonMediaTypeIsAcceptedWhateverItsCaseAndParameters(string contentType)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(Post(server, "/v1/developers/events", contentType: contentType))).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/json")]
    [InlineData("application/json-patch+json")]
    public async Task AnotherOrNoMediaTypeGets415WithNoMessage(string? contentType)
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer, _) = await SendAsync(Post(server, "/v1/developers/events", contentType: contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("", answer);
        Assert.Null(Assert.Single(server.Requests).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\":")]
    public async Task AnEmptyOrBrokenBodyIsRefusedAndKeptAsText(string body)
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer, _) = await SendAsync(Post(server, "/v1/developers/events", body));

        Assert.Equal((HttpStatusCode.BadRequest, "failed to validate payload"), (status, Message(answer)));
        var kept = Assert.Single(server.Requests);
        Assert.Equal(body, kept.BodyText);
        Assert.Null(kept.Body);
    }

    [Fact]
    public async Task AtMostOneMebibyteOfABodyIsKept()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var big = new string('x', 1024 * 1024 + 10);

        await SendAsync(Post(server, "/v1/developers/events", big));

        Assert.Equal(1024 * 1024, Assert.Single(server.Requests).BodyText.Length);
    }

    [Fact]
    public async Task TheBrowsersFaviconRequestIsNotKept()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();

        var favicon = await client.GetAsync(new Uri(server.BaseUri, "/favicon.ico"));
        var other = await client.GetAsync(new Uri(server.BaseUri, "/robots.txt"));

        Assert.Equal(HttpStatusCode.NotFound, favicon.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("/robots.txt", Assert.Single(server.Requests).Path);
    }

    [Theory]
    [InlineData("X-API-Key", "lg_secret", "(masked)")]
    [InlineData("x-api-key", "lg_secret", "(masked)")]
    [InlineData("X-API-Key", "", "")]
    [InlineData("Cookie", "session=abc", "(masked)")]
    [InlineData("cookie", "", "")]
    [InlineData("Authorization", "Bearer lg_secret", "Bearer (masked)")]
    [InlineData("authorization", "lg_secret", "(masked)")]
    [InlineData("Authorization", " lg_secret", "(masked)")]
    [InlineData("Authorization", "", "")]
    [InlineData("User-Agent", "Bearer lg_secret", "Bearer lg_secret")]
    public void TheKeyAndCookiesAreMaskedInKeptHeaders(string name, string value, string kept) =>
        Assert.Equal(kept, ServiceRoutes.MaskHeader(name, value));

    [Fact]
    public async Task TheServerStopsListeningWhenDisposed()
    {
        var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(server.BaseUri)).StatusCode);

        await server.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.BaseUri));
    }
}
