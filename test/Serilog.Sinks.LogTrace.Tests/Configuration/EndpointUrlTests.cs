using System.Collections.Concurrent;
using System.Net;
using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.Http;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// IPv6 endpoints as the sink posts to them and shows them, and endpoints with user credentials. Found by a review: the
// sink dropped an IPv6 zone (http://[fe80::1%eth0]:8080/ was posted to without %eth0, which no socket can reach), and
// an endpoint refused for another reason first (a scheme typo, a missing colon, a space) was quoted whole in the
// exception, password included.
[Collection(SelfLogCollection.Name)]
public class EndpointUrlTests
{
    sealed class CapturingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<Uri> Uris { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uris.Enqueue(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));
        }
    }

    // The URL the sink's HTTP client is given for a record of this kind (IdnHost keeps the zone, as HttpClient uses it).
    static async Task<Uri> PostedTo(string endpoint, RecordKind kind = RecordKind.Event)
    {
        var settings = TestSettings.Create(o => o.Endpoint = endpoint);
        var handler = new CapturingHandler();
        using var api = new HttpLogTraceApi(settings.BaseUri, settings.ApiKey, TimeSpan.FromSeconds(5), handler);
        await api.PostAsync(kind, "{}"u8.ToArray(), CancellationToken.None);
        return Assert.Single(handler.Uris);
    }

    [Theory]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers", 0, "/v1/developers/events")]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers/events", 0, "/v1/developers/events")]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers/", 1, "/v1/developers/audit-logs")]
    public async Task AZoneIdIsKeptInTheUrlTheSinkPostsTo(string endpoint, int kind, string path)
    {
        var uri = await PostedTo(endpoint, (RecordKind)kind);

        Assert.Equal(path, uri.AbsolutePath);
        Assert.Equal("fe80::1%eth0", uri.IdnHost);
        Assert.Equal(8080, uri.Port);
    }

    [Theory]
    [InlineData("http://[::1]:5000", "::1", "/events")]
    [InlineData("http://[::1]:5000/v1/developers/", "::1", "/v1/developers/events")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:5000/v1/developers/events", "::1", "/v1/developers/events")]
    [InlineData("http://[::ffff:127.0.0.1]:5000/v1/developers", "::ffff:127.0.0.1", "/v1/developers/events")]
    public async Task AnIpv6LiteralWithoutAZoneIsPostedToAsConfigured(string endpoint, string host, string path)
    {
        var uri = await PostedTo(endpoint);

        Assert.Equal(host, uri.IdnHost);
        Assert.Equal(5000, uri.Port);
        Assert.Equal(path, uri.AbsolutePath);
    }

    // The status names the endpoint and each route with the zone (Uri.ToString would drop it).
    [Fact]
    public async Task TheStatusShowsTheZone()
    {
        await using var harness = new SinkHarness(configure: o => o.Endpoint = "http://[fe80::1%eth0]:8080/v1/developers/events");

        var status = harness.Sink.Status(false);

        Assert.Equal("http://[fe80::1%eth0]:8080/v1/developers", status.Endpoint);
        Assert.Contains(status.Routes, r => r.Url == "http://[fe80::1%eth0]:8080/v1/developers/events");
    }

    [Theory]
    [InlineData("http://[fe80::1%eth0]/v1/developers", "http://[fe80::1%eth0]/v1/developers")]
    [InlineData("https://[fe80::1%eth0]:8443/v1/developers", "https://[fe80::1%eth0]:8443/v1/developers")]
    [InlineData("https://logtrace.example:443/v1/developers", "https://logtrace.example/v1/developers")]
    [InlineData("http://[::1]:5000/v1/developers", "http://[::1]:5000/v1/developers")]
    public void TheEndpointsTextIsUriToStringWithTheZone(string endpoint, string text) =>
        Assert.Equal(text, LogTraceSinkSettings.TextOf(TestSettings.Create(o => o.Endpoint = endpoint).BaseUri));

    // Refused whatever the reason, and never echoed: the password is not in the exception or in SelfLog.
    [Theory]
    [InlineData("htps://ops:Sup3rSecretPw@logtrace.example/v1/developers")]
    [InlineData("https//ops:Sup3rSecretPw@logtrace.example/v1/developers")]
    [InlineData("https://ops:Sup3rSecretPw@logtrace.example/v1/developers x")]
    [InlineData("https://ops:Sup3rSecretPw@logtrace.example/v1/developers")]
    public void AnEndpointWithAPasswordNeverEchoesIt(string endpoint)
    {
        using var selfLog = new SelfLogCollector();

        var ex = Record.Exception(() => TestSettings.Create(o => o.Endpoint = endpoint));

        Assert.Equal("endpoint", Assert.IsType<ArgumentException>(ex).ParamName);
        Assert.True(ex.Message.Contains("(a value with an '@', which may hold user credentials: not shown)", StringComparison.Ordinal) ||
            ex.Message.Contains("must not carry user credentials", StringComparison.Ordinal), ex.Message);
        Assert.DoesNotContain("Sup3rSecretPw", ex.ToString());
        Assert.DoesNotContain("Sup3rSecretPw", selfLog.Text);
    }

    // An endpoint refused without credentials in it is still quoted, so the mistake can be seen.
    [Fact]
    public void AnEndpointRefusedWithoutCredentialsIsQuoted()
    {
        var ex = Assert.Throws<ArgumentException>(() => TestSettings.Create(o => o.Endpoint = "htps://logtrace.example/v1/developers"));

        Assert.Contains("'htps://logtrace.example/v1/developers'", ex.Message);
    }

    // The two SelfLog lines that name the endpoint keep the zone too: the http:// warning (scheme, host and port
    // only) and a dry run's "nothing is sent to".
    [Fact]
    public void TheHttpWarningShowsTheZone()
    {
        using var selfLog = new SelfLogCollector();

        TestSettings.Create(o => o.Endpoint = "http://[fe80::1%eth0]:8080/v1/developers/events");

        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the endpoint http://[fe80::1%eth0]:8080 uses http://, so the API key travels " +
            "unencrypted", StringComparison.Ordinal));
    }

    [Fact]
    public void TheHttpWarningShowsTheHostAndPortOnly()
    {
        using var selfLog = new SelfLogCollector();

        TestSettings.Create(o => o.Endpoint = "http://logtrace.example:8080/v1/developers/events");

        Assert.Contains(selfLog.Lines, l => l.Contains("LogTrace: the endpoint http://logtrace.example:8080 uses http://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADryRunSaysWhereNothingIsSent_WithTheZone()
    {
        using var selfLog = new SelfLogCollector();

        await using (new SinkHarness(configure: o =>
        {
            o.Endpoint = "http://[fe80::1%eth0]:8080/v1/developers";
            o.DryRun = true;
            o.DryRunOutput = TextWriter.Null;
        }))
        {
        }

        Assert.Contains(selfLog.Lines, l => l.Contains("; nothing is sent to http://[fe80::1%eth0]:8080/v1/developers", StringComparison.Ordinal));
    }
}
