using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

// http_endpoint from whatever the event carries (an application's own RequestPath, another integration's
// LogTraceHttpEndpoint): the sink applies the query-parameter list on the wire, as it does the header list.
public class EndpointQueryRedactionTests
{
    [Theory]
    [InlineData(LogTraceProperties.RequestPath)]
    [InlineData(LogTraceProperties.HttpEndpoint)]
    public void ASensitiveQueryParameterInTheEndpointIsRedactedOnTheWire(string property)
    {
        var body = FormattedBody.Of(Event("password.reset", properties: new[] { Prop(property, "/reset?token=abc123&page=1") }));

        Assert.Equal("/reset?token=[REDACTED]&page=1", body.GetProperty("request_details").GetProperty("http_endpoint").GetString());
    }
}
