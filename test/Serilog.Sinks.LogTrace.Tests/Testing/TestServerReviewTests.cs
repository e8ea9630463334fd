using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LogTrace.Collector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Serilog.Sinks.LogTrace.Testing;
using Serilog.Sinks.LogTrace.Testing.Internal;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// Found by an adversarial review of the test server and the collector: a body the service refuses that the server
// took (or the reverse), the collector's cap that did nothing, a body that never ends holding the server's disposal,
// the listings open to any Host (DNS rebinding), a misrouted request past the limiter, a body over Kestrel's 30 MB.
public class TestServerReviewTests
{
    const string Key = "lg_0123456789abcdef";
    const string Record = """{"name":"user.login","username":"jane"}""";

    static async Task<(HttpStatusCode Status, string Body)> PostAsync(Uri baseUri, byte[] body, string path = "/v1/developers/events")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-API-Key", Key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    static Task<(HttpStatusCode Status, string Body)> PostAsync(LogTraceTestServer server, string json, string path = "/v1/developers/events") =>
        PostAsync(server.BaseUri, Encoding.UTF8.GetBytes(json), path);

    static int EventStatus(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ServiceValidation.ValidateEvent(document.RootElement).Status;
    }

    static int SessionStatus(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ServiceValidation.ValidateSession(document.RootElement).Status;
    }

    // Go's time.Time reads the raw string: a trailing line break (which DateTimeOffset skipped, and the pattern's '$'
    // let through) or an escaped digit fails the body.
    [Theory]
    [InlineData("2026-11-26T10:30:00Z\\n")]
    [InlineData("\\u00326-11-26T10:30:00Z")]
    [InlineData("2026-11-26T10:30:00\\u005A")]
    public async Task ATimeTheServiceCannotReadIsRefused_InAnEventAndASession(string time)
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (eventStatus, eventBody) = await PostAsync(server, "{\"name\":\"user.login\",\"username\":\"jane\",\"request_details\":{\"timestamp\":\"" + time + "\"}}");
        var (sessionStatus, sessionBody) = await PostAsync(server, "{\"login_at\":\"" + time + "\",\"status\":\"active\",\"username\":\"jane\"}", "/v1/developers/sessions");

        Assert.True(eventStatus == HttpStatusCode.BadRequest, (int)eventStatus + " " + eventBody);
        Assert.True(sessionStatus == HttpStatusCode.BadRequest, (int)sessionStatus + " " + sessionBody);
    }

    // And the reverse: what Go reads that DateTimeOffset cannot hold.
    [Theory]
    [InlineData("2026-11-26T10:30:00+15:00")]
    [InlineData("2026-11-26T10:30:00-23:59")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.999999999999Z")]
    public void ATimeGoReadsIsTaken(string time)
    {
        Assert.Equal(202, EventStatus("{\"name\":\"n\",\"username\":\"u\",\"request_details\":{\"timestamp\":\"" + time + "\"}}"));
        Assert.Equal(202, SessionStatus("{\"login_at\":\"" + time + "\",\"status\":\"active\",\"username\":\"u\"}"));
    }

    // Every occurrence of a repeated name is decoded, the first that fails fails the body, although the last is kept.
    [Theory]
    [InlineData("""{"name":1,"name":"user.login","username":"jane"}""")]
    [InlineData("""{"name":"user.login","username":"jane","Metadata":[1],"metadata":{}}""")]
    [InlineData("""{"name":"user.login","username":"jane","request_details":{"timestamp":"x"},"REQUEST_DETAILS":{}}""")]
    [InlineData("""{"name":"user.login","username":"jane","request_details":{"http_status_code":"200","http_status_code":200}}""")]
    [InlineData("""{"name":"user.login","username":"jane","request_details":{"request_headers":{"a":1},"Request_Headers":{}}}""")]
    public void ARepeatedNameWhoseEarlierValueCannotBeDecodedFailsTheBody(string json) =>
        Assert.Equal(400, EventStatus(json));

    [Theory]
    [InlineData("""{"login_at":"x","login_at":"2026-11-26T10:30:00Z","status":"active","username":"jane"}""")]
    [InlineData("""{"login_at":7,"LOGIN_AT":"2026-11-26T10:30:00Z","status":"active","username":"jane"}""")]
    public void ARepeatedLoginAtWhoseEarlierValueCannotBeDecodedFailsTheSession(string json) =>
        Assert.Equal(400, SessionStatus(json));

    [Fact]
    public void ARepeatedNameWhoseValuesAllDecodeKeepsTheLast()
    {
        Assert.Equal(202, EventStatus("""{"name":null,"name":"user.login","username":"jane","metadata":null,"Metadata":{"a":1}}"""));
        Assert.Equal(400, EventStatus("""{"name":"user.login","name":"","username":"jane"}"""));
    }

    // metadata is a map[string]any: a number past a float64 fails it, at any depth.
    [Theory]
    [InlineData("""{"n":1e400}""", 400)]
    [InlineData("""{"a":{"b":[1,-1e309]}}""", 400)]
    [InlineData("""{"n":1e308,"m":-0.0,"s":"1e400","big":123456789012345678901234567890}""", 202)]
    public void AMetadataNumberPastAFloat64FailsTheBody(string metadata, int status) =>
        Assert.Equal(status, EventStatus("{\"name\":\"user.login\",\"username\":\"jane\",\"metadata\":" + metadata + "}"));

    // Kestrel's default cut a body over 30 MB off (413 and a reset), unrecorded; the service has no limit.
    [Fact]
    public async Task ABodyOverThirtyMegabytesIsTakenAndRecorded()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var json = "{\"name\":\"user.login\",\"username\":\"jane\",\"metadata\":{\"blob\":\"" + new string('a', 31_000_000) + "\"}}";

        var (status, _) = await PostAsync(server.BaseUri, Encoding.ASCII.GetBytes(json));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task TheMappedCollectorKeepsNoMoreThanMaxKeptRequests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var store = LogTraceCollector.Map(app, new CollectorOptions { MaxKeptRequests = 2, RateLimitEnabled = false });
        await app.StartAsync();
        var baseUri = new Uri(app.Urls.First());

        for (var i = 0; i < 3; i++)
            await PostAsync(baseUri, Encoding.UTF8.GetBytes(Record));

        Assert.Equal(2, store.Requests.Count);
        await app.StopAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TheMappedCollectorRefusesACapBelowOne(int cap)
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LogTraceCollector.Map(app, new CollectorOptions { MaxKeptRequests = cap }));
        Assert.Contains("MaxKeptRequests must be at least 1; it was " + cap, error.Message, StringComparison.Ordinal);
    }

    // A client whose body never ends (a chunk every 250 ms, above Kestrel's minimum data rate) held DisposeAsync for
    // the host's whole shutdown timeout (30 s); the read now ends when the server stops, as a stall does.
    [Fact]
    public async Task DisposingTheServerDoesNotWaitForABodyThatNeverEnds()
    {
        var server = await LogTraceTestServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1/developers/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + Key +
            "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            var chunk = Encoding.ASCII.GetBytes("100\r\n" + new string(' ', 256) + "\r\n");
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await stream.WriteAsync(chunk, stop.Token);
                    await Task.Delay(250, stop.Token);
                }
            }
            catch (Exception)
            {
                // The server dropped the connection, or the test ended.
            }
        });
        // A whole request on another connection: by its answer the trickling one (sent first) is being read.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(server, Record)).Status);

        // 30 s (the host's shutdown timeout) before; well under it now.
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        stop.Cancel();
        await trickle;
    }

    // DNS rebinding: a page that points a name of its own at 127.0.0.1 reads this port as its own origin, with that
    // name as the Host. The listings, the feed, the page and the clear answer only to localhost and IP addresses.
    [Theory]
    [InlineData("attacker.example", HttpStatusCode.Forbidden)]
    [InlineData("localhost.attacker.example", HttpStatusCode.Forbidden)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("localhost.", HttpStatusCode.OK)]
    [InlineData("LOCALHOST", HttpStatusCode.OK)]
    [InlineData("app.localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("[::1]", HttpStatusCode.OK)]
    public async Task TheListingsAnswerOnlyToLocalNames(string host, HttpStatusCode expected)
    {
        await using var server = await LogTraceTestServer.StartAsync();
        await PostAsync(server, Record);
        using var client = new HttpClient();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/_collector/records"), (HttpMethod.Get, "/_collector/feed"), (HttpMethod.Get, "/"), (HttpMethod.Delete, "/_collector/requests") })
        {
            var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path));
            request.Headers.Host = host + ":" + server.BaseUri.Port;
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(method == HttpMethod.Delete && expected == HttpStatusCode.OK ? response.StatusCode == HttpStatusCode.NoContent : response.StatusCode == expected,
                method + " " + path + " for " + host + ": " + (int)response.StatusCode + " " + text);
            if (expected == HttpStatusCode.Forbidden)
            {
                Assert.DoesNotContain("jane", text, StringComparison.Ordinal);
                Assert.Contains("Open http://127.0.0.1:" + server.BaseUri.Port + "/ instead", text, StringComparison.Ordinal);
            }
        }
        Assert.Equal(expected == HttpStatusCode.Forbidden ? 1 : 0, server.Requests.Count);
    }

    // The record routes take any Host: a sink in a container may address the collector by its service name.
    [Fact]
    public async Task TheRecordRoutesTakeAnyHost()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/v1/developers/events")) { Content = new StringContent(Record, Encoding.UTF8, "application/json") };
        request.Headers.Host = "collector:5080";
        request.Headers.TryAddWithoutValidation("X-API-Key", Key);

        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
    }

    // Every request passes the limiter (docs/logtrace-api.md), a misrouted one too.
    [Fact]
    public async Task AMisroutedRequestCountsAgainstTheRateLimit()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { RateLimit = 1 });
        var body = Encoding.UTF8.GetBytes(Record);

        var first = await PostAsync(server.BaseUri, body, "/events");
        var second = await PostAsync(server.BaseUri, body, "/events");

        Assert.Equal(HttpStatusCode.NotFound, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(new[] { 404, 429 }, server.Requests.Select(r => r.Status));
    }

    // 415 is for a body of another content type; a request with no body and no content type fails validation instead.
    [Fact]
    public async Task ARequestWithNoBodyAndNoContentTypeIsA400()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/v1/developers/events"));
        request.Headers.TryAddWithoutValidation("X-API-Key", Key);
        var textRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/v1/developers/events")) { Content = new StringContent(Record, Encoding.UTF8, "text/plain") };
        textRequest.Headers.TryAddWithoutValidation("X-API-Key", Key);

        var empty = await client.SendAsync(request);
        var text = await client.SendAsync(textRequest);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("{\"message\":\"failed to validate payload\"}", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    // Found by the review of the body-size fix: the 64 MiB bound was set for every request of a host that maps the
    // collector, so the host's own routes lost their limit.
    [Fact]
    public async Task AHostThatMapsTheCollectorKeepsItsOwnBodyLimit()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1_000_000);
        await using var app = builder.Build();
        app.MapPost("/upload", async context =>
        {
            using var sink = new MemoryStream();
            await context.Request.Body.CopyToAsync(sink);
            await context.Response.WriteAsync("took " + sink.Length);
        });
        LogTraceCollector.Map(app, new CollectorOptions { RateLimitEnabled = false });
        await app.StartAsync();
        var baseUri = new Uri(app.Urls.First());
        using var client = new HttpClient();

        using var upload = await client.PostAsync(new Uri(baseUri, "/upload"), new ByteArrayContent(new byte[2_000_000]));
        var record = await PostAsync(baseUri, Encoding.ASCII.GetBytes("{\"name\":\"user.login\",\"username\":\"jane\",\"metadata\":{\"blob\":\"" + new string('a', 2_000_000) + "\"}}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, record.Status);
        await app.StopAsync();
    }
}
