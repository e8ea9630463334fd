using System.Net;
using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Testing;

namespace Serilog.Sinks.LogTrace.Tests.Testing;

// Where the server answered otherwise than the service (a Go service: encoding/json into typed structs), and a stalled
// request that held the server's disposal.
public class ServerLikeTheServiceTests
{
    const string Key = "lg_review_0123456789";

    static async Task<(HttpStatusCode Status, string Body)> PostBytesAsync(LogTraceTestServer server, byte[] body, string path = "/v1/developers/events")
    {
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.Add("X-API-Key", Key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // Go's encoding/json replaces invalid UTF-8 with U+FFFD: the service stores the event. The server must answer it,
    // keep it, and keep serving its page's feed and listings.
    [Fact]
    public async Task InvalidUtf8InAStringIsAcceptedAndThePageStillServes()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var body = Encoding.ASCII.GetBytes("{\"name\":\"a\xff\",\"username\":\"u\"}").ToArray();
        body[10] = 0xFF; // "a" then a lone 0xFF byte inside the name

        var (status, _) = await PostBytesAsync(server, body);

        Assert.Equal(HttpStatusCode.Accepted, status);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUri, "/_collector/feed"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUri, "/_collector/records"))).StatusCode);
        Assert.Single(server.Records);
    }

    // Go decodes up to 10000 levels; metadata is "any JSON object", stored as JSONB.
    [Fact]
    public async Task DeeplyNestedMetadataIsAccepted()
    {
        await using var server = await LogTraceTestServer.StartAsync();
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var body = "{\"name\":\"n\",\"username\":\"u\",\"metadata\":" + nested + "}";

        var (status, answer) = await PostBytesAsync(server, Encoding.UTF8.GetBytes(body));

        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status} {answer}");
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUri, "/_collector/feed"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUri, "/_collector/records"))).StatusCode);
    }

    // A refused request is kept and shown too: invalid UTF-8 in its body must not take the page's feed down.
    [Fact]
    public async Task ARefusedBodyWithInvalidUtf8DoesNotBreakTheFeed()
    {
        await using var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { ApiKeys = { "lg_other" } });
        var body = Encoding.ASCII.GetBytes("{\"name\":\"n\",\"username\":\"u\",\"metadata\":{\"k\":\"v?\"}}");
        body[Array.LastIndexOf(body, (byte)'?')] = 0xC3; // a truncated two-byte sequence

        var (status, _) = await PostBytesAsync(server, body);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUri, "/_collector/feed"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseUri, "/_collector/requests"))).StatusCode);
    }

    // Go decodes a lone surrogate escape as U+FFFD.
    [Fact]
    public async Task ALoneSurrogateEscapeInTheNameIsAccepted()
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer) = await PostBytesAsync(server, Encoding.UTF8.GetBytes("""{"name":"a\ud800","username":"u"}"""));

        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status} {answer}");
    }

    // Go's encoding/json matches object keys to struct fields case-insensitively.
    [Fact]
    public async Task FieldNamesMatchWhateverTheirCaseAsGoDecodesThem()
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer) = await PostBytesAsync(server, Encoding.UTF8.GetBytes("""{"Name":"n","UserName":"u"}"""));

        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status} {answer}");
    }

    // The service reads "Token" as the sign-out's token: it is accepted, and the page masks it as it masks "token".
    [Fact]
    public async Task ASignOutTokenSpeltInAnotherCaseIsAcceptedAndMaskedOnThePage()
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer) = await PostBytesAsync(server, Encoding.UTF8.GetBytes("""{"Token":"sess_0123456789abcdef"}"""), "/v1/developers/sessions/logout");

        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status} {answer}");
        using var client = new HttpClient();
        var feed = await client.GetStringAsync(new Uri(server.BaseUri, "/_collector/feed"));
        Assert.DoesNotContain("0123456789abcdef", feed);
    }

    // metadata is "any JSON object" (docs/logtrace-api.md): a string or an array cannot decode into it.
    [Theory]
    [InlineData("\"text\"")]
    [InlineData("[1,2]")]
    [InlineData("5")]
    public async Task MetadataThatIsNotAnObjectIsRefused(string metadata)
    {
        await using var server = await LogTraceTestServer.StartAsync();

        var (status, answer) = await PostBytesAsync(server, Encoding.UTF8.GetBytes("{\"name\":\"n\",\"username\":\"u\",\"metadata\":" + metadata + "}"));

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {answer}");
    }

    // A test that disposes the server while the sink is still waiting on a stalled answer must not wait for the host's
    // shutdown timeout.
    [Fact]
    public async Task DisposingWhileAStalledRequestIsInFlightIsPrompt()
    {
        var server = await LogTraceTestServer.StartAsync(new LogTraceTestServerOptions { FaultSchedule = { "stall" } });
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/v1/developers/events"))
        {
            Content = new StringContent("""{"name":"n","username":"u"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-Key", Key);
        var changed = server.Store.Changed;
        var pending = client.SendAsync(request);
        await changed.WaitAsync(TimeSpan.FromSeconds(10)); // the stalled request is recorded

        // Well inside the host's 30 s shutdown timeout, which it used to wait for.
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }
}

