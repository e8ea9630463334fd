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
    public void TheSameStringGivenToTheSinkAndTheCheckMatches(string configured)
    {
        var sink = LogTraceSinkSettings.Create(new LogTraceSinkOptions { ApiKey = Some.ApiKey, Endpoint = configured }, _ => null).BaseUri.ToString();
        HealthRules.Validate(new LogTraceHealthCheckOptions { Endpoint = configured });

        Assert.True(HealthRules.SameEndpoint(sink, configured), "the sink posts to " + sink + "; the check's Endpoint is " + configured);
    }
}
