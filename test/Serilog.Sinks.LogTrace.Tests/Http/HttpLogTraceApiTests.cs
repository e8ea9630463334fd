using System.Net;
using System.Text;
using LogTrace.Collector;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Http;
using static Serilog.Sinks.LogTrace.Tests.Support.CollectorHelpers;

namespace Serilog.Sinks.LogTrace.Tests.Http;

// The real HTTP client against peers that misbehave: a body that stalls or never ends, a redirect, a handler that
// would follow one.
public class HttpLogTraceApiTests
{
    static readonly ReadOnlyMemory<byte> Body = Encoding.UTF8.GetBytes("{\"name\":\"a\",\"username\":\"b\"}");

    static Task<RunningCollector> StartWithFaults(params string[] faults) =>
        LogTraceCollector.StartAsync(new CollectorOptions { ApiKeys = { ApiKey }, RateLimitEnabled = false, FaultSchedule = faults.ToList() });

    static HttpLogTraceApi Api(string developersEndpoint, TimeSpan timeout, HttpMessageHandler? handler = null) =>
        new(new Uri(developersEndpoint), ApiKey, timeout, handler);

    [Fact]
    public async Task AnErrorBodyThatStallsEndsWithinTheRequestTimeout()
    {
        await using var collector = await StartWithFaults("stall-body");
        // Long enough for the headers to arrive on a loaded machine (at 500 ms they once did not, and the request timed
        // out before any answer); the body, which never ends, must still be cut by this timeout.
        using var api = Api(collector.DevelopersEndpoint, TimeSpan.FromSeconds(2));

        // The deadline only catches a hang; the request timeout is what must end it.
        var response = await api.PostAsync(RecordKind.Event, Body, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(500, response.StatusCode);
        Assert.Contains("not received within the request timeout", response.Message);
    }

    [Fact]
    public async Task AnErrorBodyThatStallsEndsWhenTheCallerCancels()
    {
        await using var collector = await StartWithFaults("stall-body");
        using var api = Api(collector.DevelopersEndpoint, TimeSpan.FromMinutes(5));
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var response = await api.PostAsync(RecordKind.Event, Body, shutdown.Token).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(500, response.StatusCode);
        Assert.Contains("cut off by the shutdown timeout", response.Message);
    }

    [Fact]
    public async Task OnlyTheFirstKilobytesOfAnEndlessErrorBodyAreRead()
    {
        var stream = new EndlessStream();
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(stream) });
        using var api = Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(30), handler);

        var response = await api.PostAsync(RecordKind.Event, Body, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(400, response.StatusCode);
        Assert.InRange(response.Message!.Length, 1, HttpLogTraceApi.MaxMessageBytes);
        Assert.InRange(stream.BytesRead, 1, HttpLogTraceApi.MaxMessageBytes);
    }

    // The sink sends through an HttpMessageInvoker, not an HttpClient: what HttpClient would have added or checked is
    // the sink's own to do.
    [Fact]
    public async Task EveryRequestCarriesTheKeyTheUserAgentAndTheContentType()
    {
        HttpRequestMessage? seen = null;
        string? contentType = null;
        var handler = new StubHandler(request =>
        {
            seen = request;
            contentType = request.Content?.Headers.ContentType?.ToString();
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        });
        using var api = Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(30), handler);

        var response = await api.PostAsync(RecordKind.Event, Body, CancellationToken.None);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(HttpMethod.Post, seen!.Method);
        Assert.Equal("https://logtrace.example/v1/developers/events", seen.RequestUri!.ToString());
        Assert.Equal(new[] { ApiKey }, seen.Headers.GetValues(HttpLogTraceApi.ApiKeyHeader));
        Assert.Equal(HttpLogTraceApi.UserAgent, Assert.Single(seen.Headers.GetValues("User-Agent")));
        Assert.Equal(HttpLogTraceApi.ContentType, contentType);
    }

    [Fact]
    public async Task AHandlerThatAnswersNothingFailsTheRequestWithAClearError()
    {
        using var api = Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(30), new NullAnswerHandler());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => api.PostAsync(RecordKind.Event, Body, CancellationToken.None));

        Assert.Equal("The message handler did not return a response message.", error.Message);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task ARedirectIsNeverFollowedAndNamesWhereItPointed(int status)
    {
        await using var elsewhere = await StartWithFaults();
        await using var collector = await StartWithFaults(status + ">" + elsewhere.DevelopersEndpoint + "/events?token=s3cr3t");
        using var api = Api(collector.DevelopersEndpoint, TimeSpan.FromSeconds(10));

        var response = await api.PostAsync(RecordKind.Event, Body, CancellationToken.None);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(elsewhere.DevelopersEndpoint + "/events", response.RedirectedTo);
        Assert.Empty(elsewhere.Store.Requests);
    }

    [Fact]
    public void AHandlerThatFollowsRedirectsIsRefusedAtConfiguration()
    {
        var ex = Assert.Throws<ArgumentException>(() => Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(1), new HttpClientHandler()));
        Assert.Contains("follows redirects (HttpClientHandler.AllowAutoRedirect is true)", ex.Message);
        Assert.Contains("set AllowAutoRedirect = false on the handler", ex.Message);
        Assert.Contains("would send the API key to another host", ex.Message);
        Assert.Equal("messageHandler", ex.ParamName);

        using var wrapped = new PassThroughHandler(new SocketsHttpHandler());
        Assert.Throws<ArgumentException>(() => Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(1), wrapped));
    }

    [Fact]
    public void AHandlerThatDoesNotFollowRedirectsIsAccepted()
    {
        using var handler = new PassThroughHandler(new HttpClientHandler { AllowAutoRedirect = false });
        using var api = Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(1), handler);
    }

    [Fact]
    public async Task AnAnswerFromAnotherAddressThanTheEndpointIsReportedAsARedirect()
    {
        // A handler the sink cannot see into followed a redirect on its own.
        var handler = new StubHandler(request => new HttpResponseMessage(HttpStatusCode.Accepted)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://elsewhere.example/collect?key=x"),
        });
        using var api = Api("https://logtrace.example/v1/developers", TimeSpan.FromSeconds(1), handler);

        var response = await api.PostAsync(RecordKind.Event, Body, CancellationToken.None);

        Assert.Equal("https://elsewhere.example/collect", response.RedirectedTo);
    }

    [Fact]
    public void WhereARedirectPointedIsNamedWithoutCredentialsOrQuery() =>
        Assert.Equal("http://elsewhere.example:8080/collect",
            RedirectGuard.DescribeLocation(new Uri("http://admin:hunter2@elsewhere.example:8080/collect?key=s3cr3t"), new Uri("https://logtrace.example/")));

    [Fact]
    public void WhereARelativeRedirectPointedIsNamedAgainstTheRoute() =>
        Assert.Equal("https://logtrace.example/v2/events",
            RedirectGuard.DescribeLocation(new Uri("/v2/events?key=x", UriKind.Relative), new Uri("https://logtrace.example/v1/developers/events")));

    [Fact]
    public void ARedirectWithoutALocationSaysSo() =>
        Assert.Equal("no Location header", RedirectGuard.DescribeLocation(null, new Uri("https://logtrace.example/")));

    [Fact]
    public void AnAnswerWithoutItsRequestIsNotARedirect()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Accepted);
        response.RequestMessage = null;

        Assert.False(RedirectGuard.WasRedirected(response, new Uri("https://logtrace.example/v1/developers/events")));
    }

    [Fact]
    public void TheSameRouteWrittenOtherwiseIsNotARedirect()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Accepted)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://LOGTRACE.example:443/v1/developers/events"),
        };

        Assert.False(RedirectGuard.WasRedirected(response, new Uri("https://logtrace.example/v1/developers/events")));
    }

    internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = answer(request);
            response.RequestMessage ??= request;
            return Task.FromResult(response);
        }
    }

    sealed class PassThroughHandler(HttpMessageHandler inner) : DelegatingHandler(inner);

    sealed class NullAnswerHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult<HttpResponseMessage>(null!);
    }

    // A body that never ends, counting what was read from it.
    sealed class EndlessStream : Stream
    {
        public int BytesRead;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'x');
            Interlocked.Add(ref BytesRead, count);
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
