using Serilog.Sinks.LogTrace.Configuration;
using Serilog.Sinks.LogTrace.HealthChecks;
using Serilog.Sinks.LogTrace.Tests.Support;

namespace Serilog.Sinks.LogTrace.Tests.HealthChecks;

// The health check's Endpoint is normalized as the sink normalizes its own (the parsed path, its trailing slashes and
// "/events"): the same string given to both names the same base URL. Found by a review: the check trimmed the text
// before parsing it, and found no sink for ".../developers//events".
public class HealthEndpointNormalizationTests
{
    [Theory]
    [InlineData("https://logtrace.example/v1/developers//events")]
    [InlineData("https://logtrace.example/v1/developers/./")]
    [InlineData("https://LOGTRACE.example:443/v1/developers/events/")]
    [InlineData("https://logtrace.example/v1/developers/%65vents")]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers/events")]
    [InlineData("http://[::1]:5000/v1/developers")]
    public void TheSameStringGivenToTheSinkAndTheCheckMatches(string configured)
    {
        // As the sink's status shows its endpoint.
        var sink = LogTraceSinkSettings.TextOf(LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = Some.ApiKey, Endpoint = configured }, _ => null).BaseUri);
        HealthRules.Validate(new LogTraceHealthCheckOptions { Endpoint = configured });

        Assert.True(HealthRules.SameEndpoint(sink, configured), "the sink posts to " + sink + "; the check's Endpoint is " + configured);
    }

    // Two zones are two links: fe80::1 on eth0 and fe80::1 on eth1 are two hosts, and two endpoints. Found by a review:
    // the comparison (Uri.Compare) and the normalization (UriBuilder) both dropped the zone.
    [Theory]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers", "http://[fe80::1%eth1]:8080/v1/developers", false)]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers", "http://[fe80::1]:8080/v1/developers", false)]
    [InlineData("http://[fe80::1%eth0]:8080/v1/developers", "http://[FE80::1%eth0]:8080/v1/developers/events", true)]
    [InlineData("http://[::1]:5000", "http://[0:0:0:0:0:0:0:1]:5000/v1/../events", true)]
    public void AnIpv6ZoneIsPartOfTheEndpoint(string a, string b, bool same)
    {
        Assert.Equal(same, HealthRules.SameEndpoint(a, b));
        Assert.Equal(same, HealthRules.SameEndpoint(b, a));
    }
}
