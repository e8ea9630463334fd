using Microsoft.AspNetCore.Http;
using Serilog.Events;
using Serilog.Sinks.LogTrace.AspNetCore;
using Serilog.Sinks.LogTrace.Tests.Support;
using static Serilog.Sinks.LogTrace.Tests.AspNetCore.EventJson;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Found by an adversarial review of the request capture, end to end through a real app and the collector.
public class ReviewedCaptureTests
{
    // The capture cuts a header's value at MaxHeaderValueLength (1024) before the sink sees it: a key across the cut
    // reached the wire as its first 24 characters, which the whole key's replacement could not find.
    [Fact]
    public async Task AnApiKeyCutByTheHeaderValueLimitIsNotSentInPart()
    {
        await using var app = await TestWebApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plain");
        request.Headers.TryAddWithoutValidation("X-Debug-Context", new string('a', 1000) + CollectorHelpers.ApiKey);

        (await app.Client.SendAsync(request)).Dispose();

        var e = Single(await app.EventsAsync(1), "plain.event");
        var sent = Details(e).GetProperty("request_headers").GetProperty("X-Debug-Context").GetString()!;
        Assert.DoesNotContain(CollectorHelpers.ApiKey.Substring(0, 8), sent, StringComparison.Ordinal);
        Assert.EndsWith(LogTraceRedaction.Marker + LogTraceRedaction.TruncationMarker, sent, StringComparison.Ordinal);
    }

    // Credential headers common enough to be in the default list, whatever their case or separators.
    [Theory]
    [InlineData("X-Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")]
    [InlineData("x_upstream_authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")]
    [InlineData("X-CLIENT-SECRET", "cs_live_0123456789abcdef")]
    [InlineData("X-Api-Secret", "as_live_0123456789abcdef")]
    public void CredentialHeadersOfTheDefaultListAreRedacted(string name, string secret)
    {
        var headers = new HeaderDictionary { [name] = secret, ["Accept"] = "text/html" };

        var captured = (DictionaryValue)HeaderCapture.Capture(headers, new LogTraceHttpContextOptions()).ToPropertyValue();

        Assert.Equal(LogTraceRedaction.Marker, ((ScalarValue)captured.Elements.Single(e => (string)e.Key.Value! == name).Value).Value);
        Assert.Equal("text/html", ((ScalarValue)captured.Elements.Single(e => (string)e.Key.Value! == "Accept").Value).Value);
    }
}
