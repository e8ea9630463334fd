namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Identity-aware proxies hand the application the user's signed token in a header. The list already has Google IAP's
// (X-Goog-Iap-Jwt-Assertion) and AWS ALB's (X-Amzn-Oidc-Data); Cloudflare Access's is the same kind of bearer
// credential (its value is the CF_Authorization cookie itself), and its service-token secret is a static key.
public class IdentityProxyHeaderTests
{
    [Theory]
    [InlineData("Cf-Access-Jwt-Assertion")]
    [InlineData("CF-Access-Client-Secret")]
    public void CloudflareAccessCredentialsAreSensitiveHeaders(string name) =>
        Assert.Equal(LogTraceRedaction.Marker, LogTraceRedaction.RedactHeader(name, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2ln"));
}
