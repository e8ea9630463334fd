using System.Net;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// The Testing package's public API, over HTTP to the real server on 127.0.0.1, with the real sink where it fits.
public class LogTraceTestServerTests
{
    const string Key = "lg_0123456789abcdef0123";

    static async Task<(HttpStatusCode Status, string Body)> PostAsync(LogTraceTestServer server, string route, string body, string? key = Key)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint + route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key != null)
            request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSinksRecordsAreReturnedInArrivalOrderWithTheirKindAndName()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/v1/developers$", server.Endpoint);

        using (var logger = new LoggerConfiguration().WriteTo.LogTrace(Key, server.Endpoint).CreateLogger())
        {
            logger.ForContext(LogTraceProperties.EventName, "invoice.created").ForContext(LogTraceProperties.UserId, "u-1").Information("Created");
            logger.ForContext(LogTraceProperties.AuditLogName, "invoice.deleted").ForContext(LogTraceProperties.UserId, "u-1").Information("Deleted");
            logger.ForContext(LogTraceProperties.SessionStatus, "active").ForContext(LogTraceProperties.SessionToken, "sess_0123456789abc")
                .ForContext(LogTraceProperties.UserName, "jane").Information("Signed in");
        }

        var records = await server.WaitForRecordsAsync(3, TimeSpan.FromSeconds(10));

        Assert.Equal(new[] { LogTraceRecordKind.Event, LogTraceRecordKind.AuditLog, LogTraceRecordKind.Session }, records.Select(r => r.Kind).OrderBy(k => k));
        Assert.Equal("invoice.created", records.Single(r => r.Kind == LogTraceRecordKind.Event).Name);
        Assert.Equal("invoice.deleted", records.Single(r => r.Kind == LogTraceRecordKind.AuditLog).Name);
        Assert.Equal("active", records.Single(r => r.Kind == LogTraceRecordKind.Session).Name);
        Assert.Equal("u-1", records.Single(r => r.Kind == LogTraceRecordKind.Event).Body.GetProperty("user_id").GetString());
        Assert.Equal(records.OrderBy(r => r.Request.ReceivedAt).Select(r => r.Kind), records.Select(r => r.Kind));
        Assert.Empty(server.RefusedRequests);
    }

    [Fact]
    public async Task WaitForRecordsReturnsAsSoonAsTheCountArrives()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var waiting = server.WaitForRecordsAsync(2, TimeSpan.FromSeconds(30));

        await PostAsync(server, "/events", """{"name":"a","username":"jane"}""");
        Assert.False(waiting.IsCompleted);
        await PostAsync(server, "/sessions/logout", """{"token":"sess_1"}""");

        var records = await waiting;
        Assert.Equal(new[] { ("a", LogTraceRecordKind.Event), ((string?)null, LogTraceRecordKind.SignOut) }!, records.Select(r => (r.Name, r.Kind)));
    }

    [Fact]
    public async Task ATimeoutNamesWhatArrivedAndWhatWasRefusedWithTheServicesMessage()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, "/events", """{"name":"order.placed","username":"jane"}""");
        await PostAsync(server, "/events", """{"username":"jane"}""");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForRecordsAsync(2, TimeSpan.FromMilliseconds(200)));

        Assert.Contains("Expected 2 records", error.Message);
        Assert.Contains("1 arrived: Event 'order.placed'", error.Message);
        Assert.Contains("1 request was refused: 400 POST /v1/developers/events: failed to validate request payload: event name is required", error.Message);
    }

    [Fact]
    public async Task RefusedRequestsAreListedWithStatusMessageAndBody()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { ApiKeys = { Key } });

        var (status, answer) = await PostAsync(server, "/events", """{"name":"a","username":"jane"}""", key: "lg_wrong");
        await PostAsync(server, "/audit-logs", """{"name":"role.changed"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("API key not found", JsonDocument.Parse(answer).RootElement.GetProperty("message").GetString());
        Assert.Equal(new[] { (401, "API key not found"), (400, "failed to validate request payload: user information (username or user_id) is required") },
            server.RefusedRequests.Select(r => (r.Status, r.Message!)));
        Assert.Equal("""{"name":"role.changed"}""", server.RefusedRequests[1].BodyText);
        Assert.Equal(LogTraceRecordKind.AuditLog, server.RefusedRequests[1].Kind);
        Assert.Empty(server.Records);
        // The key is never kept.
        Assert.Contains(server.Requests[0].Headers, h => h.Key == "X-API-Key" && h.Value == "(masked)");
        Assert.DoesNotContain(server.Requests.SelectMany(r => r.Headers), h => h.Value.Contains("lg_wrong") || h.Value.Contains(Key));
    }

    [Fact]
    public async Task TheKeysOptionAcceptsOnlyThoseKeysAndAnyKeyWithoutIt()
    {
        await using var strict = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { ApiKeys = { "lg_one", "lg_two" } });
        await using var open = await LogTraceTestServer.StartAsync();
        const string Event = """{"name":"a","username":"jane"}""";

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(strict, "/events", Event, key: "lg_two")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(strict, "/events", Event, key: "lg_three")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(open, "/events", Event, key: "anything")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(open, "/events", Event, key: null)).Status);
    }

    [Fact]
    public async Task TheFaultScheduleAnswersInOrderAndTheSinkRetriesThrough()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { FaultSchedule = { "503:0", "500" } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync(server, "/events", """{"name":"a","username":"jane"}""")).Status);
        var (status, answer) = await PostAsync(server, "/events", """{"name":"a","username":"jane"}""");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("failed to enqueue event", JsonDocument.Parse(answer).RootElement.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(server, "/events", """{"name":"a","username":"jane"}""")).Status);

        Assert.Equal(new[] { 503, 500 }, server.RefusedRequests.Select(r => r.Status));
        Assert.Single(await server.WaitForRecordsAsync(1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ClearForgetsEverything()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, "/events", """{"name":"a","username":"jane"}""");
        server.Clear();
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task PastMaxKeptRequestsTheOldestAreLetGo_CountedForTheTestAndThePage()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { MaxKeptRequests = 2 });
        for (var n = 1; n <= 3; n++)
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(server, "/events", "{\"name\":\"e." + n + "\",\"username\":\"jane\"}")).Status);

        Assert.Equal(new[] { "Event 'e.2'", "Event 'e.3'" }, server.Records.Select(r => r.ToString()));
        Assert.Equal(1, server.DroppedRequests);
        using var client = new HttpClient();
        using var feed = JsonDocument.Parse(await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/feed?after=0")));
        Assert.Equal(1, feed.RootElement.GetProperty("dropped").GetInt64());
        Assert.Equal(2, feed.RootElement.GetProperty("entries").GetArrayLength());
        // The oldest id still kept: the page lets go of what it holds below it.
        Assert.Equal(server.Requests[0].Id, feed.RootElement.GetProperty("oldest").GetInt64());
        Assert.True(server.Requests[0].Id > 1);

        // A count the server cannot keep could never be reached: said at once, not after the timeout.
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => server.WaitForRecordsAsync(3, TimeSpan.FromMinutes(5)));
        Assert.Equal("count", ex.ParamName);
        Assert.StartsWith("The server keeps at most 2 requests (MaxKeptRequests), so 3 records could never be waited for.", ex.Message);
        Assert.Equal(2, (await server.WaitForRecordsAsync(2, TimeSpan.FromSeconds(5))).Count);

        server.Clear();
        Assert.Equal(0, server.DroppedRequests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task AMaxKeptRequestsBelowOneFailsTheStart(int value)
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { MaxKeptRequests = value }));
        Assert.Contains("MaxKeptRequests must be at least 1; it was " + value + ".", ex.Message);
    }

    [Fact]
    public async Task OneKeptRequestIsEnough()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { MaxKeptRequests = 1 });
        await PostAsync(server, "/events", """{"name":"a","username":"jane"}""");
        await PostAsync(server, "/events", """{"name":"b","username":"jane"}""");
        Assert.Equal("Event 'b'", Assert.Single(server.Records).ToString());
    }

    // What a kept request weighs against the bound on bodies: its text as UTF-16, and its bytes again when it was parsed.
    [Fact]
    public async Task AKeptRequestWeighsItsTextAndItsParsedBody()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        const string json = """{"name":"é","username":"jane"}""";
        await PostAsync(server, "/events", json);
        await PostAsync(server, "/events", "not json");

        var requests = server.Requests;
        Assert.Equal(2L * json.Length + System.Text.Encoding.UTF8.GetByteCount(json), requests[0].Size);
        Assert.Equal(2L * "not json".Length, requests[1].Size);
    }
}
