using System.Net;
using System.Text;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Http;

// One exchange of the real client with a handler in the process: what it sends, how it reads each kind of answer, and
// that a caller's handler stays the caller's.
public class HttpExchangeTests
{
    static readonly ReadOnlyMemory<byte> Body = Encoding.UTF8.GetBytes("{\"name\":\"a\",\"username\":\"b\"}");

    // One request through the real client to a handler answering with `status`, `body` and `headers`.
    internal static async Task<(LogTraceResponse Response, HttpRequestMessage Sent)> Exchange(HttpStatusCode status, string body = "{\"message\":\"the service's words\"}",
        Action<HttpResponseMessage>? headers = null)
    {
        HttpRequestMessage? sent = null;
        var handler = new HttpLogTraceApiTests.StubHandler(request =>
        {
            sent = request;
            var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
            headers?.Invoke(response);
            return response;
        });
        using var api = new HttpLogTraceApi(new Uri("https://logtrace.example/v1/developers"), ApiKey, TimeSpan.FromSeconds(30), handler);
        var answer = await api.PostAsync(RecordKind.Event, Body, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        return (answer, sent!);
    }

    [Fact]
    public async Task EachRequestNamesTheSinkAndItsVersionAndCarriesTheKey()
    {
        var (_, sent) = await Exchange(HttpStatusCode.Accepted);

        Assert.Equal("Serilog.Sinks.LogTrace/" + PackageVersion.Current, string.Join(" ", sent.Headers.GetValues("User-Agent")));
        Assert.Equal(ApiKey, sent.Headers.GetValues(HttpLogTraceApi.ApiKeyHeader).Single());
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://logtrace.example/v1/developers/events", sent.RequestUri!.ToString());
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData((HttpStatusCode)299)]
    public async Task ASuccessBodyIsNotRead(HttpStatusCode status)
    {
        var (response, _) = await Exchange(status);

        Assert.Null(response.Message);
        Assert.Null(response.RedirectedTo);
    }

    [Theory]
    [InlineData((HttpStatusCode)300)]
    [InlineData((HttpStatusCode)399)]
    public async Task EveryThreeHundredIsARedirectThatNamesItsLocation(HttpStatusCode status)
    {
        var (response, _) = await Exchange(status, headers: r => r.Headers.Location = new Uri("https://elsewhere.example/v1?key=x"));

        Assert.Equal("https://elsewhere.example/v1", response.RedirectedTo);
        Assert.Null(response.Message);
    }

    [Fact]
    public async Task AnErrorsMessageIsRead()
    {
        var (response, _) = await Exchange(HttpStatusCode.BadRequest);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("the service's words", response.Message);
    }

    [Fact]
    public async Task ARateLimitWithNothingRemainingIsStillALimit()
    {
        var (response, _) = await Exchange(HttpStatusCode.Accepted, headers: r =>
        {
            r.Headers.TryAddWithoutValidation("X-RateLimit-Limit", "100");
            r.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "0");
            r.Headers.TryAddWithoutValidation("X-RateLimit-Reset", "1800000000");
        });

        Assert.True(response.RateLimit.IsPresent);
        Assert.Equal(0, response.RateLimit.Remaining);
    }

    [Fact]
    public void ACallersHandlerIsNotDisposedWithTheSink()
    {
        var handler = new TrackedHandler();
        var api = new HttpLogTraceApi(new Uri("https://logtrace.example/v1/developers"), ApiKey, TimeSpan.FromSeconds(30), handler);

        api.Dispose();

        Assert.False(handler.Disposed);
    }

    [Theory]
    [InlineData("{\"message\":\"Invalid API key\"}", "Invalid API key")]
    [InlineData("{\"error\":{\"a\":[1,2]},\"message\":\"after a nested member\"}", "after a nested member")]
    [InlineData("{\"message\":null}", "{\"message\":null}")]
    [InlineData("{\"message\":5}", "{\"message\":5}")]
    [InlineData("{\"detail\":\"no message\"}", "{\"detail\":\"no message\"}")]
    [InlineData("[\"message\",\"x\"]", "[\"message\",\"x\"]")]
    [InlineData("  Too Many Requests  ", "Too Many Requests")]
    [InlineData("{\"message\":\"cut", "{\"message\":\"cut")]
    public void TheMessageOfAnErrorBodyIsItsMessageMemberOrElseItsText(string body, string expected) =>
        Assert.Equal(expected, HttpLogTraceApi.ExtractMessage(Encoding.UTF8.GetBytes(body)));

    sealed class TrackedHandler : HttpMessageHandler
    {
        public bool Disposed;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
