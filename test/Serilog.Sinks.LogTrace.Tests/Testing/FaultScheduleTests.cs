using System.Net;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// Each fault of LogTraceTestServerOptions.FaultSchedule and RejectNames, as a client sees it and as the server keeps it.
public class FaultScheduleTests
{
    const string Event = """{"name":"a","username":"u"}""";
    const string Audit = """{"name":"a","username":"u"}""";
    const string Session = """{"login_at":"2026-11-26T10:30:00Z","status":"active","user_id":"1"}""";
    const string Logout = """{"token":"sess_1"}""";

    static HttpRequestMessage Post(LogTraceTestServer server, string route, string body = Event) =>
        new(HttpMethod.Post, server.Endpoint + route)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { "X-API-Key", "lg_faults_0123456789" } },
        };

    static async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        CancellationToken cancellation = default)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        return await client.SendAsync(request, completion, cancellation);
    }

    static Task<LogTraceTestServer> StartAsync(params string[] faults)
    {
        var options = new LogTraceTestServerOptions();
        foreach (var fault in faults)
            options.FaultSchedule.Add(fault);
        return LogTraceTestServer.StartAsync(options);
    }

    static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();

    [Theory]
    [InlineData("400", "/events", Event, "failed to validate payload")]
    [InlineData("401", "/events", Event, "API key not found")]
    [InlineData("500", "/events", Event, "failed to enqueue event")]
    [InlineData("500", "/audit-logs", Audit, "failed to enqueue audit log")]
    [InlineData("500", "/sessions", Session, "failed to enqueue session")]
    [InlineData("500", "/sessions/logout", Logout, "failed to enqueue session")]
    [InlineData("502", "/events", Event, "fault injected by the collector")]
    public async Task AStatusIsAnsweredWithTheServicesMessageForIt(string fault, string route, string body, string message)
    {
        await using var server = await StartAsync(fault);

        using var response = await SendAsync(Post(server, route, body));

        Assert.Equal(int.Parse(fault), (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(message, await MessageAsync(response));
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.Equal((int.Parse(fault), message), (server.Requests[0].Status, server.Requests[0].Message));
        Assert.Empty(server.Records);
    }

    [Fact]
    public async Task A429IsPlainTextWithTheWindowAsRetryAfterRoundedUp()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions
            { FaultSchedule = { "429" }, RateLimitWindow = TimeSpan.FromMilliseconds(2500) });

        using var response = await SendAsync(Post(server, "/events"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Too Many Requests", await response.Content.ReadAsStringAsync());
        Assert.Equal("3", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task AStatusWithSecondsAddsThemAsRetryAfter()
    {
        await using var server = await StartAsync("503:7", "429:0");

        using var unavailable = await SendAsync(Post(server, "/events"));
        using var limited = await SendAsync(Post(server, "/events"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("7", unavailable.Headers.GetValues("Retry-After").Single());
        Assert.Equal("0", limited.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task OkAnEmptyEntryAndTheEndOfTheListAnswerNormallyWhateverTheCaseAndSpaces()
    {
        await using var server = await StartAsync(" OK ", "", "ok");

        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(Post(server, "/events"))).StatusCode);

        Assert.Equal(4, server.Records.Count);
    }

    [Fact]
    public async Task OneScheduleServesEveryRecordRouteInArrivalOrder()
    {
        await using var server = await StartAsync("ok", "503", "ok");

        var statuses = new List<HttpStatusCode>();
        foreach (var (route, body) in new[] { ("/sessions", Session), ("/sessions/logout", Logout), ("/audit-logs", Audit), ("/events", Event) })
            statuses.Add((await SendAsync(Post(server, route, body))).StatusCode);

        Assert.Equal(new[] { HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted, HttpStatusCode.Accepted }, statuses);
    }

    [Fact]
    public async Task AbortClosesTheConnectionAndIsKeptWithStatusZero()
    {
        await using var server = await StartAsync("Abort");

        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(Post(server, "/events")));

        var kept = Assert.Single(server.Requests);
        Assert.Equal((0, "connection aborted by fault injection"), (kept.Status, kept.Message));
        Assert.False(kept.Accepted);
    }

    [Fact]
    public async Task StallAnswersNothingUntilTheClientGivesUp()
    {
        await using var server = await StartAsync("stall");
        using var giveUp = new CancellationTokenSource();

        var sending = SendAsync(Post(server, "/events"), cancellation: giveUp.Token);
        await Eventually.TrueAsync(() => server.Requests.Count == 1, "the stalled request is kept");
        Assert.False(sending.IsCompleted);
        giveUp.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        var kept = Assert.Single(server.Requests);
        Assert.Equal((0, "stalled by fault injection"), (kept.Status, kept.Message));
        Assert.Empty(server.Records);
    }

    [Fact]
    public async Task StallAfterStoreKeepsTheRecordThenAnswersNothing()
    {
        await using var server = await StartAsync("stall-after-store");
        using var giveUp = new CancellationTokenSource();

        var sending = SendAsync(Post(server, "/audit-logs", Audit), cancellation: giveUp.Token);
        var record = Assert.Single(await server.WaitForRecordsAsync(1, TimeSpan.FromSeconds(20)));
        Assert.False(sending.IsCompleted);
        giveUp.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal((LogTraceRecordKind.AuditLog, "a"), (record.Kind, record.Name));
        Assert.Equal("Audit log accepted for processing (then stalled by fault injection)", record.Request.Message);
    }

    [Fact]
    public async Task StallBodySendsA500WhoseBodyNeverEnds()
    {
        await using var server = await StartAsync("stall-body");

        using var response = await SendAsync(Post(server, "/events"), completion: HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(100_000, response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        var start = new byte[17];
        await body.ReadExactlyAsync(start);
        Assert.Equal("{\"message\": \"fail", Encoding.UTF8.GetString(start));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => body.ReadAsync(new byte[1], giveUp.Token).AsTask());
        var kept = Assert.Single(server.Requests);
        Assert.Equal((500, "error answer with a stalled body (fault injection)"), (kept.Status, kept.Message));
    }

    [Fact]
    public async Task StatusGreaterThanLocationRedirects()
    {
        await using var server = await StartAsync("308>http://127.0.0.1:9/v1/developers/events");

        using var response = await SendAsync(Post(server, "/events"));

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("http://127.0.0.1:9/v1/developers/events", response.Headers.Location!.OriginalString);
        var kept = Assert.Single(server.Requests);
        Assert.Equal((308, "redirect by fault injection"), (kept.Status, kept.Message));
    }

    [Fact]
    public async Task ARejectedNameIsRefusedOnEveryRecordRouteWithoutTakingAFault()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RejectNames = { "poison" }, FaultSchedule = { "503" } });

        using var poisonedEvent = await SendAsync(Post(server, "/events", """{"name":"poison","username":"u"}"""));
        using var poisonedAudit = await SendAsync(Post(server, "/audit-logs", """{"name":"poison","username":"u"}"""));
        using var first = await SendAsync(Post(server, "/events"));
        using var second = await SendAsync(Post(server, "/events"));

        Assert.Equal(HttpStatusCode.BadRequest, poisonedEvent.StatusCode);
        Assert.Equal("failed to validate payload", await MessageAsync(poisonedEvent));
        Assert.Equal(HttpStatusCode.BadRequest, poisonedAudit.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
    }

    [Theory]
    [InlineData("oops")]
    [InlineData("stal")]
    [InlineData("5o3")]
    [InlineData(">http://127.0.0.1:9/")]
    [InlineData("30x>http://127.0.0.1:9/")]
    [InlineData(":5")]
    [InlineData(null)]
    public async Task AnEntryThatIsNoFaultIsRefusedAtStartNamingIt(string? entry)
    {
        var options = new LogTraceTestServerOptions { FaultSchedule = { "ok", entry! } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => LogTraceTestServer.StartAsync(options));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("FaultSchedule[1] is '" + entry + "', which is not a fault: use ok, a status (503), STATUS:SECONDS (503:5), abort, " +
            "stall, stall-after-store, stall-body or STATUS>LOCATION (307>http://...).", error.Message);
    }

    [Fact]
    public async Task EveryKindOfFaultIsAcceptedAtStart()
    {
        await using var server = await StartAsync("ok", "", " OK ", "Abort", "stall", "STALL-after-store", "stall-body", "503", "503:7", "429:soon",
            "307>http://127.0.0.1:9/v1/developers/events");

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AnEntryThatIsNoFaultAddedAfterTheStartIsAnswered500AndKept()
    {
        var options = new LogTraceTestServerOptions();
        await using var server = await LogTraceTestServer.StartAsync(options);
        options.FaultSchedule.Add("oops");

        using var response = await SendAsync(Post(server, "/events"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("FaultSchedule entry 'oops' is not a fault", await MessageAsync(response));
        Assert.Equal("FaultSchedule entry 'oops' is not a fault", Assert.Single(server.RefusedRequests).Message);
    }
}
