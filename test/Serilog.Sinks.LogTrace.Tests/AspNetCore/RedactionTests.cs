using Serilog.Events;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Credentials in headers and query strings, for LogTrace and for every other sink the application writes to.
public class RedactionTests
{
    [Theory]
    [InlineData("authorization")]
    [InlineData("X_Api_Key")]
    [InlineData("x-amz-security-token")]
    [InlineData("OCP-APIM-SUBSCRIPTION-KEY")]
    public void OnePolicyMatchesHeaderNamesIgnoringCaseAndUnderscores(string name) =>
        Assert.True(LogTraceRedaction.IsSensitiveHeader(name));

    [Theory]
    [InlineData("Accept")]
    [InlineData("X-Api-Keys")]
    [InlineData("Authorization2")]
    public void OtherHeadersAreNotSensitive(string name) =>
        Assert.False(LogTraceRedaction.IsSensitiveHeader(name));

    [Fact]
    public async Task CredentialHeadersAreRedactedWhenCapturedSoNoSinkSeesThem()
    {
        var other = new CollectingSink();
        await using var app = await TestWebApp.StartAsync(alsoWriteTo: lc => lc.WriteTo.Sink(other), shareContext: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoices");
        var credentials = new[] { "X-Amz-Security-Token", "X-Goog-Api-Key", "Ocp-Apim-Subscription-Key", "X-Access-Token", "X_Api_Key", "Set-Cookie" };
        foreach (var name in credentials)
            request.Headers.TryAddWithoutValidation(name, "secret-" + name);
        request.Headers.Add("X-Tenant", "acme");

        (await app.Client.SendAsync(request)).Dispose();

        var e = Single(await app.EventsAsync(1), "invoice.created");
        var headers = Details(e).GetProperty("request_headers");
        Assert.All(credentials, name => Assert.Equal("[REDACTED]", Text(headers, name)));
        Assert.Equal("acme", Text(headers, "X-Tenant"));
        Assert.DoesNotContain("secret-", e.Json().GetRawText());
        var seenElsewhere = Assert.Single(other.Events, x => x.Properties.ContainsKey(LogTraceProperties.RequestHeaders));
        Assert.DoesNotContain("secret-", seenElsewhere.Properties[LogTraceProperties.RequestHeaders].ToString());
    }

    [Fact]
    public async Task QueryParametersAreRedactedWhateverTheirSpelling()
    {
        await using var app = await TestWebApp.StartAsync(o => o.IncludeQueryString = true);

        (await app.Client.PostAsync("/invoices?x-api-key=k1&Access-Token=k2&token[]=k3&token%5B1%5D=k4&password+=k5&user[password]=k6" +
            "&debug&token&page=2&tokenizer=kept", null)).Dispose();

        Assert.Equal("/invoices?x-api-key=[REDACTED]&Access-Token=[REDACTED]&token[]=[REDACTED]&token%5B1%5D=[REDACTED]" +
            "&password+=[REDACTED]&user[password]=[REDACTED]&debug&token=[REDACTED]&page=2&tokenizer=kept",
            Text(Details(Assert.Single(await app.EventsAsync(1))), "http_endpoint"));
    }

    [Fact]
    public async Task WithTheQueryStringOtherSinksKeepTheFrameworksRequestPath()
    {
        var other = new CollectingSink();
        await using var app = await TestWebApp.StartAsync(o => o.IncludeQueryString = true, alsoWriteTo: lc => lc.WriteTo.Sink(other), shareContext: true);

        (await app.Client.PostAsync("/invoices?page=2&token=abc", null)).Dispose();

        var e = Assert.Single(await app.EventsAsync(1));
        Assert.Equal("/invoices?page=2&token=[REDACTED]", Text(Details(e), "http_endpoint"));
        var metadata = e.Json().GetProperty("metadata");
        Assert.False(metadata.TryGetProperty(LogTraceProperties.HttpEndpoint, out _));
        Assert.False(metadata.TryGetProperty(LogTraceProperties.RequestPath, out _));
        var seenElsewhere = Assert.Single(other.Events, x => x.Properties.ContainsKey(LogTraceProperties.EventName));
        Assert.Equal("/invoices", ((ScalarValue)seenElsewhere.Properties[LogTraceProperties.RequestPath]).Value);
        // The query, even redacted, stays LogTrace's: other sinks get no endpoint property.
        Assert.False(seenElsewhere.Properties.ContainsKey(LogTraceProperties.HttpEndpoint));
    }

    [Theory]
    [InlineData("x-api-key", "api_key")]
    [InlineData("X_API_KEY", "apikey")]
    [InlineData("access-token", "access_token")]
    [InlineData("token[]", "token")]
    [InlineData("token[12]", "token")]
    [InlineData("token [ ] ", "token")]
    [InlineData("password ", "password")]
    [InlineData("user[password]", "password")]
    [InlineData("filter[0][token]", "token")]
    [InlineData("X-Amz-Signature", "x-amz-signature")]
    public void SpellingsOfOneNameAreEqualWithEqualHashes(string spelling, string name)
    {
        Assert.True(Serilog.Sinks.LogTrace.Redaction.QueryParameterNameComparer.Instance.Equals(spelling, name));
        Assert.Equal(Serilog.Sinks.LogTrace.Redaction.QueryParameterNameComparer.Instance.GetHashCode(name), Serilog.Sinks.LogTrace.Redaction.QueryParameterNameComparer.Instance.GetHashCode(spelling));
    }

    [Theory]
    [InlineData("tokenizer", "token")]
    [InlineData("monkey", "key")]
    [InlineData("x", "")]
    [InlineData("xkey", "key")]
    [InlineData("token[", "token")]
    [InlineData("page", "pages")]
    public void DifferentNamesAreNotEqual(string a, string b) =>
        Assert.False(Serilog.Sinks.LogTrace.Redaction.QueryParameterNameComparer.Instance.Equals(a, b));
}
