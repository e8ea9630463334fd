using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Configuration;

// The key pasted into the endpoint (a curl line copied whole, a service that takes its token in the path): the sink's
// messages, SelfLog and status never show it.
[Collection(SelfLogCollection.Name)]
public class EndpointKeyLeakTests
{
    [Fact]
    public void AnInvalidEndpointThatCarriesTheKeyIsRejectedWithoutEchoingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            TestSettings.Create(o => o.Endpoint = "https://api.logtracehq.com/v1/developers -H X-API-Key:" + ApiKey));

        Assert.Equal("endpoint", ex.ParamName);
        Assert.DoesNotContain(ApiKey, ex.Message);
    }

    [Fact]
    public void AnEndpointWithTheKeyInItsPathIsRejectedWithoutEchoingIt()
    {
        using var selfLog = new SelfLogCollector();

        var ex = Record.Exception(() => TestSettings.Create(o => o.Endpoint = "https://api.logtracehq.com/" + ApiKey));

        Assert.DoesNotContain(ApiKey, selfLog.Text);
        Assert.IsType<ArgumentException>(ex);
        Assert.DoesNotContain(ApiKey, ex.Message);
    }
}

// The service's own host over plain http: it only answers with a redirect, which the sink treats as a configuration
// error and re-checks every minute, each time sending the key in clear text.
public class OfficialHostOverHttpTests
{
    [Theory]
    [InlineData("http://api.logtracehq.com/v1/developers")]
    [InlineData("HTTP://API.LOGTRACEHQ.COM/v1/developers/")]
    [InlineData("http://api.logtracehq.com.:80/v1/developers")]
    public void TheServicesHostOverPlainHttpIsRejected(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => TestSettings.Create(o => o.Endpoint = endpoint));

        Assert.Equal("endpoint", ex.ParamName);
        Assert.Contains("https://", ex.Message);
    }
}
