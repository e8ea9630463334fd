using System.Text;
using System.Text.Json;
using Serilog.Sinks.LogTrace.Records;
using static Serilog.Sinks.LogTrace.Tests.Support.Some;

namespace Serilog.Sinks.LogTrace.Tests.Formatting;

public class HttpEndpointTests
{
    static JsonElement Format(params (string, Serilog.Events.LogEventPropertyValue)[] properties)
    {
        var formatter = FormattedBody.Create();
        using var buffers = new FormatBuffers();
        Assert.Equal(FormatOutcome.Formatted, formatter.Format(Event("invoice.viewed", properties: properties), buffers));
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffers.Body.Span)).RootElement.Clone();
    }

    [Fact]
    public void TheLogTraceEndpointWinsOverRequestPathAndNeitherIsRepeatedInMetadata()
    {
        var root = Format(Prop(LogTraceProperties.RequestPath, "/invoices"), Prop(LogTraceProperties.HttpEndpoint, "/invoices?page=2&token=[REDACTED]"));

        Assert.Equal("/invoices?page=2&token=[REDACTED]", root.GetProperty("request_details").GetProperty("http_endpoint").GetString());
        Assert.False(root.GetProperty("metadata").TryGetProperty(LogTraceProperties.RequestPath, out _));
        Assert.False(root.GetProperty("metadata").TryGetProperty(LogTraceProperties.HttpEndpoint, out _));
    }

    [Fact]
    public void WithoutItRequestPathIsTheEndpoint() =>
        Assert.Equal("/invoices", Format(Prop(LogTraceProperties.RequestPath, "/invoices")).GetProperty("request_details").GetProperty("http_endpoint").GetString());
}
